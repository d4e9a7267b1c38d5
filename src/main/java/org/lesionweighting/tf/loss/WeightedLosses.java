package org.lesionweighting.tf.loss;

import java.util.Objects;
import java.util.stream.IntStream;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The loss formulas of doc/method.md §2 as TensorFlow graph functions, exactly as the authors implemented them,
 * each with an optional voxel weight map (the paper's inverse weighting, "iw").
 *
 * <p>Common contract of every function:
 * <ul>
 * <li>{@code logits} x: shape [batch, z, y, x, 1] (NDHWC; any static rank &ge; 2 is accepted, the batch is axis 0
 * and every other axis is "spatial"), a floating type {@code T} (float32 for training, float64 for gradient
 * checks). p = σ(x).</li>
 * <li>{@code targets} t: same shape and type, values in {0, 1}.</li>
 * <li>{@code weights} w: same shape and type, a constant map (wrapped in {@code stopGradient}, so no gradient
 * flows into it), or {@code null} for w ≡ 1. A weighted loss with w ≡ 1 equals the unweighted one.</li>
 * <li>The result is a scalar of type {@code T}. The ops are built with the caller's {@code Ops} (so under its
 * name scope and device); the functions only build graph nodes and are as thread-safe as the graph.</li>
 * <li>Two reductions (doc/method.md appendix B.11): Dice, ASL and GDL form one ratio per sample (sums over axes 1..rank-1) and
 * average the ratios over the batch; focal, BCE and WCE average w·L over all elements ("mean_all"). Scaling w
 * by a constant therefore leaves Dice/ASL/GDL unchanged and scales focal/BCE linearly.</li>
 * <li><b>0/0 rule.</b> None of the ratio losses has a smoothing ε (doc/method.md appendix B.7). When a per-sample denominator
 * is exactly 0 (only possible when t ≡ 0 and every p·w underflows to 0 in float32, or w ≡ 0), the ratio is
 * defined as 1, i.e. the loss of that sample is 0 (an empty prediction of an empty target is perfect), and its
 * gradient is 0. This is computed without {@code Where}/{@code Select}: ratio = divNoNan(num, den) + (1 −
 * sign(den)), every op of which has a registered gradient, so neither the loss nor its gradient can be NaN or
 * infinite there.</li>
 * </ul>
 * All ops used (Sigmoid, Softplus, Mul, Add, Sub, Square, Sum, Mean, DivNoNan, Sign, Maximum, Pow, Size, Cast,
 * StopGradient) have gradients in TensorFlow Java 1.1.0 (ECOSYSTEM.md §2).
 */
public final class WeightedLosses {

	/**
	 * The floor of Σσ(x) in the denominator of WCE's adaptive positive weight (predictions variant). Σσ(x) = 0
	 * (every probability of the batch underflowed) would make the weight infinite; below this floor the weight is
	 * α·(M − Σσ)/floor and no gradient flows through the sum. Reached only when the mean probability is below
	 * 1e-6/M, e.g. 4e-12 for a 2×64³ batch.
	 */
	public static final double WCE_MIN_PROBABILITY_SUM = 1e-6;

	/**
	 * The floor of the focal modulating factor m before a non-integer power m^γ, so that the gradient γ·m^(γ−1)
	 * stays finite when m underflows to 0 (integer γ up to 4 is computed by multiplication and needs no floor).
	 */
	public static final double FOCAL_MIN_MODULATOR = 1e-30;

	private WeightedLosses() {}

	/**
	 * Dice loss (doc/method.md §2.1, authors' {@code dl}/{@code iwdl}): D_b = 2 Σ_b(w·p·t) / Σ_b(w·(p² + t²)),
	 * loss = mean_b(1 − D_b). Squared denominator, no ε, the 0/0 rule of the class comment.
	 *
	 * @param tf the ops factory of the graph
	 * @param logits x, [batch, z, y, x, 1]
	 * @param targets t in {0, 1}, same shape
	 * @param weights w (no gradient), same shape, or {@code null} for w ≡ 1
	 * @return the scalar loss, in [0, 1]
	 * @throws IllegalArgumentException if the rank is unknown or &lt; 2, or static shapes differ
	 */
	public static < T extends TFloating > Operand< T > dice(final Ops tf, final Operand< T > logits, final Operand< T > targets, final Operand< T > weights) {
		final Ops s = tf.withSubScope("dice_loss");
		final Inputs< T > in = Inputs.of(s, "dice loss", logits, targets, weights);
		final Operand< T > p = s.math.sigmoid(in.logits());
		final Operand< T > num = s.math.mul(in.constant(2), in.sampleSum(in.weighted(s.math.mul(p, in.targets()))));
		final Operand< T > den = in.sampleSum(in.weighted(s.math.add(s.math.square(p), s.math.square(in.targets()))));
		return oneMinusBatchMean(in, safeRatio(in, num, den));
	}

