package org.lesionweighting.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Random;

import org.junit.jupiter.api.Test;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.IntArray;
import net.imglib2.img.cell.CellImgFactory;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.parallel.Parallelization;
import net.imglib2.type.logic.BitType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

class LesionLabelingTest {

	/** Brute-force reference: flood fill in raster order with an explicit neighbour test. */
	static int[] floodFill(final boolean[] m, final int nx, final int ny, final int nz, final Connectivity c) {
		final int[] lab = new int[m.length];
		int k = 0;
		final ArrayDeque< Integer > q = new ArrayDeque<>();
		for (int p = 0; p < m.length; p++) {
			if (!m[p] || lab[p] != 0) continue;
			lab[p] = ++k;
			q.add(p);
			while (!q.isEmpty()) {
				final int i = q.poll();
				final int x = i % nx, y = (i / nx) % ny, z = i / (nx * ny);
				for (int dz = -1; dz <= 1; dz++)
					for (int dy = -1; dy <= 1; dy++)
						for (int dx = -1; dx <= 1; dx++) {
							final int n = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
							if (n == 0) continue;
							final int maxN = nz == 1 ? (c == Connectivity.SIX ? 1 : 2) : (c == Connectivity.SIX ? 1 : c == Connectivity.EIGHTEEN ? 2 : 3);
							if (n > maxN) continue;
							final int xx = x + dx, yy = y + dy, zz = z + dz;
							if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) continue;
							final int j = (zz * ny + yy) * nx + xx;
							if (m[j] && lab[j] == 0) {
								lab[j] = k;
								q.add(j);
							}
						}
			}
		}
		return lab;
	}

	static boolean[] random(final Random r, final int n, final double p) {
		final boolean[] m = new boolean[n];
		for (int i = 0; i < n; i++)
			m[i] = r.nextDouble() < p;
		return m;
	}

	static ArrayImg< UnsignedByteType, ? > maskImg(final boolean[] m, final long... dims) {
		final byte[] b = new byte[m.length];
		for (int i = 0; i < m.length; i++)
			b[i] = (byte) (m[i] ? 1 : 0);
		return ArrayImgs.unsignedBytes(b, dims);
	}

	static int[] toArray(final RandomAccessibleInterval< ? extends net.imglib2.type.numeric.IntegerType< ? > > img) {
		final int[] a = new int[(int) net.imglib2.util.Intervals.numElements(img)];
		int i = 0;
		for (final net.imglib2.type.numeric.IntegerType< ? > t : Views.flatIterable(img))
			a[i++] = t.getInteger();
		return a;
	}

	private static final int[][] SHAPES = { { 1, 1, 1 }, { 7, 1, 1 }, { 1, 9, 1 }, { 1, 1, 11 }, { 13, 11, 1 }, { 8, 1, 9 }, { 1, 10, 7 }, { 17, 13, 9 }, { 31, 5, 6 }, { 6, 23, 19 }, { 64, 3, 40 } };

	private void checkAgainstFloodFill(final boolean arrayImgs, final boolean multi) {
		final Random r = new Random(arrayImgs ? 11 : 12);
		for (final int[] s : SHAPES) {
			for (final double p : new double[] { 0.05, 0.3, 0.5, 0.8 }) {
				for (final Connectivity c : Connectivity.values()) {
					final boolean[] m = random(r, s[0] * s[1] * s[2], p);
					final int[] expected = floodFill(m, s[0], s[1], s[2], c);
					final int k = (int) java.util.Arrays.stream(expected).max().orElse(0);
					final ArrayImg< UnsignedByteType, ? > mask = maskImg(m, s[0], s[1], s[2]);
					final int[] got;
					final int kGot;
					if (arrayImgs) {
						final ArrayImg< IntType, IntArray > out = ArrayImgs.ints(s[0], s[1], s[2]);
						kGot = multi
								? Parallelization.runMultiThreaded(() -> LesionLabeling.label(mask, out, c))
								: Parallelization.runSingleThreaded(() -> LesionLabeling.label(mask, out, c));
						got = out.update(null).getCurrentStorageArray();
					}
					else {
						// non-array input (a translated view) and a cell image output
						final RandomAccessibleInterval< UnsignedByteType > view = Views.translate(mask, 5, -3, 2);
						final Img< IntType > cells = new CellImgFactory<>(new IntType(), 4).create(s[0], s[1], s[2]);
						final RandomAccessibleInterval< IntType > out = Views.translate(cells, 5, -3, 2);
						kGot = multi
								? Parallelization.runMultiThreaded(() -> LesionLabeling.label(view, out, c))
								: Parallelization.runSingleThreaded(() -> LesionLabeling.label(view, out, c));
						got = toArray(cells);
					}
					assertEquals(k, kGot, "count for " + java.util.Arrays.toString(s) + " p=" + p + " " + c);
					assertArrayEquals(expected, got, "labels for " + java.util.Arrays.toString(s) + " p=" + p + " " + c);
				}
			}
		}
	}

	@Test
	void equalsFloodFillArrayImgSingleThreaded() {
		checkAgainstFloodFill(true, false);
	}

	@Test
	void equalsFloodFillArrayImgMultiThreaded() {
		checkAgainstFloodFill(true, true);
	}

	@Test
	void equalsFloodFillViewsAndCellImgSingleThreaded() {
		checkAgainstFloodFill(false, false);
	}

	@Test
	void equalsFloodFillViewsAndCellImgMultiThreaded() {
		checkAgainstFloodFill(false, true);
	}

	@Test
	void equalsFloodFillWithManyTasks() {
		// more tasks than threads: block borders of a few rows each
		final Random r = new Random(5);
		for (final Connectivity c : Connectivity.values()) {
			final boolean[] m = random(r, 40 * 30 * 20, 0.35);
			final int[] expected = floodFill(m, 40, 30, 20, c);
			final ArrayImg< UnsignedByteType, ? > mask = maskImg(m, 40, 30, 20);
			final ArrayImg< IntType, IntArray > out = ArrayImgs.ints(40, 30, 20);
			Parallelization.runWithNumThreads(7, () -> LesionLabeling.label(mask, out, c));
			assertArrayEquals(expected, out.update(null).getCurrentStorageArray(), c.toString());
		}
	}

	@Test
	void twoDimensionalMaskIsAVolumeOfDepthOne() {
		final Random r = new Random(3);
		for (final Connectivity c : Connectivity.values()) {
			final boolean[] m = random(r, 37 * 29, 0.45);
			final int[] expected = floodFill(m, 37, 29, 1, c);
			final ArrayImg< UnsignedByteType, ? > mask = maskImg(m, 37, 29);
			final ArrayImg< IntType, IntArray > out = ArrayImgs.ints(37, 29);
			LesionLabeling.label(mask, out, c);
			assertArrayEquals(expected, out.update(null).getCurrentStorageArray(), c.toString());
		}
	}

	@Test
	void planarFloatAndDoubleMasks() {
		final Random r = new Random(8);
		final boolean[] m = random(r, 20 * 15 * 10, 0.4);
		final int[] expected = floodFill(m, 20, 15, 10, Connectivity.TWENTY_SIX);
		final Img< FloatType > fm = PlanarImgs.floats(20, 15, 10);
		final Img< DoubleType > dm = ArrayImgs.doubles(20, 15, 10);
		final Cursor< FloatType > fc = fm.cursor();
		final Cursor< DoubleType > dc = dm.cursor();
		for (final boolean b : m) {
			fc.next().set(b ? -2.5f : 0f);
			dc.next().set(b ? 1e-300 : -0.0);
		}
		final Img< IntType > planarOut = PlanarImgs.ints(20, 15, 10);
		LesionLabeling.label(fm, planarOut, Connectivity.TWENTY_SIX);
		assertArrayEquals(expected, toArray(planarOut));
		assertArrayEquals(expected, toArray(LesionLabeling.label(dm, Connectivity.TWENTY_SIX)));
	}

	@Test
	void bitTypeMaskUsesTheGenericPath() {
		final Random r = new Random(9);
		final boolean[] m = random(r, 19 * 7 * 5, 0.5);
		final Img< BitType > bits = ArrayImgs.bits(19, 7, 5);
		final Cursor< BitType > c = bits.cursor();
		for (final boolean b : m)
			c.next().set(b);
		assertArrayEquals(floodFill(m, 19, 7, 5, Connectivity.SIX), toArray(LesionLabeling.label(bits, Connectivity.SIX)));
	}

	/**
	 * Nine 2×2×2 cubes in a zig-zag chain along x, each touching the next only at a corner: 9 lesions with
	 * 6- or 18-connectivity, 1 with 26-connectivity.
	 */
	@Test
	void nineCubes() {
		final Img< UnsignedByteType > mask = ArrayImgs.unsignedBytes(18, 4, 4);
		final RandomAccess< UnsignedByteType > ra = mask.randomAccess();
		for (int k = 0; k < 9; k++)
			for (int dz = 0; dz < 2; dz++)
				for (int dy = 0; dy < 2; dy++)
					for (int dx = 0; dx < 2; dx++) {
						ra.setPosition(new int[] { 2 * k + dx, 2 * (k % 2) + dy, 2 * (k % 2) + dz });
						ra.get().set(1);
					}
		assertEquals(9, LesionLabeling.label(mask, ArrayImgs.ints(18, 4, 4), Connectivity.SIX));
		assertEquals(9, LesionLabeling.label(mask, ArrayImgs.ints(18, 4, 4), Connectivity.EIGHTEEN));
		assertEquals(1, LesionLabeling.label(mask, ArrayImgs.ints(18, 4, 4), Connectivity.TWENTY_SIX));
		assertEquals(9, Parallelization.runWithNumThreads(2, () -> LesionLabeling.label(mask, ArrayImgs.ints(18, 4, 4), Connectivity.SIX)));
	}

	@Test
	void emptyMaskHasNoLesion() {
		final Img< IntType > out = ArrayImgs.ints(5, 4, 3);
		out.forEach(t -> t.set(7));
		assertEquals(0, LesionLabeling.label(ArrayImgs.unsignedBytes(5, 4, 3), out, Connectivity.TWENTY_SIX));
		for (final IntType t : out)
			assertEquals(0, t.get(), "the output is overwritten entirely");
	}

	@Test
	void fullMaskIsOneLesion() {
		final Img< UnsignedByteType > mask = ArrayImgs.unsignedBytes(5, 4, 3);
		mask.forEach(t -> t.set(255));
		for (final Connectivity c : Connectivity.values()) {
			final Img< IntType > out = LesionLabeling.label(mask, c);
			assertEquals(1, toArray(out)[0]);
			for (final IntType t : out)
				assertEquals(1, t.get());
		}
	}

	@Test
	void singleVoxel() {
		final Img< UnsignedByteType > mask = ArrayImgs.unsignedBytes(5, 4, 3);
		final RandomAccess< UnsignedByteType > ra = mask.randomAccess();
		ra.setPosition(new int[] { 2, 1, 1 });
		ra.get().set(1);
		final Img< IntType > out = LesionLabeling.label(mask, Connectivity.SIX);
		final int[] a = toArray(out);
		assertEquals(1, java.util.Arrays.stream(a).sum());
		assertEquals(1, a[(1 * 4 + 1) * 5 + 2]);
	}

	@Test
	void borderTouchingLesionsAndRasterOrder() {
		// lesion A at the far corner (4,3,2), lesion B at the origin, lesion C at (4,0,0): raster order B, C, A
		final Img< UnsignedByteType > mask = ArrayImgs.unsignedBytes(5, 4, 3);
		final RandomAccess< UnsignedByteType > ra = mask.randomAccess();
		for (final int[] p : new int[][] { { 4, 3, 2 }, { 3, 3, 2 }, { 0, 0, 0 }, { 0, 0, 1 }, { 4, 0, 0 } }) {
			ra.setPosition(p);
			ra.get().set(1);
		}
		final Img< IntType > out = LesionLabeling.label(mask, Connectivity.SIX);
		final RandomAccess< IntType > o = out.randomAccess();
		o.setPosition(new int[] { 0, 0, 0 });
		assertEquals(1, o.get().get());
		o.setPosition(new int[] { 0, 0, 1 });
		assertEquals(1, o.get().get());
		o.setPosition(new int[] { 4, 0, 0 });
		assertEquals(2, o.get().get());
		o.setPosition(new int[] { 3, 3, 2 });
		assertEquals(3, o.get().get());
		o.setPosition(new int[] { 4, 3, 2 });
		assertEquals(3, o.get().get());
	}

	/** A checkerboard-like pattern of isolated voxels: more than 65,535 lesions. */
	private static Img< UnsignedByteType > isolatedVoxels(final int nx, final int ny, final int nz) {
		final Img< UnsignedByteType > mask = ArrayImgs.unsignedBytes(nx, ny, nz);
		final Cursor< UnsignedByteType > c = mask.localizingCursor();
		while (c.hasNext()) {
			c.fwd();
			if (c.getIntPosition(0) % 2 == 0 && c.getIntPosition(1) % 2 == 0 && c.getIntPosition(2) % 2 == 0) c.get().set(1);
		}
		return mask;
	}

	@Test
	void moreThan65535LesionsFitIntType() {
		final Img< UnsignedByteType > mask = isolatedVoxels(100, 100, 30); // 50·50·15 = 37,500 per... see below
		final Img< UnsignedByteType > big = isolatedVoxels(160, 160, 24); // 80·80·12 = 76,800
		final Img< IntType > out = ArrayImgs.ints(160, 160, 24);
		final int k = LesionLabeling.label(big, out, Connectivity.TWENTY_SIX);
		assertEquals(76_800, k);
		final RandomAccess< IntType > o = out.randomAccess();
		o.setPosition(new int[] { 158, 158, 22 });
		assertEquals(76_800, o.get().get());
		assertEquals(37_500, LesionLabeling.label(mask, ArrayImgs.unsignedShorts(100, 100, 30), Connectivity.TWENTY_SIX), "16-bit output when K fits");
	}

	@Test
	void tooSmallOutputTypeIsAClearError() {
		final Img< UnsignedByteType > big = isolatedVoxels(160, 160, 24);
		final Img< UnsignedShortType > out = ArrayImgs.unsignedShorts(160, 160, 24);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LesionLabeling.label(big, out, Connectivity.TWENTY_SIX));
		assertTrue(e.getMessage().contains("76800") && e.getMessage().contains("UnsignedShortType") && e.getMessage().contains("IntType"), e.getMessage());
		final Img< UnsignedByteType > small = isolatedVoxels(40, 40, 2); // 400 lesions
		assertThrows(IllegalArgumentException.class, () -> LesionLabeling.label(small, ArrayImgs.unsignedBytes(40, 40, 2), Connectivity.SIX));
	}

	@Test
	void nanIsRejectedWithItsPosition() {
		final Img< FloatType > mask = ArrayImgs.floats(6, 5, 4);
		final RandomAccess< FloatType > ra = mask.randomAccess();
		ra.setPosition(new int[] { 3, 2, 1 });
		ra.get().set(Float.NaN);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LesionLabeling.label(mask, Connectivity.SIX));
		assertTrue(e.getMessage().contains("(3, 2, 1)"), e.getMessage());
		final IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
				() -> LesionLabeling.label(Views.translate(mask, 10, 0, 0), Connectivity.SIX));
		assertTrue(e2.getMessage().contains("(13, 2, 1)"), e2.getMessage());
		// Parallelization itself wraps what the callable throws; our exception is the cause, unwrapped
		final RuntimeException e3 = assertThrows(RuntimeException.class,
				() -> Parallelization.runMultiThreaded(() -> LesionLabeling.label(mask, Connectivity.SIX)));
		final Throwable cause = e3 instanceof IllegalArgumentException ? e3 : e3.getCause();
		assertTrue(cause instanceof IllegalArgumentException && cause.getMessage().contains("(3, 2, 1)"), String.valueOf(cause));
	}

	@Test
	void mismatchedIntervalsAreRejected() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> LesionLabeling.label(ArrayImgs.unsignedBytes(5, 4, 3), ArrayImgs.ints(5, 4, 2), Connectivity.SIX));
		assertTrue(e.getMessage().contains("LesionLabeling.label"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> LesionLabeling.label(ArrayImgs.unsignedBytes(5, 4, 3, 2), Connectivity.SIX));
		assertThrows(IllegalArgumentException.class, () -> LesionLabeling.label(ArrayImgs.unsignedBytes(5), Connectivity.SIX));
	}

	@Test
	void labelWithCountsReturnsVoxelCounts() {
		final Random r = new Random(21);
		final boolean[] m = random(r, 30 * 20 * 10, 0.3);
		final int[] expected = floodFill(m, 30, 20, 10, Connectivity.SIX);
		final int k = java.util.Arrays.stream(expected).max().getAsInt();
		final long[] c = new long[k + 1];
		for (final int v : expected)
			c[v]++;
		assertArrayEquals(c, LesionLabeling.labelWithCounts(maskImg(m, 30, 20, 10), ArrayImgs.ints(30, 20, 10), Connectivity.SIX));
	}
}
