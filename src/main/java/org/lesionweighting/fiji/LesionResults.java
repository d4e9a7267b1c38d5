package org.lesionweighting.fiji;

import java.util.List;

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
	 * Sets values of the table's current row: column names alternating with values, a {@link String} value as
	 * text, any other as a number ({@code addValue(column, double)}).
	 */
	public static void addValues(final ResultsTable rt, final Object... columnsAndValues) {
		for (int i = 0; i < columnsAndValues.length; i += 2)
			if (columnsAndValues[i + 1] instanceof String s) rt.addValue((String) columnsAndValues[i], s);
			else
				rt.addValue((String) columnsAndValues[i], ((Number) columnsAndValues[i + 1]).doubleValue());
	}

	/**
	 * Builds a new table, one row per lesion in the order of {@code table}.
	 *
	 * @param table the lesion table (may be empty: an empty ResultsTable results)
	 * @return a new ResultsTable
	 */
	public static ResultsTable toResultsTable(final LesionTable table) {
		final List< Lesion > rows = table.rows();
		final int n = rows.size();
		final double[][] cols = new double[LesionTable.COLUMNS.size()][n];
		for (int r = 0; r < n; r++) {
			final Lesion l = rows.get(r);
			final double[] c = l.centroid(), cc = l.centroidCalibrated();
			final long[] lo = l.bboxMin(), hi = l.bboxMax();
			// in the order of LesionTable.COLUMNS (as LesionTable.toCsv writes them)
			final double[] v = { l.label(), l.voxelCount(), l.volume(), l.diameterVoxels(), l
					.diameter(), c[0], c[1], c[2], cc[0], cc[1], cc[2], lo[0], lo[1], lo[2], hi[0], hi[1], hi[2], l.touchesBorder() ? 1 : 0 };
			for (int k = 0; k < v.length; k++)
				cols[k][r] = v[k];
		}
		final ResultsTable rt = new ResultsTable(n);
		rt.setPrecision(-6);
		for (int k = 0; k < cols.length; k++)
			rt.setValues(LesionTable.COLUMNS.get(k), cols[k]);
		return rt;
	}
}
