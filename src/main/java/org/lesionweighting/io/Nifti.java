package org.lesionweighting.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.lesionweighting.io.VolumeGeometry.NiftiTransforms;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;
import net.imglib2.util.Intervals;

/** NIfTI-1 and NIfTI-2 reading and writing (single file, gzip, header/image pairs for reading). */
final class Nifti {

	private Nifti() {}

	static final class Header {

		ByteOrder order;

		boolean pair;

		long[] dims;

		DataType dataType;

		long voxOffset;

		double slope = 1, inter = 0;

		VolumeGeometry geometry;

		Path dataFile;
	}

	/** Reads the header of a {@code .nii}, {@code .nii.gz} or {@code .hdr} file. */
	static Header readHeader(final Path file) throws IOException {
		Path path = file;
		final String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
		if (lower.endsWith(".img") || lower.endsWith(".img.gz")) {
			// the image half of a pair: read the header next to it
			final String base = file.getFileName().toString().replaceFirst("(?i)\\.img(\\.gz)?$", "");
			path = sibling(file, base, ".hdr", ".hdr.gz", ".HDR");
			if (path == null) throw new IOException(file + ": an .img file without its header " + base + ".hdr.");
		}
		final String name = path.toString();
		try (ByteSource src = ByteSource.open(path, 0)) {
			final Header h = parse(name, src);
			if (!h.pair) h.dataFile = path;
			else {
				final String base = path.getFileName().toString().replaceFirst("(?i)\\.(hdr|img|nii)(\\.gz)?$", "");
				h.dataFile = sibling(path, base, ".img", ".img.gz", ".IMG", ".IMG.GZ");
				if (h.dataFile == null)
					throw new IOException(path + ": a NIfTI header/image pair (magic 'ni1'), but the image file " + base + ".img is missing next to it.");
			}
			return h;
		}
	}

	/**
	 * Byte offsets of the header fields read and written, and the widths of dim-like integers, pixdim-like reals, the
	 * {@code xyzt_units} field and the qform/sform codes (NIfTI-1: short, float, byte, short; NIfTI-2: long, double,
	 * int, int). {@code slope} is followed by {@code scl_inter}, {@code datatype} by {@code bitpix}.
	 */
	private record Layout(int size, int magic, int datatype, int dim, int intBytes, int pixdim, int realBytes, int slope, int descrip, int units,
			int unitBytes, int codes, int codeBytes, int quatern, int srow) {}

	private static final Layout V1 = new Layout(348, 344, 70, 40, 2, 76, 4, 112, 148, 123, 1, 252, 2, 256, 280);

	private static final Layout V2 = new Layout(540, 4, 12, 16, 8, 104, 8, 176, 240, 500, 4, 344, 4, 352, 400);

	/** The first existing file {@code base + ext} next to {@code file}, or {@code null}. */
	private static Path sibling(final Path file, final String base, final String... exts) {
		return Arrays.stream(exts).map(e -> file.resolveSibling(base + e)).filter(Files::isRegularFile).findFirst().orElse(null);
	}

	/** The units of {@code xyzt_units} codes 1..3 (bits 0-2: m, mm, µm) and 8, 16, 24 (bits 3-5: s, ms, µs); others unknown. */
	private static final String[] SPACE_UNITS = { "", "m", "mm", "um", "", "", "", "" }, TIME_UNITS = { "", "s", "ms", "us", "", "", "", "" };

