package org.lesionweighting.fiji;

/** An ImageJ macro failed; the message is the macro error or the failing command's message. */
public class MacroException extends Exception {

	private static final long serialVersionUID = 1L;

	/** A failure with a user-facing message. */
	public MacroException(final String message) {
		super(message);
	}
}
