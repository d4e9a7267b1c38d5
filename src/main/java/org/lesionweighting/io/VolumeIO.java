package org.lesionweighting.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import org.lesionweighting.util.AtomicFiles;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.util.Intervals;

/**
 * Reads and writes medical volumes, the format chosen by file name extension: NIfTI-1/NIfTI-2
 * ({@code .nii}, {@code .nii.gz}; {@code .hdr}/{@code .img} pairs for reading) and MetaImage
 * ({@code .mhd} with {@code .raw}/{@code .zraw}, {@code .mha}). See {@code doc/formats.md}.
 * <p>
 * Reading streams from the file (or the inflater) straight into the image's primitive arrays; volumes
 * with more than 2^31 voxels become cell images. Writing goes through a temporary file in the target
 * folder and a rename, so a failure leaves no partial output. Every problem with a file is an
 * {@link IOException} naming the file and the problem. Methods are thread-safe (no shared state) and
 * single-threaded. Example:
 * <pre>{@code
 * Volume ct = VolumeIO.read(Paths.get("volume-0.nii.gz"));
 * double[] voxel = ct.geometry().toVoxel(new double[] {-100.2, 10.5, -250.0});
 * VolumeIO.write(Paths.get("copy.mha"), ct.image(), ct.geometry());
 * }</pre>
 */
public final class VolumeIO {

	private VolumeIO() {}

	/** Whether the file name has an extension this class reads ({@code .nii}, {@code .nii.gz}, {@code .hdr}, {@code .mhd}, {@code .mha}). */
	public static boolean isSupported(final Path path) {
		return VolumeFormat.of(path) != null;
	}

	/**
	 * Reads a volume, applying NIfTI {@code scl_slope}/{@code scl_inter} when present.
	 *
	 * @param path a {@code .nii}, {@code .nii.gz}, {@code .hdr}, {@code .mhd} or {@code .mha} file
	 * @return the volume: 3D, or 4D with channels/time points last
	 * @throws IOException if the file is missing, unsupported, truncated or corrupt (the message names it)
	 */
	public static Volume read(final Path path) throws IOException {
		return read(path, ReadOptions.DEFAULT);
	}

	/**
	 * Reads a volume with options, e.g. {@link ReadOptions#RAW} to keep stored values of label images.
	 *
	 * @throws IOException if the file is missing, unsupported, truncated or corrupt (the message names it)
	 */
	public static Volume read(final Path path, final ReadOptions options) throws IOException {
		final ReadOptions o = options == null ? ReadOptions.DEFAULT : options;
		return readFile(path, f -> f.isNifti() ? Nifti.read(path, o) : MetaImage.read(path, o));
	}

	/**
	 * Reads only the header: dimensions, data type, geometry, scaling (cheap, even for {@code .nii.gz}).
	 *
	 * @throws IOException as {@link #read(Path)}
	 */
	public static VolumeHeader readHeader(final Path path) throws IOException {
		return readFile(path, f -> {
			if (!f.isNifti()) {
				final MetaImage.Header h = MetaImage.readHeader(path, ReadOptions.DEFAULT.dataFilesAnywhere());
				return new VolumeHeader(path, f, h.dims, h.dataType, h.geometry, 1, 0);
			}
			final Nifti.Header h = Nifti.readHeader(path);
			return new VolumeHeader(path, f, h.dims, h.dataType, h.geometry, h.slope, h.inter);
		});
	}

	/** Reads a file of a supported format that exists. */
	private interface FormatReader< T > {

		T read(VolumeFormat format) throws IOException;
	}

	private static < T > T readFile(final Path path, final FormatReader< T > reader) throws IOException {
		final VolumeFormat f = VolumeFormat.of(path);
		if (f == null)
			throw new IOException(
					path + ": unsupported file extension; volumes are read from .nii, .nii.gz, .hdr/.img, .mhd or .mha files (TIFF through the Fiji layer).");
		if (!Files.isRegularFile(path)) throw new IOException(path + ": file not found.");
		try {
			return reader.read(f);
		}
		catch (final NoSuchFileException e) {
			throw new IOException(e.getFile() + ": file not found.", e);
		}
	}

