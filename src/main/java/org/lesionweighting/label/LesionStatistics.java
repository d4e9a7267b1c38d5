package org.lesionweighting.label;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;

import org.lesionweighting.util.Cancellation;
import org.lesionweighting.util.Checks;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.IntegerType;

/**
 * Per-lesion measurements of a label image (0 = background, every positive value one lesion), as
 * produced by {@link LesionLabeling} or any other tool. The labels are measured as given, never
 * renumbered; a label whose voxels are disconnected is still one row.
 * <p>
 * Example (from {@code LesionStatisticsTest}):
 *
 * <pre>
 * final LesionTable table = LesionStatistics.measure(labels, new double[] { 0.5, 0.5, 2 });
 * </pre>
 */
public final class LesionStatistics {

	/** The {@code minVolume} filter is off by default: every lesion is a row. */
	public static final double MIN_VOLUME_DEFAULT = 0;

	/** Label ids up to this value are accumulated in dense arrays; larger ids go through a hash. */
	private static final long DENSE_LIMIT = 1 << 22;

	private LesionStatistics() {}

	/**
	 * Measures every lesion of {@code labels}.
	 *
	 * @param labels a 2D or 3D label image, values ≥ 0
	 * @param voxelSize voxel size {x, y, z} (or {x, y} for 2D, depth 1), positive; {@code null} = all 1
	 * @return one row per label value present, sorted by label; empty when the image has no lesion
	 * @throws IllegalArgumentException on negative labels (naming the voxel), a bad voxel size, or an
	 *           image that is not 2D/3D
	 */
	public static < L extends IntegerType< L > > LesionTable measure(final RandomAccessibleInterval< L > labels, final double[] voxelSize) {
		return measure(labels, voxelSize, MIN_VOLUME_DEFAULT);
	}

	/**
	 * Measures every lesion of {@code labels} and keeps those whose calibrated volume is at least
	 * {@code minVolume}. Single-threaded (one pass over the image).
	 *
	 * @param labels a 2D or 3D label image, values ≥ 0
	 * @param voxelSize voxel size {x, y, z} (or {x, y} for 2D), positive; {@code null} = all 1
	 * @param minVolume smallest volume kept, in calibrated units (≥ 0; {@link #MIN_VOLUME_DEFAULT} keeps all)
	 * @return the rows of the kept lesions, sorted by label
	 */
	public static < L extends IntegerType< L > > LesionTable measure(final RandomAccessibleInterval< L > labels, final double[] voxelSize,
			final double minVolume) {
		final String op = "LesionStatistics.measure";
		Checks.requireVolume(op, "labels", labels);
		final double[] vs = voxelSize3(op, labels, voxelSize);
		Checks.requireInRange(op, "minVolume", minVolume, 0, Double.MAX_VALUE);
		final LabelRows< L > rows = new LabelRows<>(labels);
		final int nx = rows.nx, ny = rows.ny, nz = rows.nz;
		final long[] buf = new long[nx];
		// pass 1: validate and find the largest label
		long maxLabel = 0;
		for (int z = 0; z < nz; z++) {
			Cancellation.check(op);
			for (int y = 0; y < ny; y++) {
				rows.read(y, z, buf);
				for (int x = 0; x < nx; x++) {
					final long v = buf[x];
					if (v > maxLabel) maxLabel = v;
					else if (v < 0) throw negative(op, "labels", v, rows.position(x, y, z));
				}
			}
		}
		if (maxLabel == 0) return new LesionTable(List.of(), vs);
		final LabelIndex index = maxLabel < DENSE_LIMIT ? null : new LabelIndex(1024);
		final int cap = index == null ? (int) maxLabel + 1 : 1024;
		final Acc acc = new Acc(cap);
		for (int z = 0; z < nz; z++) {
			Cancellation.check(op);
			for (int y = 0; y < ny; y++) {
				rows.read(y, z, buf);
				int x = 0;
				while (x < nx) {
					final long v = buf[x];
					final int s = x;
					while (x < nx && buf[x] == v)
						x++;
					if (v == 0) continue;
					final int i;
					if (index == null) i = (int) v;
					else {
						i = index.indexOf(v);
						acc.ensure(index.size + 1);
					}
					acc.add(i, s, x - 1, y, z);
				}
			}
		}
		final long[] min = rows.min;
		final double vox = vs[0] * vs[1] * vs[2];
		final List< Lesion > out = new ArrayList<>();
		final long[] ids = index == null ? LongStream.range(0, cap).toArray() : index.keys();
		final Integer[] order = new Integer[ids.length];
		Arrays.setAll(order, i -> i);
		if (index != null) Arrays.sort(order, Comparator.comparingLong(i -> ids[i]));
		for (final int i : order) {
			final long n = acc.count[i];
			if (n == 0) continue;
			final double volume = n * vox;
			if (volume < minVolume) continue;
			final double[] c = { (double) acc.sx[i] / n + min[0], (double) acc.sy[i] / n + min[1], (double) acc.sz[i] / n + (min.length > 2 ? min[2] : 0) };
			final double[] cc = { c[0] * vs[0], c[1] * vs[1], c[2] * vs[2] };
			final long[] bmin = { acc.minX[i] + min[0], acc.minY[i] + min[1], acc.minZ[i] + (min.length > 2 ? min[2] : 0) };
			final long[] bmax = { acc.maxX[i] + min[0], acc.maxY[i] + min[1], acc.maxZ[i] + (min.length > 2 ? min[2] : 0) };
			final boolean border = touches(acc.minX[i], acc.maxX[i], nx) || touches(acc.minY[i], acc.maxY[i], ny) || touches(acc.minZ[i], acc.maxZ[i], nz);
			out.add(new Lesion(ids[i], n, volume, Lesion.sphereDiameter(n), Lesion.sphereDiameter(volume), c, cc, bmin, bmax, border));
		}
		return new LesionTable(out, vs);
	}

