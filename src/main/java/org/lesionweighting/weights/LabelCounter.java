package org.lesionweighting.weights;

import java.util.Arrays;

/**
 * Voxel count and weight per label value: label values below a dense limit live in plain arrays (grown
 * on demand up to the limit), larger ones in an open-addressing hash. The memory is thus bounded by the
 * limit plus the number of distinct large labels, never by the largest label id. Not thread-safe.
 */
final class LabelCounter {

	/** Dense part: index = label value. */
	long[] dcount = new long[64];

	float[] dweight = new float[64];

	private final long denseLimit;

	/** Hash part; key 0 marks an empty slot (hashed labels are at least the dense limit, ≥ 64). */
	long[] keys;

	long[] counts;

	float[] weights;

	int hashSize;

	private int lastSlot = -1;

	private long lastKey;

	/** @param denseLimit label values below this are counted in arrays (at most this long) */
	LabelCounter(final long denseLimit) {
		this.denseLimit = Math.max(64, Math.min(denseLimit, Integer.MAX_VALUE - 8));
		alloc(64);
	}

	private void alloc(final int cap) {
		keys = new long[cap];
		counts = new long[cap];
		weights = new float[cap];
	}

	private static int mix(final long k) {
		final long h = k * 0x9E3779B97F4A7C15L;
		return (int) (h ^ (h >>> 29));
	}

	/** Adds n voxels of label k (k ≥ 0). */
	void add(final long k, final long n) {
		if (k < denseLimit) {
			if (k >= dcount.length) growDense(k);
			dcount[(int) k] += n;
		}
		else {
			final int s = slot(k); // may rehash: read the array after
			counts[s] += n;
		}
	}

	private void growDense(final long k) {
		final int len = (int) Math.min(denseLimit, Math.max(k + 1, dcount.length * 2L));
		dcount = Arrays.copyOf(dcount, len);
		dweight = Arrays.copyOf(dweight, len);
	}

	/** The weight of label k (which must have been counted). */
	float weight(final long k) {
		if (k < dcount.length) return dweight[(int) k];
		return weights[slot(k)];
	}

	/** The slot of key k in the hash, inserting it with count 0 when absent. */
	private int slot(final long k) {
		if (lastSlot >= 0 && lastKey == k) return lastSlot;
		final int m = keys.length - 1;
		int h = mix(k) & m;
		while (keys[h] != 0) {
			if (keys[h] == k) {
				lastSlot = h;
				lastKey = k;
				return h;
			}
			h = (h + 1) & m;
		}
		keys[h] = k;
		hashSize++;
		if (hashSize * 2 > keys.length) {
			rehash();
			return slot(k);
		}
		lastSlot = h;
		lastKey = k;
		return h;
	}

	void addAll(final LabelCounter o) {
		for (int i = 0; i < o.dcount.length; i++)
			if (o.dcount[i] != 0) add(i, o.dcount[i]);
		for (int i = 0; i < o.keys.length; i++)
			if (o.keys[i] != 0) add(o.keys[i], o.counts[i]);
	}

	/** The number of distinct labels with a non-zero count. */
	long distinct() {
		long n = 0;
		for (final long c : dcount)
			if (c != 0) n++;
		for (int i = 0; i < keys.length; i++)
			if (keys[i] != 0 && counts[i] != 0) n++;
		return n;
	}

	/** The largest label with a non-zero count, or -1 when empty. */
	long maxKey() {
		long mx = -1;
		for (int i = 0; i < keys.length; i++)
			if (keys[i] != 0 && counts[i] != 0 && keys[i] > mx) mx = keys[i];
		if (mx >= 0) return mx;
		for (int i = dcount.length - 1; i >= 0; i--)
			if (dcount[i] != 0) return i;
		return -1;
	}

	/** Sets the weight of every counted label to {@code f(label, count)}. */
	void computeWeights(final WeightFunction f) {
		for (int i = 0; i < dcount.length; i++)
			if (dcount[i] != 0) dweight[i] = f.weight(i, dcount[i]);
		for (int i = 0; i < keys.length; i++)
			if (keys[i] != 0 && counts[i] != 0) weights[i] = f.weight(keys[i], counts[i]);
	}

	interface WeightFunction {

		float weight(long label, long count);
	}

	private void rehash() {
		final long[] ok = keys, oc = counts;
		final float[] ow = weights;
		alloc(ok.length * 2);
		final int m = keys.length - 1;
		for (int i = 0; i < ok.length; i++) {
			if (ok[i] == 0) continue;
			int h = mix(ok[i]) & m;
			while (keys[h] != 0)
				h = (h + 1) & m;
			keys[h] = ok[i];
			counts[h] = oc[i];
			weights[h] = ow[i];
		}
		lastSlot = -1;
	}

	/** An independent copy, for read-only use by another thread. */
	LabelCounter copy() {
		final LabelCounter c = new LabelCounter(denseLimit);
		c.dcount = dcount.clone();
		c.dweight = dweight.clone();
		c.keys = keys.clone();
		c.counts = counts.clone();
		c.weights = weights.clone();
		c.hashSize = hashSize;
		return c;
	}
}
