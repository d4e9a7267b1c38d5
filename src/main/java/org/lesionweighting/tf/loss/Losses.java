package org.lesionweighting.tf.loss;

import java.util.Objects;

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
		final LossParameters p = parameters == null ? LossParameters.defaults() : parameters;
		return switch (kind) {
			case DICE -> new DiceLoss();
			case ASL -> new AsymmetricSimilarityLoss(p.beta(), p.aslVariant());
			case FOCAL -> new FocalLoss(p.gamma(), p.alpha());
			case BCE -> new BinaryCrossEntropyLoss();
			case WCE -> new WeightedCrossEntropyLoss(p.posWeightScale(), p.wcePosWeightSource());
			case GDL -> new GeneralizedDiceLoss();
		};
	}

	/** The loss of the given kind with the paper's parameters. */
	public static WeightedLoss create(final LossKind kind) {
		return create(kind, LossParameters.defaults());
	}

	/**
	 * The loss named by a key ({@code "dice"}, {@code "asl"}, {@code "focal"}, {@code "bce"}, {@code "wce"},
	 * {@code "gdl"}; see {@link LossKind#fromString}).
	 *
	 * @throws IllegalArgumentException naming the value and the accepted keys
	 */
	public static WeightedLoss create(final String key, final LossParameters parameters) {
		return create(LossKind.fromString(key), parameters);
	}
}
