package org.lesionweighting.fiji;

import org.lesionweighting.util.Exceptions;

import ij.IJ;
import ij.Macro;
import ij.macro.Interpreter;
import ij.plugin.PlugIn;

/**
 * The ImageJ 1 plugin behind every command registered by {@link MacroBridge#install}: ImageJ calls
 * {@code run(arg)} with the command's class name as {@code arg} when a macro executes
 * {@code run("<Command Title>", "<options>")}.
 * <p>
 * On error inside a macro, the macro is aborted and the message is kept for {@link MacroRunner}; outside
 * a macro, the message is shown with {@code IJ.error}.
 */
public class MacroCommandPlugIn implements PlugIn {

	@Override
	public void run(final String arg) {
		final String options = Macro.getOptions();
		try {
			MacroBridge.runCommand(arg, options == null ? "" : options.trim());
		}
		catch (final Exception e) {
			final String message = Exceptions.message(e);
			MacroBridge.recordError(message);
			if (Interpreter.getInstance() != null) {
				IJ.log("Error: " + message);
				// ImageJ's own way of ending a macro from a plugin (Interpreter.abortMacro also waits up to 2 s)
				throw new RuntimeException(Macro.MACRO_CANCELED);
			}
			IJ.error("Lesion Weighting", message);
		}
	}
}
