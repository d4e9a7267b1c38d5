package org.lesionweighting.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.lesionweighting.label.Connectivity;
import org.lesionweighting.label.LesionLabeling;
import org.lesionweighting.label.VoxelArrays;
import org.lesionweighting.util.Cancellation;
import org.lesionweighting.util.Checks;

import net.imglib2.FinalInterval;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.util.Util;
import net.imglib2.view.Views;

/**
 * Voxel weight maps of the inverse-weighting method (doc/method.md §1).
 * <p>
 * {@link WeightScheme#INVERSE_VOLUME} (W1, doc/method.md §1.2) on a label image or patch P with N voxels:
 * let V be the set of values present in P, including 0 when present, and K + 1 = |V|. Every voxel with
 * value v gets w = N / ((K+1)·|{P = v}|), computed in double, stored as float32 and clipped to
 * [wMin, wMax]. A patch without lesion gets 1 everywhere (|V| = 1 and then clipped); a patch without
 * background applies the formula as written (K + 1 = number of lesion labels present).
 * <p>
 * {@link WeightScheme#LEGACY} (W0, doc/method.md §1.4): background voxels get 1; with n_cc = the largest label
 * id present and n_pos = the number of lesion voxels, every voxel of label n gets n_pos / (n_cc·|{P = n}|)
 * (double, stored as float32), with no clipping. A lesion alone in a patch with id 5 gets 1/5.
 * <p>
 * {@link WeightScheme#UNIFORM}: 1 everywhere.
 * <p>
 * Labels are used as given (global component ids, never renumbered): a component that appears as two
 * pieces in a patch is one part, a component cut by the patch border counts only its voxels inside.
 * Counting uses a hash of the labels present, so a 128³ patch takes a few milliseconds whatever the
 * largest label id. {@code ArrayImg}/{@code PlanarImg} of IntType labels and FloatType weights are
 * accessed directly, anything else through {@link RandomAccess}.
 * <p>
 * Example (from {@code WeightMapsTest}):
 *
 * <pre>
 * WeightMaps.compute(labelPatch, weightPatch, WeightScheme.INVERSE_VOLUME, WeightMaps.W_MIN_DEFAULT, WeightMaps.W_MAX_DEFAULT);
 * </pre>
 */
public final class WeightMaps {

	/** Lower clip of W1 (doc/method.md §1.2). */
	public static final double W_MIN_DEFAULT = 1;

	/** Upper clip of W1 (doc/method.md §1.2). */
	public static final double W_MAX_DEFAULT = 2e5;

	/** The default scheme: W1. */
	public static final WeightScheme SCHEME_DEFAULT = WeightScheme.INVERSE_VOLUME;

	/** The patch size of the paper's experiments (doc/method.md §1.2): 128 voxels per axis. */
	public static final int PATCH_SIZE_DEFAULT = 128;

	/** Boxes with more voxels than this are counted and written by several tasks. */
	private static final long PARALLEL_THRESHOLD = 1 << 22;

	/** Dense label counters up to this length are counted with four interleaved arrays. */
	private static final int LANES_MAX_DENSE = 1 << 16;

	private WeightMaps() {}

	/**
	 * Computes the weight map of {@code labels} taken as one patch (or the whole image), doc/method.md §1.2/§1.4.
	 * Multi-threaded according to the current {@link net.imglib2.parallel.Parallelization} context when
	 * the image has more than about 4 million voxels; a 128³ patch runs on the calling thread.
	 *
	 * @param labels a 2D or 3D label image or patch; values ≥ 0, 0 = background
	 * @param out caller-owned float output on the same interval; overwritten entirely
	 * @param scheme the formula
	 * @param wMin lower clip of W1, finite and ≥ 0 (ignored by LEGACY and UNIFORM, still validated)
	 * @param wMax upper clip of W1, ≥ wMin ({@code Double.POSITIVE_INFINITY} disables the upper clip)
	 * @throws IllegalArgumentException on different intervals, negative labels (naming the voxel), or
	 *           bad clip bounds
	 */
	public static < L extends IntegerType< L > > void compute(final RandomAccessibleInterval< L > labels, final RandomAccessibleInterval< FloatType > out,
			final WeightScheme scheme, final double wMin, final double wMax) {
		final String op = "WeightMaps.compute";
		validate(op, labels, out, scheme, wMin, wMax);
		computeBox(op, labels, out, Intervals.minAsLongArray(labels), Intervals.maxAsLongArray(labels), scheme, wMin, wMax, true);
	}