	/**
	 * Writes a volume with default options (natural data type, NIfTI-1, gzip level
	 * {@value WriteOptions#COMPRESSION_LEVEL_DEFAULT}).
	 *
	 * @param path target; the extension chooses the format: {@code .nii}, {@code .nii.gz}, {@code .mhd}, {@code .mha}
	 * @param image 2D, 3D or 4D (x, y, z[, t]) image
	 * @throws IOException if the extension is unsupported or writing fails (nothing is left behind)
	 */
	public static void write(final Path path, final RandomAccessibleInterval< ? extends RealType< ? > > image, final VolumeGeometry geometry)
			throws IOException {
		write(path, image, geometry, WriteOptions.DEFAULT);
	}

	/**
	 * Writes a volume with options (data type, compression level, NIfTI version, byte order, scaling).
	 *
	 * @throws IllegalArgumentException if image or geometry is null or the image has not 2..4 dimensions
	 * @throws IOException if the extension is unsupported or writing fails (nothing is left behind)
	 */
	public static void write(final Path path, final RandomAccessibleInterval< ? extends RealType< ? > > image, final VolumeGeometry geometry,
			final WriteOptions options) throws IOException {
		if (image == null || geometry == null) throw new IllegalArgumentException("VolumeIO.write: image and geometry must not be null.");
		final int n = image.numDimensions();
		if (n < 2 || n > 4)
			throw new IllegalArgumentException("VolumeIO.write: the image must have 2, 3 or 4 dimensions (x, y, z[, t]), but has " + n + " "
					+ Arrays.toString(Intervals.dimensionsAsLongArray(image)) + ".");
		final WriteOptions o = options == null ? WriteOptions.DEFAULT : options;
		final VolumeFormat f = VolumeFormat.of(path);
		if (f == null || f == VolumeFormat.NIFTI_PAIR) throw new IOException(path + ": unsupported extension for writing; use .nii, .nii.gz, .mhd or .mha.");
		o.progress().status("Writing " + path.getFileName());
		write(path, f, image, geometry, o);
	}

	/**
	 * Writes {@code file} in {@code format} whatever its name (for callers that write to temporary names).
	 * For {@link VolumeFormat#METAIMAGE_MHD} use {@link #writeMetaImage} to name the data file.
	 *
	 * @throws IOException if the format cannot be written or writing fails (nothing is left behind)
	 */
	public static void write(final Path file, final VolumeFormat format, final RandomAccessibleInterval< ? extends RealType< ? > > image,
			final VolumeGeometry geometry, final WriteOptions options) throws IOException {
		final WriteOptions o = options == null ? WriteOptions.DEFAULT : options;
		switch (format) {
			case NIFTI, NIFTI_GZ -> AtomicFiles.write(file, tmp -> Nifti.write(tmp, image, geometry, o, format == VolumeFormat.NIFTI_GZ));
			case METAIMAGE_MHA -> writeMha(file, image, geometry, o);
			case METAIMAGE_MHD -> writeMetaImage(file, VolumeFormat.stripExtension(file.getFileName().toString()) + (o.compressMetaImage() ? ".zraw" : ".raw"),
					image, geometry, o);
			default -> throw new IOException(file + ": " + format + " cannot be written; use .nii, .nii.gz, .mhd or .mha.");
		}
	}

	/**
	 * Writes a MetaImage header {@code header} whose voxels go to {@code dataFileName} in the same folder
	 * ({@code .raw}, or {@code .zraw} with {@link WriteOptions#withCompressedMetaImage(boolean)}).
	 *
	 * @throws IOException if writing fails; the data file is removed again if the header cannot be written
	 */
	public static void writeMetaImage(final Path header, final String dataFileName, final RandomAccessibleInterval< ? extends RealType< ? > > image,
			final VolumeGeometry geometry, final WriteOptions options) throws IOException {
		final WriteOptions o = options == null ? WriteOptions.DEFAULT : options;
		final DataType dt = dataType(image, o);
		final long[] dims = Intervals.dimensionsAsLongArray(image);
		final Path data = header.resolveSibling(dataFileName);
		AtomicFiles.write(data, tmp -> {
			try (OutputStream out = o.compressMetaImage() ? openZlib(tmp, o.compressionLevel()) : open(tmp, false, 0)) {
				RawData.write(image, dt, o.byteOrder(), out, o.progress());
			}
		});
		boolean ok = false;
		try {
			final long size = o.compressMetaImage() ? Files.size(data) : -1;
			AtomicFiles.writeString(header, MetaImage.header(dims, dt, geometry, o, dataFileName, size));
			ok = true;
		}
		finally {
			if (!ok) Files.deleteIfExists(data);
		}
	}

