package org.lesionweighting.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lesionweighting.label.Connectivity;
import org.lesionweighting.label.LesionLabeling;

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
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Regression tests of the fast paths of {@link WeightMaps}: the interleaved counters of the counting
 * pass (including a dense counter that grows past their limit in the middle of a row),
 * {@link WeightMaps#fromMask} writing weights straight from the runs of the mask, and
 * {@link WeightMaps#fromMaskWithLabels} writing labels and weights in one pass.
 */
class WeightMapsFastPathsTest {

	/** W1 by the formula of doc/method.md §1.2 with a hash map count. */
	private static float[] bruteW1(final int[] v, final double wMin, final double wMax) {
		final Map< Integer, Long > c = new HashMap<>();
		for (final int x : v)
			c.merge(x, 1L, Long::sum);
		final float[] w = new float[v.length];
		for (int i = 0; i < v.length; i++) {
			final double u = (double) v.length / ((double) c.size() * c.get(v[i]));
			w[i] = (float) Math.min(Math.max(u, wMin), wMax);
		}
		return w;
	}

	@Test
	void countingSurvivesDenseGrowthPastTheLaneLimit() {
		// 200 x 100 x 40 voxels: labels are counted densely up to N / 8 = 100,000. Labels grow along the
		// image from small to ~90,000, so the dense counters outgrow the four-lane limit (65,536)
		// in the middle of a row
		final int nx = 200, ny = 100, nz = 40, n = nx * ny * nz;
		final Random r = new Random(31);
		final int[] v = new int[n];
		for (int i = 0; i < n; i++) {
			final int hi = 1 + (int) (90_000L * i / n);
			v[i] = r.nextDouble() < 0.4 ? 0 : r.nextDouble() < 0.5 ? hi : 1 + r.nextInt(hi);
		}
		final float[] expected = bruteW1(v, 0, Double.POSITIVE_INFINITY);
		for (final int threads : new int[] { 1, 2 }) {
			final ArrayImg< FloatType, FloatArray > out = ArrayImgs.floats(nx, ny, nz);
			Parallelization.runWithNumThreads(threads,
					() -> WeightMaps.compute(ArrayImgs.ints(v, nx, ny, nz), out, WeightScheme.INVERSE_VOLUME, 0, Double.POSITIVE_INFINITY));
			assertArrayEquals(expected, out.update(null).getCurrentStorageArray(), "threads=" + threads);
		}
	}

	@Test
	void fromMaskEqualsTheFormulaOnItsLabels() {
		final Random r = new Random(32);
		final byte[] b = new byte[90 * 13 * 17];
		for (int i = 0; i < b.length; i++)
			b[i] = (byte) (r.nextDouble() < 0.3 ? 1 : 0);
		final ArrayImg< UnsignedByteType, ? > mask = ArrayImgs.unsignedBytes(b, 90, 13, 17);
		for (final Connectivity c : Connectivity.values()) {
			final ArrayImg< IntType, IntArray > labels = ArrayImgs.ints(90, 13, 17);
			final int k = LesionLabeling.label(mask, labels, c);
			final float[] expected = bruteW1(labels.update(null).getCurrentStorageArray(), 1, 2e5);
			for (final int threads : new int[] { 1, 5 }) {
				final ArrayImg< FloatType, FloatArray > out = ArrayImgs.floats(90, 13, 17);
				final int kGot = Parallelization.runWithNumThreads(threads, () -> WeightMaps.fromMask(mask, out, WeightScheme.INVERSE_VOLUME, c, 1, 2e5));
				assertEquals(k, kGot);
				assertArrayEquals(expected, out.update(null).getCurrentStorageArray(), c + " threads=" + threads);
			}
		}
	}

	@Test
	void fromMaskWithLabelsByHand() {
		// one row: lesion 1 = 3 voxels, background 4, lesion 2 = 1 voxel; N = 8, K + 1 = 3
		final ArrayImg< UnsignedByteType, ? > mask = ArrayImgs.unsignedBytes(new byte[] { 1, 1, 1, 0, 0, 7, 0, 0 }, 8, 1);
		final ArrayImg< IntType, IntArray > labels = ArrayImgs.ints(8, 1);
		final ArrayImg< FloatType, FloatArray > w = ArrayImgs.floats(8, 1);
		final long[] counts = WeightMaps.fromMaskWithLabels(mask, labels, w, WeightScheme.INVERSE_VOLUME, Connectivity.SIX, 0, Double.POSITIVE_INFINITY);
		assertArrayEquals(new long[] { 4, 3, 1 }, counts);
		assertArrayEquals(new int[] { 1, 1, 1, 0, 0, 2, 0, 0 }, labels.update(null).getCurrentStorageArray());
		final float bg = (float) (8.0 / 12), l1 = (float) (8.0 / 9), l2 = (float) (8.0 / 3);
		assertArrayEquals(new float[] { l1, l1, l1, bg, bg, l2, bg, bg }, w.update(null).getCurrentStorageArray());
		// the paper's clip [1, 2e5] lifts background and lesion 1 to 1
		WeightMaps.fromMaskWithLabels(mask, labels, w, WeightScheme.INVERSE_VOLUME, Connectivity.SIX, 1, 2e5);
		assertArrayEquals(new float[] { 1, 1, 1, 1, 1, l2, 1, 1 }, w.update(null).getCurrentStorageArray());
	}

	@Test
	void fromMaskWithLabelsEqualsLabelThenCompute() {
		final Random r = new Random(33);
		final byte[] b = new byte[130 * 11 * 9];
		for (int i = 0; i < b.length; i++)
			b[i] = (byte) (r.nextDouble() < 0.3 ? 1 : 0);
		final ArrayImg< UnsignedByteType, ? > mask = ArrayImgs.unsignedBytes(b, 130, 11, 9);
		for (final Connectivity c : Connectivity.values()) {
			final ArrayImg< IntType, IntArray > expectedLabels = ArrayImgs.ints(130, 11, 9);
			final int k = LesionLabeling.label(mask, expectedLabels, c);
			for (final WeightScheme s : WeightScheme.values()) {
				final ArrayImg< FloatType, FloatArray > expected = ArrayImgs.floats(130, 11, 9);
				WeightMaps.compute(expectedLabels, expected, s, 1, 2e5);
				for (final int threads : new int[] { 1, 5 }) {
					final String what = c + " " + s + " threads=" + threads;
					final ArrayImg< IntType, IntArray > labels = ArrayImgs.ints(130, 11, 9);
					final ArrayImg< FloatType, FloatArray > w = ArrayImgs.floats(130, 11, 9);
					final long[] counts = Parallelization.runWithNumThreads(threads, () -> WeightMaps.fromMaskWithLabels(mask, labels, w, s, c, 1, 2e5));
					assertEquals(k + 1, counts.length, what);
					assertArrayEquals(expectedLabels.update(null).getCurrentStorageArray(), labels.update(null).getCurrentStorageArray(), what);
					assertArrayEquals(expected.update(null).getCurrentStorageArray(), w.update(null).getCurrentStorageArray(), what);
					// generic path: translated views of cell images, 16-bit labels
					final Img< UnsignedShortType > cellLabels = new CellImgFactory<>(new UnsignedShortType(), 16).create(130, 11, 9);
					final Img< FloatType > cellWeights = new CellImgFactory<>(new FloatType(), 16).create(130, 11, 9);
					final RandomAccessibleInterval< UnsignedShortType > lv = Views.translate(cellLabels, 2, 3, -4);
					final RandomAccessibleInterval< FloatType > wv = Views.translate(cellWeights, 2, 3, -4);
					Parallelization.runWithNumThreads(threads, () -> WeightMaps.fromMaskWithLabels(Views.translate(mask, 2, 3, -4), lv, wv, s, c, 1, 2e5));
					int i = 0;
					for (final UnsignedShortType t : Views.flatIterable(cellLabels))
						assertEquals(expectedLabels.update(null).getCurrentStorageArray()[i++], t.get(), what + " generic label " + (i - 1));
					i = 0;
					for (final FloatType t : Views.flatIterable(cellWeights))
						assertEquals(expected.update(null).getCurrentStorageArray()[i++], t.get(), what + " generic weight " + (i - 1));
				}
			}
		}
	}

	@Test
	void fromMaskWithLabelsWritesNothingOnBadInput() {
		// 300 isolated voxels do not fit 8-bit labels: neither output is touched; nor on bad clip bounds
		// or a label image of another size
		final byte[] b = new byte[600];
		for (int i = 0; i < b.length; i += 2)
			b[i] = 1;
		final Img< UnsignedByteType > labels = ArrayImgs.unsignedBytes(600, 1);
		for (final UnsignedByteType t : labels)
			t.set(9);
		final ArrayImg< FloatType, FloatArray > w = ArrayImgs.floats(600, 1);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> WeightMaps.fromMaskWithLabels(ArrayImgs.unsignedBytes(b, 600, 1), labels, w, WeightScheme.INVERSE_VOLUME, Connectivity.SIX, 1, 2e5));
		assertTrue(e.getMessage().contains("300 lesions") && e.getMessage().contains("IntType"), e.getMessage());
		for (final UnsignedByteType t : labels)
			assertEquals(9, t.get());
		for (final float v : w.update(null).getCurrentStorageArray())
			assertEquals(0f, v);
		final IllegalArgumentException clip = assertThrows(IllegalArgumentException.class, () -> WeightMaps
				.fromMaskWithLabels(ArrayImgs.unsignedBytes(b, 600, 1), ArrayImgs.ints(600, 1), w, WeightScheme.INVERSE_VOLUME, Connectivity.SIX, 3, 2));
		assertTrue(clip.getMessage().contains("fromMaskWithLabels") && clip.getMessage().contains("wMax"), clip.getMessage());
		final IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> WeightMaps
				.fromMaskWithLabels(ArrayImgs.unsignedBytes(b, 600, 1), ArrayImgs.ints(600, 2), w, WeightScheme.INVERSE_VOLUME, Connectivity.SIX, 1, 2e5));
		assertTrue(size.getMessage().contains("fromMaskWithLabels") && size.getMessage().contains("labels"), size.getMessage());
		for (final float v : w.update(null).getCurrentStorageArray())
			assertEquals(0f, v);
	}
}
