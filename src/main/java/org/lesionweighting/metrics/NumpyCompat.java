package org.lesionweighting.metrics;

/**
 * Bit-exact re-implementations of the two numpy functions the paper's evaluation relies on
 * (doc/method.md §5.2–5.3): {@code np.linspace} and {@code np.interp}.
 */
public final class NumpyCompat {

	/** numpy's {@code LIKELY_IN_CACHE_SIZE} of its interpolation search. */
	private static final int LIKELY_IN_CACHE_SIZE = 8;

	private NumpyCompat() {}

	/**
	 * {@code np.linspace(start, stop, num)} with numpy's arithmetic: element i is {@code i * step + start}
	 * with {@code step = (stop - start) / (num - 1)}, and the last element is exactly {@code stop}.
	 *
	 * @param num number of points, at least 0 (0 gives an empty array, 1 gives {@code [start]})
	 */
	public static double[] linspace(final double start, final double stop, final int num) {
		if (num < 0) throw new IllegalArgumentException("NumpyCompat.linspace: num must be >= 0, but was " + num + ".");
		final double[] y = new double[num];
		if (num == 0) return y;
		final int div = num - 1;
		final double delta = stop - start;
		if (div == 0) {
			y[0] = start;
			return y;
		}
		final double step = delta / div;
		for (int i = 0; i < num; i++)
			y[i] = step == 0 ? (i / (double) div) * delta + start : i * step + start;
		y[num - 1] = stop;
		return y;
	}

	/**
	 * {@code np.interp(x, xp, fp)} with numpy's exact algorithm (default {@code left = fp[0]},
	 * {@code right = fp[-1]}): for each x a guessed binary search finds j, the last index with
	 * {@code xp[j] <= x} when xp is non-decreasing; values left of xp[0] take fp[0], values right of
	 * the last xp take the last fp (so the last value is <em>held</em>), an exact hit on xp[j] returns
	 * fp[j] (the <em>rightmost</em> of equal xp values), otherwise linear interpolation between j and j+1.
	 * Like numpy it does not check that xp is increasing: for non-monotone xp the result is numpy's
	 * (search-path dependent) result, reproduced step by step. NaN in x gives NaN.
	 *
	 * @param x points to evaluate
	 * @param xp sample positions, at least one
	 * @param fp sample values, same length as xp
	 * @return a new array of {@code x.length} values
	 */
	public static double[] interp(final double[] x, final double[] xp, final double[] fp) {
		final int n = xp.length;
		if (n == 0 || fp.length != n)
			throw new IllegalArgumentException(
					"NumpyCompat.interp: xp and fp must be non-empty and of equal length, but have lengths " + n + " and " + fp.length + ".");
		final double left = fp[0], right = fp[n - 1];
		final double[] res = new double[x.length];
		if (n == 1) {
			for (int i = 0; i < x.length; i++)
				res[i] = x[i] < xp[0] ? left : x[i] > xp[0] ? right : fp[0];
			return res;
		}
		int j = 0;
		for (int i = 0; i < x.length; i++) {
			final double xv = x[i];
			if (Double.isNaN(xv)) {
				res[i] = xv;
				continue;
			}
			j = searchWithGuess(xv, xp, n, j);
			if (j == -1) res[i] = left;
			else if (j == n) res[i] = right;
			else if (j == n - 1) res[i] = fp[j];
			else if (xp[j] == xv) res[i] = fp[j];
			else {
				final double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
				double r = slope * (xv - xp[j]) + fp[j];
				if (Double.isNaN(r)) {
					r = slope * (xv - xp[j + 1]) + fp[j + 1];
					if (Double.isNaN(r) && fp[j] == fp[j + 1]) r = fp[j];
				}
				res[i] = r;
			}
		}
		return res;
	}

	/** numpy's {@code binary_search_with_guess}. */
	private static int searchWithGuess(final double key, final double[] arr, final int len, int guess) {
		int imin = 0, imax = len;
		if (key > arr[len - 1]) return len;
		else if (key < arr[0]) return -1;
		if (len <= 4) {
			int i = 1;
			while (i < len && key >= arr[i])
				i++;
			return i - 1;
		}
		if (guess > len - 3) guess = len - 3;
		if (guess < 1) guess = 1;
		if (key < arr[guess]) {
			if (key < arr[guess - 1]) {
				imax = guess - 1;
				if (guess > LIKELY_IN_CACHE_SIZE && key >= arr[guess - LIKELY_IN_CACHE_SIZE]) imin = guess - LIKELY_IN_CACHE_SIZE;
			}
			else
				return guess - 1;
		}
		else {
			if (key < arr[guess + 1]) return guess;
			else if (key < arr[guess + 2]) return guess + 1;
			else {
				imin = guess + 2;
				if (guess < len - LIKELY_IN_CACHE_SIZE - 1 && key < arr[guess + LIKELY_IN_CACHE_SIZE]) imax = guess + LIKELY_IN_CACHE_SIZE;
			}
		}
		while (imin < imax) {
			final int imid = imin + ((imax - imin) >> 1);
			if (key >= arr[imid]) imin = imid + 1;
			else
				imax = imid;
		}
		return imin - 1;
	}

	/**
	 * {@code np.sum} of a float64 array: numpy's pairwise summation (blocks of at most 128 values summed
	 * with 8 partial sums, halves split at multiples of 8), so that means match numpy bit for bit.
	 *
	 * @return the sum; 0 for an empty array
	 */
	public static double sum(final double[] a) {
		return pairwise(a, 0, a.length);
	}

	/** {@code np.mean}: {@link #sum} divided by the length; NaN for an empty array (numpy warns). */
	public static double mean(final double[] a) {
		return a.length == 0 ? Double.NaN : sum(a) / a.length;
	}

	/** {@code np.std} (population, ddof = 0); NaN for an empty array (numpy warns). */
	public static double std(final double[] a) {
		if (a.length == 0) return Double.NaN;
		final double m = mean(a);
		final double[] sq = new double[a.length];
		for (int i = 0; i < a.length; i++) {
			final double d = a[i] - m;
			sq[i] = d * d;
		}
		return Math.sqrt(sum(sq) / a.length);
	}

	private static double pairwise(final double[] a, final int from, final int n) {
		if (n < 8) {
			double r = 0.;
			for (int i = 0; i < n; i++)
				r += a[from + i];
			return r;
		}
		if (n <= 128) {
			final double[] r = new double[8];
			System.arraycopy(a, from, r, 0, 8);
			int i = 8;
			for (; i < n - (n % 8); i += 8)
				for (int j = 0; j < 8; j++)
					r[j] += a[from + i + j];
			double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
			for (; i < n; i++)
				res += a[from + i];
			return res;
		}
		int n2 = n / 2;
		n2 -= n2 % 8;
		return pairwise(a, from, n2) + pairwise(a, from + n2, n - n2);
	}
}
