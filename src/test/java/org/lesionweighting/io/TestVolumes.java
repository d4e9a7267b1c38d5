package org.lesionweighting.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.img.array.ArrayImgFactory;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/** Small deterministic volumes for IO tests. */
final class TestVolumes {

	private TestVolumes() {}

	/** A rotated, shifted geometry with anisotropic spacing. */
	static VolumeGeometry rotated() {
		final double c = Math.cos(0.3), s = Math.sin(0.3);
		return VolumeGeometry.of(new double[] { 0.7, 0.8, 2.5 }, new double[] { -120.5, 33.25, -300 },
				new double[][] { { c, -s, 0 }, { s, c, 0 }, { 0, 0, 1 } });
	}

	/** Value of voxel i for a data type: spans the type's range including the extremes. */
	static double value(final DataType t, final long i) {
		final double[] special = { t.min() == -Float.MAX_VALUE || t.min() == -Double.MAX_VALUE
				? -1e6
				: t.min(), t.max() == Float.MAX_VALUE || t.max() == Double.MAX_VALUE ? 1e6 : t.max(), 0, 1 };
		if (i < special.length) return special[(int) i];
		final double lo = Math.max(t.min(), -1e6), hi = Math.min(t.max(), 1e6);
		final double v = lo + ((i * 7919L) % 1000) / 999.0 * (hi - lo);
		return t.isInteger() ? Math.rint(v) : t == DataType.FLOAT32 ? (float) (v + 0.25) : v + 0.125;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	static Img< ? extends RealType< ? > > image(final DataType t, final long... dims) {
		final Img img = new ArrayImgFactory((NativeType) t.createType()).create(dims);
		long i = 0;
		for (final Object o : Views.flatIterable((RandomAccessibleInterval) img))
			((RealType< ? >) o).setReal(value(t, i++));
		return img;
	}

	static void assertSameValues(final RandomAccessibleInterval< ? extends RealType< ? > > expected,
			final RandomAccessibleInterval< ? extends RealType< ? > > actual) {
		assertArrayEquals(Intervals.dimensionsAsLongArray(expected), Intervals.dimensionsAsLongArray(actual), "dimensions");
		final Cursor< ? extends RealType< ? > > a = Views.flatIterable(expected).cursor(), b = Views.flatIterable(actual).cursor();
		long i = 0;
		while (a.hasNext()) {
			final double x = a.next().getRealDouble(), y = b.next().getRealDouble();
			if (x != y) assertEquals(x, y, "voxel " + i);
			i++;
		}
	}

	static void assertAffineEquals(final double[][] expected, final double[][] actual, final double tol) {
		for (int r = 0; r < 4; r++)
			for (int c = 0; c < 4; c++)
				assertEquals(expected[r][c], actual[r][c], tol * Math.max(1, Math.abs(expected[r][c])), "affine[" + r + "][" + c + "]");
	}
}