	/**
	 * Asymmetric similarity loss (doc/method.md §2.2, authors' {@code asl}/{@code iwasl}).
	 * <ul>
	 * <li>{@link AslVariant#AUTHORS} (what the configs use): F_b = (1+β²) Σ_b(w·p·t) / Σ_b(w·(β²t² + p²));</li>
	 * <li>{@link AslVariant#HASHEMI} (textbook F-β, unused by the authors): F_b = (1+β²) Σ_b(w·p·t) /
	 * (β² Σ_b(w·t) + Σ_b(w·p)).</li>
	 * </ul>
	 * loss = mean_b(1 − F_b); no ε; the 0/0 rule of the class comment.
	 *
	 * @param beta β &gt; 0 ({@link LossParameters#BETA_DEFAULT} = 1.5)
	 * @param variant the formula
	 * @throws IllegalArgumentException for β &le; 0 or not finite (message shows the value), bad shapes
	 */
	public static < T extends TFloating > Operand< T > asymmetricSimilarity(final Ops tf, final Operand< T > logits, final Operand< T > targets,
			final Operand< T > weights, final double beta, final AslVariant variant) {
		LossParameters.requireBeta(beta);
		Objects.requireNonNull(variant, "asl variant must not be null");
		final Ops s = tf.withSubScope("asymmetric_similarity_loss");
		final Inputs< T > in = Inputs.of(s, "asymmetric similarity loss", logits, targets, weights);
		final double b2 = beta * beta;
		final Operand< T > p = s.math.sigmoid(in.logits());
		final Operand< T > num = s.math.mul(in.constant(1 + b2), in.sampleSum(in.weighted(s.math.mul(p, in.targets()))));
		final Operand< T > den = variant == AslVariant.AUTHORS
				? in.sampleSum(in.weighted(s.math.add(s.math.mul(in.constant(b2), s.math.square(in.targets())), s.math.square(p))))
				: s.math.add(s.math.mul(in.constant(b2), in.sampleSum(in.weighted(in.targets()))), in.sampleSum(in.weighted(p)));
		return oneMinusBatchMean(in, safeRatio(in, num, den));
	}

	/**
	 * Generalized Dice loss over two classes, lesion and background (doc/method.md §2.3, authors' {@code gdl}): with
	 * P = [p, 1−p], T = [t, 1−t], S_bc = Σ_b T_bc and W_bc = 1/(1 + S_bc²),
	 * GD_b = 2 Σ_c W_bc Σ_b(w·P_bc·T_bc) / Σ_c W_bc Σ_b(w·(P_bc² + T_bc²)), loss = mean_b(1 − GD_b).
	 *
	 * <p>The paper has no weighted GDL. <b>Our extension:</b> a weight map multiplies inside the overlap and
	 * denominator sums, as in Dice, while the class volumes S_bc stay unweighted voxel counts; w ≡ 1 gives the
	 * paper's formula and a constant factor on w cancels. The denominator is 0 only when w ≡ 0 (then the 0/0 rule
	 * applies).
	 *
	 * @param weights w or {@code null} (the paper's formula)
	 */
	public static < T extends TFloating > Operand< T > generalizedDice(final Ops tf, final Operand< T > logits, final Operand< T > targets,
			final Operand< T > weights) {
		final Ops s = tf.withSubScope("generalized_dice_loss");
		final Inputs< T > in = Inputs.of(s, "generalized dice loss", logits, targets, weights);
		final Operand< T > one = in.constant(1);
		final Operand< T > pFg = s.math.sigmoid(in.logits());
		final Operand< T > pBg = s.math.sub(one, pFg);
		final Operand< T > tFg = in.targets();
		final Operand< T > tBg = s.math.sub(one, tFg);
		final Operand< T > wFg = s.math.reciprocal(s.math.add(one, s.math.square(in.sampleSum(tFg))));
		final Operand< T > wBg = s.math.reciprocal(s.math.add(one, s.math.square(in.sampleSum(tBg))));
		final Operand< T > interFg = in.sampleSum(in.weighted(s.math.mul(pFg, tFg)));
		final Operand< T > interBg = in.sampleSum(in.weighted(s.math.mul(pBg, tBg)));
		final Operand< T > denFg = in.sampleSum(in.weighted(s.math.add(s.math.square(pFg), s.math.square(tFg))));
		final Operand< T > denBg = in.sampleSum(in.weighted(s.math.add(s.math.square(pBg), s.math.square(tBg))));
		final Operand< T > num = s.math.mul(in.constant(2), s.math.add(s.math.mul(wFg, interFg), s.math.mul(wBg, interBg)));
		final Operand< T > den = s.math.add(s.math.mul(wFg, denFg), s.math.mul(wBg, denBg));
		return oneMinusBatchMean(in, safeRatio(in, num, den));
	}

