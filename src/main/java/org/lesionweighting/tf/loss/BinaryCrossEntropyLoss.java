package org.lesionweighting.tf.loss;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Binary cross-entropy on logits, stable form, mean over all elements of w·BCE (doc/method.md §2.5 with α = 1;
 * authors' {@code bce}, with weights {@code iwbce}). See {@link WeightedLosses#binaryCrossEntropy}. Immutable
 * and thread-safe.
 */
public final class BinaryCrossEntropyLoss implements WeightedLoss {

	@Override
	public LossKind kind() {
		return LossKind.BCE;
	}

	@Override
	public < T extends TFloating > Operand< T > call(final Ops tf, final Operand< T > logits, final Operand< T > targets, final Operand< T > weights) {
		return WeightedLosses.binaryCrossEntropy(tf, logits, targets, weights);
	}

	@Override
	public String toString() {
		return "BinaryCrossEntropyLoss";
	}
}
