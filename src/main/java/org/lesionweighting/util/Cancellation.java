package org.lesionweighting.util;

import java.util.concurrent.CancellationException;

/**
 * Cooperative cancellation: long work calls {@link #check(String)} between chunks, slices, steps or
 * epochs. A cancelled thread is an interrupted thread, so {@code Future.cancel(true)} and SciJava's
 * command cancellation both stop the work.
 */
public final class Cancellation {

	private Cancellation() {}

	/**
	 * Throws {@link CancellationException} if the current thread was interrupted. The interrupt flag
	 * stays set so that callers further up also see it.
	 *
	 * @param operation what is being cancelled, used in the message
	 */
	public static void check(final String operation) {
		if (Thread.currentThread().isInterrupted())
			throw new CancellationException(operation + ": cancelled");
	}
}
