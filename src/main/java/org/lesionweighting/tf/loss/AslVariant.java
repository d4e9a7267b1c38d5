package org.lesionweighting.tf.loss;

import java.util.Arrays;

/** Which asymmetric similarity formula {@link LossKind#ASL} computes (doc/method.md §2.2, appendix B.6). */
public enum AslVariant {

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

	/** The lowercase key: {@code "authors"} or {@code "hashemi"}. */
	public String key() {
		return key;
	}

	/** The keys of all values, in order. */
	public static String[] keys() {
		return Arrays.stream(values()).map(AslVariant::key).toArray(String[]::new);
	}

	/**
	 * Parses a key or an enum name, ignoring case.
	 *
	 * @throws IllegalArgumentException naming the value received and the accepted ones
	 */
	public static AslVariant fromString(final String value) {
		if (value != null) {
			final String v = value.trim();
			for (final AslVariant a : values()) {
				if (a.key.equalsIgnoreCase(v) || a.name().equalsIgnoreCase(v)) return a;
			}
		}
		throw new IllegalArgumentException("asl variant: unknown value '" + value + "'; use one of " + String.join(", ", keys()) + ".");
	}
}