	static Header parse(final String name, final ByteSource src) throws IOException {
		final ByteBuffer first = ByteBuffer.allocate(4);
		try {
			first.put(src.next(4));
		}
		catch (final java.io.EOFException e) {
			throw new IOException(name + ": too short for a NIfTI header (fewer than 4 bytes).", e);
		}
		final int le = first.order(ByteOrder.LITTLE_ENDIAN).getInt(0), be = first.order(ByteOrder.BIG_ENDIAN).getInt(0);
		final Header h = new Header();
		final int version = le == 348 || be == 348 ? 1 : le == 540 || be == 540 ? 2 : 0;
		if (version == 0)
			throw new IOException(name + ": not a NIfTI file: sizeof_hdr is " + le + " (expected 348 for NIfTI-1 or 540 for NIfTI-2, in either byte order).");
		h.order = le == 348 || le == 540 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
		final Layout l = version == 1 ? V1 : V2;
		final byte[] all = new byte[l.size];
		first.get(0, all, 0, 4);
		try {
			src.next(l.size - 4).get(all, 4, l.size - 4);
		}
		catch (final java.io.EOFException e) {
			throw new IOException(name + ": truncated NIfTI-" + version + " header (" + e.getMessage() + ").", e);
		}
		final ByteBuffer b = ByteBuffer.wrap(all).order(h.order);
		final String magic = new String(all, l.magic, 4, StandardCharsets.ISO_8859_1);
		if (magic.equals("n+" + version + "\0")) h.pair = false;
		else if (magic.equals("ni" + version + "\0")) h.pair = true;
		else
			throw new IOException(name + ": not a NIfTI-" + version + " file: magic is '" + printable(magic) + "' (expected 'n+" + version + "' or 'ni"
					+ version + "')" + (version == 1 ? "; Analyze 7.5 files are not supported." : "."));
		final long[] dim = ints(b, l.dim, l.intBytes, 8), codes = ints(b, l.codes, l.codeBytes, 2);
		final double[] pixdim = reals(b, l.pixdim, l.realBytes, 8), scaling = reals(b, l.slope, l.realBytes, 2);
		final int datatype = b.getShort(l.datatype), units = (int) ints(b, l.units, l.unitBytes, 1)[0];
		final int qformCode = (int) codes[0], sformCode = (int) codes[1];
		final double voxOffset = version == 1 ? b.getFloat(108) : (double) b.getLong(168);
		final long nd = dim[0];
		if (nd < 1 || nd > 7) throw new IOException(name + ": invalid NIfTI dim[0] = " + nd + " (the number of dimensions must be 1..7).");
		for (int i = 1; i <= nd; i++)
			if (dim[i] < 1) throw new IOException(name + ": invalid NIfTI dim[" + i + "] = " + dim[i] + " (sizes must be at least 1).");
		for (int i = 5; i <= nd; i++)
			if (dim[i] > 1)
				throw new IOException(name + ": NIfTI dimension " + i + " has size " + dim[i] + "; only 3D and 4D (x, y, z, t) volumes are supported.");
		final long nx = dim[1], ny = nd >= 2 ? dim[2] : 1, nz = nd >= 3 ? dim[3] : 1, nt = nd >= 4 ? dim[4] : 1;
		h.dims = nt > 1 ? new long[] { nx, ny, nz, nt } : new long[] { nx, ny, nz };
		try {
			final long n = Arrays.stream(h.dims).reduce(1, Math::multiplyExact);
			h.dataType = DataType.fromNiftiCode(datatype);
			if (h.dataType == null)
				throw new IOException(name + ": unsupported NIfTI datatype code " + datatype
						+ "; supported: 2 (uint8), 256 (int8), 512 (uint16), 4 (int16), 768 (uint32), 8 (int32), 16 (float32), 64 (float64).");
			Math.multiplyExact(n, h.dataType.bytes());
		}
		catch (final ArithmeticException e) {
			throw new IOException(name + ": the NIfTI dimensions " + Arrays.toString(h.dims) + " overflow (the header is corrupt).", e);
		}
		if (!(voxOffset >= 0 && voxOffset < 9.0e18) || voxOffset != Math.floor(voxOffset))
			throw new IOException(name + ": invalid NIfTI vox_offset " + voxOffset + ".");
		h.voxOffset = (long) voxOffset;
		if (!h.pair && h.voxOffset < l.size) {
			// Some writers leave vox_offset 0 in single files; the data then follow header and extension flag.
			if (h.voxOffset == 0) h.voxOffset = l.size + 4;
			else
				throw new IOException(name + ": NIfTI vox_offset " + h.voxOffset + " lies inside the " + l.size + "-byte header.");
		}
		final double slope = scaling[0], inter = scaling[1];
		if (Double.isFinite(slope) && slope != 0 && Double.isFinite(inter) && (slope != 1 || inter != 0)) {
			h.slope = slope;
			h.inter = inter;
		}
		final double[] spacing = new double[3];
		for (int i = 0; i < 3; i++) {
			final double p = Math.abs(pixdim[i + 1]);
			spacing[i] = i < nd && p > 0 && Double.isFinite(p) ? p : 1;
		}
		final String unit = SPACE_UNITS[units & 7], timeUnit = TIME_UNITS[(units & 0x38) >> 3];
		final double timeStep = nt > 1 && Double.isFinite(pixdim[4]) ? pixdim[4] : 0;
		final double[] srow = Arrays.stream(reals(b, l.srow, l.realBytes, 12)).map(v -> Double.isFinite(v) ? v : 0).toArray();
		final double[] q = Arrays.stream(reals(b, l.quatern, l.realBytes, 6)).map(v -> Double.isFinite(v) ? v : 0).toArray();
		final NiftiTransforms x = new NiftiTransforms(qformCode, sformCode, q[0], q[1], q[2], q[3], q[4], q[5], pixdim[0] < 0 ? -1 : 1, srow);
		final double[] qform = qformCode > 0 ? x.qformMatrix(spacing) : null;
		final double[] ras = sformCode > 0 && valid(srow) ? srow : valid(qform) ? qform : VolumeGeometry.diagonal(spacing);
		h.geometry = VolumeGeometry.fromFile(spacing, unit, rasToLps(ras), timeStep, timeUnit, x);
		return h;
	}

