package org.lesionweighting.fiji;

/**
 * A command failed for a reason the user can fix (bad input, unreadable or unwritable file). The message is
 * complete and meant to be shown as is; launcher and macro bridge show it without a stack trace.
 */
public class CommandException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public CommandException(final String message, final Throwable cause) {
		super(message, cause);
	}

	public CommandException(final String message) {
		super(message);
	}
}
