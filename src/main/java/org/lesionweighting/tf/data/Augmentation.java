package org.lesionweighting.tf.data;

import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.lesionweighting.util.Json;

/**
 * Data augmentation of training patches: mirroring, small rotations and scaling, intensity jitter. The paper
 * trains without augmentation (doc/method.md appendix C.16); with one or a few training volumes, as on a CPU budget,
 * a network without it learns the training lesions by heart. The same augmentation serves every loss, so a
 * comparison of losses stays fair.
 * <ul>
 * <li><b>Mirroring</b>: each axis flipped with probability ½.</li>
 * <li><b>Rotation and scaling</b>, with probability {@link #spatialProbability()}: rotations about the three axes,
 * each angle uniform in ±{@link #maxRotationDegrees()}, and one isotropic scale uniform in
 * [{@link #minScale()}, {@link #maxScale()}] (&gt; 1 zooms in), applied in physical space (voxel spacing taken into
 * account) about the patch centre. Intensities are interpolated trilinearly, targets and lesion labels by nearest
 * neighbour; outside the image the padding of the plain crop applies. Per-patch weights are computed afterwards,
 * on the transformed lesion labels.</li>
 * <li><b>Intensity</b>: per channel, x ↦ g·x + o with g uniform in 1 ± {@link #intensityScale()} and o uniform in
 * ±{@link #intensityShift()} (in units of the preprocessed intensities, i.e. standard deviations after a z-score).</li>
 * </ul>
 * Every random number is drawn from the sample's own generator after the paper's draws, so batches stay a pure
 * function of (seed, iteration) and a run without augmentation draws exactly the paper's patches.
 *
 * @param mirror whether axes are mirrored
 * @param maxRotationDegrees largest rotation angle about each axis, in [0, 180]
 * @param minScale smallest scale, in (0, 1]
 * @param maxScale largest scale, ≥ 1
 * @param spatialProbability probability of a rotation-and-scaling transform, in [0, 1]
 * @param intensityScale half-width of the gain, in [0, 1)
 * @param intensityShift half-width of the offset, ≥ 0
 */