	/** {@code n} integers of {@code bytes} bytes each (1 is unsigned) from {@code offset}. */
	private static long[] ints(final ByteBuffer b, final int offset, final int bytes, final int n) {
		final long[] r = new long[n];
		for (int i = 0; i < n; i++)
			r[i] = switch (bytes) {
				case 1 -> b.get(offset + i) & 0xff;
				case 2 -> b.getShort(offset + 2 * i);
				case 4 -> b.getInt(offset + 4 * i);
				default -> b.getLong(offset + 8 * i);
			};
		return r;
	}

	/** {@code n} floats ({@code bytes} 4) or doubles from {@code offset}. */
	private static double[] reals(final ByteBuffer b, final int offset, final int bytes, final int n) {
		final double[] r = new double[n];
		for (int i = 0; i < n; i++)
			r[i] = bytes == 4 ? b.getFloat(offset + 4 * i) : b.getDouble(offset + 8 * i);
		return r;
	}

	private static void putInts(final ByteBuffer b, final int offset, final int bytes, final long... v) {
		for (int i = 0; i < v.length; i++)
			switch (bytes) {
				case 1 -> b.put(offset + i, (byte) v[i]);
				case 2 -> b.putShort(offset + 2 * i, (short) v[i]);
				case 4 -> b.putInt(offset + 4 * i, (int) v[i]);
				default -> b.putLong(offset + 8 * i, v[i]);
			}
	}

	private static void putReals(final ByteBuffer b, final int offset, final int bytes, final double... v) {
		for (int i = 0; i < v.length; i++)
			if (bytes == 4) b.putFloat(offset + 4 * i, (float) v[i]);
			else
				b.putDouble(offset + 8 * i, v[i]);
	}

	private static String printable(final String s) {
		return s.chars().mapToObj(c -> c >= 32 && c < 127 ? String.valueOf((char) c) : String.format(Locale.ROOT, "\\x%02x", c)).collect(Collectors.joining());
	}

	private static boolean valid(final double[] m) {
		if (m == null || !Arrays.stream(m).allMatch(Double::isFinite)) return false;
		final double det = VolumeGeometry.det3(m);
		return det != 0 && Double.isFinite(det);
	}

	/** RAS ⇄ LPS: negates the x and y rows of a 3×4 matrix. */
	static double[] rasToLps(final double[] m) {
		final double[] r = m.clone();
		for (int i = 0; i < 8; i++)
			r[i] = 0.0 - r[i];
		return r;
	}

	static Volume read(final Path path, final ReadOptions options) throws IOException {
		final Header h = readHeader(path);
		final long nbytes = Intervals.numElements(h.dims) * h.dataType.bytes();
		final boolean gz = ByteSource.isGzip(h.dataFile);
		final long fileSize = Files.size(h.dataFile);
		final long offset = h.voxOffset;
		if (!gz) {
			if (offset > fileSize)
				throw new IOException(h.dataFile + ": NIfTI vox_offset " + offset + " lies past the end of the file (" + fileSize + " bytes).");
			if (fileSize - offset < nbytes)
				throw new IOException(h.dataFile + ": the file is shorter than the header promises: " + Arrays.toString(h.dims) + " " + h.dataType
						+ " voxels need " + nbytes + " bytes from offset " + offset + ", but only " + (fileSize - offset) + " are there (truncated file?).");
		}
		else if (nbytes + offset > fileSize * ByteSource.MAX_INFLATE_RATIO + (1 << 20)) {
			throw new IOException(h.dataFile + ": the header promises " + nbytes + " bytes of voxels, more than this " + fileSize
					+ "-byte gzip file can hold; the header is corrupt or the file truncated.");
		}
		final boolean apply = (h.slope != 1 || h.inter != 0) && !options.rawValues();
		final long memBytes = Intervals.numElements(h.dims) * (apply ? RawData.scaledType(h.dataType).bytes() : h.dataType.bytes());
		RawData.requireHeap(path, h.dims, memBytes);
		options.progress().status("Reading " + path.getFileName());
		try (ByteSource src = ByteSource.open(h.dataFile, offset)) {
			final Img< ? extends RealType< ? > > img = RawData.read(src, h.dataType, h.order, h.dims, apply, h.slope, h.inter, options.arrayLimit(),
					options.progress());
			return new Volume(img, h.geometry, path, h.dataType, h.slope, h.inter, apply);
		}
		catch (final IOException e) {
			if (e.getMessage() != null && e.getMessage().contains(h.dataFile.toString())) throw e;
			throw new IOException(h.dataFile + ": " + e.getMessage(), e);
		}
	}

