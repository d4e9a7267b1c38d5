package org.lesionweighting.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lesionweighting.label.Connectivity;
import org.lesionweighting.label.LesionLabeling;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.IntArray;
import net.imglib2.parallel.Parallelization;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Regression tests of the fast paths of {@link WeightMaps}: the interleaved counters of the counting
 * pass (including a dense counter that grows past their limit in the middle of a row) and
 * {@link WeightMaps#fromMask} writing weights straight from the runs of the mask.
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
			Parallelization.runWithNumThreads(threads, () -> WeightMaps.compute(ArrayImgs.ints(v, nx, ny, nz), out, WeightScheme.INVERSE_VOLUME, 0, Double.POSITIVE_INFINITY));
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
}
