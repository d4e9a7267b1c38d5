package org.lesionweighting.metrics;

import java.util.Arrays;

/** Open-addressing hash map from a (lesion, prediction) label pair to its overlap voxel count. */
final class PairCounts {

	private static final long EMPTY = -1L;

	private long[] keys;

	private long[] counts;

	private int size;

	PairCounts() {
		keys = new long[64];
		Arrays.fill(keys, EMPTY);
		counts = new long[64];
	}

	static long key(final int lesion, final int prediction) {
		return ((long) lesion << 32) | (prediction & 0xffffffffL);
	}

	static int lesion(final long key) {
		return (int) (key >>> 32);
	}

	static int prediction(final long key) {
		return (int) key;
	}

	void add(final long key, final long n) {
		final int mask = keys.length - 1;
		int h = hash(key) & mask;
		while (true) {
			final long k = keys[h];
			if (k == key) {
				counts[h] += n;
				return;
			}
			if (k == EMPTY) {
				keys[h] = key;
				counts[h] = n;
				if (++size * 2 > keys.length) grow();
				return;
			}
			h = (h + 1) & mask;
		}
	}

	void addAll(final PairCounts other) {
		for (int i = 0; i < other.keys.length; i++)
			if (other.keys[i] != EMPTY) add(other.keys[i], other.counts[i]);
	}

	/** The entries as {@code {key, count}} pairs, sorted by key (lesion-major). */
	long[][] sortedEntries() {
		final long[][] e = new long[size][];
		int n = 0;
		for (int i = 0; i < keys.length; i++)
			if (keys[i] != EMPTY) e[n++] = new long[] { keys[i], counts[i] };
		Arrays.sort(e, (a, b) -> Long.compare(a[0], b[0]));
		return e;
	}

	private void grow() {
		final long[] ok = keys, oc = counts;
		keys = new long[ok.length * 2];
		Arrays.fill(keys, EMPTY);
		counts = new long[ok.length * 2];
		size = 0;
		for (int i = 0; i < ok.length; i++)
			if (ok[i] != EMPTY) add(ok[i], oc[i]);
	}

	private static int hash(final long key) {
		long h = key * 0x9E3779B97F4A7C15L;
		h ^= h >>> 29;
		return (int) h;
	}
}