	/**
	 * Focal loss (doc/method.md §2.4, authors' {@code fl}/{@code iwfl}): L_i = a_i · m_i^γ · BCE(x_i, t_i) · w_i with
	 * a = (2α−1)t + 1 − α, m = (1−2p)t + p and BCE(x, t) = softplus(x) − x·t (the stable form of
	 * x − x·t + log(1 + e^−x)); loss = mean over all elements. For non-integer γ, m is floored at
	 * {@link #FOCAL_MIN_MODULATOR} before the power.
	 *
	 * @param gamma γ &ge; 0 ({@link LossParameters#GAMMA_DEFAULT} = 2)
	 * @param alpha α in [0, 1] ({@link LossParameters#ALPHA_DEFAULT} = 0.75)
	 * @throws IllegalArgumentException for parameters out of range (message shows the value), bad shapes
	 */
	public static < T extends TFloating > Operand< T > focal(final Ops tf, final Operand< T > logits, final Operand< T > targets,
			final Operand< T > weights, final double gamma, final double alpha) {
		LossParameters.requireGamma(gamma);
		LossParameters.requireAlpha(alpha);
		final Ops s = tf.withSubScope("focal_loss");
		final Inputs< T > in = Inputs.of(s, "focal loss", logits, targets, weights);
		final Operand< T > t = in.targets();
		final Operand< T > a = s.math.add(s.math.mul(in.constant(2 * alpha - 1), t), in.constant(1 - alpha));
		final Operand< T > balanced = s.math.mul(a, stableBce(s, in.logits(), t));
		if (gamma == 0) return in.meanAll(in.weighted(balanced));
		final Operand< T > p = s.math.sigmoid(in.logits());
		final Operand< T > m = s.math.add(s.math.mul(s.math.sub(in.constant(1), s.math.mul(in.constant(2), p)), t), p);
		return in.meanAll(in.weighted(s.math.mul(power(in, m, gamma), balanced)));
	}

	/**
	 * Binary cross-entropy (doc/method.md §2.5 with α = 1 and adaptive = false, authors' {@code bce}/{@code iwbce}):
	 * L_i = (softplus(x_i) − x_i·t_i) · w_i, loss = mean over all elements.
	 */
	public static < T extends TFloating > Operand< T > binaryCrossEntropy(final Ops tf, final Operand< T > logits, final Operand< T > targets,
			final Operand< T > weights) {
		final Ops s = tf.withSubScope("binary_cross_entropy");
		final Inputs< T > in = Inputs.of(s, "binary cross-entropy", logits, targets, weights);
		return in.meanAll(in.weighted(stableBce(s, in.logits(), in.targets())));
	}

	/**
	 * Adaptive weighted cross-entropy (doc/method.md §2.5 with adaptive = true, authors' {@code wce}):
	 * L_i = (pos_weight · t_i · softplus(−x_i) + (1 − t_i) · softplus(x_i)) · w_i, loss = mean over all elements,
	 * the stable form of −pos_weight·t·log σ(x) − (1−t)·log(1−σ(x)). With M = the number of elements of the whole
	 * batch:
	 * <ul>
	 * <li>{@link WcePosWeightSource#PREDICTIONS} (authors): pos_weight = α·(M − Σσ(x)) / max(Σσ(x),
	 * {@link #WCE_MIN_PROBABILITY_SUM}), not detached: the gradient flows through it (doc/method.md appendix B.9);</li>
	 * <li>{@link WcePosWeightSource#TARGETS}: pos_weight = α·(M − Σt) / Σt, a constant; 0 when Σt = 0 (it then
	 * multiplies t ≡ 0 and does not matter).</li>
	 * </ul>
	 *
	 * @param posWeightScale α &gt; 0 ({@link LossParameters#POS_WEIGHT_SCALE_DEFAULT} = 1)
	 * @param source where pos_weight comes from
	 * @throws IllegalArgumentException for α &le; 0 or not finite (message shows the value), bad shapes
	 */
	public static < T extends TFloating > Operand< T > weightedCrossEntropy(final Ops tf, final Operand< T > logits, final Operand< T > targets,
			final Operand< T > weights, final double posWeightScale, final WcePosWeightSource source) {
		LossParameters.requirePosWeightScale(posWeightScale);
		Objects.requireNonNull(source, "wce pos_weight source must not be null");
		final Ops s = tf.withSubScope("weighted_cross_entropy");
		final Inputs< T > in = Inputs.of(s, "weighted cross-entropy", logits, targets, weights);
		final Operand< T > t = in.targets();
		final Operand< T > count = s.dtypes.cast(s.size(in.logits()), in.type());
		final Operand< T > posWeight;
		if (source == WcePosWeightSource.PREDICTIONS) {
			final Operand< T > sum = in.sumAll(s.math.sigmoid(in.logits()));
			posWeight = s.math.mul(in.constant(posWeightScale), s.math.div(s.math.sub(count, sum), s.math.maximum(sum, in.constant(WCE_MIN_PROBABILITY_SUM))));
		}
		else {
			final Operand< T > sum = in.sumAll(t);
			posWeight = s.math.mul(in.constant(posWeightScale), s.math.divNoNan(s.math.sub(count, sum), sum));
		}
		final Operand< T > positive = s.math.mul(s.math.mul(posWeight, t), s.math.softplus(s.math.neg(in.logits())));
		final Operand< T > negative = s.math.mul(s.math.sub(in.constant(1), t), s.math.softplus(in.logits()));
		return in.meanAll(in.weighted(s.math.add(positive, negative)));
	}