public record Augmentation(boolean mirror, double maxRotationDegrees, double minScale, double maxScale, double spatialProbability, double intensityScale,
		double intensityShift) {

	/** No augmentation: the paper's training. */
	public static final Augmentation NONE = new Augmentation(false, 0, 1, 1, 0, 0, 0);

	/** The default: mirroring, ±15° and 0.85–1.15 on half of the patches, gain 1 ± 0.1 and offset ± 0.1. */
	public static final Augmentation DEFAULT = new Augmentation(true, 15, 0.85, 1.15, 0.5, 0.1, 0.1);

	/** Checks the ranges. */
	public Augmentation {
		final String op = "Augmentation";
		if (!(maxRotationDegrees >= 0 && maxRotationDegrees <= 180))
			throw new IllegalArgumentException(op + ": max_rotation must be in [0, 180] degrees, but was " + maxRotationDegrees + ".");
		if (!(minScale > 0 && minScale <= 1 && maxScale >= 1 && Double.isFinite(maxScale)))
			throw new IllegalArgumentException(op + ": the scale range must satisfy 0 < min ≤ 1 ≤ max, but was [" + minScale + ", " + maxScale + "].");
		if (!(spatialProbability >= 0 && spatialProbability <= 1))
			throw new IllegalArgumentException(op + ": the spatial probability must be in [0, 1], but was " + spatialProbability + ".");
		if (!(intensityScale >= 0 && intensityScale < 1))
			throw new IllegalArgumentException(op + ": the intensity scale must be in [0, 1), but was " + intensityScale + ".");
		if (!(intensityShift >= 0 && Double.isFinite(intensityShift)))
			throw new IllegalArgumentException(op + ": the intensity shift must be a finite number ≥ 0, but was " + intensityShift + ".");
	}

	/** {@link #DEFAULT} when {@code on}, else {@link #NONE}. */
	public static Augmentation of(final boolean on) {
		return on ? DEFAULT : NONE;
	}

	/** Whether anything is changed at all. */
	public boolean enabled() {
		return mirror || spatialProbability > 0 && (maxRotationDegrees > 0 || minScale < 1 || maxScale > 1) || intensityScale > 0 || intensityShift > 0;
	}

	/** For the model metadata and the checkpoint. */
	public Map< String, Object > toMap() {
		return Json.object("mirror", mirror, "max_rotation_degrees", maxRotationDegrees, "min_scale", minScale, "max_scale", maxScale, "spatial_probability",
				spatialProbability, "intensity_scale", intensityScale, "intensity_shift", intensityShift);
	}

	/** Inverse of {@link #toMap()}; {@code null} or an empty map gives {@link #NONE} (runs stored before augmentation existed). */
	public static Augmentation fromMap(final Map< String, ? > m) {
		if (m == null || m.isEmpty()) return NONE;
		return new Augmentation(Boolean.TRUE.equals(m.get("mirror")), d(m, "max_rotation_degrees"), d(m, "min_scale"), d(m, "max_scale"),
				d(m, "spatial_probability"), d(m, "intensity_scale"), d(m, "intensity_shift"));
	}

	private static double d(final Map< String, ? > m, final String key) {
		final Object v = m.get(key);
		if (!(v instanceof Number))
			throw new IllegalArgumentException("Augmentation: the stored setting '" + key + "' is missing or not a number (" + v + ").");
		return ((Number) v).doubleValue();
	}

	@Override
	public String toString() {
		if (!enabled()) return "none";
		return String.format(Locale.ROOT,
				"%srotation \u00b1%.0f\u00b0 and scale %.2f\u2013%.2f on %.0f %% of the patches, gain 1 \u00b1 %.2f, offset \u00b1 %.2f",
				mirror ? "mirroring, " : "", maxRotationDegrees, minScale, maxScale, 100 * spatialProbability, intensityScale, intensityShift);
	}

	/**
	 * The transform of one sample.
	 *
	 * @param flip per axis (x, y, z), whether it is mirrored
	 * @param matrix the 3×3 map from patch offsets (voxels, relative to the centre) to image offsets (voxels), row
	 *          major, or {@code null} for none
	 * @param gain per channel
	 * @param offset per channel
	 */
	record Draw(boolean[] flip, double[] matrix, float[] gain, float[] offset) {}

	/** Draws one sample's transform (after the paper's draws of the same generator). */
	Draw draw(final SplittableRandom rng, final int channels, final double[] spacing) {
		final boolean[] flip = new boolean[3];
		if (mirror) for (int d = 0; d < 3; d++)
			flip[d] = rng.nextBoolean();
		double[] matrix = null;
		if (spatialProbability > 0 && rng.nextDouble() < spatialProbability) {
			final double r = Math.toRadians(maxRotationDegrees);
			final double ax = (2 * rng.nextDouble() - 1) * r, ay = (2 * rng.nextDouble() - 1) * r, az = (2 * rng.nextDouble() - 1) * r;
			final double scale = minScale + rng.nextDouble() * (maxScale - minScale);
			final double[] rot = multiply(rotation(2, az), multiply(rotation(1, ay), rotation(0, ax)));
			// physical offset of a patch offset o: S·o; rotated and shrunk: R·S·o / scale; back to image voxels: S⁻¹·…
			matrix = new double[9];
			for (int i = 0; i < 3; i++)
				for (int j = 0; j < 3; j++)
					matrix[3 * i + j] = rot[3 * i + j] * spacing[j] / spacing[i] / scale;
		}
		final float[] gain = new float[channels], offset = new float[channels];
		for (int c = 0; c < channels; c++) {
			gain[c] = (float) (1 + (2 * rng.nextDouble() - 1) * intensityScale);
			offset[c] = (float) ((2 * rng.nextDouble() - 1) * intensityShift);
		}
		return new Draw(flip, matrix, gain, offset);
	}

	private static double[] rotation(final int axis, final double angle) {
		final double c = Math.cos(angle), s = Math.sin(angle);
		final int a = (axis + 1) % 3, b = (axis + 2) % 3;
		final double[] m = new double[9];
		m[3 * axis + axis] = 1;
		m[3 * a + a] = c;
		m[3 * a + b] = -s;
		m[3 * b + a] = s;
		m[3 * b + b] = c;
		return m;
	}

	private static double[] multiply(final double[] p, final double[] q) {
		final double[] m = new double[9];
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++)
				for (int k = 0; k < 3; k++)
					m[3 * i + j] += p[3 * i + k] * q[3 * k + j];
		return m;
	}
}
