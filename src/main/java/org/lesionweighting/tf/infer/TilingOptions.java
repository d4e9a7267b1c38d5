package org.lesionweighting.tf.infer;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.lesionweighting.util.Json;

/**
 * Configuration of {@link TiledPredictor}, built fluently from the paper's defaults:
 *
 * <pre>{@code
 * TilingOptions o = new TilingOptions().patchSize(96).stride(80).blending(Blending.GAUSSIAN)
 * 		.outputs(EnumSet.of(InferenceOutput.PROBABILITIES, InferenceOutput.MASK));
 * }</pre>
 *
 * Sizes are given per axis in (x, y, z) order, or as one value for all axes. Not thread-safe; copy it
 * ({@link #copy()}) to share.
 */
public final class TilingOptions {

	/** The paper's window side (doc/method.md §3.5). */
	public static final int PATCH_SIZE_DEFAULT = 160;

	/** The paper's stride: 16 voxels of overlap (doc/method.md §3.5). */
	public static final int STRIDE_DEFAULT = 144;

	/** The paper averages overlapping windows. */
	public static final Blending BLENDING_DEFAULT = Blending.AVERAGE;

	/** Windows per network call at the start; halved on out-of-memory. */
	public static final int BATCH_SIZE_DEFAULT = 1;

	private int[] patchSize = { PATCH_SIZE_DEFAULT, PATCH_SIZE_DEFAULT, PATCH_SIZE_DEFAULT };

	private int[] stride = { STRIDE_DEFAULT, STRIDE_DEFAULT, STRIDE_DEFAULT };

	private Blending blending = BLENDING_DEFAULT;

	private int batchSize = BATCH_SIZE_DEFAULT;

	private Set< InferenceOutput > outputs = EnumSet.allOf(InferenceOutput.class);

	/**
	 * Window size per axis.
	 *
	 * @param xyz one value for all axes, or three values (x, y, z), each at least 1
	 */
	public TilingOptions patchSize(final int... xyz) {
		patchSize = perAxis("patch_size", xyz);
		return this;
	}

	/**
	 * Stride per axis; must not exceed the patch size (checked by {@link TiledPredictor}).
	 *
	 * @param xyz one value for all axes, or three values (x, y, z), each at least 1
	 */
	public TilingOptions stride(final int... xyz) {
		stride = perAxis("stride", xyz);
		return this;
	}

	/** How overlapping windows are combined; {@code null} is rejected. */
	public TilingOptions blending(final Blending b) {
		if (b == null) throw new IllegalArgumentException("TilingOptions: blending must not be null; use " + BLENDING_DEFAULT.key() + ".");
		blending = b;
		return this;
	}

	/** Windows per network call at the start, at least 1; halved automatically on out-of-memory. */
	public TilingOptions batchSize(final int n) {
		if (n < 1) throw new IllegalArgumentException("TilingOptions: batch_size must be at least 1, but was " + n + ".");
		batchSize = n;
		return this;
	}

	/** Which maps to produce; at least one. */
	public TilingOptions outputs(final Set< InferenceOutput > o) {
		if (o == null || o.isEmpty())
			throw new IllegalArgumentException("TilingOptions: outputs must name at least one of probabilities, logits, mask, labels, but was " + o + ".");
		outputs = EnumSet.copyOf(o);
		return this;
	}

	/** Window size (x, y, z); a copy. */
	public int[] patchSize() {
		return patchSize.clone();
	}

	/** Stride (x, y, z); a copy. */
	public int[] stride() {
		return stride.clone();
	}

	public Blending blending() {
		return blending;
	}

	/** The initial batch size. */
	public int batchSize() {
		return batchSize;
	}

	/** The requested outputs; a copy. */
	public Set< InferenceOutput > outputs() {
		return EnumSet.copyOf(outputs);
	}

	public TilingOptions copy() {
		return new TilingOptions().patchSize(patchSize).stride(stride).blending(blending).batchSize(batchSize).outputs(outputs);
	}

	@Override
	public String toString() {
		return "patch_size=" + Arrays.toString(patchSize) + ", stride=" + Arrays.toString(stride) + ", blending=" + blending.key() + ", batch_size=" + batchSize
				+ ", outputs=" + outputs;
	}

	private static int[] perAxis(final String name, final int[] v) {
		if (v == null || (v.length != 1 && v.length != 3))
			throw new IllegalArgumentException("TilingOptions: " + name + " needs 1 or 3 values (x, y, z), but got " + Arrays.toString(v) + ".");
		for (final int x : v)
			if (x < 1) throw new IllegalArgumentException("TilingOptions: " + name + " values must be at least 1, but got " + Arrays.toString(v) + ".");
		return v.length == 1 ? new int[] { v[0], v[0], v[0] } : v.clone();
	}

	/**
	 * Reads the options from parameter values as Segment Lesions and the engine's segment job take them; an absent
	 * value keeps the default.
	 *
	 * @param values {@code patch_size}, {@code stride} (sizes as {@link #parseSize} reads them), {@code blending},
	 *        {@code batch_size} (a number or its text)
	 * @return new options with all outputs
	 * @throws IllegalArgumentException naming the parameter and the value
	 */
	public static TilingOptions parse(final Map< String, ? > values) {
		final TilingOptions o = new TilingOptions();
		if (values.get("patch_size") != null) o.patchSize(parseSize("patch_size", text(values.get("patch_size"))));
		if (values.get("stride") != null) o.stride(parseSize("stride", text(values.get("stride"))));
		if (values.get("blending") != null) o.blending(Blending.fromString(values.get("blending").toString()));
		final Object batch = values.get("batch_size");
		try {
			if (batch != null) o.batchSize(batch instanceof Number n ? n.intValue() : Integer.parseInt(batch.toString().trim()));
		}
		catch (final NumberFormatException e) {
			throw new IllegalArgumentException("TilingOptions: batch_size must be a whole number ≥ 1, but was '" + batch + "'.");
		}
		return o;
	}

	/** The options under the keys of {@link #parse} (the outputs are not included): {@code parse(toJson())} gives the same tiling. */
	public Map< String, Object > toJson() {
		return Json.object("patch_size", patchSize[0] + "," + patchSize[1] + "," + patchSize[2], "stride", stride[0] + "," + stride[1] + "," + stride[2],
				"blending", blending.key(), "batch_size", batchSize);
	}

	private static String text(final Object v) {
		return v instanceof Double d && d == Math.rint(d) ? Long.toString(d.longValue()) : v.toString();
	}

	/**
	 * Parses a size given as {@code "160"}, {@code "160,160,96"}, {@code "160x160x96"} or {@code "160×160×96"} (x, y,
	 * z): the one grammar of sizes, for training patches as for inference windows.
	 *
	 * @throws IllegalArgumentException naming the parameter and the value
	 */
	public static int[] parseSize(final String name, final String s) {
		try {
			return perAxis(name, Arrays.stream(s.trim().split("[,x×\\s]+")).mapToInt(Integer::parseInt).toArray());
		}
		catch (final NumberFormatException | NullPointerException e) {
			throw new IllegalArgumentException("TilingOptions: " + name + " must be one integer or three (x,y,z) like 160 or 160,160,96, but was '" + s + "'.");
		}
	}
}
