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

import org.lesionweighting.io.VolumeGeometry.NiftiTransforms;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;
import net.imglib2.util.Intervals;

/** NIfTI-1 and NIfTI-2 reading and writing (single file, gzip, header/image pairs for reading). */
final class Nifti {

	private Nifti() {}

	static final class Header {

		int version;

		ByteOrder order;

		boolean pair;

		long[] dims;

		DataType dataType;

		long voxOffset;

		double slope = 1, inter = 0;

		VolumeGeometry geometry;

		Path dataFile;

		String name;

		long numElements() {
			return Intervals.numElements(dims);
		}
	}

	/** Reads the header of a {@code .nii}, {@code .nii.gz} or {@code .hdr} file. */
	static Header readHeader(final Path file) throws IOException {
		Path path = file;
		final String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
		if (lower.endsWith(".img") || lower.endsWith(".img.gz")) {
			// the image half of a pair: read the header next to it
			final String base = file.getFileName().toString().replaceFirst("(?i)\\.img(\\.gz)?$", "");
			path = null;
			for (final String ext : new String[] { ".hdr", ".hdr.gz", ".HDR" })
				if (path == null && Files.isRegularFile(file.resolveSibling(base + ext))) path = file.resolveSibling(base + ext);
			if (path == null) throw new IOException(file + ": an .img file without its header " + base + ".hdr.");
		}
		final String name = path.toString();
		try (ByteSource src = ByteSource.open(path, 0)) {
			final Header h = parse(name, src);
			h.name = name;
			h.dataFile = h.pair ? imageFileOf(path) : path;
			return h;
		}
	}

	private static Path imageFileOf(final Path hdr) throws IOException {
		final String fn = hdr.getFileName().toString();
		final String base = fn.replaceFirst("(?i)\\.(hdr|img|nii)(\\.gz)?$", "");
		for (final String ext : new String[] { ".img", ".img.gz", ".IMG", ".IMG.GZ" }) {
			final Path p = hdr.resolveSibling(base + ext);
			if (Files.isRegularFile(p)) return p;
		}
		throw new IOException(hdr + ": a NIfTI header/image pair (magic 'ni1'), but the image file " + base + ".img is missing next to it.");
	}

	static Header parse(final String name, final ByteSource src) throws IOException {
		final ByteBuffer first;
		try {
			first = ByteBuffer.wrap(src.readBytes(4));
		}
		catch (final java.io.EOFException e) {
			throw new IOException(name + ": too short for a NIfTI header (fewer than 4 bytes).", e);
		}
		final int le = first.order(ByteOrder.LITTLE_ENDIAN).getInt(0), be = first.order(ByteOrder.BIG_ENDIAN).getInt(0);
		final Header h = new Header();
		if (le == 348 || be == 348) h.version = 1;
		else if (le == 540 || be == 540) h.version = 2;
		else
			throw new IOException(name + ": not a NIfTI file: sizeof_hdr is " + le + " (expected 348 for NIfTI-1 or 540 for NIfTI-2, in either byte order).");
		h.order = le == 348 || le == 540 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
		final int size = h.version == 1 ? 348 : 540;
		final byte[] all = new byte[size];
		first.get(0, all, 0, 4);
		try {
			src.next(size - 4).get(all, 4, size - 4);
		}
		catch (final java.io.EOFException e) {
			throw new IOException(name + ": truncated NIfTI-" + h.version + " header (" + e.getMessage() + ").", e);
		}
		final ByteBuffer b = ByteBuffer.wrap(all).order(h.order);
		if (h.version == 1) parse1(name, b, h);
		else
			parse2(name, b, h);
		return h;
	}

	private static void parse1(final String name, final ByteBuffer b, final Header h) throws IOException {
		final String magic = new String(all(b, 344, 4), StandardCharsets.ISO_8859_1);
		if (magic.equals("n+1\0")) h.pair = false;
		else if (magic.equals("ni1\0")) h.pair = true;
		else
			throw new IOException(
					name + ": not a NIfTI-1 file: magic is '" + printable(magic) + "' (expected 'n+1' or 'ni1'); Analyze 7.5 files are not supported.");
		final long[] dim = new long[8];
		for (int i = 0; i < 8; i++)
			dim[i] = b.getShort(40 + 2 * i);
		final double[] pixdim = new double[8];
		for (int i = 0; i < 8; i++)
			pixdim[i] = b.getFloat(76 + 4 * i);
		final double[] srow = new double[12];
		for (int i = 0; i < 12; i++)
			srow[i] = b.getFloat(280 + 4 * i);
		finish(name, h, dim, b.getShort(70), pixdim, b.getFloat(108), b.getFloat(112), b.getFloat(116), b.get(123) & 0xff, b.getShort(252), b.getShort(254), //
				new double[] { b.getFloat(256), b.getFloat(260), b.getFloat(264), b.getFloat(268), b.getFloat(272), b.getFloat(276) }, srow);
	}

