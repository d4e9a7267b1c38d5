package org.lesionweighting.fiji.train;

import java.awt.Color;
import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;

import javax.swing.Timer;

import org.lesionweighting.engine.TrainingEvent;
import org.lesionweighting.tf.train.HistoryRow;

import ij.IJ;
import ij.gui.Plot;
import ij.gui.PlotWindow;

/**
 * The live loss plot of <b>Train Lesion Segmenter</b>: collects the training events ({@link TrainingEvent}:
 * history rows and validation Dice, from either engine) and draws an ImageJ {@link Plot} with x = iteration:
 * <ul>
 * <li>the loss of every iteration as small light-blue dots (it is noisy: one batch each);</li>
 * <li>its trailing moving mean as a dark-blue line: the mean of the last {@link #window()} losses (fewer at
 * the start), window = min(iterations per epoch, {@value #MOVING_MEAN_WINDOW_MAX}), i.e. at most one epoch;
 * {@value #MOVING_MEAN_WINDOW_MAX} until the events have told the iterations per epoch;</li>
 * <li>the validation Dice of each epoch (with validation cases) as orange circles on the same axes, at the
 * epoch's last iteration: Dice is in [0, 1] like the Dice-type losses, the y axis is labelled
 * "loss / validation Dice", and the x-axis label repeats the latest values in numbers.</li>
 * </ul>
 * A resumed run receives its restored history first, so the plot shows the whole run.
 * <p>
 * <b>Window.</b> In a JVM with a display (not {@link GraphicsEnvironment#isHeadless() headless}) and when
 * {@code live} is requested, a {@link PlotWindow} opens with the first redraw and is redrawn on the AWT event
 * thread at most every {@value #REDRAW_INTERVAL_MILLIS} ms, and once more after {@link #finish()}; it stays
 * open so that the user can save or inspect it. If the user closes it, it is not reopened. Headless, no
 * window is ever opened; {@link #plot()} still draws (ImageJ renders plots into an image processor without a
 * display).
 * <p>
 * Threading: {@link #accept} may be called from any thread (the training or worker-reading thread); the data
 * are guarded by this object's lock and windows are touched on the event thread only.
 */
public final class LossPlot implements Consumer< TrainingEvent > {

	/** Upper bound of the moving-mean window (iterations). */
	public static final int MOVING_MEAN_WINDOW_MAX = 50;

	/** Minimum time between two redraws of the live window. */
	public static final int REDRAW_INTERVAL_MILLIS = 500;

	/** Width of the plot image in pixels. */
	public static final int WIDTH_DEFAULT = 640;

	/** Height of the plot image in pixels. */
	public static final int HEIGHT_DEFAULT = 400;

	static final Color LOSS_COLOR = new Color(150, 175, 235);

	static final Color MEAN_COLOR = new Color(20, 40, 160);

	static final Color DICE_COLOR = new Color(230, 110, 0);

	private final String title;

	private final boolean live;

	// guarded by this
	private final List< double[] > history = new ArrayList<>();

	private final List< double[] > validation = new ArrayList<>();

	private int iterationsPerEpoch = -1;

	private boolean redrawPending;

	private boolean drawn;

	private long lastDrawNanos;

	// event thread only
	private PlotWindow window;

	private boolean windowGone;

	/**
	 * A plot.
	 *
	 * @param title the plot (window) title; {@code null} or blank = {@code "Training loss"}
	 * @param live whether to show a live window; ignored (no window) in a headless JVM
	 */
	public LossPlot(final String title, final boolean live) {
		this.title = title == null || title.isBlank() ? "Training loss" : title;
		this.live = live && !GraphicsEnvironment.isHeadless();
	}

	/**
	 * Takes one training event: {@code history} rows are appended (and {@code iterations_per_epoch} sets the
	 * moving-mean window), {@code validation} adds a Dice point. Schedules a
	 * redraw of the live window.
	 */
	@Override
	public void accept(final TrainingEvent event) {
		if (event instanceof TrainingEvent.History h) {
			synchronized (this) {
				if (h.iterationsPerEpoch() > 0) iterationsPerEpoch = h.iterationsPerEpoch();
			}
			for (final HistoryRow r : h.rows())
				add(r.iteration(), r.loss());
		}
		else if (event instanceof TrainingEvent.Validation v) addValidation(v.epoch(), v.iteration(), v.dice());
	}