	/**
	 * Computes the weight map of {@code labels} into a new float {@code ArrayImg} with the same
	 * dimensions (min at the origin), with the default clip bounds.
	 */
	public static < L extends IntegerType< L > > Img< FloatType > compute(final RandomAccessibleInterval< L > labels, final WeightScheme scheme) {
		Checks.requireVolume("WeightMaps.compute", "labels", labels);
		final Img< FloatType > out = ArrayImgs.floats(Intervals.dimensionsAsLongArray(labels));
		// a translated view would take the RandomAccess path: write the image itself when the labels have min 0
		compute(labels, Views.isZeroMin(labels) ? out : Views.translate(out, Intervals.minAsLongArray(labels)), scheme, W_MIN_DEFAULT, W_MAX_DEFAULT);
		return out;
	}

	/**
	 * Tiles the image into non-overlapping patches of {@code patchSize} voxels, starting at the image
	 * min, and applies the formula to each tile independently, as if each tile were a training patch
	 * (doc/method.md §1.3). Tiles at the far borders are smaller (the image is not padded: N is the number of
	 * voxels of the tile). Tiles run in parallel according to the current
	 * {@link net.imglib2.parallel.Parallelization} context.
	 *
	 * @param patchSize tile size per axis ({x, y, z}; {x, y} allowed for 2D), each ≥ 1; a single value
	 *          is used for every axis
	 * @see #compute(RandomAccessibleInterval, RandomAccessibleInterval, WeightScheme, double, double)
	 */
	public static < L extends IntegerType< L > > void compute(final RandomAccessibleInterval< L > labels, final RandomAccessibleInterval< FloatType > out,
			final WeightScheme scheme, final double wMin, final double wMax, final long... patchSize) {
		final String op = "WeightMaps.compute";
		validate(op, labels, out, scheme, wMin, wMax);
		final int n = labels.numDimensions();
		if (patchSize == null || (patchSize.length != 1 && patchSize.length != n && !(n == 2 && patchSize.length == 3)))
			throw new IllegalArgumentException(op + ": patchSize must have 1 or " + n + " values, but was " + Arrays.toString(patchSize) + ".");
		final long[] ps = new long[n];
		for (int d = 0; d < n; d++) {
			ps[d] = patchSize.length == 1 ? patchSize[0] : patchSize[d];
			if (ps[d] < 1) throw new IllegalArgumentException(op + ": patchSize must be ≥ 1 on every axis, but was " + Arrays.toString(patchSize) + ".");
		}
		final long[] min = Intervals.minAsLongArray(labels), max = Intervals.maxAsLongArray(labels);
		final long[] nt = new long[n];
		long tiles = 1;
		for (int d = 0; d < n; d++) {
			nt[d] = (labels.dimension(d) + ps[d] - 1) / ps[d];
			tiles *= nt[d];
		}
		final long numTiles = tiles;
		final int nTasks = VoxelArrays.numTasks(numTiles);
		final List< Runnable > tasks = new ArrayList<>();
		for (int t = 0; t < nTasks; t++) {
			final long a = numTiles * t / nTasks, b = numTiles * (t + 1) / nTasks;
			tasks.add(() -> {
				final long[] lo = new long[n], hi = new long[n];
				for (long i = a; i < b; i++) {
					Cancellation.check(op);
					long r = i;
					for (int d = 0; d < n; d++) {
						final long k = r % nt[d];
						r /= nt[d];
						lo[d] = min[d] + k * ps[d];
						hi[d] = Math.min(max[d], lo[d] + ps[d] - 1);
					}
					computeBox(op, labels, out, lo, hi, scheme, wMin, wMax, false);
				}
			});
		}
		VoxelArrays.runAll(tasks);
	}

