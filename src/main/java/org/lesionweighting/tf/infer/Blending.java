package org.lesionweighting.tf.infer;

import org.lesionweighting.util.Keyed;

/**
 * How overlapping windows are combined into one prediction per voxel.
 */
public enum Blending implements Keyed {

	/** Plain average of all windows covering a voxel: the paper's choice (doc/method.md §3.5, dpipe {@code combine}). */
	AVERAGE("average"),
	/**
	 * Average weighted by a separable Gaussian centred on each window, σ = patch/8 per axis, normalised to 1 at
	 * the centre (nnU-Net style): down-weights window borders, where the network sees less context.
	 */
	GAUSSIAN("gaussian");

	private final String key;

	Blending(final String key) {
		this.key = key;
	}

	@Override
	public String key() {
		return key;
	}

	/**
	 * Parses a key (case-insensitive).
	 *
	 * @throws IllegalArgumentException naming the accepted values
	 */
	public static Blending fromString(final String s) {
		return Keyed.parse(Blending.class, "blending", s);
	}
}
