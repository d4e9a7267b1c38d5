package org.lesionweighting.tf.graph;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.lesionweighting.util.Json;

/**
 * Immutable configuration of the {@link UNet3D} residual U-Net (doc/method.md §3.1), built fluently from a preset:
 * <pre>{@code
 * UNetConfig c = UNetConfig.SMALL.withInputChannels(2).withNormalization(Normalization.INSTANCE);
 * }</pre>
 * The {@linkplain #widths() widths} are one channel count per resolution level plus the bridge: {@code [w0, w1,
 * ..., w(L-1), bridge]} with {@code L = levels()}. The network is
 * <ul>
 * <li>init path: Conv(C→w0, 3³, no bias) → PreAct(w0→w0, 3³);</li>
 * <li>level l with input width {@code in = w(l-1)} ({@code w0} for l = 0): down ResBlock(in→wl) → ResBlock(wl→wl);
 * skip PreAct(wl→wl, 1³); up ResBlock(wl→wl) → ResBlock(wl→in); down-sampling MaxPool 2³, up-sampling
 * trilinear ×2 with aligned corners, skip merged by addition;</li>
 * <li>bridge: ResBlock(w(L-1)→bridge) → ResBlock(bridge→bridge) → ResBlock(bridge→w(L-1));</li>
 * <li>out path: ResBlock(w0→w0, 1³) → PreAct(w0→1, 1³, no bias) → normalisation of the logits.</li>
 * </ul>
 * {@link #PAPER} has widths {@code [16, 64, 128, 256]} (3 levels) and batch normalisation, exactly the paper's
 * network; {@link #SMALL} has {@code [8, 16, 32]} (2 levels) for CPUs and tests.
 * <p>
 * Input size: every spatial size must be a multiple of {@link #sizeMultiple()} = 2^levels (8 for PAPER, 4 for
 * SMALL), so that pooling and up-sampling return to the input size; {@link #requireInputSize} checks it.
 *
 * @param preset the preset this configuration came from ({@code paper}, {@code small}), or {@code custom} once
 *        widths differ from it
 * @param inputChannels number of input channels C, at least 1
 * @param widths channel widths per level plus the bridge width, at least two values, all positive, at most 10 levels
 * @param normalization the normalisation used in all blocks and on the logits
 * @param momentum momentum of the batch-normalisation moving statistics in (0, 1] (torch convention)
 * @param epsilon epsilon added to the variance in normalisation, positive and finite
 * @param outputBias the initial shift of the final normalisation of the logits, finite (see {@link #withOutputBias})
 */