	/** A dimension of size 1 has no border to touch (2D images, single slices). */
	private static boolean touches(final int lo, final int hi, final int n) {
		return n > 1 && (lo == 0 || hi == n - 1);
	}

	/** Below this many labels, voxelCounts counts with four interleaved counter arrays. */
	private static final int LANES_MAX_LABELS = 1 << 16;

	/**
	 * Counts the voxels of every label 0..numLabels. Multi-threaded according to the current
	 * {@link net.imglib2.parallel.Parallelization} context; direct array access for {@code ArrayImg}/
	 * {@code PlanarImg} of IntType, LongType, UnsignedShortType and UnsignedByteType.
	 *
	 * @param labels a 2D or 3D label image with values in 0..numLabels
	 * @param numLabels the largest label value (K from {@link LesionLabeling#label})
	 * @return {@code counts} of length numLabels + 1, {@code counts[0]} = background voxels
	 * @throws IllegalArgumentException if a value is negative or larger than {@code numLabels} (naming the
	 *           voxel), or {@code numLabels} is negative
	 */
	public static < L extends IntegerType< L > > long[] voxelCounts(final RandomAccessibleInterval< L > labels, final int numLabels) {
		final String op = "LesionStatistics.voxelCounts";
		Checks.requireVolume(op, "labels", labels);
		if (numLabels < 0 || numLabels > Integer.MAX_VALUE - 8)
			throw new IllegalArgumentException(op + ": numLabels must be in [0, 2^31 - 9], but was " + numLabels + ".");
		final int ny = (int) labels.dimension(1);
		final int nz = labels.numDimensions() > 2 ? (int) labels.dimension(2) : 1;
		final int numRows = ny * nz;
		final int nTasks = VoxelArrays.numTasks(numRows);
		final long[][] partial = new long[nTasks][];
		VoxelArrays.runBlocks(VoxelArrays.bounds(numRows, nTasks), (task, lo, hi) -> {
			final LabelRows< L > rows = new LabelRows<>(labels);
			final int nx = rows.nx;
			final long[] c = new long[numLabels + 1];
			// four counters per label (small label ranges): consecutive voxels of one label increment
			// different memory words, which breaks the store-to-load dependency of c[v]++ on runs
			final boolean lanes = numLabels < LANES_MAX_LABELS;
			final long[] c1 = lanes ? new long[numLabels + 1] : null, c2 = lanes ? new long[numLabels + 1] : null,
					c3 = lanes ? new long[numLabels + 1] : null;
			final long[] buf = new long[nx];
			for (int r = lo; r < hi; r++) {
				if ((r & 255) == 0) Cancellation.check(op);
				final int y = r % ny, z = r / ny;
				final int[] a = rows.intArray(z);
				if (a != null) {
					final int o = rows.offset(y, z);
					int x = 0;
					if (lanes) {
						for (; x + 4 <= nx; x += 4) {
							final int v0 = a[o + x], v1 = a[o + x + 1], v2 = a[o + x + 2], v3 = a[o + x + 3];
							if ((v0 | v1 | v2 | v3 | (numLabels - v0) | (numLabels - v1) | (numLabels - v2) | (numLabels - v3)) < 0) break;
							c[v0]++;
							c1[v1]++;
							c2[v2]++;
							c3[v3]++;
						}
					}
					for (; x < nx; x++) {
						final int v = a[o + x];
						if ((v | (numLabels - v)) < 0) throw outOfRange(op, v, numLabels, rows.position(x, y, z));
						c[v]++;
					}
				}
				else {
					rows.read(y, z, buf);
					for (int x = 0; x < nx; x++) {
						final long v = buf[x];
						if (v < 0 || v > numLabels) throw outOfRange(op, v, numLabels, rows.position(x, y, z));
						c[(int) v]++;
					}
				}
			}
			if (lanes) {
				for (int i = 0; i <= numLabels; i++)
					c[i] += c1[i] + c2[i] + c3[i];
			}
			partial[task] = c;
		});
		final long[] c = partial[0];
		for (int t = 1; t < nTasks; t++)
			for (int i = 0; i <= numLabels; i++)
				c[i] += partial[t][i];
		return c;
	}