	/**
	 * Appends the loss of one iteration and schedules a redraw.
	 *
	 * @param iteration the completed iterations (x)
	 * @param loss the loss (non-finite values are kept but not drawn)
	 */
	public void add(final double iteration, final double loss) {
		synchronized (this) {
			history.add(new double[] { iteration, loss });
		}
		changed();
	}

	/**
	 * Adds the validation Dice of an epoch and schedules a redraw.
	 *
	 * @param epoch the 0-based epoch
	 * @param iteration the completed iterations at its end (x)
	 * @param dice the mean validation Dice
	 */
	public void addValidation(final int epoch, final double iteration, final double dice) {
		synchronized (this) {
			validation.add(new double[] { epoch, iteration, dice });
		}
		changed();
	}

	/** The moving-mean window: min(iterations per epoch, {@value #MOVING_MEAN_WINDOW_MAX}). */
	public synchronized int window() {
		return iterationsPerEpoch > 0 ? Math.min(iterationsPerEpoch, MOVING_MEAN_WINDOW_MAX) : MOVING_MEAN_WINDOW_MAX;
	}

	/** The iterations received (a copy). */
	public synchronized double[] iterations() {
		return column(history, 0);
	}

	/** The losses received (a copy). */
	public synchronized double[] losses() {
		return column(history, 1);
	}

	/** The validation points received, each {@code {epoch, iteration, dice}} (copies). */
	public synchronized List< double[] > validation() {
		return validation.stream().map(double[]::clone).toList();
	}

	/**
	 * Trailing moving mean: element {@code i} is the mean of the finite values among
	 * {@code values[max(0, i - window + 1)] .. values[i]} (NaN if there is none).
	 *
	 * @param values the series; empty gives an empty result
	 * @param window the number of values averaged, at least 1
	 * @return a new array of the same length
	 * @throws IllegalArgumentException if {@code window < 1}
	 */
	public static double[] movingMean(final double[] values, final int window) {
		if (window < 1) throw new IllegalArgumentException("LossPlot.movingMean: window must be at least 1, but was " + window + ".");
		final double[] out = new double[values.length];
		for (int i = 0; i < values.length; i++) {
			double sum = 0;
			int n = 0;
			for (int j = Math.max(0, i - window + 1); j <= i; j++)
				if (Double.isFinite(values[j])) {
					sum += values[j];
					n++;
				}
			out[i] = n == 0 ? Double.NaN : sum / n;
		}
		return out;
	}

	/**
	 * Draws the current data into a new {@link Plot} of {@value #WIDTH_DEFAULT} × {@value #HEIGHT_DEFAULT}
	 * pixels. Data objects, in order: the finite losses ({@code dot}), their moving mean ({@code line}), and
	 * the validation Dice ({@code circle}); a set without points is left out. Works headless.
	 */
	public Plot plot() {
		final double[] x, y, mean;
		final List< double[] > val;
		final int w;
		synchronized (this) {
			x = iterations();
			y = losses();
			w = window();
			mean = movingMean(y, w);
			val = validation();
		}
		final Plot p = new Plot(title, xLabel(x, y, mean, val), val.isEmpty() ? "loss" : "loss / validation Dice");
		p.setSize(WIDTH_DEFAULT, HEIGHT_DEFAULT);
		final StringBuilder legend = new StringBuilder();
		final double[][] points = finite(x, y);
		p.setLineWidth(2); // for the data objects; only setLineWidth changes it
		if (points[0].length > 0) {
			p.setColor(LOSS_COLOR);
			p.add("dot", points[0], points[1]);
			legend.append("loss");
			final double[][] m = finite(x, mean);
			p.setColor(MEAN_COLOR);
			p.add("line", m[0], m[1]);
			legend.append("\tmoving mean (" + w + " iterations)");
		}
		if (!val.isEmpty()) {
			p.setColor(DICE_COLOR);
			p.add("circle", column(val, 1), column(val, 2));
			legend.append(legend.length() == 0 ? "" : "\t").append("validation Dice");
		}
		p.setColor(Color.BLACK);
		p.setLineWidth(1);
		if (legend.length() > 0) p.addLegend(legend.toString());
		limits(p, x, y, val);
		return p;
	}

