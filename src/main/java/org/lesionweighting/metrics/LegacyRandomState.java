package org.lesionweighting.metrics;

/**
 * The random stream of numpy's legacy {@code numpy.random.RandomState(seed)} (MT19937 seeded with
 * {@code init_genrand}) and its {@code shuffle}, so that the bootstrap of doc/method.md §5.3
 * ({@code rs = RandomState(42); rs.shuffle(ids)} once per iteration) draws exactly the paper's subsamples.
 * <p>
 * {@code shuffle} is numpy's Fisher–Yates from the end: for i = n−1 down to 1, j = {@code random_interval(i)}
 * (a uniform integer in [0, i] by masked rejection on 32-bit outputs) and elements i and j are swapped.
 * Verified against numpy 2.4 outputs in {@code LegacyRandomStateTest}.
 * <p>
 * Not thread-safe: one instance per thread.
 */
public final class LegacyRandomState {

	private static final int N = 624, M = 397;

	private static final int MATRIX_A = 0x9908b0df, UPPER_MASK = 0x80000000, LOWER_MASK = 0x7fffffff;

	private final int[] mt = new int[N];

	private int pos;

	/**
	 * Seeds the generator as {@code numpy.random.RandomState(seed)} does for an integer seed.
	 *
	 * @param seed in [0, 2^32 − 1]
	 * @throws IllegalArgumentException if the seed is out of range (numpy raises too)
	 */
	public LegacyRandomState(final long seed) {
		if (seed < 0 || seed > 0xffffffffL)
			throw new IllegalArgumentException("LegacyRandomState: seed must be in [0, 2^32 - 1] as in numpy's RandomState, but was " + seed + ".");
		int s = (int) seed;
		for (int i = 0; i < N; i++) {
			mt[i] = s;
			s = 1812433253 * (s ^ (s >>> 30)) + i + 1;
		}
		pos = N;
	}

	/** Next raw 32-bit output of MT19937, as an unsigned value in [0, 2^32). */
	public long nextUint32() {
		if (pos >= N) twist();
		int y = mt[pos++];
		y ^= y >>> 11;
		y ^= (y << 7) & 0x9d2c5680;
		y ^= (y << 15) & 0xefc60000;
		y ^= y >>> 18;
		return y & 0xffffffffL;
	}

	private void twist() {
		// the reference code's three loops (kk < N - M, kk < N - 1, kk = N - 1) with their index wrap-around as % N
		for (int kk = 0; kk < N; kk++) {
			final int y = (mt[kk] & UPPER_MASK) | (mt[(kk + 1) % N] & LOWER_MASK);
			mt[kk] = mt[(kk + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
		}
		pos = 0;
	}

	/**
	 * A uniform integer in [0, max], as numpy's {@code random_interval}: the smallest all-ones bit mask
	 * covering {@code max} is applied to 32-bit outputs until the value is at most {@code max}.
	 *
	 * @param max in [0, 2^32 − 1]
	 */
	public long randomInterval(final long max) {
		if (max < 0 || max > 0xffffffffL)
			throw new IllegalArgumentException("LegacyRandomState.randomInterval: max must be in [0, 2^32 - 1], but was " + max + ".");
		if (max == 0) return 0;
		final long mask = -1L >>> Long.numberOfLeadingZeros(max);
		long value;
		while ((value = nextUint32() & mask) > max) {
			// rejection
		}
		return value;
	}

	/** Shuffles {@code a} in place exactly as {@code RandomState.shuffle} shuffles a 1-D array. */
	public < T > void shuffle(final T[] a) {
		for (int i = a.length - 1; i >= 1; i--) {
			final int j = (int) randomInterval(i);
			final T t = a[i];
			a[i] = a[j];
			a[j] = t;
		}
	}
}
