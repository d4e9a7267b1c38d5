package org.lesionweighting.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.lesionweighting.util.Cancellation;
import org.lesionweighting.util.ProgressListener;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgFactory;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.img.cell.Cell;
import net.imglib2.img.cell.CellImg;
import net.imglib2.img.cell.CellImgFactory;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/** Voxel data in files (x fastest) ⇄ ImgLib2 images. */
final class RawData {

	private RawData() {}

	/**
	 * Checks that a volume of {@code dims} needing {@code bytes} in memory fits into the Java heap now: the most the
	 * heap may grow to, minus what is in use (after a garbage collection if that is what it takes). Readers check this
	 * before inflating or reading, so that a volume that cannot fit fails at once with a clear message instead of an
	 * {@link OutOfMemoryError} after the file was read.
	 *
	 * @throws IOException naming {@code path}, the size and the heap left, with the remedy (a larger -Xmx)
	 */
	static void requireHeap(final Path path, final long[] dims, final long bytes) throws IOException {
		final Runtime rt = Runtime.getRuntime();
		long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
		if (bytes <= rt.maxMemory() && bytes > available) {
			System.gc();
			available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
		}
		if (bytes > available)
			throw new IOException(path + ": the volume " + Arrays.toString(dims) + " needs " + bytes / (1 << 20) + " MB, more than the Java heap has left ("
					+ available / (1 << 20) + " of at most " + rt.maxMemory() / (1 << 20) + " MB); start Java with a larger -Xmx.");
	}

	/** The in-memory type of stored type {@code dt} when scaling is applied. */
	static DataType scaledType(final DataType dt) {
		return dt == DataType.UINT32 || dt == DataType.INT32 || dt == DataType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
	}

	/**
	 * Reads {@code prod(dims)} voxels of type {@code dt} from {@code src} into a new image of {@code dt}
	 * (or of {@link #scaledType} when {@code scale}), an ArrayImg up to {@code arrayLimit} voxels, else a
	 * CellImg of whole-slice cells.
	 */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	static Img< ? extends RealType< ? > > read(final ByteSource src, final DataType dt, final ByteOrder order, final long[] dims, final boolean scale,
			final double slope, final double inter, final long arrayLimit, final ProgressListener progress) throws IOException {
		final DataType target = scale ? scaledType(dt) : dt;
		final long n = Intervals.numElements(dims);
		final Img< ? extends RealType< ? > > img;
		final List< Object > arrays = new ArrayList<>();
		if (n <= arrayLimit) {
			final ArrayImg aimg = new ArrayImgFactory((NativeType) target.createType()).create(dims);
			arrays.add(((ArrayDataAccess< ? >) aimg.update(null)).getCurrentStorageArray());
			img = aimg;
		}
		else {
			final long plane = dims[0] * dims[1];
			if (plane > (1L << 30)) throw new IOException(src.name + ": one slice has " + plane + " voxels, too many for a cell image.");
			final int[] cell = new int[dims.length];
			cell[0] = (int) dims[0];
			cell[1] = (int) dims[1];
			cell[2] = (int) Math.max(1, Math.min(dims[2], (arrayLimit < (1 << 26) ? Math.max(1, arrayLimit / 2) : (1 << 26)) / plane));
			Arrays.fill(cell, 3, cell.length, 1);
			final CellImg cimg = new CellImgFactory((NativeType) target.createType(), cell).create(dims);
			for (final Object c : (Iterable< ? >) cimg.getCells())
				arrays.add(((ArrayDataAccess< ? >) ((Cell< ? >) c).getData()).getCurrentStorageArray());
			img = cimg;
		}
		final int bytes = dt.bytes();
		long done = 0;
		for (final Object a : arrays) {
			final int len = java.lang.reflect.Array.getLength(a);
			int pos = 0;
			while (pos < len) {
				Cancellation.check("VolumeIO.read");
				final int k = Math.min(len - pos, ByteSource.CHUNK / bytes);
				final ByteBuffer buf = src.next(k * bytes).order(order);
				if (scale) convertScaled(buf, dt, a, pos, k, slope, inter);
				else
					copy(buf, dt, a, pos, k);
				pos += k;
				done += k;
				progress.progress((double) done / n);
			}
		}
		return img;
	}

	private static void copy(final ByteBuffer buf, final DataType dt, final Object a, final int pos, final int k) {
		switch (dt) {
			case UINT8, INT8 -> buf.get((byte[]) a, pos, k);
			case UINT16, INT16 -> buf.asShortBuffer().get((short[]) a, pos, k);
			case UINT32, INT32 -> buf.asIntBuffer().get((int[]) a, pos, k);
			case FLOAT32 -> buf.asFloatBuffer().get((float[]) a, pos, k);
			default -> buf.asDoubleBuffer().get((double[]) a, pos, k);
		}
	}

