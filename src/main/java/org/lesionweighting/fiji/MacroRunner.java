package org.lesionweighting.fiji;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.scijava.Context;

import ij.WindowManager;
import ij.macro.Interpreter;

/**
 * Executes ImageJ 1 macros headless with the suite's commands reachable through
 * {@code run("<Command Title>", "<options>")} ({@link MacroBridge}).
 * <p>
 * The macro runs in the calling thread through {@link Interpreter}, in batch mode (images are kept in
 * memory, nothing is displayed). {@code getArgument()} returns the given argument. Images the macro leaves
 * open are closed afterwards.
 * <p>
 * Not reentrant: ImageJ 1's batch mode and image list are global, so run one macro at a time.
 */
public final class MacroRunner {

	private MacroRunner() {}

	/**
	 * Runs macro source text.
	 *
	 * @param ctx the SciJava context the commands run in
	 * @param macro the macro text
	 * @param argument the value of {@code getArgument()} (may be empty)
	 * @return the macro's return value (a string returned at top level: {@code return "" + n;}), or null
	 * @throws MacroException if the macro fails or a command fails; the message says why
	 */
	public static synchronized String run(final Context ctx, final String macro, final String argument) throws MacroException {
		MacroBridge.install(ctx);
		MacroBridge.takeLastError();
		final boolean batch = Interpreter.batchMode;
		Interpreter.batchMode = true;
		final Interpreter interp = new Interpreter();
		interp.setIgnoreErrors(true);
		String result = null;
		String error;
		try {
			result = interp.run(macro, argument == null ? "" : argument);
			error = MacroBridge.takeLastError();
			if (error == null && (interp.wasError() || interp.getErrorMessage() != null)) error = interp.getErrorMessage();
		}
		catch (final RuntimeException e) {
			error = MacroBridge.takeLastError();
			if (error == null) error = interp.getErrorMessage() != null ? interp.getErrorMessage() : String.valueOf(e.getMessage());
		}
		finally {
			for (final int id : Interpreter.getBatchModeImageIDs()) { // release the batch-mode images the macro left
				final ij.ImagePlus imp = WindowManager.getImage(id);
				if (imp != null) Interpreter.removeBatchModeImage(imp);
			}
			WindowManager.setTempCurrentImage(null);
			Interpreter.batchMode = batch;
		}
		if (error != null) throw new MacroException("Macro failed: " + error);
		return result;
	}

	/**
	 * Runs a macro file.
	 *
	 * @throws IOException if the file cannot be read
	 * @throws MacroException if the macro fails
	 * @see #run(Context, String, String)
	 */
	public static String runFile(final Context ctx, final Path file, final String argument) throws IOException, MacroException {
		if (!Files.isRegularFile(file)) throw new IOException("Cannot read macro " + file.toAbsolutePath() + ": the file does not exist.");
		return run(ctx, Files.readString(file, StandardCharsets.UTF_8), argument);
	}
}
