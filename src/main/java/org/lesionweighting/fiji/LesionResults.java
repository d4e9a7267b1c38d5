package org.lesionweighting.fiji;

import ij.measure.ResultsTable;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.IntType;

/**
 * Builds the IJ1 {@link ResultsTable} of a label image: one row per lesion.
 */
public final class LesionResults {

	private LesionResults() {}

	/**
	 * Measures the lesions of {@code labels} (labels 1..numLabels) into a new table.
	 *
	 * @param labels a label image, 0 = background
	 * @param numLabels the largest label
	 * @param voxelSize voxel size (x, y, z)
	 * @return the table, one row per label with at least one voxel
	 */
	public static ResultsTable measure(final Img< IntType > labels, final int numLabels, final double[] voxelSize) {
		final long[] n = LabelImages.counts(labels, numLabels);
		final double vv = voxelSize[0] * voxelSize[1] * voxelSize[2];
		final ResultsTable rt = new ResultsTable();
		rt.setPrecision(-6);
		for (int l = 1; l <= numLabels; l++) {
			if (n[l] == 0) continue;
			rt.incrementCounter();
			rt.addValue("label", l);
			rt.addValue("voxel_count", n[l]);
			rt.addValue("volume", n[l] * vv);
		}
		return rt;
	}
}
