package org.lesionweighting.label;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.LongType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.util.Intervals;
import net.imglib2.util.Util;

/**
 * Reads the rows (fixed y and z) of a 2D/3D label image into a {@code long[]} buffer: directly from the
 * arrays of {@code ArrayImg}/{@code PlanarImg} of IntType, LongType, UnsignedShortType and
 * UnsignedByteType, through a {@link RandomAccess} otherwise. One instance per thread.
 */
final class LabelRows< L extends IntegerType< L > > {

	final int nx, ny, nz;

	final long[] min;

	private final VoxelArrays.Planes planes;

	private final int kind; // 0 generic, 1 int, 2 long, 3 ushort, 4 ubyte

	private final RandomAccess< L > ra;

	private final long[] pos;

	LabelRows(final RandomAccessibleInterval< L > labels) {
		nx = (int) labels.dimension(0);
		ny = (int) labels.dimension(1);
		nz = labels.numDimensions() > 2 ? (int) labels.dimension(2) : 1;
		min = Intervals.minAsLongArray(labels);
		final Object t = Util.getTypeFromInterval(labels);
		final VoxelArrays.Planes p = VoxelArrays.planes(labels);
		kind = p == null
				? 0
				: t instanceof IntType ? 1 : t instanceof LongType ? 2 : t instanceof UnsignedShortType ? 3 : t instanceof UnsignedByteType ? 4 : 0;
		planes = kind == 0 ? null : p;
		ra = kind == 0 ? labels.randomAccess() : null;
		pos = min.clone();
	}

	/** Whether the label image is read directly from an int[] array. */
	int[] intArray(final int z) {
		return kind == 1 ? (int[]) planes.array(z) : null;
	}

	int offset(final int y, final int z) {
		return planes.offset(z) + y * nx;
	}

	void read(final int y, final int z, final long[] buf) {
		switch (kind) {
			case 1 -> {
				final int[] a = (int[]) planes.array(z);
				final int o = offset(y, z);
				for (int x = 0; x < nx; x++)
					buf[x] = a[o + x];
			}
			case 2 -> System.arraycopy(planes.array(z), offset(y, z), buf, 0, nx);
			case 3 -> {
				final short[] a = (short[]) planes.array(z);
				final int o = offset(y, z);
				for (int x = 0; x < nx; x++)
					buf[x] = a[o + x] & 0xffff;
			}
			case 4 -> {
				final byte[] a = (byte[]) planes.array(z);
				final int o = offset(y, z);
				for (int x = 0; x < nx; x++)
					buf[x] = a[o + x] & 0xff;
			}
			default -> {
				pos[1] = min[1] + y;
				if (pos.length > 2) pos[2] = min[2] + z;
				pos[0] = min[0];
				ra.setPosition(pos);
				for (int x = 0; x < nx; x++) {
					buf[x] = ra.get().getIntegerLong();
					ra.fwd(0);
				}
			}
		}
	}

	String position(final int x, final int y, final int z) {
		return "(" + (min[0] + x) + ", " + (min[1] + y) + (min.length > 2 ? ", " + (min[2] + z) : "") + ")";
	}
}