	private static void parse2(final String name, final ByteBuffer b, final Header h) throws IOException {
		final String magic = new String(all(b, 4, 4), StandardCharsets.ISO_8859_1);
		if (magic.equals("n+2\0")) h.pair = false;
		else if (magic.equals("ni2\0")) h.pair = true;
		else
			throw new IOException(name + ": not a NIfTI-2 file: magic is '" + printable(magic) + "' (expected 'n+2' or 'ni2').");
		final long[] dim = new long[8];
		for (int i = 0; i < 8; i++)
			dim[i] = b.getLong(16 + 8 * i);
		final double[] pixdim = new double[8];
		for (int i = 0; i < 8; i++)
			pixdim[i] = b.getDouble(104 + 8 * i);
		final double[] srow = new double[12];
		for (int i = 0; i < 12; i++)
			srow[i] = b.getDouble(400 + 8 * i);
		final long off = b.getLong(168);
		finish(name, h, dim, b.getShort(12), pixdim, off, b.getDouble(176), b.getDouble(184), b.getInt(500), b.getInt(344), b.getInt(348), //
				new double[] { b.getDouble(352), b.getDouble(360), b.getDouble(368), b.getDouble(376), b.getDouble(384), b.getDouble(392) }, srow);
	}

	private static byte[] all(final ByteBuffer b, final int off, final int n) {
		final byte[] r = new byte[n];
		b.get(off, r, 0, n);
		return r;
	}

