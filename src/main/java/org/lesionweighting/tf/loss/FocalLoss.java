package org.lesionweighting.tf.loss;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Focal loss on logits, stable log-sigmoid form, weight map applied after the focal term, mean over all
 * elements (doc/method.md §2.4; authors' {@code fl}, with weights {@code iwfl}; γ = 2, α = 0.75). See
 * {@link WeightedLosses#focal}. Immutable and thread-safe.
 */
public final class FocalLoss implements WeightedLoss {

	private final double gamma;

	private final double alpha;

	/**
	 * @param gamma γ, finite and &ge; 0
	 * @param alpha α in [0, 1], the weight of the lesion class
	 * @throws IllegalArgumentException for values out of range, showing the value
	 */
	public FocalLoss(final double gamma, final double alpha) {
		this.gamma = LossParameters.requireGamma(gamma);
		this.alpha = LossParameters.requireAlpha(alpha);
	}

	public double gamma() {
		return gamma;
	}

	public double alpha() {
		return alpha;
	}

	@Override
	public LossKind kind() {
		return LossKind.FOCAL;
	}

	@Override
	public < T extends TFloating > Operand< T > call(final Ops tf, final Operand< T > logits, final Operand< T > targets, final Operand< T > weights) {
		return WeightedLosses.focal(tf, logits, targets, weights, gamma, alpha);
	}

	@Override
	public String toString() {
		return "FocalLoss[gamma=" + gamma + ", alpha=" + alpha + "]";
	}
}
