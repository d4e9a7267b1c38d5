package org.lesionweighting.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * numpy's {@code .npy} format, version 1.0, for float tensors: little-endian {@code float32} ({@code '<f4'}) in C
 * order (last axis fastest) when writing; {@code '<f4'}, {@code '<f8'}, {@code '>f4'} and {@code '>f8'} in C order
 * when reading (as float). Test tensors of bioimage.io model packages are such files.
 * <p>
 * Layout: the magic {@code \x93NUMPY}, version 1.0, a 2-byte little-endian header length, the header (a Python dict
 * literal {@code {'descr': '<f4', 'fortran_order': False, 'shape': (1, 8, 8, 8, 1), }} padded with spaces and ending
 * with a new line so that the data starts at a multiple of 64 bytes), then the data.
 * <p>
 * Thread-safe (stateless).
 */
public final class Npy {

	/** The data type this class writes. */
	public static final String DESCR_FLOAT32 = "<f4";

	private static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };

	private static final int ALIGNMENT = 64;

	private Npy() {}

	/**
	 * A float tensor: its shape and its values in C order.
	 *
	 * @param shape the sizes, first axis slowest
	 * @param data the values, {@code product(shape)} of them
	 */
	public record Array(long[] shape, float[] data) {

		/** Checks that the shape's product is the data length. */
		public Array {
			if (shape == null || data == null) throw new IllegalArgumentException("Npy.Array: shape and data must not be null.");
			long n = 1;
			for (final long s : shape) {
				if (s < 0) throw new IllegalArgumentException("Npy.Array: negative size in shape " + Arrays.toString(shape) + ".");
				n *= s;
			}
			if (n != data.length)
				throw new IllegalArgumentException(
						"Npy.Array: the shape " + Arrays.toString(shape) + " holds " + n + " values but the data has " + data.length + ".");
			shape = shape.clone();
		}

		@Override
		public long[] shape() {
			return shape.clone();
		}
	}

	/**
	 * The {@code .npy} bytes of a float32 tensor.
	 *
	 * @param shape the sizes, first axis slowest (C order)
	 * @param data the values in C order, {@code product(shape)} of them
	 * @throws IllegalArgumentException if the shape does not match the data
	 */
	public static byte[] toBytes(final long[] shape, final float[] data) {
		new Array(shape, data);
		final String shapeText = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", shape.length == 1 ? ",)" : ")"));
		final StringBuilder header = new StringBuilder("{'descr': '" + DESCR_FLOAT32 + "', 'fortran_order': False, 'shape': " + shapeText + ", }");
		final int fixed = MAGIC.length + 2 + 2;
		while ((fixed + header.length() + 1) % ALIGNMENT != 0)
			header.append(' ');
		header.append('\n');
		final byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
		final ByteBuffer b = ByteBuffer.allocate(fixed + h.length + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
		b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
		b.asFloatBuffer().put(data);
		return b.array();
	}

	private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=]?)([a-z])(\\d+)'");

	private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");

	private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

	/**
	 * Reads {@code .npy} bytes of a float32 or float64 tensor in C order (version 1.0, 2.0 or 3.0 headers).
	 *
	 * @param bytes the file content
	 * @param what names the file in messages
	 * @throws IOException if the bytes are not such a tensor (the message names {@code what} and the header)
	 */
	public static Array fromBytes(final byte[] bytes, final String what) throws IOException {
		if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC))
			throw new IOException("Npy.read: " + what + " is not a numpy .npy file (no \\x93NUMPY magic).");
		final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		final int major = bytes[6];
		if (major < 1 || major > 3)
			throw new IOException("Npy.read: " + what + " has .npy version " + major + "; versions 1, 2 and 3 are read.");
		// version 1 stores the header length in 2 bytes, versions 2 and 3 in 4
		final int start = major == 1 ? 10 : 12, headerLength = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
		if (headerLength < 0 || start + headerLength > bytes.length)
			throw new IOException("Npy.read: " + what + " is truncated (header of " + headerLength + " bytes).");
		final String header = new String(bytes, start, headerLength, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
		final Matcher d = DESCR.matcher(header), f = FORTRAN.matcher(header), s = SHAPE.matcher(header);
		if (!d.find() || !f.find() || !s.find())
			throw new IOException("Npy.read: " + what + " has a header without descr, fortran_order or shape: " + header.strip());
		if (f.group(1).equals("True")) throw new IOException("Npy.read: " + what + " is in Fortran order; save it in C order (numpy.ascontiguousarray).");
		final String kind = d.group(2);
		final int size = Integer.parseInt(d.group(3));
		if (!kind.equals("f") || size != 4 && size != 8)
			throw new IOException("Npy.read: " + what + " holds '" + d.group(1) + kind + size + "' values; float32 ('<f4') or float64 ('<f8') are read.");
		final ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
		final String[] parts = s.group(1).split(",");
		final long[] shape = Arrays.stream(parts).map(String::strip).filter(p -> !p.isEmpty()).mapToLong(Long::parseLong).toArray();
		final long n = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
		final int dataStart = start + headerLength;
		if (n > Integer.MAX_VALUE || (long) dataStart + n * size > bytes.length)
			throw new IOException("Npy.read: " + what + " is truncated: shape " + Arrays.toString(shape) + " needs " + n * size + " data bytes, the file has "
					+ (bytes.length - dataStart) + ".");
		final float[] data = new float[(int) n];
		final ByteBuffer body = ByteBuffer.wrap(bytes, dataStart, (int) n * size).slice().order(order);
		if (size == 4) body.asFloatBuffer().get(data);
		else
			for (int i = 0; i < data.length; i++)
				data[i] = (float) body.getDouble(i * 8);
		return new Array(shape, data);
	}
}
