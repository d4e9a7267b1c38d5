package org.lesionweighting.tf.infer;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How overlapping windows are combined into one prediction per voxel.
 */
public enum Blending {

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

	/** The lowercase key used on the command line and in macros. */
	public String key() {
		return key;
	}

	/**
	 * Parses a key (case-insensitive).
	 *
	 * @throws IllegalArgumentException naming the accepted values
	 */
	public static Blending fromString(final String s) {
		if (s != null) {
			final String k = s.trim().toLowerCase(Locale.ROOT);
			for (final Blending b : values())
				if (b.key.equals(k)) return b;
		}
		throw new IllegalArgumentException(
				"blending: unknown value '" + s + "'; use one of " + Arrays.stream(values()).map(Blending::key).collect(Collectors.joining(", ")) + ".");
	}
}
