package org.lesionweighting.tf.loss;

import java.util.Objects;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Asymmetric similarity loss (doc/method.md §2.2; authors' {@code asl}, with weights {@code iwasl}): by default the
 * authors' squared-denominator form with β = 1.5, optionally the textbook Hashemi F-β
 * ({@link AslVariant#HASHEMI}). See {@link WeightedLosses#asymmetricSimilarity}. Immutable and thread-safe.
 */
public final class AsymmetricSimilarityLoss implements WeightedLoss {

	private final double beta;

	private final AslVariant variant;

	/**
	 * @param beta β, finite and &gt; 0
	 * @param variant the formula
	 * @throws IllegalArgumentException for a bad β, showing the value
	 */
	public AsymmetricSimilarityLoss(final double beta, final AslVariant variant) {
		this.beta = LossParameters.requireBeta(beta);
		this.variant = Objects.requireNonNull(variant, "asymmetric similarity loss: variant must not be null");
	}

	public double beta() {
		return beta;
	}

	public AslVariant variant() {
		return variant;
	}

	@Override
	public LossKind kind() {
		return LossKind.ASL;
	}

	@Override
	public < T extends TFloating > Operand< T > call(final Ops tf, final Operand< T > logits, final Operand< T > targets, final Operand< T > weights) {
		return WeightedLosses.asymmetricSimilarity(tf, logits, targets, weights, beta, variant);
	}

	@Override
	public String toString() {
		return "AsymmetricSimilarityLoss[beta=" + beta + ", variant=" + variant.key() + "]";
	}
}
