package org.lesionweighting.tf.loss;

import org.tensorflow.Operand;
import org.tensorflow.framework.losses.Loss;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TNumber;

/**
 * A segmentation loss on logits, configured once and applied to any graph: like TensorFlow Java's framework
 * losses, the object holds only configuration and the {@link Ops} are passed at call time. Create one with
 * {@link Losses#create(LossKind, LossParameters)}. Implementations are immutable and thread-safe.
 */
public interface WeightedLoss {

	/** Which loss this is. */
	LossKind kind();

	/**
	 * Builds the scalar loss (doc/method.md §2; details in {@link WeightedLosses}).
	 *
	 * @param tf the ops factory of the graph
	 * @param logits x, shape [batch, z, y, x, 1] (NDHWC), float32 (or float64)
	 * @param targets t in {0, 1}, same shape and type
	 * @param weights the voxel weight map w (constant, no gradient flows into it), same shape and type, or
	 *        {@code null} for the unweighted loss (w ≡ 1)
	 * @return a scalar operand of the logits' type
	 * @throws IllegalArgumentException if the logits' rank is unknown or &lt; 2, or static shapes differ
	 */
	< T extends TFloating > Operand< T > call(Ops tf, Operand< T > logits, Operand< T > targets, Operand< T > weights);

	/**
	 * This loss seen through the framework's {@link Loss} interface, for code written against it:
	 * {@code call(tf, labels, predictions, sampleWeights)} maps to {@code call(tf, predictions, cast(labels),
	 * sampleWeights)}, i.e. the framework's "predictions" are the <b>logits</b> and the sample weights are the
	 * voxel weight map (same shape as the logits, or {@code null}).
	 */
	default Loss asFrameworkLoss() {
		return new Loss() {

			@Override
			@SuppressWarnings({ "unchecked", "rawtypes" })
			public < T extends TNumber > Operand< T > call(final Ops tf, final Operand< ? extends TNumber > labels, final Operand< T > predictions,
					final Operand< T > sampleWeights) {
				if (!TFloating.class.isAssignableFrom(predictions.type()))
					throw new IllegalArgumentException(WeightedLoss.this.kind().key() + " loss: the logits must be a floating type, but were "
							+ predictions.type().getSimpleName() + ".");
				final Operand targets = tf.dtypes.cast(labels, predictions.type());
				return (Operand< T >) WeightedLoss.this.call(tf, (Operand) predictions, targets, (Operand) sampleWeights);
			}
		};
	}
}
