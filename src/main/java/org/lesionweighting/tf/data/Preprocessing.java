package org.lesionweighting.tf.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import org.lesionweighting.util.Checks;
import org.lesionweighting.util.Json;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * Intensity preprocessing of one input channel, applied per volume before patches are cut and stored with
 * the model so that inference applies exactly the same transform (doc/method.md §4).
 * <ul>
 * <li>{@code none}: intensities are used as read.</li>
 * <li>{@code window:lo,hi} (CT): clip to [lo, hi], then min–max scale with the minimum and maximum of the
 * <em>clipped volume</em> (not the window bounds; doc/method.md §4.1 and appendix C.18). A constant volume
 * becomes all zeros.</li>
 * <li>{@code zscore} (MR): (x − mean) / std over the whole volume (population std).</li>
 * <li>{@code zscore_nonzero} (MR, skull-stripped): mean and std over the non-zero voxels only; voxels that
 * are exactly 0 stay 0 (nnU-Net's convention for brain masks).</li>
 * <li>{@code clip_zscore:lo,hi,mean,std} (CT, from a {@link DatasetPlan}): clip to [lo, hi], then (x − mean) / std
 * with the dataset's global mean and std (nnU-Net's CT normalisation: the bounds are the 0.5 and 99.5
 * percentiles of the lesion and body intensities of the training set).</li>
 * </ul>
 * A std of 0 (constant volume) divides by 1 instead. Instances are immutable and thread-safe; the string
 * form ({@link #toString()}) parses back with {@link #fromString(String)}.
 */
public final class Preprocessing {

	/** The kind of transform. */
	public enum Kind {

		NONE,
		/** CT window then per-volume min–max scaling. */
		WINDOW,
		/** Z-score over the whole volume. */
		ZSCORE,
		/** Z-score over the non-zero voxels; zeros stay zero. */
		ZSCORE_NONZERO,
		/** Clip, then a global z-score with fixed mean and std. */
		CLIP_ZSCORE;

		/** The lowercase key used on the command line and in the model metadata: the name in lower case. */
		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	public static final Preprocessing NONE = new Preprocessing(Kind.NONE, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

	/** Z-score over the whole volume. */
	public static final Preprocessing ZSCORE = new Preprocessing(Kind.ZSCORE, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

	/** Z-score over non-zero voxels. */
	public static final Preprocessing ZSCORE_NONZERO = new Preprocessing(Kind.ZSCORE_NONZERO, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

	/** The LiTS window of the paper, [−300, 300] HU (doc/method.md §4.1). */
	public static final Preprocessing LITS_WINDOW = window(-300, 300);

	/** The default: z-score, suited to MR, the data at hand. */
	public static final Preprocessing PREPROCESSING_DEFAULT = ZSCORE;

	private final Kind kind;

	private final double lo, hi, mean, std;

	private Preprocessing(final Kind kind, final double lo, final double hi, final double mean, final double std) {
		this.kind = kind;
		this.lo = lo;
		this.hi = hi;
		this.mean = mean;
		this.std = std;
	}

	/**
	 * Clipping to [lo, hi] followed by (x − mean) / std with fixed, dataset-wide values (CT).
	 *
	 * @param lo lower bound, finite
	 * @param hi upper bound, finite and &gt; lo
	 * @param mean finite
	 * @param std positive and finite
	 */
	public static Preprocessing clipZscore(final double lo, final double hi, final double mean, final double std) {
		if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(hi > lo) || !Double.isFinite(mean) || !(std > 0 && Double.isFinite(std)))
			throw new IllegalArgumentException("Preprocessing.clipZscore: need finite lo < hi, a finite mean and a positive std, but got [" + lo + ", " + hi
					+ "], mean " + mean + ", std " + std + ". Give e.g. clip_zscore:-100,200,60,40.");
		return new Preprocessing(Kind.CLIP_ZSCORE, lo, hi, mean, std);
	}

	/** The mean of {@link Kind#CLIP_ZSCORE} (NaN otherwise). */
	public double mean() {
		return mean;
	}

	/** The std of {@link Kind#CLIP_ZSCORE} (NaN otherwise). */
	public double std() {
		return std;
	}

	/**
	 * A CT window followed by min–max scaling of the clipped volume.
	 *
	 * @param lo lower bound, finite
	 * @param hi upper bound, finite and &gt; lo
	 */
	public static Preprocessing window(final double lo, final double hi) {
		if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(hi > lo))
			throw new IllegalArgumentException(
					"Preprocessing.window: the window must be finite with lo < hi, but was [" + lo + ", " + hi + "]. Give e.g. window:-300,300.");
		return new Preprocessing(Kind.WINDOW, lo, hi, Double.NaN, Double.NaN);
	}

	public Kind kind() {
		return kind;
	}

	/** Lower window or clipping bound (NaN for the other kinds). */
	public double lo() {
		return lo;
	}

	/** Upper window or clipping bound (NaN for the other kinds). */
	public double hi() {
		return hi;
	}

	/**
	 * Parses {@code none}, {@code zscore}, {@code zscore_nonzero}, {@code window:lo,hi} (also
	 * {@code window[lo,hi]} or {@code ct:lo,hi}); case-insensitive.
	 *
	 * @throws IllegalArgumentException naming the accepted forms
	 */
	public static Preprocessing fromString(final String text) {
		final String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
		final Preprocessing named = switch (s) {
			case "none", "" -> NONE;
			case "zscore", "z-score" -> ZSCORE;
			case "zscore_nonzero" -> ZSCORE_NONZERO;
			default -> null;
		};
		if (named != null) return named;
		if (s.startsWith("clip_zscore")) {
			final double[] v = numbers(s.substring("clip_zscore".length()), 4);
			if (v != null) return clipZscore(v[0], v[1], v[2], v[3]);
		}
		if (s.startsWith("window") || s.startsWith("ct")) {
			final double[] v = numbers(s.replaceFirst("^(window|ct)", ""), 2);
			if (v != null) return window(v[0], v[1]);
		}
		throw new IllegalArgumentException("Preprocessing: unknown preprocessing '" + text
				+ "'. Use none, zscore, zscore_nonzero, window:lo,hi (e.g. window:-300,300) or clip_zscore:lo,hi,mean,std.");
	}

	/** The {@code count} numbers of {@code rest}, separated by ',' or ';' (brackets, ':', '=' and spaces ignored), or null. */
	private static double[] numbers(final String rest, final int count) {
		final String[] parts = rest.replaceAll("[\\[\\]():=\\s]", "").split("[,;]");
		if (parts.length != count) return null;
		try {
			return Arrays.stream(parts).mapToDouble(Double::parseDouble).toArray();
		}
		catch (final NumberFormatException e) {
			return null;
		}
	}

	/** The parseable form: {@code none}, {@code zscore}, {@code zscore_nonzero}, {@code window:lo,hi} or {@code clip_zscore:lo,hi,mean,std}. */
	@Override
	public String toString() {
		if (kind == Kind.CLIP_ZSCORE) return "clip_zscore:" + num(lo) + "," + num(hi) + "," + num(mean) + "," + num(std);
		return kind == Kind.WINDOW ? "window:" + num(lo) + "," + num(hi) : kind.key();
	}

	private static String num(final double v) {
		return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
	}

	/** A map for the model metadata: {@code kind}; {@code lo}, {@code hi} for windows and clipping; {@code mean}, {@code std} for clipping. */
	public Map< String, Object > toMap() {
		return switch (kind) {
			case WINDOW -> Json.object("kind", kind.key(), "lo", lo, "hi", hi);
			case CLIP_ZSCORE -> Json.object("kind", kind.key(), "lo", lo, "hi", hi, "mean", mean, "std", std);
			default -> Json.object("kind", kind.key());
		};
	}

	/**
	 * The preprocessing stored in model metadata: a map ({@link #toMap()}; empty or without {@code kind} means none), a
	 * String such as {@code zscore} ({@link #fromString}), or {@code null} (none).
	 *
	 * @throws IllegalArgumentException for an unknown preprocessing
	 */
	@SuppressWarnings("unchecked")
	public static Preprocessing fromStored(final Object stored) {
		if (stored instanceof Map< ?, ? > m) return m.get("kind") == null ? NONE : fromMap((Map< String, ? >) m);
		return stored == null ? NONE : fromString(stored.toString());
	}

	/** Inverse of {@link #toMap()}. */
	public static Preprocessing fromMap(final Map< String, ? > map) {
		final String k = String.valueOf(map.get("kind"));
		if (Kind.WINDOW.key().equals(k)) return window(((Number) map.get("lo")).doubleValue(), ((Number) map.get("hi")).doubleValue());
		if (Kind.CLIP_ZSCORE.key().equals(k))
			return clipZscore(((Number) map.get("lo")).doubleValue(), ((Number) map.get("hi")).doubleValue(), ((Number) map.get("mean")).doubleValue(),
					((Number) map.get("std")).doubleValue());
		return fromString(k);
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof Preprocessing && toString().equals(o.toString());
	}

	@Override
	public int hashCode() {
		return toString().hashCode();
	}

	/**
	 * Reads a volume into a new flat float array in x-fastest order and applies the transform.
	 *
	 * @param volume a 2D or 3D volume of any real type (NaN is rejected)
	 * @return the transformed intensities, {@code numElements(volume)} values
	 */
	public float[] apply(final RandomAccessibleInterval< ? extends RealType< ? > > volume) {
		final String op = "Preprocessing.apply";
		Checks.requireVolume(op, "volume", volume);
		final long n = Intervals.numElements(volume);
		if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(op + ": volume has " + n + " voxels; at most 2^31 are supported. Crop the volume.");
		final float[] data = new float[(int) n];
		int i = 0;
		for (final RealType< ? > t : Views.flatIterable(volume)) {
			final float v = t.getRealFloat();
			if (Float.isNaN(v)) throw new IllegalArgumentException(op + ": volume contains NaN at voxel index " + i + "; replace NaN before training.");
			data[i++] = v;
		}
		applyInPlace(data);
		return data;
	}

	/**
	 * Applies the transform to flat intensities in place.
	 *
	 * @param data the intensities of one whole volume; an empty array is left unchanged
	 */
	public void applyInPlace(final float[] data) {
		if (data.length == 0) return;
		switch (kind) {
			case NONE -> {}
			case WINDOW -> {
				double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
				for (int i = 0; i < data.length; i++) {
					final double v = Math.min(Math.max(data[i], lo), hi);
					data[i] = (float) v;
					min = Math.min(min, v);
					max = Math.max(max, v);
				}
				final double range = max - min;
				for (int i = 0; i < data.length; i++)
					data[i] = range > 0 ? (float) ((data[i] - min) / range) : 0f;
			}
			case CLIP_ZSCORE -> {
				for (int i = 0; i < data.length; i++)
					data[i] = (float) ((Math.min(Math.max(data[i], lo), hi) - mean) / std);
			}
			case ZSCORE, ZSCORE_NONZERO -> {
				final boolean nonzero = kind == Kind.ZSCORE_NONZERO;
				double sum = 0;
				long count = 0;
				for (final float v : data)
					if (!nonzero || v != 0) {
						sum += v;
						count++;
					}
				if (count == 0) return;
				final double mean = sum / count;
				double ss = 0;
				for (final float v : data)
					if (!nonzero || v != 0) ss += (v - mean) * (v - mean);
				final double std = Math.sqrt(ss / count);
				final double div = std > 0 ? std : 1;
				for (int i = 0; i < data.length; i++)
					if (!nonzero || data[i] != 0) data[i] = (float) ((data[i] - mean) / div);
			}
		}
	}
}