	/**
	 * Labels {@code mask} (doc/method.md §1.1) and computes the whole-image weight map in one call: the
	 * convenience for a mask without labels. Uses the voxel counts from labeling and writes the weights
	 * straight from the runs of lesion voxels ({@link LesionLabeling#mapLabels}): no label image is
	 * allocated. For UNIFORM the mask is not labeled (every voxel gets 1).
	 *
	 * @param mask a 2D or 3D mask; non-zero = lesion; NaN is rejected
	 * @param out caller-owned float output on the same interval; overwritten entirely
	 * @param connectivity the connectivity of lesions ({@link LesionLabeling#CONNECTIVITY_DEFAULT} in the paper)
	 * @return the number of lesions K (0 for UNIFORM)
	 */
	public static < T extends RealType< T > > int fromMask(final RandomAccessibleInterval< T > mask, final RandomAccessibleInterval< FloatType > out,
			final WeightScheme scheme, final Connectivity connectivity, final double wMin, final double wMax) {
		final String op = "WeightMaps.fromMask";
		Checks.requireVolume(op, "mask", mask);
		Checks.requireSameInterval(op, "mask", mask, "out", out);
		validateClip(op, scheme, wMin, wMax);
		if (scheme == WeightScheme.UNIFORM) {
			LoopBuilder.setImages(out).forEachPixel(t -> t.set(1f));
			return 0;
		}
		// label + counts + weights straight from the runs: no label image, one write of the output
		final long[] counts = LesionLabeling.mapLabels(mask, out, connectivity, c -> weightTable(c, scheme, wMin, wMax));
		return counts.length - 1;
	}

	/**
	 * Labels {@code mask} (doc/method.md §1.1) into {@code labels} and writes its whole-image weight map into
	 * {@code out} in one call: one labeling gives the label image, the voxel counts and the weights, and
	 * both outputs are written in one pass over the runs of lesion voxels
	 * ({@link LesionLabeling#labelAndMap}); the labels are never counted a second time. Same labels as
	 * {@link LesionLabeling#label(RandomAccessibleInterval, RandomAccessibleInterval, Connectivity)}, same
	 * weights as {@link #compute(RandomAccessibleInterval, RandomAccessibleInterval, WeightScheme, double, double)}
	 * on those labels.
	 *
	 * @param mask a 2D or 3D mask; non-zero = lesion; NaN is rejected
	 * @param labels caller-owned label output on the same interval (IntType holds any count)
	 * @param out caller-owned float output on the same interval; overwritten entirely
	 * @param connectivity the connectivity of lesions ({@link LesionLabeling#CONNECTIVITY_DEFAULT} in the paper)
	 * @return the voxel counts: index 0 background, index k lesion k (length K + 1)
	 * @throws IllegalArgumentException on different intervals, NaN, bad clip bounds, or K too large for
	 *           the label type (nothing is written then)
	 */
	public static < T extends RealType< T >, L extends IntegerType< L > > long[] fromMaskWithLabels(final RandomAccessibleInterval< T > mask,
			final RandomAccessibleInterval< L > labels, final RandomAccessibleInterval< FloatType > out, final WeightScheme scheme,
			final Connectivity connectivity, final double wMin, final double wMax) {
		final String op = "WeightMaps.fromMaskWithLabels";
		Checks.requireVolume(op, "mask", mask);
		if (labels == null || out == null)
			throw new IllegalArgumentException(op + ": " + (labels == null ? "labels" : "out") + " is null; pass an image on the mask's interval.");
		Checks.requireSameInterval(op, "mask", mask, "labels", labels);
		Checks.requireSameInterval(op, "mask", mask, "out", out);
		validateClip(op, scheme, wMin, wMax);
		return LesionLabeling.labelAndMap(mask, labels, out, connectivity, c -> weightTable(c, scheme, wMin, wMax));
	}