	private static void convertScaled(final ByteBuffer b, final DataType dt, final Object a, final int pos, final int k, final double slope,
			final double inter) {
		if (a instanceof float[] o) {
			final float s = (float) slope, c = (float) inter;
			switch (dt) {
				case UINT8:
					for (int i = 0; i < k; i++)
						o[pos + i] = (b.get(i) & 0xff) * s + c;
					break;
				case INT8:
					for (int i = 0; i < k; i++)
						o[pos + i] = b.get(i) * s + c;
					break;
				case UINT16:
					for (int i = 0; i < k; i++)
						o[pos + i] = (b.getShort(2 * i) & 0xffff) * s + c;
					break;
				case INT16:
					for (int i = 0; i < k; i++)
						o[pos + i] = b.getShort(2 * i) * s + c;
					break;
				default:
					for (int i = 0; i < k; i++)
						o[pos + i] = (float) (b.getFloat(4 * i) * slope + inter);
			}
		}
		else {
			final double[] o = (double[]) a;
			switch (dt) {
				case UINT32:
					for (int i = 0; i < k; i++)
						o[pos + i] = (b.getInt(4 * i) & 0xffffffffL) * slope + inter;
					break;
				case INT32:
					for (int i = 0; i < k; i++)
						o[pos + i] = b.getInt(4 * i) * slope + inter;
					break;
				default:
					for (int i = 0; i < k; i++)
						o[pos + i] = b.getDouble(8 * i) * slope + inter;
			}
		}
	}

	/**
	 * Writes the voxels of {@code img} (flat order, x fastest) as {@code dt} in {@code order}. Values of
	 * other types are rounded and clamped to integer types; NaN becomes 0 there.
	 */
	static void write(final RandomAccessibleInterval< ? extends RealType< ? > > img, final DataType dt, final ByteOrder order, final OutputStream out,
			final ProgressListener progress) throws IOException {
		final long n = Intervals.numElements(img);
		final int bytes = dt.bytes();
		final int chunkElems = ByteSource.CHUNK / bytes;
		final byte[] chunk = new byte[(int) Math.min((long) chunkElems * bytes, n * bytes)];
		final ByteBuffer buf = ByteBuffer.wrap(chunk).order(order);
		final Object storage = directStorage(img, dt);
		final Cursor< ? extends RealType< ? > > c = storage == null ? Views.flatIterable(img).cursor() : null;
		long done = 0;
		while (done < n) {
			Cancellation.check("VolumeIO.write");
			final int k = (int) Math.min(chunkElems, n - done);
			buf.clear();
			if (storage != null) put(buf, dt, storage, (int) done, k);
			else
				convert(c, buf, dt, k);
			out.write(chunk, 0, k * bytes);
			done += k;
			progress.progress((double) done / n);
		}
	}

	/** The primitive array behind {@code img} if it is an ArrayImg whose type is exactly {@code dt}'s type. */
	private static Object directStorage(final RandomAccessibleInterval< ? extends RealType< ? > > img, final DataType dt) {
		if (!(img instanceof ArrayImg) || img.getType().getClass() != dt.createType().getClass()) return null;
		final Object a = ((ArrayImg< ?, ? >) img).update(null);
		return a instanceof ArrayDataAccess ? ((ArrayDataAccess< ? >) a).getCurrentStorageArray() : null;
	}

	private static void put(final ByteBuffer buf, final DataType dt, final Object a, final int pos, final int k) {
		switch (dt) {
			case UINT8, INT8 -> buf.put((byte[]) a, pos, k);
			case UINT16, INT16 -> buf.asShortBuffer().put((short[]) a, pos, k);
			case UINT32, INT32 -> buf.asIntBuffer().put((int[]) a, pos, k);
			case FLOAT32 -> buf.asFloatBuffer().put((float[]) a, pos, k);
			default -> buf.asDoubleBuffer().put((double[]) a, pos, k);
		}
	}

	private static void convert(final Cursor< ? extends RealType< ? > > c, final ByteBuffer b, final DataType dt, final int k) {
		final double lo = dt.min(), hi = dt.max();
		switch (dt) {
			case UINT8:
			case INT8:
				for (int i = 0; i < k; i++)
					b.put(i, (byte) toLong(c.next().getRealDouble(), lo, hi));
				break;
			case UINT16:
			case INT16:
				for (int i = 0; i < k; i++)
					b.putShort(2 * i, (short) toLong(c.next().getRealDouble(), lo, hi));
				break;
			case UINT32:
			case INT32:
				for (int i = 0; i < k; i++)
					b.putInt(4 * i, (int) toLong(c.next().getRealDouble(), lo, hi));
				break;
			case FLOAT32:
				for (int i = 0; i < k; i++)
					b.putFloat(4 * i, (float) c.next().getRealDouble());
				break;
			default:
				for (int i = 0; i < k; i++)
					b.putDouble(8 * i, c.next().getRealDouble());
		}
	}

	private static long toLong(final double v, final double lo, final double hi) {
		if (Double.isNaN(v)) return 0;
		return (long) Math.max(lo, Math.min(hi, Math.rint(v)));
	}
}
