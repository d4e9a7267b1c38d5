package org.lesionweighting.tf.loss;

import java.util.Objects;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Creates the loss objects of doc/method.md §2 by kind (or by key, as given on the command line). Whether a loss is
 * weighted is decided at call time by passing a weight map or {@code null}, not here.
 */
public final class Losses {

	private Losses() {}

	/**
	 * The loss of the given kind with the parameters it uses (β and ASL variant for ASL, γ and α for focal,
	 * pos_weight scale and source for WCE; Dice, BCE and GDL have none).
	 *
	 * @param kind the loss
	 * @param parameters the hyper-parameters, or {@code null} for {@link LossParameters#defaults()}
	 * @return an immutable, thread-safe loss object
	 */
	public static WeightedLoss create(final LossKind kind, final LossParameters parameters) {
		Objects.requireNonNull(kind, "loss: kind must not be null; use one of " + String.join(", ", LossKind.keys()) + ".");
		return new Configured(kind, parameters == null ? LossParameters.defaults() : parameters);
	}

	/** The loss of the given kind with the paper's parameters. */
	public static WeightedLoss create(final LossKind kind) {
		return create(kind, LossParameters.defaults());
	}

	/**
	 * A loss of one kind with its parameters: {@link WeightedLosses#dice}, {@link WeightedLosses#asymmetricSimilarity}
	 * (β and variant), {@link WeightedLosses#focal} (γ and α), {@link WeightedLosses#binaryCrossEntropy},
	 * {@link WeightedLosses#weightedCrossEntropy} (pos_weight scale and source) or {@link WeightedLosses#generalizedDice}.
	 * The parameters were validated by {@link LossParameters}.
	 */
	record Configured(LossKind kind, LossParameters parameters) implements WeightedLoss {

		@Override
		public < T extends TFloating > Operand< T > call(final Ops tf, final Operand< T > logits, final Operand< T > targets, final Operand< T > weights) {
			final LossParameters p = parameters;
			return switch (kind) {
				case DICE -> WeightedLosses.dice(tf, logits, targets, weights);
				case ASL -> WeightedLosses.asymmetricSimilarity(tf, logits, targets, weights, p.beta(), p.aslVariant());
				case FOCAL -> WeightedLosses.focal(tf, logits, targets, weights, p.gamma(), p.alpha());
				case BCE -> WeightedLosses.binaryCrossEntropy(tf, logits, targets, weights);
				case WCE -> WeightedLosses.weightedCrossEntropy(tf, logits, targets, weights, p.posWeightScale(), p.wcePosWeightSource());
				case GDL -> WeightedLosses.generalizedDice(tf, logits, targets, weights);
			};
		}
	}
}
