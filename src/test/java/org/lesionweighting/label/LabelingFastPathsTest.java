package org.lesionweighting.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.IntArray;
import net.imglib2.img.cell.CellImgFactory;
import net.imglib2.parallel.Parallelization;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Regression tests of the fast paths of {@link LesionLabeling} and {@link LesionStatistics#voxelCounts}:
 * bit-packed scanning of byte rows, bit rows of other mask types, the word-parallel join of a row with
 * its previous neighbour rows (corner contacts across 64-voxel word borders) and at block borders, writing values straight from the runs ({@link LesionLabeling#mapLabels}), and the
 * interleaved counters of voxelCounts. Every result is compared with a brute-force reference.
 */
class LabelingFastPathsTest {

	private static ArrayImg< UnsignedByteType, ? > byteMask(final boolean[] m, final Random r, final long... dims) {
		final byte[] b = new byte[m.length];
		for (int i = 0; i < m.length; i++)
			b[i] = (byte) (m[i] ? 1 + r.nextInt(255) : 0);
		return ArrayImgs.unsignedBytes(b, dims);
	}

	@Test
	void byteRowsOfAnyWidthEqualFloodFill() {
		// widths around the 8-voxel and 64-voxel packing boundaries, any non-zero byte value is lesion
		final Random r = new Random(21);
		for (final int nx : new int[] { 1, 7, 8, 9, 63, 64, 65, 127, 128, 129, 200 }) {
			for (final double p : new double[] { 0.3, 0.7, 0.97, 1.0 }) {
				for (final Connectivity c : Connectivity.values()) {
					final boolean[] m = LesionLabelingTest.random(r, nx * 4 * 3, p);
					final int[] expected = LesionLabelingTest.floodFill(m, nx, 4, 3, c);
					final ArrayImg< IntType, IntArray > out = ArrayImgs.ints(nx, 4, 3);
					final long[] counts = Parallelization.runSingleThreaded(() -> LesionLabeling.labelWithCounts(byteMask(m, r, nx, 4, 3), out, c));
					assertArrayEquals(expected, out.update(null).getCurrentStorageArray(), "nx=" + nx + " p=" + p + " " + c);
					assertArrayEquals(bruteCounts(expected, counts.length - 1), counts, "counts nx=" + nx + " p=" + p + " " + c);
				}
			}
		}
	}

	@Test
	void nonByteMasksAcrossWordBordersEqualFloodFill() {
		// float and int masks set their bit rows voxel by voxel (runs ending or starting at bit 63/64 of
		// a word, runs spanning whole words, sparse rows whose joins skip empty leading and trailing
		// words); corner contacts across a word border need the carry bits
		final Random r = new Random(25);
		for (final int nx : new int[] { 63, 64, 65, 128, 130, 200, 300 }) {
			for (final double p : new double[] { 0.02, 0.3, 0.6, 0.95 }) {
				final boolean[] m = LesionLabelingTest.random(r, nx * 5 * 4, p);
				final float[] f = new float[m.length];
				final int[] v = new int[m.length];
				for (int i = 0; i < m.length; i++) {
					f[i] = m[i] ? 0.25f + r.nextInt(4) : 0;
					v[i] = m[i] ? -3 + 2 * r.nextInt(3) : 0;
				}
				for (final Connectivity c : Connectivity.values()) {
					final int[] expected = LesionLabelingTest.floodFill(m, nx, 5, 4, c);
					final ArrayImg< IntType, IntArray > a = ArrayImgs.ints(nx, 5, 4), b = ArrayImgs.ints(nx, 5, 4);
					LesionLabeling.label(ArrayImgs.floats(f, nx, 5, 4), a, c);
					LesionLabeling.label(ArrayImgs.ints(v, nx, 5, 4), b, c);
					assertArrayEquals(expected, a.update(null).getCurrentStorageArray(), "float nx=" + nx + " p=" + p + " " + c);
					assertArrayEquals(expected, b.update(null).getCurrentStorageArray(), "int nx=" + nx + " p=" + p + " " + c);
				}
			}
		}
	}

	@Test
	void cornerContactAtAWordBorderJoinsOnlyDiagonally() {
		// row y=0 has a run ending at x=63 (last bit of word 0), row y=1 one starting at x=64 (first bit of
		// word 1): they touch at a corner across the word border (8/18/26 connect them in 2D, 4 does not);
		// and row y=2 ends at x=127 with row y=3 starting at 128 the same way one word further
		final byte[] b = new byte[200 * 4];
		for (int x = 10; x <= 63; x++)
			b[x] = 1;
		for (int x = 64; x <= 127; x++)
			b[200 + x] = 1;
		b[2 * 200 + 127] = 1;
		for (int x = 128; x < 200; x++)
			b[3 * 200 + x] = 1;
		for (final Connectivity c : Connectivity.values()) {
			final ArrayImg< IntType, IntArray > out = ArrayImgs.ints(200, 4);
			final int k = LesionLabeling.label(ArrayImgs.unsignedBytes(b, 200, 4), out, c);
			// y=1 and y=2 overlap at x=127 under any connectivity
			assertEquals(c == Connectivity.SIX ? 3 : 1, k, c.toString());
			final int[] l = out.update(null).getCurrentStorageArray();
			assertEquals(1, l[63]);
			assertEquals(c == Connectivity.SIX ? 2 : 1, l[200 + 64]);
			assertEquals(l[200 + 127], l[2 * 200 + 127]);
			assertEquals(c == Connectivity.SIX ? 3 : 1, l[3 * 200 + 128]);
		}
	}

	@Test
	void blockBordersWithManyTasksEqualFloodFill() {
		// 360 rows split into up to 40 blocks of 9 rows: every block border and the rows right after it
		// (whose previous-plane neighbours lie two blocks back) are joined in the sequential border pass
		final Random r = new Random(22);
		for (final Connectivity c : Connectivity.values()) {
			for (final double p : new double[] { 0.15, 0.3 }) {
				final boolean[] m = LesionLabelingTest.random(r, 50 * 12 * 30, p);
				final int[] expected = LesionLabelingTest.floodFill(m, 50, 12, 30, c);
				final ArrayImg< UnsignedByteType, ? > mask = LesionLabelingTest.maskImg(m, 50, 12, 30);
				for (final int threads : new int[] { 1, 2, 3, 7, 16, 40 }) {
					final ArrayImg< IntType, IntArray > out = ArrayImgs.ints(50, 12, 30);
					final int k = Parallelization.runWithNumThreads(threads, () -> LesionLabeling.label(mask, out, c));
					assertEquals(Arrays.stream(expected).max().orElse(0), k, c + " p=" + p + " threads=" + threads);
					assertArrayEquals(expected, out.update(null).getCurrentStorageArray(), c + " p=" + p + " threads=" + threads);
				}
			}
		}
	}

	private static long[] bruteCounts(final int[] labels, final int k) {
		final long[] c = new long[k + 1];
		for (final int v : labels)
			c[v]++;
		return c;
	}

	@Test
	void mapLabelsWritesTheTableValueOfEveryLabel() {
		final Random r = new Random(23);
		final boolean[] m = LesionLabelingTest.random(r, 70 * 9 * 11, 0.3);
		final ArrayImg< UnsignedByteType, ? > mask = LesionLabelingTest.maskImg(m, 70, 9, 11);
		final ArrayImg< IntType, IntArray > labels = ArrayImgs.ints(70, 9, 11);
		final long[] counts = LesionLabeling.labelWithCounts(mask, labels, Connectivity.TWENTY_SIX);
		final int[] lab = labels.update(null).getCurrentStorageArray();
		for (final int threads : new int[] { 1, 3 }) {
			// direct float output: value = label + 0.5, background -1
			final ArrayImg< FloatType, FloatArray > direct = ArrayImgs.floats(70, 9, 11);
			final long[] got = Parallelization.runWithNumThreads(threads,
					() -> LesionLabeling.mapLabels(mask, direct, Connectivity.TWENTY_SIX, c -> table(c.length)));
			assertArrayEquals(counts, got);
			final float[] d = direct.update(null).getCurrentStorageArray();
			for (int i = 0; i < lab.length; i++)
				assertEquals(lab[i] == 0 ? -1f : lab[i] + 0.5f, d[i], "voxel " + i);
			// generic path: a translated view of a cell image
			final Img< FloatType > cells = new CellImgFactory<>(new FloatType(), 8).create(70, 9, 11);
			final RandomAccessibleInterval< FloatType > view = Views.translate(cells, 3, -2, 1);
			Parallelization.runWithNumThreads(threads,
					() -> LesionLabeling.mapLabels(Views.translate(mask, 3, -2, 1), view, Connectivity.TWENTY_SIX, c -> table(c.length)));
			int i = 0;
			for (final FloatType t : Views.flatIterable(cells)) {
				assertEquals(d[i], t.get(), "voxel " + i);
				i++;
			}
		}
	}

	private static float[] table(final int n) {
		final float[] t = new float[n];
		t[0] = -1;
		for (int k = 1; k < n; k++)
			t[k] = k + 0.5f;
		return t;
	}

	@Test
	void mapLabelsRejectsAShortTableBeforeWriting() {
		final ArrayImg< UnsignedByteType, ? > mask = ArrayImgs.unsignedBytes(new byte[] { 1, 0, 1, 0 }, 4, 1);
		final ArrayImg< FloatType, FloatArray > out = ArrayImgs.floats(new float[] { 7, 7, 7, 7 }, 4, 1);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> LesionLabeling.mapLabels(mask, out, Connectivity.SIX, c -> new float[2]));
		assertTrue(e.getMessage().contains("2 values for 3 labels"), e.getMessage());
		assertArrayEquals(new float[] { 7, 7, 7, 7 }, out.update(null).getCurrentStorageArray());
	}

	@Test
	void voxelCountsWithFewAndManyLabelsEqualBruteForce() {
		// few labels use interleaved counters, many labels one array; rows of 37 voxels end mid-group
		final Random r = new Random(24);
		for (final int k : new int[] { 1, 300, 70_000 }) {
			final int[] v = new int[37 * 20 * 10];
			for (int i = 0; i < v.length; i++)
				v[i] = r.nextDouble() < 0.5 ? 0 : r.nextDouble() < 0.5 ? k : r.nextInt(k + 1);
			for (final int threads : new int[] { 1, 2 }) {
				final long[] got = Parallelization.runWithNumThreads(threads, () -> LesionStatistics.voxelCounts(ArrayImgs.ints(v, 37, 20, 10), k));
				assertArrayEquals(bruteCounts(v, k), got, "k=" + k);
			}
		}
	}

	@Test
	void voxelCountsNamesAnOutOfRangeLabelInsideAGroupOfFour() {
		final int[] v = new int[8 * 2];
		v[6] = 9; // voxel (6, 0): the third voxel of the second group of four
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LesionStatistics.voxelCounts(ArrayImgs.ints(v, 8, 2), 5));
		assertTrue(e.getMessage().contains("label 9") && e.getMessage().contains("(6, 0"), e.getMessage());
		v[6] = -2;
		final IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> LesionStatistics.voxelCounts(ArrayImgs.ints(v, 8, 2), 5));
		assertTrue(neg.getMessage().contains("-2") && neg.getMessage().contains("(6, 0"), neg.getMessage());
	}
}
