package org.lesionweighting.tf.data;

/**
 * A training batch in the TensorFlow layout NDHWC, flattened: {@code images} holds
 * {@code size · sz · sy · sx · channels} floats, {@code targets} and {@code weights}
 * {@code size · sz · sy · sx} floats (the trailing channel dimension of 1 is implicit).
 *
 * @param iteration the 0-based training iteration this batch belongs to
 * @param size the number of samples
 * @param patchSize (sx, sy, sz)
 * @param channels input channels
 * @param images the inputs
 * @param targets binary targets
 * @param weights per-patch weight maps, or {@code null} when unweighted
 */
public record Batch(long iteration, int size, int[] patchSize, int channels, float[] images, float[] targets, float[] weights) {

	/** The tensor shape of the images: [size, sz, sy, sx, channels]. */
	public long[] imageShape() {
		return new long[] { size, patchSize[2], patchSize[1], patchSize[0], channels };
	}

	/** The tensor shape of targets and weights: [size, sz, sy, sx, 1]. */
	public long[] targetShape() {
		return new long[] { size, patchSize[2], patchSize[1], patchSize[0], 1 };
	}
}
