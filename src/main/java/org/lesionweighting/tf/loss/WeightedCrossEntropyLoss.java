package org.lesionweighting.tf.loss;

import java.util.Objects;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Adaptive weighted cross-entropy (doc/method.md §2.5, adaptive; authors' {@code wce}): the positive class weight
 * α·(M − Σσ(x))/Σσ(x) comes from the predicted probabilities of the whole batch with the gradient flowing
 * through it, or, optionally, from the targets ({@link WcePosWeightSource#TARGETS}). See
 * {@link WeightedLosses#weightedCrossEntropy}. Immutable and thread-safe.
 */
public final class WeightedCrossEntropyLoss implements WeightedLoss {

	private final double posWeightScale;

	private final WcePosWeightSource source;

	/**
	 * @param posWeightScale α, finite and &gt; 0
	 * @param source where the positive weight comes from
	 * @throws IllegalArgumentException for a bad α, showing the value
	 */
	public WeightedCrossEntropyLoss(final double posWeightScale, final WcePosWeightSource source) {
		this.posWeightScale = LossParameters.requirePosWeightScale(posWeightScale);
		this.source = Objects.requireNonNull(source, "weighted cross-entropy: source must not be null");
	}

	/** Where the positive weight comes from. */
	public WcePosWeightSource source() {
		return source;
	}

	@Override
	public LossKind kind() {
		return LossKind.WCE;
	}

	@Override
	public < T extends TFloating > Operand< T > call(final Ops tf, final Operand< T > logits, final Operand< T > targets, final Operand< T > weights) {
		return WeightedLosses.weightedCrossEntropy(tf, logits, targets, weights, posWeightScale, source);
	}

	@Override
	public String toString() {
		return "WeightedCrossEntropyLoss[posWeightScale=" + posWeightScale + ", source=" + source.key() + "]";
	}
}
