package org.lesionweighting.label;

import java.util.Arrays;
import java.util.Objects;

/**
 * One row of a {@link LesionTable}: the measurements of one lesion (one label value). Coordinates are
 * voxel indices of the label image (including its min offset); calibrated coordinates are voxel
 * coordinates times the voxel size (no origin offset). 2D images are volumes of depth 1 (z = 0 voxel
 * coordinate, voxel depth from the voxel size or 1).
 *
 * @param label the label value
 * @param voxelCount number of voxels with this label
 * @param volume {@code voxelCount} times the product of the voxel size (mm³ when calibrated in mm)
 * @param diameterVoxels equivalent-sphere diameter in voxels, (6·voxelCount/π)^(1/3)
 * @param diameter equivalent-sphere diameter in calibrated units, (6·volume/π)^(1/3)
 * @param centroid mean voxel position {x, y, z}
 * @param centroidCalibrated {@code centroid} times the voxel size {x, y, z}
 * @param bboxMin smallest voxel position {x, y, z}
 * @param bboxMax largest voxel position {x, y, z} (inclusive)
 * @param touchesBorder whether a voxel of the lesion lies on a face of the image (in 2D: on an edge)
 */
public record Lesion(long label, long voxelCount, double volume, double diameterVoxels, double diameter, double[] centroid, double[] centroidCalibrated,
		long[] bboxMin, long[] bboxMax, boolean touchesBorder) {

	/** Copies the arrays so that a row is immutable. */
	public Lesion {
		centroid = centroid.clone();
		centroidCalibrated = centroidCalibrated.clone();
		bboxMin = bboxMin.clone();
		bboxMax = bboxMax.clone();
	}

	/** A copy of the centroid {x, y, z} in voxels. */
	@Override
	public double[] centroid() {
		return centroid.clone();
	}

	/** A copy of the centroid {x, y, z} in calibrated units. */
	@Override
	public double[] centroidCalibrated() {
		return centroidCalibrated.clone();
	}

	/** A copy of the bounding-box minimum {x, y, z}. */
	@Override
	public long[] bboxMin() {
		return bboxMin.clone();
	}

	/** A copy of the bounding-box maximum {x, y, z} (inclusive). */
	@Override
	public long[] bboxMax() {
		return bboxMax.clone();
	}

	/** Rows are equal when all their values are equal (arrays compared by content). */
	@Override
	public boolean equals(final Object o) {
		if (this == o) return true;
		if (!(o instanceof Lesion l)) return false;
		return label == l.label && voxelCount == l.voxelCount && Double.compare(volume, l.volume) == 0 && Double.compare(diameterVoxels, l.diameterVoxels) == 0
				&& Double.compare(diameter, l.diameter) == 0 && Arrays.equals(centroid, l.centroid) && Arrays.equals(centroidCalibrated, l.centroidCalibrated)
				&& Arrays.equals(bboxMin, l.bboxMin) && Arrays.equals(bboxMax, l.bboxMax) && touchesBorder == l.touchesBorder;
	}

	@Override
	public int hashCode() {
		return Objects.hash(label, voxelCount, volume, Arrays.hashCode(centroid), Arrays.hashCode(bboxMin), Arrays.hashCode(bboxMax), touchesBorder);
	}

	@Override
	public String toString() {
		return "Lesion[label=" + label + ", voxelCount=" + voxelCount + ", volume=" + volume + ", diameter=" + diameter + ", centroid="
				+ Arrays.toString(centroid) + ", bbox=" + Arrays.toString(bboxMin) + "-" + Arrays.toString(bboxMax) + ", touchesBorder=" + touchesBorder + "]";
	}

	/** The equivalent-sphere diameter (6V/π)^(1/3) of a volume V. */
	public static double sphereDiameter(final double volume) {
		return Math.cbrt(6 * volume / Math.PI);
	}
}
