package org.lesionweighting.fiji;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.scijava.command.ContextCommand;

import ij.IJ;

/**
 * The ways a user stops a long-running command (training, segmentation), combined into one cancel request
 * that the engines poll between steps:
 * <ul>
 * <li>SciJava's cancellation of the command ({@link ContextCommand#isCanceled()});</li>
 * <li>an interrupt of the command's thread;</li>
 * <li>the <b>Esc</b> key in ImageJ 1 ({@link IJ#escapePressed()}, the key every ImageJ user presses to stop a
 * plugin; reset when the request is created, so an earlier Esc does not stop a new run);</li>
 * <li>a process-wide request ({@link #requestAll}), which the headless launcher makes when it receives
 * SIGINT (Ctrl-C) or SIGTERM, so that training writes its checkpoint before the JVM exits.</li>
 * </ul>
 * Thread-safe.
 */
public final class CancelRequests {

	private static final AtomicReference< String > ALL = new AtomicReference<>();

	private CancelRequests() {}

	/**
	 * A cancel request for {@code command}: true as soon as any of the ways above asks to stop. Resets ImageJ's
	 * Esc flag.
	 *
	 * @param command the running command
	 * @return the request, to poll between steps (e.g. {@code Engines.run(…, CancelRequests.of(this))})
	 */
	public static BooleanSupplier of(final ContextCommand command) {
		if (command == null) throw new IllegalArgumentException("CancelRequests.of: command must not be null; pass the running command (this).");
		IJ.resetEscape();
		return () -> command.isCanceled() || Thread.currentThread().isInterrupted() || ALL.get() != null || IJ.escapePressed();
	}

	/**
	 * Asks every running and future command of this JVM to stop (the launcher's shutdown hook).
	 *
	 * @param reason why, e.g. {@code "SIGTERM"}; the first reason is kept
	 */
	public static void requestAll(final String reason) {
		ALL.compareAndSet(null, reason == null ? "stop requested" : reason);
	}

	/** The reason of the process-wide request, or {@code null} when none was made. */
	public static String allReason() {
		return ALL.get();
	}

	/** Withdraws the process-wide request (for a JVM that goes on running commands, e.g. tests). */
	public static void clearAll() {
		ALL.set(null);
	}
}
