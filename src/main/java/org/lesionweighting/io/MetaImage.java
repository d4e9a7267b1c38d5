package org.lesionweighting.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;
import net.imglib2.util.Intervals;

/** MetaImage ({@code .mhd} + {@code .raw}/{@code .zraw}, {@code .mha}) reading and writing. */
final class MetaImage {

	private MetaImage() {}

	private static final int MAX_HEADER = 1 << 20;

	static final class Header {

		long[] dims;

		DataType dataType;

		ByteOrder order = ByteOrder.LITTLE_ENDIAN;

		VolumeGeometry geometry;

		Path dataFile;

		/** Data offset in {@link #dataFile}; -1 = at the end of the file. */
		long offset;

		boolean compressed;

		long compressedSize = -1;
	}

	/**
	 * Reads a MetaImage header.
	 *
	 * @param anyDataFile accept an {@code ElementDataFile} outside the header's folder ({@code ..}, absolute paths)
	 */
	static Header readHeader(final Path path, final boolean anyDataFile) throws IOException {
		final long fileSize = Files.size(path);
		final byte[] bytes;
		try (InputStream in = Files.newInputStream(path)) {
			bytes = in.readNBytes((int) Math.min(fileSize, MAX_HEADER));
		}
		final Map< String, String > keys = new LinkedHashMap<>();
		// ISO-8859-1 turns each byte into the char of the same value
		final String text = new String(bytes, StandardCharsets.ISO_8859_1);
		int pos = 0, lineNo = 0;
		long headerEnd = -1;
		while (pos < text.length()) {
			int end = text.indexOf('\n', pos);
			if (end < 0) end = text.length();
			lineNo++;
			final String raw = text.substring(pos, end);
			if (raw.chars().anyMatch(c -> c < 32 && c != '\t' && c != '\r'))
				throw new IOException(path + ": not a MetaImage header: binary data on line " + lineNo + " before ElementDataFile.");
			final String line = raw.trim();
			pos = end + 1;
			if (line.isEmpty()) continue;
			final int eq = line.indexOf('=');
			if (eq <= 0) throw new IOException(path + ": not a MetaImage header: line " + lineNo + " '" + abbreviate(line) + "' is not 'Key = Value'.");
			final String key = line.substring(0, eq).trim().toLowerCase(Locale.ROOT);
			final String value = line.substring(eq + 1).trim();
			keys.put(key, value);
			if (key.equals("elementdatafile")) {
				if (end >= text.length())
					throw new IOException(path + ": the MetaImage header ends without a line break after ElementDataFile (truncated file?).");
				headerEnd = pos;
				break;
			}
		}
		if (headerEnd < 0)
			throw new IOException(path + ": not a MetaImage header: no ElementDataFile line "
					+ (bytes.length >= MAX_HEADER ? "in the first 1 MB." : "(file ends after " + lineNo + " lines)."));
		final String objectType = keys.get("objecttype");
		if (objectType != null && !objectType.equalsIgnoreCase("Image"))
			throw new IOException(path + ": MetaImage ObjectType is '" + objectType + "'; only Image is supported.");
		final Header h = new Header();
		final int nd = (int) integer(path, keys, "NDims");
		if (nd < 2 || nd > 4) throw new IOException(path + ": MetaImage NDims = " + nd + "; only 2, 3 and 4 are supported.");
		final double[] dimSize = numbers(path, keys, nd, "DimSize");
		if (dimSize == null) throw new IOException(path + ": the MetaImage header has no DimSize.");
		final long[] d = new long[nd];
		for (int i = 0; i < nd; i++) {
			if (!(dimSize[i] >= 1 && dimSize[i] < 1e15) || dimSize[i] != Math.floor(dimSize[i]))
				throw new IOException(path + ": invalid MetaImage DimSize " + keys.get("dimsize") + " (sizes must be positive integers).");
			d[i] = (long) dimSize[i];
		}
		h.dims = nd == 2 ? new long[] { d[0], d[1], 1 } : nd == 4 && d[3] == 1 ? new long[] { d[0], d[1], d[2] } : d;
		final String channels = keys.get("elementnumberofchannels");
		if (channels != null && !channels.trim().equals("1"))
			throw new IOException(path + ": MetaImage ElementNumberOfChannels = " + channels + "; only 1 is supported.");
		final String et = keys.get("elementtype");
		if (et == null) throw new IOException(path + ": the MetaImage header has no ElementType.");
		h.dataType = DataType.fromMetaType(et);
		if (h.dataType == null)
			throw new IOException(path + ": unsupported MetaImage ElementType " + et
					+ "; supported: MET_UCHAR, MET_CHAR, MET_USHORT, MET_SHORT, MET_UINT, MET_INT, MET_FLOAT, MET_DOUBLE.");
		try {
			Math.multiplyExact(Arrays.stream(h.dims).reduce(1, Math::multiplyExact), h.dataType.bytes());
		}
		catch (final ArithmeticException e) {
			throw new IOException(path + ": the MetaImage DimSize " + Arrays.toString(d) + " overflows (the header is corrupt).", e);
		}
		if (bool(keys.getOrDefault("binarydatabyteordermsb", keys.get("elementbyteordermsb")))) h.order = ByteOrder.BIG_ENDIAN;
		h.compressed = bool(keys.get("compresseddata"));
		if (keys.containsKey("compresseddatasize")) h.compressedSize = integer(path, keys, "CompressedDataSize");
		// geometry
		final double[] spacing = numbers(path, keys, nd, "ElementSpacing", "ElementSize");
		final double[] s3 = { 1, 1, 1 };
		if (spacing != null) System.arraycopy(spacing, 0, s3, 0, Math.min(3, nd));
		if (!Arrays.stream(s3).allMatch(v -> v > 0 && Double.isFinite(v)))
			throw new IOException(path + ": invalid MetaImage ElementSpacing " + Arrays.toString(spacing) + " (must be positive).");
		final double[] origin = numbers(path, keys, nd, "Offset", "Position", "Origin");
		final double[] o3 = new double[3];
		if (origin != null) System.arraycopy(origin, 0, o3, 0, Math.min(3, nd));
		final double[] t = numbers(path, keys, nd * nd, "TransformMatrix", "Rotation", "Orientation");
		final double[] a = new double[12];
		for (int r = 0; r < 3; r++) {
			for (int c = 0; c < 3; c++) {
				final double dir = t == null || r >= nd || c >= nd ? (r == c ? 1 : 0) : t[c * nd + r];
				a[4 * r + c] = dir * s3[c];
			}
			a[4 * r + 3] = o3[r];
		}
		if (!Arrays.stream(a).allMatch(Double::isFinite)) throw new IOException(path + ": invalid MetaImage geometry (non-finite TransformMatrix or Offset).");
		final double det = VolumeGeometry.det3(a);
		if (det == 0 || !Double.isFinite(det)) throw new IOException(path + ": the MetaImage TransformMatrix is singular.");
		h.geometry = VolumeGeometry.fromFile(s3, "mm", a, 0, "", null);
		// data
		final String edf = keys.get("elementdatafile");
		final long headerSize = keys.containsKey("headersize") ? integer(path, keys, "HeaderSize") : 0;
		if (edf.equalsIgnoreCase("LOCAL")) {
			h.dataFile = path;
			h.offset = headerEnd;
		}
		else {
			if (edf.equalsIgnoreCase("LIST") || edf.contains("%"))
				throw new IOException(
						path + ": MetaImage ElementDataFile '" + edf + "' (a file list or pattern) is not supported; use one data file or LOCAL.");
			final Path parent = path.toAbsolutePath().normalize().getParent();
			h.dataFile = parent.resolve(edf).normalize();
			if (!anyDataFile && !inside(parent, h.dataFile))
				throw new IOException(path + ": the MetaImage data file '" + edf + "' (" + h.dataFile + ") is outside the header's folder " + parent
						+ "; only files in that folder or below are read. Move the data file next to the header, or allow it with -D"
						+ ReadOptions.DATA_FILES_ANYWHERE_PROPERTY + "=true (ReadOptions.withDataFilesAnywhere).");
			if (!Files.isRegularFile(h.dataFile)) throw new IOException(path + ": the MetaImage data file " + h.dataFile + " does not exist.");
			h.offset = headerSize == -1 ? -1 : Math.max(0, headerSize);
		}
		if (h.offset == -1 && h.compressed) throw new IOException(path + ": MetaImage HeaderSize = -1 cannot be used with CompressedData = True.");
		return h;
	}

