package org.lesionweighting.tf.loss;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Generalized Dice loss over the lesion and background classes with class weights 1/(1 + S²)
 * (doc/method.md §2.3; authors' {@code gdl}). A weight map, which the paper never uses with GDL, multiplies inside
 * the sums as in Dice (our extension). See {@link WeightedLosses#generalizedDice}. Immutable and thread-safe.
 */
public final class GeneralizedDiceLoss implements WeightedLoss {

	@Override
	public LossKind kind() {
		return LossKind.GDL;
	}

	@Override
	public < T extends TFloating > Operand< T > call(final Ops tf, final Operand< T > logits, final Operand< T > targets, final Operand< T > weights) {
		return WeightedLosses.generalizedDice(tf, logits, targets, weights);
	}

	@Override
	public String toString() {
		return "GeneralizedDiceLoss";
	}
}
