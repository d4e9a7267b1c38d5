package org.lesionweighting.tf.loss;

import java.util.Objects;

import org.lesionweighting.util.Checks;

/**
 * The hyper-parameters of the losses, an immutable value built fluently from {@link #defaults()}:
 * {@code LossParameters.defaults().beta(2).gamma(1)}. Every value is validated on construction, so each setter
 * validates its value and returns a new object; each loss reads only the parameters it uses (doc/method.md §2).
 * Instances are thread-safe.
 *
 * @param beta ASL's β, finite and &gt; 0
 * @param gamma the focal exponent γ, finite and &ge; 0 (0 turns the focal loss into α-balanced cross-entropy)
 * @param alpha the focal class balance α in [0, 1] (weight of the lesion class; background gets 1 − α)
 * @param posWeightScale WCE's factor α of the adaptive positive weight, finite and &gt; 0
 * @param aslVariant the ASL formula
 * @param wcePosWeightSource where WCE's positive weight comes from
 */
public record LossParameters(double beta, double gamma, double alpha, double posWeightScale, AslVariant aslVariant, WcePosWeightSource wcePosWeightSource) {

	/** ASL β (doc/method.md §2.2: 1.5, never overridden by the authors). */
	public static final double BETA_DEFAULT = 1.5;

	/** Focal γ (doc/method.md §2.4: 2). */
	public static final double GAMMA_DEFAULT = 2;

	/** Focal α, the weight of the positive class (doc/method.md §2.4, B.10: every config uses 0.75). */
	public static final double ALPHA_DEFAULT = 0.75;

	/** WCE α, the factor of the adaptive positive weight (doc/method.md §2.5: 1 in all configs). */
	public static final double POS_WEIGHT_SCALE_DEFAULT = 1;

	/** The ASL formula: the authors' one. */
	public static final AslVariant ASL_VARIANT_DEFAULT = AslVariant.AUTHORS;

	/** Where WCE's positive weight comes from: the predicted probabilities, as the authors did. */
	public static final WcePosWeightSource WCE_POS_WEIGHT_SOURCE_DEFAULT = WcePosWeightSource.PREDICTIONS;

	private static final LossParameters DEFAULTS = new LossParameters(BETA_DEFAULT, GAMMA_DEFAULT, ALPHA_DEFAULT, POS_WEIGHT_SCALE_DEFAULT,
			ASL_VARIANT_DEFAULT, WCE_POS_WEIGHT_SOURCE_DEFAULT);

	/**
	 * Checks every value.
	 *
	 * @throws IllegalArgumentException showing a value out of range
	 * @throws NullPointerException for a null variant or source
	 */
	public LossParameters {
		requireBeta(beta);
		requireGamma(gamma);
		requireAlpha(alpha);
		requirePosWeightScale(posWeightScale);
		Objects.requireNonNull(aslVariant, "asl variant must not be null");
		Objects.requireNonNull(wcePosWeightSource, "wce pos_weight source must not be null");
	}

	/** The paper's parameters: β = 1.5, γ = 2, α = 0.75, WCE α = 1, authors' ASL, WCE weight from predictions. */
	public static LossParameters defaults() {
		return DEFAULTS;
	}

	/**
	 * A copy with ASL's β.
	 *
	 * @param value β, finite and &gt; 0
	 * @throws IllegalArgumentException showing the value otherwise
	 */
	public LossParameters beta(final double value) {
		return new LossParameters(value, gamma, alpha, posWeightScale, aslVariant, wcePosWeightSource);
	}

	/**
	 * A copy with the focal exponent γ.
	 *
	 * @param value γ, finite and &ge; 0 (0 turns the focal loss into α-balanced cross-entropy)
	 * @throws IllegalArgumentException showing the value otherwise
	 */
	public LossParameters gamma(final double value) {
		return new LossParameters(beta, value, alpha, posWeightScale, aslVariant, wcePosWeightSource);
	}

	/**
	 * A copy with the focal class balance α (weight of the lesion class; background gets 1 − α).
	 *
	 * @param value α in [0, 1]
	 * @throws IllegalArgumentException showing the value otherwise
	 */
	public LossParameters alpha(final double value) {
		return new LossParameters(beta, gamma, value, posWeightScale, aslVariant, wcePosWeightSource);
	}

	/**
	 * A copy with WCE's factor α of the adaptive positive weight.
	 *
	 * @param value finite and &gt; 0
	 * @throws IllegalArgumentException showing the value otherwise
	 */
	public LossParameters posWeightScale(final double value) {
		return new LossParameters(beta, gamma, alpha, value, aslVariant, wcePosWeightSource);
	}

	/** A copy with the ASL formula; {@code null} is rejected. */
	public LossParameters aslVariant(final AslVariant value) {
		return new LossParameters(beta, gamma, alpha, posWeightScale, value, wcePosWeightSource);
	}

	/** A copy with the source of WCE's positive weight; {@code null} is rejected. */
	public LossParameters wcePosWeightSource(final WcePosWeightSource value) {
		return new LossParameters(beta, gamma, alpha, posWeightScale, aslVariant, value);
	}

	static double requireBeta(final double value) {
		return Checks.requirePositive("loss parameters", "beta (asymmetric similarity loss)", value);
	}

	static double requireGamma(final double value) {
		if (!(value >= 0 && Double.isFinite(value)))
			throw new IllegalArgumentException("loss parameters: gamma (focal loss) must be a finite number >= 0, but was " + value
					+ "; the paper uses " + GAMMA_DEFAULT + ".");
		return value;
	}

	static double requireAlpha(final double value) {
		return Checks.requireInRange("loss parameters", "alpha (focal loss)", value, 0, 1);
	}

	static double requirePosWeightScale(final double value) {
		return Checks.requirePositive("loss parameters", "pos_weight scale (weighted cross-entropy)", value);
	}

	@Override
	public String toString() {
		return "LossParameters[beta=" + beta + ", gamma=" + gamma + ", alpha=" + alpha + ", posWeightScale=" + posWeightScale + ", aslVariant="
				+ aslVariant.key() + ", wcePosWeightSource=" + wcePosWeightSource.key() + "]";
	}
}
