package org.lesionweighting.io;

import java.nio.ByteOrder;

import org.lesionweighting.util.ProgressListener;

/**
 * Options of {@link VolumeIO#write}. Immutable; build with the {@code with*} methods, e.g.
 * {@code WriteOptions.DEFAULT.withCompressionLevel(1).withDataType(DataType.INT16)}.
 */
public final class WriteOptions {

	/**
	 * gzip/zlib level of {@code .nii.gz} and compressed MetaImage (1 fastest … 9 smallest). Level 1, as
	 * nibabel uses: on CT-like int16 data it writes about 8× faster than level 6 for files about 3% larger.
	 */
	public static final int COMPRESSION_LEVEL_DEFAULT = 1;

	/** NIfTI-1 unless a dimension needs NIfTI-2. */
	public static final int NIFTI_VERSION_DEFAULT = 1;

	/** Natural data type, little endian, level 1, NIfTI-1, uncompressed MetaImage, no scaling. */
	public static final WriteOptions DEFAULT = new WriteOptions(COMPRESSION_LEVEL_DEFAULT, null, NIFTI_VERSION_DEFAULT, ByteOrder.LITTLE_ENDIAN, false, 1, 0,
			ProgressListener.NONE);

	private final int compressionLevel;

	private final DataType dataType;

	private final int niftiVersion;

	private final ByteOrder byteOrder;

	private final boolean compressMetaImage;

	private final double scaleSlope;

	private final double scaleIntercept;

	private final ProgressListener progress;

	private WriteOptions(final int compressionLevel, final DataType dataType, final int niftiVersion, final ByteOrder byteOrder,
			final boolean compressMetaImage, final double scaleSlope, final double scaleIntercept, final ProgressListener progress) {
		this.compressionLevel = compressionLevel;
		this.dataType = dataType;
		this.niftiVersion = niftiVersion;
		this.byteOrder = byteOrder;
		this.compressMetaImage = compressMetaImage;
		this.scaleSlope = scaleSlope;
		this.scaleIntercept = scaleIntercept;
		this.progress = ProgressListener.orNone(progress);
	}

	/** gzip/zlib compression level, 1..9 (0 = stored). */
	public int compressionLevel() {
		return compressionLevel;
	}

	/** The file data type, or {@code null} for the image's natural type ({@link DataType#of}). */
	public DataType dataType() {
		return dataType;
	}

	/** NIfTI version to write (1 or 2). */
	public int niftiVersion() {
		return niftiVersion;
	}

	/** Byte order of the written data and NIfTI header. */
	public ByteOrder byteOrder() {
		return byteOrder;
	}

	/** Whether MetaImage data are zlib-compressed ({@code .zraw} / compressed {@code .mha}). */
	public boolean compressMetaImage() {
		return compressMetaImage;
	}

	/** {@code scl_slope} written to NIfTI (1 = none); voxel values are written as given (raw). */
	public double scaleSlope() {
		return scaleSlope;
	}

	/** {@code scl_inter} written to NIfTI (0 = none). */
	public double scaleIntercept() {
		return scaleIntercept;
	}

	/** The progress listener (never null). */
	public ProgressListener progress() {
		return progress;
	}

	/**
	 * A copy with another compression level.
	 *
	 * @throws IllegalArgumentException unless {@code level} is in [0, 9]
	 */
	public WriteOptions withCompressionLevel(final int level) {
		if (level < 0 || level > 9) throw new IllegalArgumentException("WriteOptions.withCompressionLevel: level must be in [0, 9], but was " + level + ".");
		return new WriteOptions(level, dataType, niftiVersion, byteOrder, compressMetaImage, scaleSlope, scaleIntercept, progress);
	}

	/**
	 * A copy writing {@code type} ({@code null} = the image's natural type). Values are rounded to the
	 * nearest integer and clamped to the type's range when it is an integer type.
	 */
	public WriteOptions withDataType(final DataType type) {
		return new WriteOptions(compressionLevel, type, niftiVersion, byteOrder, compressMetaImage, scaleSlope, scaleIntercept, progress);
	}

	/**
	 * A copy writing NIfTI version 1 or 2.
	 *
	 * @throws IllegalArgumentException unless {@code version} is 1 or 2
	 */
	public WriteOptions withNiftiVersion(final int version) {
		if (version != 1 && version != 2) throw new IllegalArgumentException("WriteOptions.withNiftiVersion: version must be 1 or 2, but was " + version + ".");
		return new WriteOptions(compressionLevel, dataType, version, byteOrder, compressMetaImage, scaleSlope, scaleIntercept, progress);
	}

	/** A copy writing in {@code order} (little endian by default). */
	public WriteOptions withByteOrder(final ByteOrder order) {
		return new WriteOptions(compressionLevel, dataType, niftiVersion, order, compressMetaImage, scaleSlope, scaleIntercept, progress);
	}

	/** A copy that compresses MetaImage data with zlib ({@code .zraw} next to a {@code .mhd}). */
	public WriteOptions withCompressedMetaImage(final boolean compress) {
		return new WriteOptions(compressionLevel, dataType, niftiVersion, byteOrder, compress, scaleSlope, scaleIntercept, progress);
	}

	/**
	 * A copy that stores NIfTI {@code scl_slope}/{@code scl_inter}: the image must hold the raw stored
	 * values (e.g. read with {@link ReadOptions#RAW}); readers then compute {@code raw * slope + inter}.
	 *
	 * @throws IllegalArgumentException if slope is 0 or a value is not finite
	 */
	public WriteOptions withScaling(final double slope, final double intercept) {
		if (!(Double.isFinite(slope) && slope != 0 && Double.isFinite(intercept)))
			throw new IllegalArgumentException(
					"WriteOptions.withScaling: slope must be finite and non-zero and intercept finite, but were " + slope + ", " + intercept + ".");
		return new WriteOptions(compressionLevel, dataType, niftiVersion, byteOrder, compressMetaImage, slope, intercept, progress);
	}

	/** A copy reporting progress to {@code listener}. */
	public WriteOptions withProgress(final ProgressListener listener) {
		return new WriteOptions(compressionLevel, dataType, niftiVersion, byteOrder, compressMetaImage, scaleSlope, scaleIntercept, listener);
	}
}
