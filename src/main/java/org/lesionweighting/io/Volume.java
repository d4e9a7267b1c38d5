package org.lesionweighting.io;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * A medical volume: voxels as an ImgLib2 image plus its {@link VolumeGeometry}.
 * <p>
 * The image is indexed (x, y, z) for one 3D volume, or (x, y, z, t) for a 4D file whose fourth
 * dimension holds channels or time points. Readers return concrete types: {@code UnsignedByteType},
 * {@code ByteType}, {@code UnsignedShortType}, {@code ShortType}, {@code UnsignedIntType}, {@code IntType},
 * {@code FloatType}, {@code DoubleType}; {@code FloatType}/{@code DoubleType} when NIfTI scaling was applied.
 * Use {@link #requireSingle3D(String)} where exactly one 3D volume is needed. Immutable apart from the
 * voxels, which callers may change.
 *
 * @param image the voxels, (x, y, z) or (x, y, z, t)
 * @param geometry spacing, unit, affine
 * @param source the file this volume was read from, or {@code null}
 * @param fileDataType the data type stored in the file, or {@code null} for volumes made in memory
 * @param scaleSlope the file's {@code scl_slope} (1 if none)
 * @param scaleIntercept the file's {@code scl_inter} (0 if none)
 * @param isScaled whether the voxels hold scaled values ({@code raw * slope + inter}); {@code false} when the
 *          file had no scaling or was read with {@link ReadOptions#rawValues()}
 */
public record Volume(RandomAccessibleInterval< ? extends RealType< ? > > image, VolumeGeometry geometry, Path source, DataType fileDataType,
		double scaleSlope, double scaleIntercept, boolean isScaled) {

	/**
	 * A volume from an image in memory.
	 *
	 * @param image 3D (x, y, z) or 4D (x, y, z, t) image; a 2D image is a volume of depth 1
	 */
	public Volume(final RandomAccessibleInterval< ? extends RealType< ? > > image, final VolumeGeometry geometry) {
		this(image, geometry, null, null, 1, 0, false);
	}

	/** Checks that image and geometry are given and the image has 2 to 4 dimensions. */
	public Volume {
		if (image == null || geometry == null) throw new IllegalArgumentException("Volume: image and geometry must not be null.");
		final int n = image.numDimensions();
		if (n < 2 || n > 4)
			throw new IllegalArgumentException("Volume: the image must have 2, 3 or 4 dimensions (x, y, z[, t]), but has " + n + " "
					+ Arrays.toString(Intervals.dimensionsAsLongArray(image)) + ".");
	}

	/**
	 * The voxels with a type variable that generic algorithms ({@code <T extends RealType<T>>}) accept,
	 * e.g. {@code LesionLabeling.label(volume.typedImage(), Connectivity.TWENTY_SIX)}. Every ImgLib2 real
	 * type {@code T} implements {@code RealType<T>}, so the cast is safe.
	 */
	@SuppressWarnings("unchecked")
	public < T extends RealType< T > > RandomAccessibleInterval< T > typedImage() {
		return (RandomAccessibleInterval< T >) image;
	}

	/** Voxel size (x, y, z), a copy. */
	public double[] spacing() {
		return geometry.spacing();
	}

	/** Spatial unit, e.g. {@code "mm"}. */
	public String unit() {
		return geometry.unit();
	}

	/** World (LPS) from voxel affine, 4×4. */
	public double[][] affine() {
		return geometry.affine();
	}

	public long[] dimensions() {
		return Intervals.dimensionsAsLongArray(image);
	}

	/** Number of channels or time points: the size of dimension 3, or 1 for a 3D volume. */
	public int numTimePoints() {
		return image.numDimensions() > 3 ? (int) image.dimension(3) : 1;
	}

	/** Whether this is a single 2D or 3D volume (no fourth dimension, or one of size 1). */
	public boolean isSingle3D() {
		return numTimePoints() == 1;
	}

	/**
	 * The image as one 3D volume (a 4D image with one time point is sliced; a 2D image gets depth 1).
	 *
	 * @param operation the operation that needs one volume, used in the message
	 * @return a 3D view (x, y, z)
	 * @throws IllegalArgumentException if the volume has several channels or time points; the message
	 *           names the dimensions found and the remedy
	 */
	public RandomAccessibleInterval< ? extends RealType< ? > > requireSingle3D(final String operation) {
		if (!isSingle3D())
			throw new IllegalArgumentException(
					operation + ": needs one 3D volume, but " + (source == null ? "the image" : source.toString()) + " has 4 dimensions " + dimensionsString()
							+ " (" + numTimePoints() + " channels or time points). Split it first and pass one 3D volume (Volume.timePoint(t)).");
		return as3D(image);
	}

	/**
	 * One channel or time point as a 3D volume (a view, no copy), with the same geometry.
	 *
	 * @param t index in [0, {@link #numTimePoints()})
	 * @throws IllegalArgumentException if {@code t} is out of range
	 */
	public Volume timePoint(final int t) {
		if (t < 0 || t >= numTimePoints())
			throw new IllegalArgumentException("Volume.timePoint: t must be in [0, " + numTimePoints() + "), but was " + t + ".");
		final RandomAccessibleInterval< ? extends RealType< ? > > v = image.numDimensions() > 3 ? Views.hyperSlice(image, 3, image.min(3) + t) : as3D(image);
		return new Volume(v, geometry, source, fileDataType, scaleSlope, scaleIntercept, isScaled);
	}

	private static RandomAccessibleInterval< ? extends RealType< ? > > as3D(final RandomAccessibleInterval< ? extends RealType< ? > > img) {
		if (img.numDimensions() == 3) return img;
		if (img.numDimensions() == 2) return Views.addDimension(img, 0, 0);
		return Views.hyperSlice(img, 3, img.min(3));
	}

	/** Dimensions as {@code 182×218×182}. */
	public String dimensionsString() {
		return Arrays.stream(dimensions()).mapToObj(Long::toString).collect(Collectors.joining("×"));
	}

	@Override
	public String toString() {
		return "Volume[" + dimensionsString() + " " + image.getType().getClass().getSimpleName() + ", " + geometry + (source != null ? ", " + source : "")
				+ "]";
	}
}