	private static IllegalArgumentException outOfRange(final String op, final long v, final int numLabels, final String pos) {
		if (v < 0) return negative(op, "labels", v, pos);
		return new IllegalArgumentException(
				op + ": label " + v + " at voxel " + pos + " is larger than numLabels = " + numLabels + "; pass the largest label value of the image.");
	}

	/** The message for a negative label value. */
	static IllegalArgumentException negative(final String op, final String name, final long v, final String pos) {
		return new IllegalArgumentException(op + ": " + name + " contains the negative label " + v + " at voxel " + pos
				+ "; label images must have 0 for background and positive lesion labels. Relabel the mask with LesionLabeling.label.");
	}

	/** Validates the voxel size and returns it as {x, y, z}. */
	static double[] voxelSize3(final String op, final RandomAccessibleInterval< ? > img, final double[] voxelSize) {
		if (voxelSize == null) return new double[] { 1, 1, 1 };
		final int n = img.numDimensions();
		if (voxelSize.length != 3 && !(n == 2 && voxelSize.length == 2))
			throw new IllegalArgumentException(op + ": voxelSize must have 3 values {x, y, z}" + (n == 2 ? " or 2 values {x, y}" : "") + ", but has "
					+ voxelSize.length + ": " + Arrays.toString(voxelSize) + ".");
		for (int d = 0; d < voxelSize.length; d++)
			Checks.requirePositive(op, "voxelSize[" + d + "]", voxelSize[d]);
		return new double[] { voxelSize[0], voxelSize[1], voxelSize.length > 2 ? voxelSize[2] : 1 };
	}

	/** Growable accumulators, one slot per label index. */
	private static final class Acc {

		long[] count = {}, sx = {}, sy = {}, sz = {};

		int[] minX = {}, minY = {}, minZ = {}, maxX = {}, maxY = {}, maxZ = {};

		Acc(final int n) {
			ensure(n);
		}

		void ensure(final int n) {
			if (n <= count.length) return;
			final int m = Math.max(n, count.length * 2);
			final int old = count.length;
			count = Arrays.copyOf(count, m);
			sx = Arrays.copyOf(sx, m);
			sy = Arrays.copyOf(sy, m);
			sz = Arrays.copyOf(sz, m);
			minX = grow(minX, m, old, Integer.MAX_VALUE);
			minY = grow(minY, m, old, Integer.MAX_VALUE);
			minZ = grow(minZ, m, old, Integer.MAX_VALUE);
			maxX = grow(maxX, m, old, -1);
			maxY = grow(maxY, m, old, -1);
			maxZ = grow(maxZ, m, old, -1);
		}

		private static int[] grow(final int[] a, final int m, final int old, final int v) {
			final int[] b = Arrays.copyOf(a, m);
			Arrays.fill(b, old, m, v);
			return b;
		}

		void add(final int i, final int s, final int e, final int y, final int z) {
			final long len = e - s + 1;
			count[i] += len;
			sx[i] += (long) (s + e) * len / 2;
			sy[i] += y * len;
			sz[i] += z * len;
			if (s < minX[i]) minX[i] = s;
			if (e > maxX[i]) maxX[i] = e;
			if (y < minY[i]) minY[i] = y;
			if (y > maxY[i]) maxY[i] = y;
			if (z < minZ[i]) minZ[i] = z;
			if (z > maxZ[i]) maxZ[i] = z;
		}
	}

	/** Open-addressing map from label value (> 0; key 0 marks an empty slot) to a dense index 0, 1, 2, ... in order of first appearance. */
	private static final class LabelIndex {

		private long[] keys;

		private int[] vals;

		int size;

		LabelIndex(final int capacity) {
			keys = new long[Integer.highestOneBit(capacity) * 2];
			vals = new int[keys.length];
		}

		int indexOf(final long k) {
			int m = keys.length - 1;
			int h = (int) (mix(k) & m);
			while (keys[h] != 0) {
				if (keys[h] == k) return vals[h];
				h = (h + 1) & m;
			}
			keys[h] = k;
			vals[h] = size;
			final int i = size++;
			if (size * 2 > keys.length) rehash();
			return i;
		}

		private void rehash() {
			final long[] ok = keys;
			final int[] ov = vals;
			keys = new long[ok.length * 2];
			vals = new int[ok.length * 2];
			final int m = keys.length - 1;
			for (int i = 0; i < ok.length; i++) {
				if (ok[i] == 0) continue;
				int h = (int) (mix(ok[i]) & m);
				while (keys[h] != 0)
					h = (h + 1) & m;
				keys[h] = ok[i];
				vals[h] = ov[i];
			}
		}

		/** The label of every index. */
		long[] keys() {
			final long[] out = new long[size];
			for (int i = 0; i < keys.length; i++)
				if (keys[i] != 0) out[vals[i]] = keys[i];
			return out;
		}

		private static long mix(final long k) {
			long h = k * 0x9E3779B97F4A7C15L;
			return h ^ (h >>> 32);
		}
	}
}