	/** Writes a NIfTI volume ({@code gzip} for {@code .nii.gz}). */
	static void write(final Path tmp, final RandomAccessibleInterval< ? extends RealType< ? > > img, final VolumeGeometry g, final WriteOptions o,
			final boolean gzip) throws IOException {
		final DataType dt = VolumeIO.dataType(img, o);
		final long[] dims = Intervals.dimensionsAsLongArray(img);
		final ByteBuffer b = header(dims, dt, g, o, Arrays.stream(dims).anyMatch(d -> d > Short.MAX_VALUE) ? 2 : o.niftiVersion());
		try (OutputStream out = VolumeIO.open(tmp, gzip, o.compressionLevel())) {
			out.write(b.array());
			RawData.write(img, dt, o.byteOrder(), out, o.progress());
		}
	}

	static ByteBuffer header(final long[] dims, final DataType dt, final VolumeGeometry g, final WriteOptions o, final int version) {
		final Layout l = version == 1 ? V1 : V2;
		final ByteBuffer b = ByteBuffer.allocate(l.size + 4).order(o.byteOrder());
		final double[] spacing = g.spacing();
		final long[] dim = new long[8];
		dim[0] = dims.length == 2 ? 3 : dims.length;
		for (int i = 0; i < 7; i++)
			dim[i + 1] = i < dims.length ? dims[i] : 1;
		final NiftiTransforms x = transformsFor(g);
		final double[] pixdim = { x.qfac(), spacing[0], spacing[1], spacing[2], g.timeStep() != 0 ? g.timeStep() : 1, 1, 1, 1 };
		final String u = g.unit().toLowerCase(Locale.ROOT);
		int units = switch (u) {
			case "m", "meter", "metre" -> 1;
			case "mm", "millimeter", "millimetre" -> 2;
			case "um", "µm", "micron", "microns", "micrometer" -> 3;
			default -> 0;
		};
		units |= switch (g.timeUnit()) {
			case "s", "sec" -> 8;
			case "ms", "msec" -> 16;
			case "us", "usec" -> 24;
			default -> 0;
		};
		b.putInt(0, l.size);
		if (version == 1) {
			b.put(38, (byte) 'r');
			b.putFloat(108, 352);
			b.put(344, "n+1\0".getBytes(StandardCharsets.US_ASCII));
		}
		else {
			b.put(4, new byte[] { 'n', '+', '2', 0, '\r', '\n', 0x1a, '\n' });
			b.putLong(168, 544);
		}
		putInts(b, l.datatype, 2, dt.niftiCode(), 8 * dt.bytes());
		putInts(b, l.dim, l.intBytes, dim);
		putReals(b, l.pixdim, l.realBytes, pixdim);
		putReals(b, l.slope, l.realBytes, o.scaleSlope(), o.scaleIntercept());
		putInts(b, l.units, l.unitBytes, units);
		b.put(l.descrip, "lesion-weighting".getBytes(StandardCharsets.US_ASCII));
		putInts(b, l.codes, l.codeBytes, x.qformCode(), x.sformCode());
		putReals(b, l.quatern, l.realBytes, x.quaternB(), x.quaternC(), x.quaternD(), x.qoffsetX(), x.qoffsetY(), x.qoffsetZ());
		putReals(b, l.srow, l.realBytes, x.srow());
		return b;
	}

	/**
	 * The orientation fields to write: the raw fields the geometry was read with when they still give
	 * its affine; otherwise sform = affine and qform = its rotation, both with code 1 (scanner) unless the
	 * geometry had codes.
	 */
	static NiftiTransforms transformsFor(final VolumeGeometry g) {
		final double[] ras = rasToLps(g.affine34());
		final NiftiTransforms raw = g.niftiTransforms();
		if (raw != null && close(raw.rasAffine(g.spacing()), ras)) return raw;
		final int q = raw != null && raw.qformCode() > 0 ? raw.qformCode() : 1;
		final int s = raw != null && raw.sformCode() > 0 ? raw.sformCode() : 1;
		return NiftiTransforms.fromRasAffine(ras, q, s);
	}

	private static boolean close(final double[] a, final double[] b) {
		return IntStream.range(0, 12).noneMatch(i -> Math.abs(a[i] - b[i]) > 1e-5 * Math.max(1, Math.abs(b[i])));
	}
}