	/** Whether {@code file} lies in {@code folder} or below, also after resolving symbolic links. */
	private static boolean inside(final Path folder, final Path file) {
		if (!file.startsWith(folder)) return false;
		try {
			return !Files.exists(file) || file.toRealPath().startsWith(folder.toRealPath());
		}
		catch (final IOException e) {
			return false;
		}
	}

	private static String abbreviate(final String s) {
		return s.length() > 60 ? s.substring(0, 60) + "…" : s;
	}

	private static boolean bool(final String v) {
		return v != null && (v.trim().equalsIgnoreCase("true") || v.trim().equals("1"));
	}

	private static long integer(final Path path, final Map< String, String > keys, final String key) throws IOException {
		final String v = keys.get(key.toLowerCase(Locale.ROOT));
		if (v == null) throw new IOException(path + ": the MetaImage header has no " + key + ".");
		try {
			return Long.parseLong(v.trim());
		}
		catch (final NumberFormatException e) {
			throw new IOException(path + ": MetaImage " + key + " = '" + abbreviate(v) + "' is not an integer.", e);
		}
	}

	/** The first n numbers of the first of {@code names} that the header has, or {@code null} if it has none. */
	private static double[] numbers(final Path path, final Map< String, String > keys, final int n, final String... names) throws IOException {
		final String key = Arrays.stream(names).filter(k -> keys.containsKey(k.toLowerCase(Locale.ROOT))).findFirst().orElse(null);
		if (key == null) return null;
		final String v = keys.get(key.toLowerCase(Locale.ROOT));
		final String[] parts = v.trim().split("[\\s,]+");
		if (parts.length < n)
			throw new IOException(path + ": MetaImage " + key + " = '" + abbreviate(v) + "' has " + parts.length + " values, expected " + n + ".");
		final double[] r = new double[n];
		try {
			for (int i = 0; i < n; i++)
				r[i] = Double.parseDouble(parts[i]);
		}
		catch (final NumberFormatException e) {
			throw new IOException(path + ": MetaImage " + key + " = '" + abbreviate(v) + "' is not a list of numbers.", e);
		}
		return r;
	}

