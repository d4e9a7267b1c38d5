package org.lesionweighting.util;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Receives progress of long-running work. UI-free: adapters for Fiji's status bar or standard error
 * live outside the core.
 * <p>
 * Implementations must be thread-safe: work that runs on several threads may report from any of them.
 */
public interface ProgressListener {

	/** A listener that ignores everything. */
	ProgressListener NONE = new ProgressListener() {

		@Override
		public void status(final String message) {}

		@Override
		public void progress(final double fraction) {}
	};

	/** A human-readable description of the current step, e.g. {@code "Labeling lesions"}. */
	void status(String message);

	/** Fraction of the current step that is done, in [0, 1]. */
	void progress(double fraction);

	/**
	 * A listener that forwards to {@code delegate} and, after each progress report, throws a
	 * {@link CancellationException} ({@code "<operation>: cancelled"}) when {@code cancel} says so: a way to stop
	 * work that reports progress between chunks but polls no cancel request itself.
	 *
	 * @param delegate receives status and progress; may be {@code null}
	 * @param cancel polled after each progress report
	 * @param operation names the work in the exception message
	 */
	static ProgressListener cancellable(final ProgressListener delegate, final BooleanSupplier cancel, final String operation) {
		final ProgressListener d = orNone(delegate);
		return new ProgressListener() {

			@Override
			public void status(final String message) {
				d.status(message);
			}

			@Override
			public void progress(final double fraction) {
				d.progress(fraction);
				if (cancel.getAsBoolean()) throw new CancellationException(operation + ": cancelled");
			}
		};
	}

	/** Returns {@code listener}, or {@link #NONE} when it is {@code null}. */
	static ProgressListener orNone(final ProgressListener listener) {
		return listener == null ? NONE : listener;
	}
}
