package org.lesionweighting.fiji;

/** An ImageJ macro failed; the message is the macro error or the failing command's message. */
public class MacroException extends Exception {

	private static final long serialVersionUID = 1L;

	public MacroException(final String message) {
		super(message);
	}
}