public record UNetConfig(String preset, int inputChannels, int[] widths, Normalization normalization, double momentum, double epsilon,
		double outputBias) {

	/** Default number of input channels (1, as both datasets of the paper). */
	public static final int INPUT_CHANNELS_DEFAULT = 1;

	/** Default normalisation: batch normalisation as the paper. */
	public static final Normalization NORMALIZATION_DEFAULT = Normalization.BATCH;

	/** Default momentum of the batch-normalisation moving statistics, torch's convention (new = 0.9 old + 0.1 batch). */
	public static final double MOMENTUM_DEFAULT = 0.1;

	/** Default epsilon added to the variance in normalisation, torch's default. */
	public static final double EPSILON_DEFAULT = 1e-5;

	/** The initial shift (β) of the final normalisation of the logits: 0, as the paper. */
	public static final double OUTPUT_BIAS_DEFAULT = 0;

	/** Widths of the paper's network: levels 16, 64, 128 and bridge 256. */
	private static final int[] PAPER_WIDTHS = { 16, 64, 128, 256 };

	/** Widths of the small network: levels 8, 16 and bridge 32. */
	private static final int[] SMALL_WIDTHS = { 8, 16, 32 };

	/** The paper's network, doc/method.md §3.1. */
	public static final UNetConfig PAPER = new UNetConfig("paper", INPUT_CHANNELS_DEFAULT, PAPER_WIDTHS, NORMALIZATION_DEFAULT, MOMENTUM_DEFAULT,
			EPSILON_DEFAULT, OUTPUT_BIAS_DEFAULT);

	/** A small network (2 levels, widths 8/16/32) for CPUs and tests. */
	public static final UNetConfig SMALL = new UNetConfig("small", INPUT_CHANNELS_DEFAULT, SMALL_WIDTHS, NORMALIZATION_DEFAULT, MOMENTUM_DEFAULT,
			EPSILON_DEFAULT, OUTPUT_BIAS_DEFAULT);

	private static final String OP = "UNetConfig";

	/**
	 * Checks every value.
	 *
	 * @throws IllegalArgumentException naming the value received
	 */
	public UNetConfig {
		if (inputChannels < 1) throw new IllegalArgumentException(OP + ": input_channels must be at least 1, but was " + inputChannels + ".");
		if (widths == null || widths.length < 2)
			throw new IllegalArgumentException(
					OP + ": widths must hold at least one level width and the bridge width, but was " + Arrays.toString(widths) + ". Example: 8,16,32.");
		if (Arrays.stream(widths).anyMatch(w -> w < 1))
			throw new IllegalArgumentException(OP + ": every width must be at least 1, but widths were " + Arrays.toString(widths) + ".");
		if (widths.length - 1 > 10)
			throw new IllegalArgumentException(
					OP + ": at most 10 levels are supported, but widths " + Arrays.toString(widths) + " give " + (widths.length - 1) + ".");
		if (normalization == null)
			throw new IllegalArgumentException(OP + ": normalization must not be null; use one of " + String.join(", ", Normalization.keys()) + ".");
		if (!(momentum > 0 && momentum <= 1)) throw new IllegalArgumentException(OP + ": momentum must be in (0, 1], but was " + momentum + ".");
		if (!(epsilon > 0 && Double.isFinite(epsilon)))
			throw new IllegalArgumentException(OP + ": epsilon must be positive and finite, but was " + epsilon + ".");
		if (!Double.isFinite(outputBias)) throw new IllegalArgumentException(OP + ": output_bias must be finite, but was " + outputBias + ".");
		widths = widths.clone();
	}

	/**
	 * Parses a preset name: {@code paper} or {@code small} (case-insensitive).
	 *
	 * @throws IllegalArgumentException naming the value received and the accepted presets
	 */
	public static UNetConfig fromString(final String value) {
		if (value != null) {
			final String v = value.trim();
			if (v.equalsIgnoreCase(PAPER.preset)) return PAPER;
			if (v.equalsIgnoreCase(SMALL.preset)) return SMALL;
		}
		throw new IllegalArgumentException("preset: unknown network preset '" + value + "'; use one of paper, small.");
	}

	/** Channel widths per level plus the bridge width (a copy). */
	@Override
	public int[] widths() {
		return widths.clone();
	}

	/** Number of resolution levels (pooling steps), {@code widths().length - 1}. */
	public int levels() {
		return widths.length - 1;
	}

	/** The factor every spatial input size must be a multiple of: 2^levels. */
	public int sizeMultiple() {
		return 1 << levels();
	}

	/** Returns a copy with {@code channels} input channels (at least 1). */
	public UNetConfig withInputChannels(final int channels) {
		return new UNetConfig(preset, channels, widths, normalization, momentum, epsilon, outputBias);
	}

	/** Returns a copy with the given level widths followed by the bridge width, e.g. {@code 8, 16, 32} (at least two values, all positive). */
	public UNetConfig withWidths(final int... newWidths) {
		final boolean same = Arrays.equals(newWidths, widths);
		return new UNetConfig(same ? preset : "custom", inputChannels, newWidths, normalization, momentum, epsilon, outputBias);
	}

	/**
	 * Returns a copy with {@code levels} resolution levels of doubling widths {@code base, 2·base, …} and the bridge
	 * {@code 2^levels·base}, e.g. {@code withLevels(2, 8)} gives widths 8, 16, 32 (the SMALL preset).
	 *
	 * @param levels number of pooling steps, 1 to 10
	 * @param baseWidth width of the first level, at least 1
	 * @throws IllegalArgumentException naming the value received
	 */
	public UNetConfig withLevels(final int levels, final int baseWidth) {
		if (levels < 1 || levels > 10) throw new IllegalArgumentException(OP + ".withLevels: levels must be in [1, 10], but was " + levels + ".");
		if (baseWidth < 1 || ((long) baseWidth << levels) > Integer.MAX_VALUE)
			throw new IllegalArgumentException(OP + ".withLevels: base width must be at least 1 (and base·2^levels an int), but was " + baseWidth + ".");
		return withWidths(IntStream.rangeClosed(0, levels).map(i -> baseWidth << i).toArray());
	}

	public UNetConfig withNormalization(final Normalization n) {
		return new UNetConfig(preset, inputChannels, widths, n, momentum, epsilon, outputBias);
	}

	/** Returns a copy with the given batch-normalisation momentum in (0, 1]. */
	public UNetConfig withMomentum(final double m) {
		return new UNetConfig(preset, inputChannels, widths, normalization, m, epsilon, outputBias);
	}

	/**
	 * Returns a copy whose final normalisation of the logits starts with shift {@code b} (its β, or the affine shift
	 * without normalisation) instead of 0. A negative prior such as log(π / (1 − π)) for a lesion fraction π makes
	 * the untrained network predict almost no lesion, instead of half of the voxels (the normalised logits of a new
	 * network are centred on β): on a short CPU budget the optimiser then spends no iterations moving β.
	 */
	public UNetConfig withOutputBias(final double b) {
		return new UNetConfig(preset, inputChannels, widths, normalization, momentum, epsilon, b);
	}

	/** Returns a copy with the given normalisation epsilon (positive). */
	public UNetConfig withEpsilon(final double e) {
		return new UNetConfig(preset, inputChannels, widths, normalization, momentum, e, outputBias);
	}

	/**
	 * Checks spatial input sizes.
	 *
	 * @param operation the operation named in the message
	 * @param z depth, positive and a multiple of {@link #sizeMultiple()}
	 * @param y height, likewise
	 * @param x width, likewise
	 * @throws IllegalArgumentException naming the sizes received and the nearest valid ones
	 */
	public void requireInputSize(final String operation, final long z, final long y, final long x) {
		final int m = sizeMultiple();
		final long[] s = { z, y, x };
		if (Arrays.stream(s).anyMatch(v -> v < 1 || v % m != 0)) {
			final long[] up = Arrays.stream(s).map(v -> Math.max(m, (v + m - 1) / m * m)).toArray();
			throw new IllegalArgumentException(operation + ": the network (" + preset + ", " + levels()
					+ " levels) needs spatial sizes (z, y, x) that are positive multiples of 2^" + levels() + " = " + m + ", but got " + Arrays.toString(s)
					+ ". Pad or crop to a multiple of " + m + ", e.g. " + Arrays.toString(up) + ".");
		}
	}

	/** The configuration as a JSON-ready map (keys {@code preset, input_channels, widths, normalization, momentum, epsilon}). */
	public Map< String, Object > toMap() {
		return Json.object("preset", preset, "input_channels", inputChannels, "widths", Arrays.stream(widths).boxed().toList(), "normalization",
				normalization.key(), "momentum", momentum, "epsilon", epsilon, "output_bias", outputBias);
	}

	/**
	 * Reads a map written by {@link #toMap()} (numbers may be any {@link Number}); missing keys take the
	 * defaults of the named preset, or of {@link #PAPER} when the preset is missing or {@code custom}.
	 *
	 * @throws IllegalArgumentException if a value has the wrong type or is invalid
	 */
	public static UNetConfig fromMap(final Map< String, ? > map) {
		final Object p = map.get("preset");
		final String presetName = p == null ? "custom" : p.toString();
		final UNetConfig base = presetName.equalsIgnoreCase("small") ? SMALL : PAPER;
		final String name = presetName.equalsIgnoreCase("paper") || presetName.equalsIgnoreCase("small") ? presetName.toLowerCase() : "custom";
		try {
			final int channels = number(map, "input_channels", base.inputChannels).intValue();
			final Object widths = map.get("widths");
			final int[] w = widths == null ? base.widths : ((List< ? >) widths).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
			final Normalization n = map.get("normalization") == null ? base.normalization : Normalization.fromString(map.get("normalization").toString());
			return new UNetConfig(name, channels, w, n, number(map, "momentum", base.momentum).doubleValue(),
					number(map, "epsilon", base.epsilon).doubleValue(),
					number(map, "output_bias", base.outputBias).doubleValue());
		}
		catch (final ClassCastException e) {
			throw new IllegalArgumentException(OP + ".fromMap: a value has the wrong type in " + map + ": " + e.getMessage(), e);
		}
	}

	/** The number under {@code key}, or {@code fallback} when there is none; a ClassCastException for another type. */
	private static Number number(final Map< String, ? > map, final String key, final Number fallback) {
		return map.get(key) == null ? fallback : (Number) map.get(key);
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof UNetConfig c && preset.equals(c.preset) && inputChannels == c.inputChannels && Arrays.equals(widths, c.widths)
				&& normalization == c.normalization
				&& momentum == c.momentum && epsilon == c.epsilon && outputBias == c.outputBias;
	}

	@Override
	public int hashCode() {
		return ((preset.hashCode() * 31 + inputChannels) * 31 + Arrays.hashCode(widths)) * 31 + normalization.hashCode();
	}

	@Override
	public String toString() {
		return "UNetConfig[" + preset + ", channels " + inputChannels + ", widths " + Arrays.toString(widths) + ", " + normalization.key() + ", momentum "
				+ momentum + ", epsilon " + epsilon + (outputBias == 0 ? "" : ", output bias " + outputBias) + "]";
	}
}