	/**
	 * Redraws the live window once more with all data (call when the training has ended, successfully or
	 * not). The window stays open. Does nothing without a live window.
	 */
	public void finish() {
		if (live) EventQueue.invokeLater(this::draw);
	}

	/** Whether a live window has been opened (always {@code false} headless). Event thread. */
	boolean hasWindow() {
		return window != null;
	}

	/** "iteration   (120: loss 0.231, mean 0.252; Dice 0.612 after epoch 1)": the latest values. */
	private static String xLabel(final double[] x, final double[] y, final double[] mean, final List< double[] > val) {
		final StringBuilder sb = new StringBuilder("iteration");
		if (x.length > 0) sb.append(String.format(Locale.ROOT, "   (%d: loss %.3g, mean %.3g", (long) x[x.length - 1], y[y.length - 1], mean[mean.length - 1]));
		if (!val.isEmpty()) {
			final double[] v = val.get(val.size() - 1);
			sb.append(x.length > 0 ? "; " : "   (").append(String.format(Locale.ROOT, "Dice %.3f after epoch %d", v[2], (int) v[0]));
		}
		if (x.length > 0 || !val.isEmpty()) sb.append(')');
		return sb.toString();
	}

	/**
	 * x from 0 to 2 % beyond the last iteration (at least 3, so that the last points are inside the frame); y automatic
	 * unless there are no finite values (0 to 1) or only one value (that value ± 10 %, at least ± 0.1).
	 */
	private static void limits(final Plot p, final double[] x, final double[] y, final List< double[] > val) {
		final double xMax = DoubleStream.concat(Arrays.stream(x), val.stream().mapToDouble(v -> v[1]).filter(Double::isFinite)).reduce(2, Math::max);
		final DoubleSummaryStatistics ys = DoubleStream.concat(Arrays.stream(y), val.stream().mapToDouble(v -> v[2])).filter(Double::isFinite)
				.summaryStatistics();
		final double lo = ys.getMin(), hi = ys.getMax(), pad = Math.max(0.1 * Math.abs(lo), 0.1), xEnd = xMax + Math.max(1, 0.02 * xMax);
		if (lo > hi) p.setLimits(0, xEnd, 0, 1);
		else if (hi - lo < 1e-12) p.setLimits(0, xEnd, lo - pad, hi + pad);
		else
			p.setLimits(0, xEnd, Double.NaN, Double.NaN); // y automatic
	}

	/** The points whose y is finite, as {x[], y[]}. */
	private static double[][] finite(final double[] x, final double[] y) {
		final int[] keep = IntStream.range(0, y.length).filter(i -> Double.isFinite(y[i])).toArray();
		return new double[][] { Arrays.stream(keep).mapToDouble(i -> x[i]).toArray(), Arrays.stream(keep).mapToDouble(i -> y[i]).toArray() };
	}

	/** Entry {@code i} of each row. */
	private static double[] column(final List< double[] > rows, final int i) {
		return rows.stream().mapToDouble(r -> r[i]).toArray();
	}

	/** Schedules a redraw on the event thread, at most one pending and at least {@value #REDRAW_INTERVAL_MILLIS} ms after the last. */
	private void changed() {
		if (!live) return;
		final long delay;
		synchronized (this) {
			if (redrawPending) return;
			redrawPending = true;
			delay = drawn ? Math.max(0, REDRAW_INTERVAL_MILLIS - (System.nanoTime() - lastDrawNanos) / 1_000_000) : 0;
		}
		final Timer t = new Timer((int) delay, e -> draw());
		t.setRepeats(false);
		t.start();
	}

	/** Event thread: opens or redraws the window. */
	private void draw() {
		synchronized (this) {
			redrawPending = false;
			drawn = true;
			lastDrawNanos = System.nanoTime();
		}
		if (windowGone) return;
		try {
			final Plot p = plot();
			if (window == null) {
				window = p.show();
				if (window == null) windowGone = true; // batch mode: ImageJ keeps the plot as a hidden image
			}
			else if (window.isClosed()) windowGone = true; // closed by the user: not reopened
			else
				window.drawPlot(p);
		}
		catch (final RuntimeException e) {
			windowGone = true;
			IJ.log("Train Lesion Segmenter: the live loss plot stopped (" + e + "); history.csv in the model folder has the same data.");
		}
	}
}
