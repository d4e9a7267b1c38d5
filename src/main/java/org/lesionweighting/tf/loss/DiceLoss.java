package org.lesionweighting.tf.loss;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Dice loss with squared denominator, per-sample ratio then batch mean, optional voxel weights in numerator and
 * denominator (doc/method.md §2.1; authors' {@code dl}, with weights {@code iwdl}). See
 * {@link WeightedLosses#dice}. Immutable and thread-safe.
 */
public final class DiceLoss implements WeightedLoss {

	@Override
	public LossKind kind() {
		return LossKind.DICE;
	}

	@Override
	public < T extends TFloating > Operand< T > call(final Ops tf, final Operand< T > logits, final Operand< T > targets, final Operand< T > weights) {
		return WeightedLosses.dice(tf, logits, targets, weights);
	}

	@Override
	public String toString() {
		return "DiceLoss";
	}
}
