package org.lesionweighting.fiji;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
		final List< Lesion > rows = table.rows();
		final int n = rows.size();
		final Map< String, double[] > cols = new LinkedHashMap<>();
		for (final String c : LesionTable.COLUMNS)
			cols.put(c, new double[n]);
		final String[] axes = { "x", "y", "z" };
		for (int r = 0; r < n; r++) {
			final Lesion l = rows.get(r);
			cols.get("label")[r] = l.label();
			cols.get("voxel_count")[r] = l.voxelCount();
			cols.get("volume")[r] = l.volume();
			cols.get("diameter_voxels")[r] = l.diameterVoxels();
			cols.get("diameter")[r] = l.diameter();
			for (int d = 0; d < 3; d++) {
				cols.get("centroid_" + axes[d])[r] = l.centroid()[d];
				cols.get("centroid_" + axes[d] + "_cal")[r] = l.centroidCalibrated()[d];
				cols.get("bbox_min_" + axes[d])[r] = l.bboxMin()[d];
				cols.get("bbox_max_" + axes[d])[r] = l.bboxMax()[d];
			}
			cols.get("touches_border")[r] = l.touchesBorder() ? 1 : 0;
		}
		final ResultsTable rt = new ResultsTable(n);
		rt.setPrecision(-6);
		for (final Map.Entry< String, double[] > e : cols.entrySet())
			rt.setValues(e.getKey(), e.getValue());
		return rt;
	}
}