	/**
	 * The weight of every label of a whole image from its voxel counts, doc/method.md §1.2/§1.4.
	 *
	 * @param counts {@code counts[0]} background voxels, {@code counts[k]} voxels of label k (from
	 *          {@link LesionLabeling#labelWithCounts} or {@code LesionStatistics.voxelCounts})
	 * @return {@code w[k]} = the float32 weight of label k; labels with count 0 get 0 (they have no voxel)
	 */
	public static float[] weightTable(final long[] counts, final WeightScheme scheme, final double wMin, final double wMax) {
		validateClip("WeightMaps.weightTable", scheme, wMin, wMax);
		final float[] w = new float[counts.length];
		long n = 0, pos = 0;
		int present = 0, maxLabel = 0;
		for (int i = 0; i < counts.length; i++) {
			if (counts[i] < 0) throw new IllegalArgumentException("WeightMaps.weightTable: counts[" + i + "] is negative (" + counts[i] + ").");
			n += counts[i];
			if (counts[i] > 0) {
				present++;
				if (i > 0) {
					pos += counts[i];
					maxLabel = i;
				}
			}
		}
		for (int i = 0; i < counts.length; i++) {
			if (counts[i] == 0) continue;
			w[i] = switch (scheme) {
				case INVERSE_VOLUME -> w1(n, present, counts[i], wMin, wMax);
				case LEGACY -> i == 0 ? 1f : w0(pos, maxLabel, counts[i]);
				case UNIFORM -> 1f;
			};
		}
		return w;
	}

	/** W1 of one part: clip(N / ((K+1)·count), wMin, wMax) in double, rounded to float32. */
	static float w1(final long n, final long kPlus1, final long count, final double wMin, final double wMax) {
		final double w = (double) n / ((double) kPlus1 * (double) count);
		return (float) Math.min(Math.max(w, wMin), wMax);
	}

	/** W0 of one lesion: n_pos / (n_cc·count) in double, rounded to float32. */
	static float w0(final long nPos, final long nCc, final long count) {
		return (float) ((double) nPos / ((double) nCc * (double) count));
	}

	private static void validateClip(final String op, final WeightScheme scheme, final double wMin, final double wMax) {
		if (scheme == null) throw new IllegalArgumentException(op + ": scheme is null; use one of " + String.join(", ", WeightScheme.keys()) + ".");
		if (!(wMin >= 0) || !Double.isFinite(wMin))
			throw new IllegalArgumentException(op + ": wMin must be a finite number ≥ 0, but was " + wMin + " (the paper uses " + W_MIN_DEFAULT + ").");
		if (!(wMax >= wMin) || !(wMax > 0))
			throw new IllegalArgumentException(
					op + ": wMax must be > 0 and ≥ wMin = " + wMin + ", but was " + wMax + " (the paper uses " + W_MAX_DEFAULT + ").");
	}

	private static void validate(final String op, final RandomAccessibleInterval< ? > labels, final RandomAccessibleInterval< ? > out,
			final WeightScheme scheme, final double wMin, final double wMax) {
		Checks.requireVolume(op, "labels", labels);
		Checks.requireSameInterval(op, "labels", labels, "out", out);
		validateClip(op, scheme, wMin, wMax);
	}

	/** Row access to a box of the label and weight images. One instance per thread. */
	private static final class BoxRows< L extends IntegerType< L > > {

		final long[] lo;

		final int bx, by, numRows;

		private final long[] min;

		private final int nx, ny;

		private final VoxelArrays.Planes lp, op;

		private final RandomAccess< L > lra;

		private final RandomAccess< FloatType > ora;

		private final long[] pos;

		BoxRows(final RandomAccessibleInterval< L > labels, final RandomAccessibleInterval< FloatType > out, final long[] lo, final long[] hi) {
			this.lo = lo;
			min = Intervals.minAsLongArray(labels);
			nx = (int) labels.dimension(0);
			ny = (int) labels.dimension(1);
			bx = (int) (hi[0] - lo[0] + 1);
			by = (int) (hi[1] - lo[1] + 1);
			final int bz = lo.length > 2 ? (int) (hi[2] - lo[2] + 1) : 1;
			numRows = by * bz;
			final VoxelArrays.Planes l = Util.getTypeFromInterval(labels) instanceof IntType ? VoxelArrays.planes(labels) : null;
			lp = l != null && l.array(0) instanceof int[] ? l : null;
			final VoxelArrays.Planes o = VoxelArrays.planes(out);
			op = o != null && o.array(0) instanceof float[] ? o : null;
			lra = lp == null ? labels.randomAccess() : null;
			ora = op == null ? out.randomAccess() : null;
			pos = new long[lo.length];
		}

		int y(final int r) {
			return (int) (lo[1] - min[1]) + r % by;
		}

		int z(final int r) {
			return lo.length > 2 ? (int) (lo[2] - min[2]) + r / by : 0;
		}

