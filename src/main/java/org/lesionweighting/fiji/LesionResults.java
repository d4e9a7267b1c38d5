package org.lesionweighting.fiji;

import org.lesionweighting.label.Lesion;
import org.lesionweighting.label.LesionTable;

import ij.measure.ResultsTable;

/**
 * Converts the core's {@link LesionTable} into an ImageJ 1 {@link ResultsTable} with the same columns
 * ({@link LesionTable#COLUMNS}; {@code touches_border} as 1/0), so that macros can read it with
 * {@code getResult("volume", i)}.
 */
public final class LesionResults {

	private LesionResults() {}

	/**
	 * Builds a new table, one row per lesion in the order of {@code table}.
	 *
	 * @param table the lesion table (may be empty: an empty ResultsTable results)
	 * @return a new ResultsTable
	 */
	public static ResultsTable toResultsTable(final LesionTable table) {
		final ResultsTable rt = new ResultsTable();
		rt.setPrecision(-6);
		for (final Lesion l : table.rows()) {
			rt.incrementCounter();
			rt.addValue("label", l.label());
			rt.addValue("voxel_count", l.voxelCount());
			rt.addValue("volume", l.volume());
			rt.addValue("diameter_voxels", l.diameterVoxels());
			rt.addValue("diameter", l.diameter());
			final String[] axes = { "x", "y", "z" };
			for (int d = 0; d < 3; d++)
				rt.addValue("centroid_" + axes[d], l.centroid()[d]);
			for (int d = 0; d < 3; d++)
				rt.addValue("centroid_" + axes[d] + "_cal", l.centroidCalibrated()[d]);
			for (int d = 0; d < 3; d++)
				rt.addValue("bbox_min_" + axes[d], l.bboxMin()[d]);
			for (int d = 0; d < 3; d++)
				rt.addValue("bbox_max_" + axes[d], l.bboxMax()[d]);
			rt.addValue("touches_border", l.touchesBorder() ? 1 : 0);
		}
		return rt;
	}
}
