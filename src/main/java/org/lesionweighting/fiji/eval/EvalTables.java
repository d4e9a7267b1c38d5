package org.lesionweighting.fiji.eval;

import java.awt.Color;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.lesionweighting.fiji.LesionResults;
import org.lesionweighting.metrics.FrocCurve;
import org.lesionweighting.metrics.FrocSummary;
import org.lesionweighting.metrics.LesionRecord;

import ij.gui.Plot;
import ij.measure.ResultsTable;

/** ResultsTables and the FROC plot of the evaluation commands. */
public final class EvalTables {

	private EvalTables() {}

	/** One row per record, with the CSV's column names. */
	public static ResultsTable records(final List< LesionRecord > records) {
		final ResultsTable rt = new ResultsTable();
		rt.setPrecision(-6);
		for (final LesionRecord r : records) {
			rt.incrementCounter();
			LesionResults.addValues(rt, "image", r.image(), "kind", r.kind().key(), "object", r.object(), "diameter", r.diameter(), "hit_dice", r.hitDice(),
					"hit_logit", r.hitLogit(), "self_logit", r.selfLogit(), "hit_object", r.hitObject(), "diameter_calibrated", r.diameterCalibrated(),
					"hit_stat", r.hitStat(), "self_stat", r.selfStat());
		}
		return rt;
	}

	/** One row per threshold of the FROC. */
	public static ResultsTable curve(final FrocCurve c) {
		final ResultsTable rt = new ResultsTable();
		rt.setPrecision(-6);
		for (int i = 0; i < c.size(); i++) {
			rt.incrementCounter();
			LesionResults.addValues(rt, "threshold", c.threshold()[i], "avg_fp", c.avgFp()[i], "recall", c.recall()[i], "precision", c.precision()[i], "tp",
					c.tp()[i], "fp", c.fp()[i], "fn", c.fn()[i]);
		}
		return rt;
	}

	/**
	 * Recall against false positives per image: the full-set FROC (black) and the bootstrap mean (blue)
	 * with its ± std band (light blue), over 0 to min(max avgFP, 6) as the authors' plot. Works headless.
	 */
	public static Plot plot(final FrocSummary s, final String title) {
		final Plot plot = new Plot(title, "False positives per image", "Recall");
		final FrocCurve c = s.froc();
		final FrocSummary.Bootstrap b = s.bootstrap();
		final double xmax = Math.min(Math.max(Arrays.stream(c.avgFp()).filter(Double::isFinite).reduce(0, Math::max), 1), 6);
		plot.setLimits(0, xmax * 1.02, 0, 1.02);
		if (b.n() > 1 && b.bandFp().length > 1) {
			final double[] m = b.bandMean(), sd = b.bandStd();
			final double[] lo = IntStream.range(0, b.bandFp().length).mapToDouble(i -> Math.max(0, m[i] - sd[i])).toArray();
			final double[] hi = IntStream.range(0, b.bandFp().length).mapToDouble(i -> Math.min(1, m[i] + sd[i])).toArray();
			plot.setColor(new Color(170, 200, 240), new Color(170, 200, 240));
			plot.add("filled", b.bandFp(), hi);
			plot.setColor(Color.white, Color.white);
			plot.add("filled", b.bandFp(), lo);
			plot.setColor(new Color(30, 90, 200));
			plot.setLineWidth(2);
			plot.add("line", b.bandFp(), b.bandMean());
		}
		final int n = c.size();
		final double[] x = new double[n + 1], y = new double[n + 1];
		for (int i = 0; i < n; i++) {
			x[n - i] = c.avgFp()[i];
			y[n - i] = c.recall()[i];
		}
		plot.setColor(Color.black);
		plot.setLineWidth(2);
		plot.add("line", x, y);
		plot.setColor(Color.darkGray);
		plot.addLabel(0.02, 0.08, String.format("black: all images, avg recall %.3f; blue: bootstrap mean ± std (%.3f ± %.3f, n=%d); object Dice %.3f",
				s.avgRecall(), b.mean(), b.std(), b.n(), s.objectDice()));
		return plot;
	}
}