		/** The int[] holding row r when the labels are read directly, else null. */
		int[] intArray(final int r) {
			return lp == null ? null : (int[]) lp.array(z(r));
		}

		/** The index of the first box voxel of row r in {@link #intArray(int)}. */
		int intOffset(final int r) {
			return lp.offset(z(r)) + y(r) * nx + (int) (lo[0] - min[0]);
		}

		/** The float[] holding output row r when the weights are written directly, else null. */
		float[] floatArray(final int r) {
			return op == null ? null : (float[]) op.array(z(r));
		}

		/** The index of the first box voxel of row r in {@link #floatArray(int)}. */
		int floatOffset(final int r) {
			return op.offset(z(r)) + y(r) * nx + (int) (lo[0] - min[0]);
		}

		/** Reads row r of the box into buf[0..bx). */
		void read(final int r, final long[] buf) {
			final int y = y(r), z = z(r);
			if (lp != null) {
				final int[] a = intArray(r);
				final int o = intOffset(r);
				for (int x = 0; x < bx; x++)
					buf[x] = a[o + x];
			}
			else {
				position(y, z);
				lra.setPosition(pos);
				for (int x = 0; x < bx; x++) {
					buf[x] = lra.get().getIntegerLong();
					lra.fwd(0);
				}
			}
		}

		/** Writes w to voxels [s, e] of row r of the box. */
		void write(final int r, final int s, final int e, final float w) {
			if (op != null) {
				final int o = floatOffset(r);
				Arrays.fill(floatArray(r), o + s, o + e + 1, w);
			}
			else {
				position(y(r), z(r));
				pos[0] += s;
				ora.setPosition(pos);
				for (int x = s; x <= e; x++) {
					ora.get().set(w);
					ora.fwd(0);
				}
			}
		}

		private void position(final int y, final int z) {
			pos[0] = lo[0];
			pos[1] = min[1] + y;
			if (pos.length > 2) pos[2] = min[2] + z;
		}

		String where(final int r, final int x) {
			return "(" + (lo[0] + x) + ", " + (min[1] + y(r)) + (pos.length > 2 ? ", " + (min[2] + z(r)) : "") + ")";
		}
	}