	private static String printable(final String s) {
		final StringBuilder sb = new StringBuilder();
		for (final char c : s.toCharArray())
			sb.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format(Locale.ROOT, "\\x%02x", (int) c));
		return sb.toString();
	}

	private static void finish(final String name, final Header h, final long[] dim, final int datatype, final double[] pixdim, final double voxOffset,
			final double slope, final double inter, final int units, final int qformCode, final int sformCode, final double[] quat, final double[] srow)
			throws IOException {
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
			long n = 1;
			for (final long d : h.dims)
				n = Math.multiplyExact(n, d);
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
		final int hdrSize = h.version == 1 ? 348 : 540;
		if (!h.pair && h.voxOffset < hdrSize) {
			// Some writers leave vox_offset 0 in single files; the data then follow header and extension flag.
			if (h.voxOffset == 0) h.voxOffset = hdrSize + 4;
			else
				throw new IOException(name + ": NIfTI vox_offset " + h.voxOffset + " lies inside the " + hdrSize + "-byte header.");
		}
		if (Double.isFinite(slope) && slope != 0 && Double.isFinite(inter) && (slope != 1 || inter != 0)) {
			h.slope = slope;
			h.inter = inter;
		}
		final double[] spacing = new double[3];
		for (int i = 0; i < 3; i++) {
			final double p = Math.abs(pixdim[i + 1]);
			spacing[i] = i < nd && p > 0 && Double.isFinite(p) ? p : 1;
		}
		final String unit = switch (units & 7) {
			case 1 -> "m";
			case 2 -> "mm";
			case 3 -> "um";
			default -> "";
		};
		final String timeUnit = switch (units & 0x38) {
			case 8 -> "s";
			case 16 -> "ms";
			case 24 -> "us";
			default -> "";
		};
		final double timeStep = nt > 1 && Double.isFinite(pixdim[4]) ? pixdim[4] : 0;
		final double[] srowSafe = srow.clone();
		for (int i = 0; i < 12; i++)
			if (!Double.isFinite(srowSafe[i])) srowSafe[i] = 0;
		final double[] q = quat.clone();
		for (int i = 0; i < 6; i++)
			if (!Double.isFinite(q[i])) q[i] = 0;
		final NiftiTransforms x = new NiftiTransforms(qformCode, sformCode, q[0], q[1], q[2], q[3], q[4], q[5], pixdim[0] < 0 ? -1 : 1, srowSafe);
		double[] ras = null;
		if (sformCode > 0 && valid(srowSafe)) ras = srowSafe;
		if (ras == null && qformCode > 0) {
			final double[] m = x.qformMatrix(spacing);
			if (valid(m)) ras = m;
		}
		if (ras == null) ras = new double[] { spacing[0], 0, 0, 0, 0, spacing[1], 0, 0, 0, 0, spacing[2], 0 };
		h.geometry = VolumeGeometry.fromFile(spacing, unit, rasToLps(ras), timeStep, timeUnit, x);
	}

	private static boolean valid(final double[] m) {
		for (final double v : m)
			if (!Double.isFinite(v)) return false;
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

	static VolumeHeader toVolumeHeader(final Path path, final Header h) {
		return new VolumeHeader(path, VolumeFormat.of(path) == null ? VolumeFormat.NIFTI : VolumeFormat.of(path), h.dims, h.dataType, h.geometry, h.slope,
				h.inter);
	}

	static Volume read(final Path path, final ReadOptions options) throws IOException {
		final Header h = readHeader(path);
		final long nbytes = h.numElements() * h.dataType.bytes();
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
		final boolean scale = h.slope != 1 || h.inter != 0;
		final boolean apply = scale && !options.rawValues();
		final long memBytes = h.numElements() * (apply ? RawData.scaledType(h.dataType).bytes() : h.dataType.bytes());
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
		int version = o.niftiVersion();
		for (final long d : dims)
			if (d > Short.MAX_VALUE) version = 2;
		final ByteBuffer b = header(dims, dt, g, o, version);
		try (OutputStream out = VolumeIO.open(tmp, gzip, o.compressionLevel())) {
			out.write(b.array());
			RawData.write(img, dt, o.byteOrder(), out, o.progress());
		}
	}

	static ByteBuffer header(final long[] dims, final DataType dt, final VolumeGeometry g, final WriteOptions o, final int version) {
		final int size = version == 1 ? 348 : 540;
		final ByteBuffer b = ByteBuffer.allocate(size + 4).order(o.byteOrder());
		final double[] spacing = g.spacing();
		final long[] dim = new long[8];
		dim[0] = dims.length == 2 ? 2 : dims.length;
		for (int i = 0; i < 7; i++)
			dim[i + 1] = i < dims.length ? dims[i] : 1;
		if (dims.length == 2) dim[0] = 3;
		final double[] pixdim = { 1, spacing[0], spacing[1], spacing[2], g.timeStep() != 0 ? g.timeStep() : 1, 1, 1, 1 };
		final NiftiTransforms x = transformsFor(g);
		pixdim[0] = x.qfac();
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
		final byte[] descrip = "lesion-weighting".getBytes(StandardCharsets.US_ASCII);
		if (version == 1) {
			b.putInt(0, 348);
			b.put(38, (byte) 'r');
			for (int i = 0; i < 8; i++)
				b.putShort(40 + 2 * i, (short) dim[i]);
			b.putShort(70, (short) dt.niftiCode());
			b.putShort(72, (short) (8 * dt.bytes()));
			for (int i = 0; i < 8; i++)
				b.putFloat(76 + 4 * i, (float) pixdim[i]);
			b.putFloat(108, 352);
			b.putFloat(112, (float) o.scaleSlope());
			b.putFloat(116, (float) o.scaleIntercept());
			b.put(123, (byte) units);
			b.put(148, descrip);
			b.putShort(252, (short) x.qformCode());
			b.putShort(254, (short) x.sformCode());
			final double[] q = { x.quaternB(), x.quaternC(), x.quaternD(), x.qoffsetX(), x.qoffsetY(), x.qoffsetZ() };
			for (int i = 0; i < 6; i++)
				b.putFloat(256 + 4 * i, (float) q[i]);
			final double[] s = x.srow();
			for (int i = 0; i < 12; i++)
				b.putFloat(280 + 4 * i, (float) s[i]);
			b.put(344, "n+1\0".getBytes(StandardCharsets.US_ASCII));
		}
		else {
			b.putInt(0, 540);
			b.put(4, new byte[] { 'n', '+', '2', 0, '\r', '\n', 0x1a, '\n' });
			b.putShort(12, (short) dt.niftiCode());
			b.putShort(14, (short) (8 * dt.bytes()));
			for (int i = 0; i < 8; i++)
				b.putLong(16 + 8 * i, dim[i]);
			for (int i = 0; i < 8; i++)
				b.putDouble(104 + 8 * i, pixdim[i]);
			b.putLong(168, 544);
			b.putDouble(176, o.scaleSlope());
			b.putDouble(184, o.scaleIntercept());
			b.put(240, descrip);
			b.putInt(344, x.qformCode());
			b.putInt(348, x.sformCode());
			final double[] q = { x.quaternB(), x.quaternC(), x.quaternD(), x.qoffsetX(), x.qoffsetY(), x.qoffsetZ() };
			for (int i = 0; i < 6; i++)
				b.putDouble(352 + 8 * i, q[i]);
			final double[] s = x.srow();
			for (int i = 0; i < 12; i++)
				b.putDouble(400 + 8 * i, s[i]);
			b.putInt(500, units);
		}
		return b;
	}

	/**
	 * The orientation fields to write: the raw fields the geometry was read with when they still give
	 * its affine; otherwise sform = affine and qform = its rotation, both with code 1 (scanner) unless the
	 * geometry had codes.
	 */
	static NiftiTransforms transformsFor(final VolumeGeometry g) {
		final double[][] a = g.affineRas();
		final double[] ras = new double[12];
		for (int r = 0; r < 3; r++)
			System.arraycopy(a[r], 0, ras, 4 * r, 4);
		final NiftiTransforms raw = g.niftiTransforms();
		if (raw != null && close(raw.rasAffine(g.spacing()), ras)) return raw;
		final int q = raw != null && raw.qformCode() > 0 ? raw.qformCode() : 1;
		final int s = raw != null && raw.sformCode() > 0 ? raw.sformCode() : 1;
		return NiftiTransforms.fromRasAffine(ras, q, s);
	}

	private static boolean close(final double[] a, final double[] b) {
		for (int i = 0; i < 12; i++)
			if (Math.abs(a[i] - b[i]) > 1e-5 * Math.max(1, Math.abs(b[i]))) return false;
		return true;
	}
}