	/**
	 * Writes a volume; a volume read with {@link ReadOptions#RAW} from a file with scaling keeps its
	 * {@code scl_slope}/{@code scl_inter} and stored data type, so read → write reproduces the file.
	 *
	 * @throws IOException as {@link #write(Path, RandomAccessibleInterval, VolumeGeometry, WriteOptions)}
	 */
	public static void write(final Path path, final Volume volume, final WriteOptions options) throws IOException {
		WriteOptions o = options == null ? WriteOptions.DEFAULT : options;
		if (!volume.isScaled() && (volume.scaleSlope() != 1 || volume.scaleIntercept() != 0)) {
			o = o.withScaling(volume.scaleSlope(), volume.scaleIntercept());
			if (o.dataType() == null && volume.fileDataType() != null) o = o.withDataType(volume.fileDataType());
		}
		write(path, volume.image(), volume.geometry(), o);
	}

	/** {@link #write(Path, Volume, WriteOptions)} with default options. */
	public static void write(final Path path, final Volume volume) throws IOException {
		write(path, volume, WriteOptions.DEFAULT);
	}

	static DataType dataType(final RandomAccessibleInterval< ? extends RealType< ? > > image, final WriteOptions o) {
		return o.dataType() != null ? o.dataType() : DataType.of(image.getType());
	}

	private static void writeMha(final Path path, final RandomAccessibleInterval< ? extends RealType< ? > > image, final VolumeGeometry g, final WriteOptions o)
			throws IOException {
		final DataType dt = dataType(image, o);
		final long[] dims = Intervals.dimensionsAsLongArray(image);
		final Path dir = path.toAbsolutePath().getParent();
		if (o.compressMetaImage() && (dir == null || !Files.isDirectory(dir)))
			throw new IOException("Cannot write " + path + ": the folder " + dir + " does not exist.");
		// compressed: the zlib data go to a temporary file first, since the header must give their size
		final Path data = o.compressMetaImage() ? Files.createTempFile(dir, "." + path.getFileName(), ".zpart") : null;
		try {
			if (data != null) try (OutputStream out = openZlib(data, o.compressionLevel())) {
				RawData.write(image, dt, o.byteOrder(), out, o.progress());
			}
			final long size = data == null ? -1 : Files.size(data);
			AtomicFiles.write(path, tmp -> {
				try (OutputStream out = open(tmp, false, 0)) {
					out.write(MetaImage.header(dims, dt, g, o, "LOCAL", size).getBytes(StandardCharsets.US_ASCII));
					if (data != null) Files.copy(data, out);
					else
						RawData.write(image, dt, o.byteOrder(), out, o.progress());
				}
			});
		}
		finally {
			if (data != null) Files.deleteIfExists(data);
		}
	}

	/** A buffered file output stream, gzip-compressed at {@code level} if {@code gzip}. */
	static OutputStream open(final Path file, final boolean gzip, final int level) throws IOException {
		final OutputStream raw = Files.newOutputStream(file);
		if (!gzip) return new BufferedOutputStream(raw, 1 << 16);
		return new GZIPOutputStream(new BufferedOutputStream(raw, 1 << 20), 1 << 16) {

			{
				def.setLevel(level);
			}
		};
	}

	private static OutputStream openZlib(final Path file, final int level) throws IOException {
		return new DeflaterOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20), new Deflater(level), 1 << 16) {

			@Override
			public void close() throws IOException {
				try {
					super.close();
				}
				finally {
					def.end();
				}
			}
		};
	}
}
