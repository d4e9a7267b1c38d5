package org.lesionweighting.fiji;

import java.io.PrintStream;

import org.lesionweighting.util.ProgressListener;
import org.scijava.app.StatusService;

import ij.IJ;

/**
 * Adapts the core's {@link ProgressListener} to Fiji's status bar (SciJava {@link StatusService}; when an
 * ImageJ 1 window is open, its status bar and progress bar directly, so that plain ImageJ 1 without
 * imagej-legacy shows them too) or, for headless use without a context, to a text stream such as standard
 * error.
 * <p>
 * Thread-safe. The stream variant prints each status line once and progress in steps of 10 %; a status line
 * that changes at every step (training: one per iteration) does not repeat the progress line, which is printed
 * again only at the next 10 % or when the fraction goes back (a new phase).
 */
public final class StatusProgress implements ProgressListener {

	private static final int STEPS = 1000;

	private final StatusService statusService;

	/** Where status lines and progress steps are printed (besides the status service, if any), or null. */
	private final PrintStream stream;

	private static volatile PrintStream echo;

	private String lastStatus = "";

	private int lastTenth = -1;

	private double lastFraction = -1;

	private StatusProgress(final StatusService statusService, final PrintStream stream) {
		this.statusService = statusService;
		this.stream = stream;
	}

	/**
	 * A listener reporting to {@code statusService} ({@code showStatus}, {@code showProgress}); if it is
	 * null, to standard error.
	 */
	public static ProgressListener of(final StatusService statusService) {
		final PrintStream e = echo;
		return statusService == null ? toStream(e == null ? System.err : e) : new StatusProgress(statusService, e);
	}

	/**
	 * Makes listeners created afterwards by {@link #of(StatusService)} also print to {@code stream} (the
	 * headless launcher passes standard error, since SciJava status events are delivered asynchronously and
	 * nobody displays them headless); null stops it.
	 */
	public static void setEcho(final PrintStream stream) {
		echo = stream;
	}

	/** A listener printing status lines and progress in 10 % steps to {@code stream}. */
	public static ProgressListener toStream(final PrintStream stream) {
		return new StatusProgress(null, stream);
	}

	@Override
	public synchronized void status(final String message) {
		if (statusService != null) {
			if (IJ.getInstance() != null) IJ.showStatus(message); // ImageJ 1's status bar, also without imagej-legacy
			else
				statusService.showStatus(message);
		}
		if (stream != null && message != null && !message.equals(lastStatus)) {
			stream.println(message);
			lastStatus = message;
		}
	}

	@Override
	public synchronized void progress(final double fraction) {
		final double f = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
		if (statusService != null) {
			if (IJ.getInstance() != null) IJ.showProgress(f);
			else
				statusService.showProgress((int) Math.round(f * STEPS), STEPS);
		}
		if (stream == null) return;
		if (f < lastFraction) lastTenth = -1; // a new phase starts
		lastFraction = f;
		final int tenth = (int) Math.floor(f * 10);
		if (tenth > lastTenth) {
			lastTenth = tenth;
			stream.println("  " + tenth * 10 + " %" + (lastStatus.isEmpty() ? "" : " " + lastStatus));
		}
	}
}
