package org.lesionweighting.tf.pkg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.lesionweighting.tf.data.Preprocessing;
import org.lesionweighting.util.Json;

/**
 * The suite's intensity preprocessing ({@link Preprocessing}) as bioimage.io preprocessing steps (model description
 * format 0.5) and back. Loads no TensorFlow class.
 * <table>
 * <caption>mapping</caption>
 * <tr><th>suite</th><th>bioimage.io steps (between two {@code ensure_dtype: float32})</th><th>same values</th></tr>
 * <tr><td>{@code none}</td><td>none</td><td>yes</td></tr>
 * <tr><td>{@code zscore}</td><td>{@code zero_mean_unit_variance} over z, y, x (per sample and channel)</td><td>up to
 * the spec's {@code eps} = 1e-6 added to the std</td></tr>
 * <tr><td>{@code zscore_nonzero}</td><td>the same as {@code zscore}: the spec has no masked statistics</td><td>no:
 * the suite leaves zeros at 0 and takes mean and std of the non-zero voxels</td></tr>
 * <tr><td>{@code window:lo,hi}</td><td>{@code clip} (min lo, max hi), {@code scale_range} over z, y, x (percentiles 0
 * and 100)</td><td>up to {@code eps} added to the range</td></tr>
 * <tr><td>{@code clip_zscore:lo,hi,mean,std}</td><td>{@code clip}, {@code fixed_zero_mean_unit_variance}</td><td>yes</td></tr>
 * </table>
 */
public final class SpecPreprocessing {

	/** The spatial axes over which per-sample statistics are taken. */
	public static final List< String > SPATIAL_AXES = List.of("z", "y", "x");

	private SpecPreprocessing() {}

	/**
	 * Steps in the spec's form and whether they compute what the suite computes.
	 *
	 * @param steps the {@code preprocessing} list of an input tensor (maps with {@code id} and {@code kwargs})
	 * @param exact false when the steps only approximate the suite's transform ({@code zscore_nonzero})
	 */
	public record Steps(List< Map< String, Object > > steps, boolean exact) {}

	/** The bioimage.io preprocessing of {@code p} (see the class documentation). */
	public static Steps toSpec(final Preprocessing p) {
		final List< Map< String, Object > > out = new ArrayList<>();
		out.add(step("ensure_dtype", Map.of("dtype", "float32")));
		switch (p.kind()) {
			case NONE -> {}
			case ZSCORE, ZSCORE_NONZERO -> out.add(step("zero_mean_unit_variance", Map.of("axes", SPATIAL_AXES)));
			case WINDOW -> {
				out.add(clip(p));
				out.add(step("scale_range", Json.object("axes", SPATIAL_AXES, "min_percentile", 0.0, "max_percentile", 100.0)));
			}
			case CLIP_ZSCORE -> {
				out.add(clip(p));
				out.add(step("fixed_zero_mean_unit_variance", Json.object("mean", p.mean(), "std", p.std())));
			}
		}
		out.add(step("ensure_dtype", Map.of("dtype", "float32")));
		return new Steps(out, p.kind() != Preprocessing.Kind.ZSCORE_NONZERO);
	}

	/**
	 * The suite's preprocessing for bioimage.io steps: the inverse of {@link #toSpec} ({@code ensure_dtype: float32}
	 * steps are skipped; {@code zero_mean_unit_variance} reads as {@code zscore}).
	 *
	 * @param steps the {@code preprocessing} list of the input tensor; null or empty means none
	 * @throws IllegalArgumentException for steps the suite does not compute, naming them
	 */
	public static Preprocessing fromSpec(final List< ? > steps) {
		final List< Map< ?, ? > > s = new ArrayList<>();
		if (steps != null) for (final Object o : steps) {
			if (!(o instanceof Map< ?, ? > m)) throw unsupported(steps);
			if ("ensure_dtype".equals(m.get("id")) && "float32".equals(kwargs(m).get("dtype"))) continue;
			s.add(m);
		}
		if (s.isEmpty()) return Preprocessing.NONE;
		final List< ? > ids = s.stream().map(m -> m.get("id")).toList();
		if (ids.equals(List.of("zero_mean_unit_variance")) && spatial(kwargs(s.get(0)).get("axes"))) return Preprocessing.ZSCORE;
		if (ids.equals(List.of("clip", "scale_range"))) {
			final Map< ?, ? > k = kwargs(s.get(1));
			if (spatial(k.get("axes")) && number(k.get("min_percentile"), 0) == 0 && number(k.get("max_percentile"), 100) == 100
					&& k.get("reference_tensor") == null)
				return Preprocessing.window(bound(s.get(0), "min", steps), bound(s.get(0), "max", steps));
		}
		if (ids.equals(List.of("clip", "fixed_zero_mean_unit_variance"))) {
			final Map< ?, ? > k = kwargs(s.get(1));
			if (k.get("mean") instanceof Number mean && k.get("std") instanceof Number std)
				return Preprocessing.clipZscore(bound(s.get(0), "min", steps), bound(s.get(0), "max", steps), mean.doubleValue(), std.doubleValue());
		}
		throw unsupported(steps);
	}

	private static IllegalArgumentException unsupported(final List< ? > steps) {
		return new IllegalArgumentException("Model package: the input preprocessing " + steps
				+ " is not one the suite computes; supported are none, zero_mean_unit_variance over z, y, x, "
				+ "clip + scale_range (percentiles 0 and 100 over z, y, x) and clip + "
				+ "fixed_zero_mean_unit_variance (each between optional ensure_dtype float32 steps). "
				+ "Preprocess the images yourself and export the model without preprocessing.");
	}

	private static double bound(final Map< ?, ? > clip, final String key, final List< ? > steps) {
		if (!(kwargs(clip).get(key) instanceof Number n)) throw unsupported(steps);
		return n.doubleValue();
	}

	private static boolean spatial(final Object axes) {
		return axes instanceof List< ? > l && l.size() == 3 && l.containsAll(SPATIAL_AXES);
	}

	private static double number(final Object o, final double fallback) {
		return o instanceof Number n ? n.doubleValue() : fallback;
	}

	private static Map< ?, ? > kwargs(final Map< ?, ? > step) {
		return step.get("kwargs") instanceof Map< ?, ? > k ? k : Map.of();
	}

	private static Map< String, Object > clip(final Preprocessing p) {
		return step("clip", Json.object("min", p.lo(), "max", p.hi()));
	}

	private static Map< String, Object > step(final String id, final Map< String, Object > kwargs) {
		return Json.object("id", id, "kwargs", kwargs);
	}

}
