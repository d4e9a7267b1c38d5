package org.lesionweighting.engine;

/**
 * A failure of the TensorFlow worker: the job failed (the worker's error message), or the worker process
 * ended without a result (crash of the native library, out of memory, killed), in which case the message
 * names the exit code and the last lines the worker wrote to standard error.
 */
public class WorkerException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int exitCode;

	/**
	 * @param message the user-facing message
	 * @param exitCode the worker's exit code, or -1 if it was still running / unknown
	 */
	public WorkerException(final String message, final int exitCode) {
		super(message);
		this.exitCode = exitCode;
	}

	/** The worker's exit code, or -1 when unknown. */
	public int exitCode() {
		return exitCode;
	}
}
