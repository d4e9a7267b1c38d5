package org.lesionweighting.tf.loss;

import org.lesionweighting.util.Keyed;

/** Which asymmetric similarity formula {@link LossKind#ASL} computes (doc/method.md §2.2, appendix B.6). */
public enum AslVariant implements Keyed {

	/**
	 * The formula the authors configured ({@code asymmetric_similarity_loss}): a squared, Dice-like denominator,
	 * F = (1+β²) Σ w·p·t / Σ w·(β²t² + p²). The default.
	 */
	AUTHORS("authors"),
	/**
	 * The textbook F-β of Hashemi et al. ({@code asymmetric_similarity_loss_orig}, unused by any config):
	 * F = (1+β²) Σ w·p·t / (β² Σ w·t + Σ w·p).
	 */
	HASHEMI("hashemi");

	private final String key;

	AslVariant(final String key) {
		this.key = key;
	}

	@Override
	public String key() {
		return key;
	}

	/**
	 * Parses a key or an enum name, ignoring case.
	 *
	 * @throws IllegalArgumentException naming the value received and the accepted ones
	 */
	public static AslVariant fromString(final String value) {
		return Keyed.parse(AslVariant.class, "asl variant", value);
	}
}
