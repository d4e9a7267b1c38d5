package org.lesionweighting.tf.infer;

/**
 * The sliding-window grid along one axis, exactly as doc/method.md §3.5 (dpipe {@code patches_grid} and
 * {@code divisible_shape}):
 * <ol>
 * <li>the volume of {@code size} voxels is padded with 0 to {@code padded = max(size, patch)}, then
 * {@code padded += (stride − padded + patch) mod stride} (non-negative modulo), so that
 * {@code (padded − patch)} is a multiple of {@code stride};</li>
 * <li>the padding is split as dpipe's {@code pad_to_shape} with ratio 0.5: {@code floor(delta / 2)} before the
 * volume, the rest after;</li>
 * <li>windows start at {@code 0, stride, 2·stride, …, padded − patch} (padded coordinates);</li>
 * <li>each window of {@code patch} voxels is padded to the next multiple of the network's down-sampling
 * {@code divisor} ({@code floor(delta / 2)} before) with the window's minimum, and that margin is cropped
 * off the window's prediction.</li>
 * </ol>
 * Example (the paper's default): size 182, patch 160, stride 144 gives padded 304, 61 voxels before,
 * 2 windows starting at 0 and 144.
 *
 * @param size number of voxels of the volume along this axis, at least 1
 * @param patch window size along this axis, at least 1
 * @param stride distance between window starts, in [1, patch]
 * @param divisor network down-sampling factor along this axis, at least 1
 */
public record AxisTiling(long size, int patch, int stride, int divisor) {

	/**
	 * Checks the arguments.
	 *
	 * @throws IllegalArgumentException if a value is out of range, naming it
	 */
	public AxisTiling {
		final String op = "AxisTiling";
		if (size < 1) throw new IllegalArgumentException(op + ": size must be at least 1, but was " + size + ".");
		if (patch < 1) throw new IllegalArgumentException(op + ": patch_size must be at least 1, but was " + patch + ".");
		if (stride < 1 || stride > patch)
			throw new IllegalArgumentException(op + ": stride must be in [1, patch_size = " + patch + "] so that windows cover the volume, but was " + stride
					+ ". Use a stride at most the patch size (the paper: patch 160, stride 144).");
		if (divisor < 1) throw new IllegalArgumentException(op + ": divisor must be at least 1, but was " + divisor + ".");
	}

	/** The padded size, at least {@code patch}: {@code p = max(size, patch); p + floorMod(stride − p + patch, stride)}. */
	public long padded() {
		final long p = Math.max(size, patch);
		return p + Math.floorMod(stride - p + patch, (long) stride);
	}

	/** Zero-padding voxels before the volume: {@code floor((padded − size) / 2)}. */
	public long padBefore() {
		return (padded() - size) / 2;
	}

	/** Number of windows along this axis: {@code (padded − patch) / stride + 1}. */
	public long numWindows() {
		return (padded() - patch) / stride + 1;
	}

	/**
	 * Start of window {@code k} in volume coordinates (negative inside the leading zero padding):
	 * {@code k·stride − padBefore}.
	 */
	public long windowOrigin(final long k) {
		return k * stride - padBefore();
	}

	/** The window size given to the network: {@code patch} rounded up to a multiple of {@code divisor}. */
	public int networkSize() {
		return (patch + divisor - 1) / divisor * divisor;
	}

	/** Voxels of min-padding before the patch inside the network window: {@code floor((networkSize − patch) / 2)}. */
	public int networkPadBefore() {
		return (networkSize() - patch) / 2;
	}
}