	static Volume read(final Path path, final ReadOptions options) throws IOException {
		final Header h = readHeader(path, options.dataFilesAnywhere());
		final long nbytes = Intervals.numElements(h.dims) * h.dataType.bytes();
		final long fileSize = Files.size(h.dataFile);
		long offset = h.offset;
		if (!h.compressed) {
			if (offset == -1) offset = fileSize - nbytes;
			if (offset < 0 || fileSize - offset < nbytes)
				throw new IOException(h.dataFile + ": the data are shorter than the MetaImage header promises: " + Arrays.toString(h.dims) + " "
						+ h.dataType.metaType() + " voxels need " + nbytes + " bytes, but only " + Math.max(0, fileSize - Math.max(0, h.offset))
						+ " are there (truncated file?).");
		}
		else {
			final long avail = fileSize - offset;
			if (avail <= 0) throw new IOException(h.dataFile + ": the compressed MetaImage data are missing (file ends at the header).");
			if (nbytes > avail * ByteSource.MAX_INFLATE_RATIO + (1 << 20))
				throw new IOException(h.dataFile + ": the header promises " + nbytes + " bytes of voxels, more than " + avail
						+ " compressed bytes can hold; the header is corrupt or the file truncated.");
		}
		RawData.requireHeap(path, h.dims, nbytes);
		options.progress().status("Reading " + path.getFileName());
		try (ByteSource src = h.compressed ? ByteSource.inflating(h.dataFile, offset, false) : ByteSource.plain(h.dataFile, offset)) {
			final Img< ? extends RealType< ? > > img = RawData.read(src, h.dataType, h.order, h.dims, false, 1, 0, options.arrayLimit(), options.progress());
			return new Volume(img, h.geometry, path, h.dataType, 1, 0, false);
		}
	}

	/** The header text; {@code dataFile} is {@code LOCAL} or a file name. */
	static String header(final long[] dims, final DataType dt, final VolumeGeometry g, final WriteOptions o, final String dataFile, final long compressedSize) {
		final int nd = dims.length == 2 ? 3 : dims.length;
		final double[][] a = g.affine();
		final double[] s = g.spacing();
		final StringBuilder t = new StringBuilder();
		for (int c = 0; c < nd; c++)
			for (int r = 0; r < nd; r++)
				t.append(c + r == 0 ? "" : " ").append(fmt(r < 3 && c < 3 ? a[r][c] / s[c] : r == c ? 1 : 0));
		final StringBuilder sb = new StringBuilder();
		sb.append("ObjectType = Image\n");
		sb.append("NDims = ").append(nd).append('\n');
		sb.append("BinaryData = True\n");
		sb.append("BinaryDataByteOrderMSB = ").append(o.byteOrder() == ByteOrder.BIG_ENDIAN ? "True" : "False").append('\n');
		sb.append("CompressedData = ").append(compressedSize >= 0 ? "True" : "False").append('\n');
		if (compressedSize >= 0) sb.append("CompressedDataSize = ").append(compressedSize).append('\n');
		sb.append("TransformMatrix = ").append(t).append('\n');
		sb.append("Offset = ").append(join(nd, g.origin(), 0)).append('\n');
		sb.append("CenterOfRotation = ").append(join(nd, new double[3], 0)).append('\n');
		sb.append("ElementSpacing = ").append(join(nd, s, g.timeStep() > 0 ? g.timeStep() : 1)).append('\n');
		sb.append("DimSize = ").append(IntStream.range(0, nd).mapToObj(i -> String.valueOf(i < dims.length ? dims[i] : 1)).collect(Collectors.joining(" ")))
				.append('\n');
		sb.append("ElementType = ").append(dt.metaType()).append('\n');
		sb.append("ElementDataFile = ").append(dataFile).append('\n');
		return sb.toString();
	}

	private static String join(final int nd, final double[] v3, final double fourth) {
		return IntStream.range(0, nd).mapToObj(i -> fmt(i < 3 ? v3[i] : fourth)).collect(Collectors.joining(" "));
	}

	static String fmt(final double v) {
		return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
	}
}
