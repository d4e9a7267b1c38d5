package org.lesionweighting.tf.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lesionweighting.tf.loss.LossCases.Case;
import org.lesionweighting.tf.loss.LossCases.Data;
import org.lesionweighting.tf.loss.LossCases.Evaluation;
import org.lesionweighting.tf.loss.LossCases.LossGraph;

/**
 * Every loss against the independent double-precision formulas of {@link ReferenceLosses} (doc/method.md §2),
 * weighting invariants (doc/method.md appendix B.11), finite-difference gradients in float64, and the 0/0 rule.
 */
class WeightedLossesTest {

	@org.junit.jupiter.api.AfterAll
	static void closeGraphs() {
		LossCases.closeAll();
	}

	static Stream< Case > cases() {
		return LossCases.all().stream();
	}

	/** float32 evaluation against a double reference: relative 2e-5 plus a tiny absolute slack. */
	private static void assertClose(final double expected, final double actual, final String what) {
		assertEquals(expected, actual, 1e-6 + 2e-5 * Math.abs(expected), what);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void unweightedLossEqualsTheMethodFormula(final Case c) {
		final LossGraph g = LossCases.float32(c, false);
		for (int batch = 1; batch <= 3; batch++) {
			final Data d = new Data(11 + batch, batch);
			assertClose(c.reference().eval(d.x, d.t, null, batch), LossCases.value(g, d), c + ", batch " + batch);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void weightedLossEqualsTheMethodFormula(final Case c) {
		final LossGraph g = LossCases.float32(c, true);
		for (int batch = 1; batch <= 3; batch++) {
			final Data d = new Data(23 + batch, batch);
			assertClose(c.reference().eval(d.x, d.t, d.w, batch), LossCases.value(g, d), c + ", batch " + batch);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void allBackgroundAndAllLesionBatchesEqualTheMethodFormula(final Case c) {
		final LossGraph g = LossCases.float32(c, true);
		final Data d = new Data(5, 2);
		Arrays.fill(d.t, 0);
		assertClose(c.reference().eval(d.x, d.t, d.w, 2), LossCases.value(g, d), c + ", all background");
		Arrays.fill(d.t, 1);
		assertClose(c.reference().eval(d.x, d.t, d.w, 2), LossCases.value(g, d), c + ", all lesion");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void unitWeightsEqualTheUnweightedLoss(final Case c) {
		final LossGraph weighted = LossCases.float32(c, true), unweighted = LossCases.float32(c, false);
		final Data d = new Data(7, 3);
		Arrays.fill(d.w, 1);
		assertClose(LossCases.value(unweighted, d), LossCases.value(weighted, d), c.toString());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void scalingTheWeightsScalesMeanLossesAndLeavesRatioLossesUnchanged(final Case c) {
		final LossGraph g = LossCases.float32(c, true);
		final Data d = new Data(9, 3);
		final double base = LossCases.value(g, d);
		for (int i = 0; i < d.w.length; i++)
			d.w[i] *= 7;
		assertClose(c.scalesWithWeights() ? 7 * base : base, LossCases.value(g, d), c.toString());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void gradientMatchesFiniteDifferencesInFloat64(final Case c) {
		for (final boolean weighted : new boolean[] { false, true }) {
			final Data d = new Data(31, 2);
			final double[] w = weighted ? d.w : null;
			final LossGraph g = LossCases.float64(c, weighted);
			final Evaluation at = g.run(d.shape, d.x, d.t, w);
			final double[] analytic = at.gradient();
			final double h = 1e-6;
			double maxAbs = 0;
			for (final double a : analytic)
				maxAbs = Math.max(maxAbs, Math.abs(a));
			assertTrue(maxAbs > 0, c + ": the gradient must not vanish");
			for (int i = 0; i < d.x.length; i++) {
				final double[] x = d.x.clone();
				x[i] = d.x[i] + h;
				final double plus = g.loss(d.shape, x, d.t, w);
				x[i] = d.x[i] - h;
				final double minus = g.loss(d.shape, x, d.t, w);
				final double numeric = (plus - minus) / (2 * h);
				assertEquals(numeric, analytic[i], 1e-7 * Math.max(1, Math.abs(at.loss())) + 1e-5 * Math.abs(numeric) + 1e-6 * maxAbs,
						c + (weighted ? " weighted" : "") + ", d/dx[" + i + "]");
			}
			// the graph agrees with the reference in float64 too
			final double expected = c.reference().eval(d.x, d.t, w, 2);
			assertEquals(expected, at.loss(), 1e-11 * Math.max(1, Math.abs(expected)), c + " float64 value");
		}
	}

	private static final long[] SATURATED_SHAPE = { 2, 3, 4, 5, 1 };

	/** Logits that saturate float32 (σ(−200) = 0, σ(200) = 1) with constant targets and weights. */
	private static Evaluation saturated(final LossGraph g, final double logit, final double target, final double weight) {
		final double[] x = new double[120], t = new double[120], w = new double[120];
		Arrays.fill(x, logit);
		Arrays.fill(t, target);
		Arrays.fill(w, weight);
		return g.run(SATURATED_SHAPE, x, t, w);
	}

	private static void assertFinite(final Evaluation e, final String what) {
		assertTrue(Double.isFinite(e.loss()), what + ": loss " + e.loss());
		for (final double g : e.gradient())
			assertTrue(Double.isFinite(g), what + ": gradient " + Arrays.toString(e.gradient()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void saturatedLogitsGiveFiniteLossesAndGradients(final Case c) {
		final LossGraph g = LossCases.float32(c, true);
		for (final double logit : new double[] { -200, -60, 60, 200 }) {
			for (final double target : new double[] { 0, 1 }) {
				for (final double weight : new double[] { 1, 1e5, 0 }) {
					assertFinite(saturated(g, logit, target, weight), c + " logit " + logit + " target " + target + " weight " + weight);
				}
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void emptyPredictionOfEmptyTargetIsPerfectForRatioLosses(final Case c) {
		if (c.scalesWithWeights()) return; // mean losses have no ratio
		final LossGraph g = LossCases.float32(c, true);
		// σ(−200) underflows to 0 in float32 and t ≡ 0: the formula of doc/method.md is 0/0; our rule makes the ratio 1
		final Evaluation e = saturated(g, -200, 0, 1);
		assertEquals(0, e.loss(), 0, c.toString());
		for (final double d : e.gradient())
			assertEquals(0, d, 0, c + " gradient");
		// a zero weight map makes every denominator 0 as well
		assertEquals(0, saturated(g, 0.3, 1, 0).loss(), 0, c + " with w = 0");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void frameworkLossAdapterEqualsCall(final Case c) {
		final WeightedLoss viaFramework = new WeightedLoss() {

			@Override
			public LossKind kind() {
				return c.loss().kind();
			}

			@Override
			public < T extends org.tensorflow.types.family.TFloating > org.tensorflow.Operand< T > call(final org.tensorflow.op.Ops tf,
					final org.tensorflow.Operand< T > logits, final org.tensorflow.Operand< T > targets, final org.tensorflow.Operand< T > weights) {
				return c.loss().asFrameworkLoss().call(tf, targets, logits, weights);
			}
		};
		final Data d = new Data(3, 2);
		try (LossGraph adapted = new LossGraph(viaFramework, LossCases.SPATIAL, true, false)) {
			final LossGraph direct = LossCases.float32(c, true);
			assertEquals(LossCases.value(direct, d), LossCases.value(adapted, d), 0, c.toString());
		}
	}

	@org.junit.jupiter.api.Test
	void wceGradientFlowsThroughThePredictedPositiveWeight() {
		// the targets variant has a constant pos_weight; the predictions variant differentiates through Σσ(x)
		final Data d = new Data(41, 2);
		final WeightedLoss predicted = Losses.create(LossKind.WCE);
		final double[] t = d.t;
		final double s = Arrays.stream(d.x).map(ReferenceLosses::sigmoid).sum();
		final double[] frozen = new double[d.x.length];
		try (LossGraph g = new LossGraph(predicted, LossCases.SPATIAL, false, true)) {
			final double[] grad = g.run(d.shape, d.x, t, null).gradient();
			// gradient with pos_weight treated as a constant, computed by hand
			final double m = d.x.length;
			final double pw = (m - s) / s;
			for (int i = 0; i < d.x.length; i++) {
				final double p = ReferenceLosses.sigmoid(d.x[i]);
				frozen[i] = (-pw * t[i] * (1 - p) + (1 - t[i]) * p) / m;
			}
			double diff = 0;
			for (int i = 0; i < grad.length; i++)
				diff = Math.max(diff, Math.abs(grad[i] - frozen[i]));
			assertTrue(diff > 1e-4, "the gradient through pos_weight must be present, max difference " + diff);
		}
	}

	@org.junit.jupiter.api.Test
	void wrongShapesAreRejectedWithTheShapes() {
		try (org.tensorflow.Graph g = new org.tensorflow.Graph()) {
			final org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(g);
			final var x = tf.zeros(tf.constant(new int[] { 1, 2, 2, 2, 1 }), org.tensorflow.types.TFloat32.class);
			final var t = tf.zeros(tf.constant(new int[] { 1, 2, 2, 3, 1 }), org.tensorflow.types.TFloat32.class);
			final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightedLosses.dice(tf, x, t, null));
			assertTrue(e.getMessage().contains("targets") && e.getMessage().contains("3"), e.getMessage());
			final var unknownRank = tf.placeholder(org.tensorflow.types.TFloat32.class);
			final IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
					() -> WeightedLosses.focal(tf, unknownRank, unknownRank, null, 2, 0.75));
			assertTrue(e2.getMessage().contains("rank"), e2.getMessage());
		}
	}
}
