package org.lesionweighting.io;

import java.nio.file.Path;

/**
 * What a volume file's header says, read without the voxels.
 *
 * @param format the file format
 * @param dimensions image dimensions (3, or 4 with channels/time points last)
 * @param dataType stored data type
 * @param geometry spacing, unit, affine
 * @param scaleSlope NIfTI {@code scl_slope} (1 if none)
 * @param scaleIntercept NIfTI {@code scl_inter} (0 if none)
 */
public record VolumeHeader(Path path, VolumeFormat format, long[] dimensions, DataType dataType, VolumeGeometry geometry, double scaleSlope,
		double scaleIntercept) {

	/** Copies the dimensions. */
	public VolumeHeader {
		dimensions = dimensions.clone();
	}

	/** Image dimensions, a copy. */
	@Override
	public long[] dimensions() {
		return dimensions.clone();
	}
}
