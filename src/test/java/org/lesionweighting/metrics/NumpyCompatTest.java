package org.lesionweighting.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * numpy equivalence. Expected values computed once with python3 + numpy 2.4:
 *
 * <pre>
 * x = np.linspace(0, 5, 11)
 * cases = [([0,1,1,2,3,3,3,4], [0,.2,.4,.5,.6,.7,.8,.9]), ([0,2,1,3,2.5,4,0.5,5,1], [0,.1,.2,.3,.4,.5,.6,.7,.8]),
 *          ([0,0.5,0.5,0.5], [0,0.3,0.6,0.9]), ([3,2,1,0,0,0,0], [.9,.8,.7,.6,.5,.4,.3])]
 * for xp, fp in cases: print([repr(float(v)) for v in np.interp(x, xp, fp)])
 * t = np.concatenate((np.linspace(-0.1, 10, 101), np.linspace(10, 13.5, 100)))
 * print([float(v).hex() for v in t[[1, 3, 37, 99, 100, 101, 150, 199, 200]]])
 * print(float(np.linspace(10, 4.2, 100)[33]).hex(), float(np.linspace(0, 5, 501)[123]).hex())
 * </pre>
 */
class NumpyCompatTest {

	private static final double[] X = NumpyCompat.linspace(0, 5, 11);

	@Test
	void interpWithDuplicatesTakesTheRightmostEqualPointAndHoldsTheLastValue() {
		final double[] r = NumpyCompat.interp(X, new double[] { 0, 1, 1, 2, 3, 3, 3, 4 }, new double[] { 0, .2, .4, .5, .6, .7, .8, .9 });
		assertArrayEquals(new double[] { 0.0, 0.1, 0.4, 0.45, 0.5, 0.55, 0.8, 0.8500000000000001, 0.9, 0.9, 0.9 }, r, 0);
	}

	@Test
	void interpWithNonMonotoneXpFollowsNumpysSearchPath() {
		final double[] r = NumpyCompat.interp(X, new double[] { 0, 2, 1, 3, 2.5, 4, 0.5, 5, 1 }, new double[] { 0, .1, .2, .3, .4, .5, .6, .7, .8 });
		assertArrayEquals(new double[] { 0.0, 0.025, 0.05, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8 }, r, 0);
	}

	@Test
	void interpShortXpWithRepeatedLastPoint() {
		final double[] r = NumpyCompat.interp(X, new double[] { 0, 0.5, 0.5, 0.5 }, new double[] { 0, 0.3, 0.6, 0.9 });
		assertArrayEquals(new double[] { 0.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9 }, r, 0);
	}

	@Test
	void interpDecreasingXp() {
		final double[] r = NumpyCompat.interp(X, new double[] { 3, 2, 1, 0, 0, 0, 0 }, new double[] { .9, .8, .7, .6, .5, .4, .3 });
		assertArrayEquals(new double[] { 0.9, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3 }, r, 0);
	}

	@Test
	void interpOutsideTheRangeTakesTheEndValuesAndNaNStaysNaN() {
		final double[] r = NumpyCompat.interp(new double[] { -1, 0.5, 7, Double.NaN }, new double[] { 0, 1 }, new double[] { 0.25, 0.75 });
		assertArrayEquals(new double[] { 0.25, 0.5, 0.75, Double.NaN }, r, 0);
	}

	@Test
	void thresholdGridIsBitIdenticalToNumpy() {
		final double[] a = NumpyCompat.linspace(-0.1, 10, 101), b = NumpyCompat.linspace(10, 13.5, 100);
		final double[] t = new double[201];
		System.arraycopy(a, 0, t, 0, 101);
		System.arraycopy(b, 0, t, 101, 100);
		final int[] idx = { 1, 3, 37, 99, 100, 101, 150, 199, 200 };
		final String[] hex = { "0x1.0624dd2f1a9c0p-10", "0x1.9fbe76c8b4395p-3", "0x1.d189374bc6a7ep+1", "0x1.3cc49ba5e353fp+3", "0x1.4000000000000p+3", "0x1.4000000000000p+3", "0x1.776f31219dbccp+3", "0x1.aede62433b798p+3", "0x1.b000000000000p+3" };
		for (int i = 0; i < idx.length; i++)
			assertEquals(Double.parseDouble(hex[i]), t[idx[i]], 0, "index " + idx[i]);
		assertEquals(Double.parseDouble("0x1.0222222222222p+3"), NumpyCompat.linspace(10, 4.2, 100)[33], 0);
		assertEquals(Double.parseDouble("0x1.3ae147ae147aep+0"), NumpyCompat.linspace(0, 5, 501)[123], 0);
	}

	@Test
	void linspaceEdgeCases() {
		assertArrayEquals(new double[] {}, NumpyCompat.linspace(0, 1, 0), 0);
		assertArrayEquals(new double[] { 3 }, NumpyCompat.linspace(3, 9, 1), 0);
		assertArrayEquals(new double[] { 2, 2, 2 }, NumpyCompat.linspace(2, 2, 3), 0);
	}

	@Test
	void meanAndStdArePopulationStatistics() {
		assertEquals(0.402, NumpyCompat.mean(new double[] { 0.343, 0.423, 0.186, 0.515, 0.543 }), 1e-15);
		assertEquals(0.5, NumpyCompat.std(new double[] { 1, 2 }), 0);
		assertEquals(Double.NaN, NumpyCompat.mean(new double[0]));
		assertEquals(Double.NaN, NumpyCompat.std(new double[0]));
	}

	@Test
	void pairwiseSumEqualsNumpyOnALongArray() {
		// a = (np.linspace(0, 1, 1001) * np.pi) / 3.0; a = a * a; repr(float(np.sum(a)))
		// (a sequential sum gives 366.08939787011855 instead)
		final double[] a = NumpyCompat.linspace(0, 1, 1001);
		for (int i = 0; i < a.length; i++) {
			a[i] = (a[i] * Math.PI) / 3.0;
			a[i] = a[i] * a[i];
		}
		assertEquals(REF_SUM, NumpyCompat.sum(a), 0);
	}

	private static final double REF_SUM = 366.08939787011826;
}
