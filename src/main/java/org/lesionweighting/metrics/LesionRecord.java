package org.lesionweighting.metrics;

import java.util.Locale;

/**
 * One row of the per-image evaluation records (doc/method.md §5.1): a ground-truth lesion or a predicted
 * component of one image.
 * <ul>
 * <li>{@link Kind#LESION} rows: {@code hitDice} = best Dice with an overlapping predicted component (0
 * if none), {@code hitLogit} = peak averaged logit of that component (−∞ if none), {@code hitStat} =
 * its peak probability (0 if none), {@code hitObject} = its label (0 if none), {@code selfLogit} = +∞,
 * {@code selfStat} = 1.</li>
 * <li>{@link Kind#PREDICTION} rows: {@code hitDice} = best Dice with an overlapping lesion (0 if none),
 * {@code hitLogit} = +∞ if it overlaps a lesion else −∞, {@code hitStat} = 1 or 0 likewise,
 * {@code hitObject} = the best lesion's label (0 if none), {@code selfLogit} / {@code selfStat} = the
 * component's peak averaged logit / probability.</li>
 * </ul>
 * Object ids are the raster-order component labels 1..K of the image; 0 means "none".
 *
 * @param image image identifier (records of many images are pooled by this id)
 * @param kind lesion (ground truth) or prediction
 * @param object the component label, ≥ 1
 * @param diameter equivalent-sphere diameter (6V/π)^(1/3) with V the voxel count
 * @param hitDice Dice with the best-overlapping object of the other kind, 0 when none overlaps
 * @param hitLogit see above
 * @param selfLogit see above
 * @param hitObject label of the best-overlapping object of the other kind, 0 when none
 * @param diameterCalibrated (6V'/π)^(1/3) with V' the calibrated volume, NaN if unknown
 * @param hitStat see above, NaN if unknown
 * @param selfStat see above, NaN if unknown
 */
public record LesionRecord(String image, Kind kind, int object, double diameter, double hitDice, double hitLogit, double selfLogit, int hitObject,
		double diameterCalibrated, double hitStat, double selfStat) {

	/** Row kind; {@link #key()} is the CSV spelling. */
	public enum Kind {

		/** A ground-truth lesion ({@code is_tum = True} in the authors' records). */
		LESION,

		/** A predicted component ({@code is_tum = False}). */
		PREDICTION;

		/** The CSV spelling: {@code lesion} or {@code prediction}. */
		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}

		/**
		 * Parses a kind: {@code lesion}/{@code prediction} (case-insensitive), also the authors'
		 * {@code is_tum} values {@code True}/{@code False}.
		 *
		 * @throws IllegalArgumentException naming the accepted values
		 */
		public static Kind fromString(final String s) {
			return switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
				case "lesion", "true" -> LESION;
				case "prediction", "false" -> PREDICTION;
				default -> throw new IllegalArgumentException("LesionRecord.Kind: unknown kind '" + s + "'; use 'lesion' or 'prediction'.");
			};
		}
	}

	/** Checks the invariants of a record. */
	public LesionRecord {
		if (image == null) throw new IllegalArgumentException("LesionRecord: image id must not be null.");
		if (kind == null) throw new IllegalArgumentException("LesionRecord: kind must not be null (lesion or prediction).");
	}

	/** Whether this is a ground-truth lesion row. */
	public boolean isLesion() {
		return kind == Kind.LESION;
	}

	/** The equivalent-sphere diameter (6V/π)^(1/3) of a volume V (voxels or calibrated units³). */
	public static double diameterOfVolume(final double volume) {
		return Math.pow(6 * volume / Math.PI, 1.0 / 3.0);
	}
}
