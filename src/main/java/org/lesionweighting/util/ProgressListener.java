package org.lesionweighting.util;

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

	/** Returns {@code listener}, or {@link #NONE} when it is {@code null}. */
	static ProgressListener orNone(final ProgressListener listener) {
		return listener == null ? NONE : listener;
	}
}