	private static < L extends IntegerType< L > > void computeBox(final String op, final RandomAccessibleInterval< L > labels,
			final RandomAccessibleInterval< FloatType > out, final long[] lo, final long[] hi, final WeightScheme scheme, final double wMin, final double wMax,
			final boolean parallel) {
		final long n = Intervals.numElements(new FinalInterval(lo, hi));
		final BoxRows< L > probe = new BoxRows<>(labels, out, lo, hi);
		final int numRows = probe.numRows;
		final int nTasks = parallel && n > PARALLEL_THRESHOLD ? VoxelArrays.numTasks(numRows) : 1;
		final int[] bounds = VoxelArrays.bounds(numRows, nTasks);
		// label values below n/8 are counted in arrays, larger ones in a hash
		final long denseLimit = Math.max(64, n / 8);
		final LabelCounter counter;
		if (scheme == WeightScheme.UNIFORM) counter = null;
		else {
			// pass 1: count
			final LabelCounter[] partial = new LabelCounter[nTasks];
			VoxelArrays.runBlocks(bounds, (task, r0, r1) -> {
				final BoxRows< L > rows = task == 0 ? probe : new BoxRows<>(labels, out, lo, hi);
				final LabelCounter c = new LabelCounter(denseLimit);
				final long[] buf = new long[rows.bx];
				// while the dense part is small: three more counter arrays, so that consecutive voxels
				// of one label increment different words (no store-to-load dependency chain)
				long[] l1 = null, l2 = null, l3 = null;
				for (int r = r0; r < r1; r++) {
					if ((r & 1023) == 0) Cancellation.check(op);
					final int[] a = rows.intArray(r);
					if (a != null) {
						// per voxel into the dense part; other values through add()
						final int o = rows.intOffset(r), bx = rows.bx;
						long[] dc = c.dcount;
						int x = 0;
						while (x < bx) {
							if (dc.length <= LANES_MAX_DENSE) {
								if (l1 == null || l1.length != dc.length) {
									l1 = l1 == null ? new long[dc.length] : Arrays.copyOf(l1, dc.length);
									l2 = l2 == null ? new long[dc.length] : Arrays.copyOf(l2, dc.length);
									l3 = l3 == null ? new long[dc.length] : Arrays.copyOf(l3, dc.length);
								}
								final int lim = dc.length - 1;
								for (; x + 4 <= bx; x += 4) {
									final int v0 = a[o + x], v1 = a[o + x + 1], v2 = a[o + x + 2], v3 = a[o + x + 3];
									if ((v0 | v1 | v2 | v3 | (lim - v0) | (lim - v1) | (lim - v2) | (lim - v3)) < 0) break;
									dc[v0]++;
									l1[v1]++;
									l2[v2]++;
									l3[v3]++;
								}
							}
							// the rest of the row, or up to 4 voxels that left the lane path
							final int stop = dc.length <= LANES_MAX_DENSE ? Math.min(bx, x + 4) : bx;
							for (; x < stop; x++) {
								final int v = a[o + x];
								if (v >= 0 && v < dc.length) dc[v]++;
								else {
									if (v < 0)
										throw new IllegalArgumentException(op + ": labels contain the negative label " + v + " at voxel " + rows.where(r, x)
												+ "; label images must have 0 for background and positive lesion labels.");
									c.add(v, 1);
									dc = c.dcount;
								}
							}
							if (l1 != null && dc.length > LANES_MAX_DENSE) {
								// the dense part outgrew the lanes: fold them in and continue without
								for (int i = 0; i < l1.length; i++)
									dc[i] += l1[i] + l2[i] + l3[i];
								l1 = l2 = l3 = null;
							}
						}
						continue;
					}
					rows.read(r, buf);
					int x = 0;
					while (x < rows.bx) {
						final long v = buf[x];
						if (v < 0)
							throw new IllegalArgumentException(op + ": labels contain the negative label " + v + " at voxel " + rows.where(r, x)
									+ "; label images must have 0 for background and positive lesion labels.");
						final int s = x;
						while (x < rows.bx && buf[x] == v)
							x++;
						c.add(v, x - s);
					}
				}
				if (l1 != null) {
					final long[] dc = c.dcount;
					for (int i = 0; i < l1.length; i++)
						dc[i] += l1[i] + l2[i] + l3[i];
				}
				partial[task] = c;
			});
			counter = partial[0];
			for (int t = 1; t < nTasks; t++)
				counter.addAll(partial[t]);
			// weights per label present
			final long kPlus1 = counter.distinct();
			final long nPos = n - counter.dcount[0]; // label 0 is always in the dense part
			final long nCc = counter.maxKey();
			counter.computeWeights((v, count) -> scheme == WeightScheme.INVERSE_VOLUME ? w1(n, kPlus1, count, wMin, wMax) : v == 0 ? 1f : w0(nPos, nCc, count));
		}
		// pass 2: write (every task gets its own counter: lookups update a cache)
		final LabelCounter[] lookups = new LabelCounter[nTasks];
		for (int t = 0; t < nTasks; t++)
			lookups[t] = counter == null ? null : t == 0 ? counter : counter.copy();
		VoxelArrays.runBlocks(bounds, (task, r0, r1) -> {
			final BoxRows< L > rows = task == 0 ? probe : new BoxRows<>(labels, out, lo, hi);
			final LabelCounter c = lookups[task];
			final long[] buf = new long[rows.bx];
			for (int r = r0; r < r1; r++) {
				if ((r & 1023) == 0) Cancellation.check(op);
				if (c == null) {
					rows.write(r, 0, rows.bx - 1, 1f);
					continue;
				}
				final int[] a = rows.intArray(r);
				final float[] f = rows.floatArray(r);
				if (a != null && f != null) {
					// per voxel through the dense weight table
					final int o = rows.intOffset(r), of = rows.floatOffset(r), bx = rows.bx;
					final float[] dw = c.dweight;
					for (int x = 0; x < bx; x++) {
						final int v = a[o + x];
						f[of + x] = v < dw.length ? dw[v] : c.weight(v);
					}
					continue;
				}
				rows.read(r, buf);
				int x = 0;
				while (x < rows.bx) {
					final long v = buf[x];
					final int s = x;
					while (x < rows.bx && buf[x] == v)
						x++;
					rows.write(r, s, x - 1, c.weight(v));
				}
			}
		});
	}
}