	/** softplus(x) − x·t = x − x·t + log(1 + e^−x), stable for any x. */
	private static < T extends TFloating > Operand< T > stableBce(final Ops s, final Operand< T > x, final Operand< T > t) {
		return s.math.sub(s.math.softplus(x), s.math.mul(x, t));
	}

	/** m^γ for γ &gt; 0: by multiplication for integer γ &le; 4 (exact, finite gradients at m = 0), else floored pow. */
	private static < T extends TFloating > Operand< T > power(final Inputs< T > in, final Operand< T > m, final double gamma) {
		final Ops s = in.tf();
		if (gamma == Math.rint(gamma) && gamma <= 4) {
			Operand< T > r = m;
			for (int i = 1; i < (int) gamma; i++)
				r = s.math.mul(r, m);
			return r;
		}
		return s.math.pow(s.math.maximum(m, in.constant(FOCAL_MIN_MODULATOR)), in.constant(gamma));
	}

	/** divNoNan(num, den) + (1 − sign(den)): num/den, and 1 where den = 0 (den &ge; 0). */
	private static < T extends TFloating > Operand< T > safeRatio(final Inputs< T > in, final Operand< T > num, final Operand< T > den) {
		final Ops s = in.tf();
		return s.math.add(s.math.divNoNan(num, den), s.math.sub(in.constant(1), s.math.sign(den)));
	}

	private static < T extends TFloating > Operand< T > oneMinusBatchMean(final Inputs< T > in, final Operand< T > perSample) {
		final Ops s = in.tf();
		return s.math.sub(in.constant(1), s.math.mean(perSample, s.constant(0)));
	}

	/** Validated inputs with the helpers every formula needs. */
	private record Inputs< T extends TFloating >(Ops tf, Class< T > type, Operand< T > logits, Operand< T > targets, Operand< T > weights, int rank) {

		static < T extends TFloating > Inputs< T > of(final Ops tf, final String operation, final Operand< T > logits, final Operand< T > targets,
				final Operand< T > weights) {
			Objects.requireNonNull(tf, operation + ": tf must not be null");
			Objects.requireNonNull(logits, operation + ": logits must not be null");
			Objects.requireNonNull(targets, operation + ": targets must not be null");
			final Shape shape = logits.shape();
			if (shape.isUnknown() || shape.numDimensions() < 2)
				throw new IllegalArgumentException(operation + ": logits must have a known rank >= 2 ([batch, z, y, x, 1]), but the shape was " + shape
						+ "; give the placeholder a shape such as Shape.of(-1, z, y, x, 1).");
			requireCompatible(operation, "targets", shape, targets.shape());
			if (weights != null) requireCompatible(operation, "weights", shape, weights.shape());
			return new Inputs<>(tf, logits.type(), logits, targets, weights == null ? null : tf.stopGradient(weights), shape.numDimensions());
		}

		private static void requireCompatible(final String operation, final String name, final Shape logits, final Shape other) {
			if (!other.isUnknown() && !(other.numDimensions() == logits.numDimensions() && logits.isCompatibleWith(other)))
				throw new IllegalArgumentException(operation + ": " + name + " must have the shape of the logits " + logits + ", but had " + other + ".");
		}

		Operand< T > constant(final double value) {
			return tf.dtypes.cast(tf.constant(value), type);
		}

		Operand< T > weighted(final Operand< T > x) {
			return weights == null ? x : tf.math.mul(x, weights);
		}

		/** Sum over axes 1..rank-1: one value per sample, shape [batch]. */
		Operand< T > sampleSum(final Operand< T > x) {
			return tf.reduceSum(x, tf.constant(IntStream.range(1, rank).toArray()));
		}

		Operand< T > sumAll(final Operand< T > x) {
			return tf.reduceSum(x, tf.constant(allAxes()));
		}

		Operand< T > meanAll(final Operand< T > x) {
			return tf.math.mean(x, tf.constant(allAxes()));
		}

		private int[] allAxes() {
			return IntStream.range(0, rank).toArray();
		}
	}
}
