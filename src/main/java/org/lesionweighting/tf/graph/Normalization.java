package org.lesionweighting.tf.graph;

import org.lesionweighting.util.Keyed;

/**
 * The feature normalisation used inside the pre-activation blocks of {@link UNet3D} and on the logits.
 */
public enum Normalization implements Keyed {

	/**
	 * Batch normalisation as torch's {@code BatchNorm3d} (the paper, doc/method.md §3.1): batch statistics while
	 * training, moving statistics (momentum 0.1, unbiased variance) at inference; learnable scale and shift.
	 */
	BATCH("batch"),
	/**
	 * Instance normalisation: statistics per sample and channel over z, y, x, the same in training and at
	 * inference; learnable scale and shift (torch's {@code InstanceNorm3d(affine=True)}).
	 */
	INSTANCE("instance"),
	/**
	 * No normalisation inside the blocks. The final normalisation of the logits becomes a learnable per-channel
	 * scale and shift, so that the output keeps a learnable bias.
	 */
	NONE("none");

	private final String key;

	Normalization(final String key) {
		this.key = key;
	}

	@Override
	public String key() {
		return key;
	}

	/** The keys of all values, in order: {@code batch, instance, none}. */
	public static String[] keys() {
		return Keyed.keys(Normalization.class);
	}

	/**
	 * Parses a key ({@code "batch"}) or an enum name, ignoring case and surrounding blanks.
	 *
	 * @throws IllegalArgumentException naming the value received and the accepted ones
	 */
	public static Normalization fromString(final String value) {
		return Keyed.parse(Normalization.class, "normalization", value);
	}
}
