package org.lesionweighting.weights;

import java.util.List;

import org.lesionweighting.util.Keyed;

/**
 * How voxels of a label image are weighted (doc/method.md §1).
 */
public enum WeightScheme implements Keyed {

	/** Formula W1 of the final code (doc/method.md §1.2): w = clip(N / ((K+1)·|c|), wMin, wMax). The default. */
	INVERSE_VOLUME("inverse_volume", "Inverse volume (W1, doc/method.md §1.2)"),
	/** Formula W0 of the review-time code (doc/method.md §1.4): lesion voxels n_pos / (n_cc·|c|), background 1, no clipping. */
	LEGACY("legacy", "Legacy (W0, doc/method.md §1.4)"),
	/** Every voxel weighs 1 (no re-weighting). Also accepted as {@code "none"}. */
	UNIFORM("uniform", "Uniform (all 1)");

	private final String key;

	private final String label;

	WeightScheme(final String key, final String label) {
		this.key = key;
		this.label = label;
	}

	@Override
	public List< String > aliases() {
		return this == UNIFORM ? List.of(label, "none") : List.of(label);
	}

	@Override
	public String key() {
		return key;
	}

	/** The keys of all values, in order. */
	public static String[] keys() {
		return Keyed.keys(WeightScheme.class);
	}

	/**
	 * Parses a key ({@code "inverse_volume"}), the alias {@code "none"} (= UNIFORM), a display label or an
	 * enum name, ignoring case and surrounding spaces.
	 *
	 * @throws IllegalArgumentException naming the value and the accepted ones
	 */
	public static WeightScheme fromString(final String value) {
		return Keyed.parse(WeightScheme.class, "scheme", value);
	}
}
