package org.lesionweighting.tf.loss;

import java.util.Arrays;

/** Where the adaptive positive-class weight of {@link LossKind#WCE} comes from (doc/method.md §2.5, appendix B.9). */
public enum WcePosWeightSource {

	/**
	 * As the authors implemented it: pos_weight = α·(M − Σσ(x)) / Σσ(x) over the predicted probabilities of the
	 * whole batch (M = number of elements), with the gradient flowing through it. The default.
	 */
	PREDICTIONS("predictions"),
	/** The common variant: pos_weight = α·(M − Σt) / Σt from the targets of the whole batch (a constant). */
	TARGETS("targets");

	private final String key;

	WcePosWeightSource(final String key) {
		this.key = key;
	}

	/** The lowercase key: {@code "predictions"} or {@code "targets"}. */
	public String key() {
		return key;
	}

	/** The keys of all values, in order. */
	public static String[] keys() {
		return Arrays.stream(values()).map(WcePosWeightSource::key).toArray(String[]::new);
	}

	/**
	 * Parses a key or an enum name, ignoring case.
	 *
	 * @throws IllegalArgumentException naming the value received and the accepted ones
	 */
	public static WcePosWeightSource fromString(final String value) {
		if (value != null) {
			final String v = value.trim();
			for (final WcePosWeightSource s : values()) {
				if (s.key.equalsIgnoreCase(v) || s.name().equalsIgnoreCase(v)) return s;
			}
		}
		throw new IllegalArgumentException("wce pos_weight source: unknown value '" + value + "'; use one of " + String.join(", ", keys()) + ".");
	}
}
