package org.lesionweighting.label;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.lesionweighting.util.Cancellation;
import org.lesionweighting.util.Checks;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * Connected-component labeling of 2D/3D lesion masks (METHOD.md §1.1).
 * <p>
 * Components are numbered 1..K in raster order of each component's first voxel (x fastest, then y,
 * then z), the order of {@code scipy.ndimage.label} and {@code skimage.measure.label}; background is 0.
 * A 2D image is a volume of depth 1 (SIX then means 4-connectivity, EIGHTEEN and TWENTY_SIX
 * 8-connectivity).
 * <p>
 * Algorithm: the mask is read row by row (one row = fixed y and z) into runs of non-zero voxels. Blocks
 * of consecutive rows are processed in parallel: runs are extracted and joined with the runs of the
 * neighbouring previous rows of the same block by a union-find whose root is always the run that comes
 * first in raster order. Rows at block borders are joined sequentially, the roots are numbered in one
 * pass over the runs in raster order, and the output is written block by block in parallel. Temporary
 * memory is about 12 bytes per run plus 4 bytes per row, so a 512³ mask labels within {@code -Xmx2g}.
 * Masks and outputs that are {@code ArrayImg} or {@code PlanarImg} of primitive types are accessed
 * directly; anything else goes through {@link RandomAccess}.
 * <p>
 * Multi-threaded according to the current {@link net.imglib2.parallel.Parallelization} context.
 * <p>
 * Example (from {@code LesionLabelingTest}):
 *
 * <pre>
 * final Img&lt; IntType &gt; labels = LesionLabeling.label(mask, Connectivity.TWENTY_SIX);
 * </pre>
 */
public final class LesionLabeling {

	/** The paper's connectivity: full (26) connectivity in 3D. */
	public static final Connectivity CONNECTIVITY_DEFAULT = Connectivity.TWENTY_SIX;

	private static final String OP = "LesionLabeling.label";

	private LesionLabeling() {}

	/**
	 * Labels the non-zero voxels of {@code mask} into {@code out}.
	 *
	 * @param mask a 2D or 3D mask of any real type; every non-zero voxel is lesion; NaN is rejected
	 * @param out caller-owned output on the same interval as {@code mask}; it is overwritten entirely
	 *          (background 0). 32-bit types hold any count; 8/16-bit types only when K fits
	 * @param connectivity which neighbours connect
	 * @return the number of components K (0 for an empty mask)
	 * @throws IllegalArgumentException if the intervals differ, the mask is not 2D/3D, a voxel is NaN (the
	 *           message names its position), or K does not fit the output type (nothing is written then)
	 */
	public static < T extends RealType< T >, L extends IntegerType< L > > int label(final RandomAccessibleInterval< T > mask, final RandomAccessibleInterval< L > out, final Connectivity connectivity) {
		return labelWithCounts(mask, out, connectivity).length - 1;
	}

	/**
	 * Labels {@code mask} like {@link #label(RandomAccessibleInterval, RandomAccessibleInterval, Connectivity)}
	 * and also returns the voxel count of every label, computed from the runs at almost no cost.
	 *
	 * @return {@code counts} of length K + 1: {@code counts[0]} background voxels, {@code counts[k]} voxels
	 *         of lesion k
	 */
	public static < T extends RealType< T >, L extends IntegerType< L > > long[] labelWithCounts(final RandomAccessibleInterval< T > mask, final RandomAccessibleInterval< L > out, final Connectivity connectivity) {
		Checks.requireVolume(OP, "mask", mask);
		Checks.requireSameInterval(OP, "mask", mask, "out", out);
		if (connectivity == null) throw new IllegalArgumentException(OP + ": connectivity is null; use one of " + String.join(", ", Connectivity.keys()) + ".");
		final Runs runs = Runs.of(mask, connectivity);
		final double max = Views.flatIterable(out).firstElement().getMaxValue();
		if (runs.numLabels > max) {
			throw new IllegalArgumentException(OP + ": " + runs.numLabels + " lesions do not fit the output type " + Views.flatIterable(out).firstElement().getClass().getSimpleName() + " (max label " + (long) max + "); use a 32-bit label image (IntType).");
		}
		runs.write(out);
		return runs.counts();
	}

	/**
	 * Labels {@code mask} into a new 32-bit label image ({@code ArrayImg}) with the same dimensions and
	 * min as {@code mask}.
	 *
	 * @see #label(RandomAccessibleInterval, RandomAccessibleInterval, Connectivity)
	 */
	public static < T extends RealType< T > > Img< IntType > label(final RandomAccessibleInterval< T > mask, final Connectivity connectivity) {
		Checks.requireVolume(OP, "mask", mask);
		final Img< IntType > out = ArrayImgs.ints(Intervals.dimensionsAsLongArray(mask));
		label(mask, Views.translate(out, Intervals.minAsLongArray(mask)), connectivity);
		return out;
	}

	/** Labels with {@link #CONNECTIVITY_DEFAULT} (26) into a new 32-bit label image. */
	public static < T extends RealType< T > > Img< IntType > label(final RandomAccessibleInterval< T > mask) {
		return label(mask, CONNECTIVITY_DEFAULT);
	}

	/** Run-length representation of a labeled mask. */
	static final class Runs {

		final int nx, ny, nz, numRows;
		final long[] min;
		/** Runs of row r are indices rowStart[r]..rowStart[r+1]-1. */
		final int[] rowStart;
		final int[] start, end;
		/** After {@link #resolve()}: minus the label of each run. */
		final int[] parent;
		int numLabels;

		private Runs(final int nx, final int ny, final int nz, final long[] min, final int[] rowStart, final int[] start, final int[] end) {
			this.nx = nx;
			this.ny = ny;
			this.nz = nz;
			this.numRows = ny * nz;
			this.min = min;
			this.rowStart = rowStart;
			this.start = start;
			this.end = end;
			this.parent = new int[start.length];
			for (int i = 0; i < parent.length; i++)
				parent[i] = i;
		}

		static < T extends RealType< T > > Runs of(final RandomAccessibleInterval< T > mask, final Connectivity connectivity) {
			final long[] dims = Intervals.dimensionsAsLongArray(mask);
			final long nzl = dims.length > 2 ? dims[2] : 1;
			if (dims[0] > Integer.MAX_VALUE - 8 || dims[0] * dims[1] * nzl > Integer.MAX_VALUE - 8 || dims[1] * nzl > Integer.MAX_VALUE - 8) {
				throw new IllegalArgumentException(OP + ": mask dimensions " + Arrays.toString(dims) + " are too large; at most 2^31 voxels are supported. Label the volume in parts.");
			}
			final int nx = (int) dims[0], ny = (int) dims[1], nz = (int) nzl;
			final int numRows = ny * nz;
			final long[] min = Intervals.minAsLongArray(mask);
			final VoxelArrays.Planes planes = VoxelArrays.planes(mask);
			final int nTasks = VoxelArrays.numTasks(numRows);
			final int[] bounds = new int[nTasks + 1];
			for (int t = 0; t <= nTasks; t++)
				bounds[t] = (int) ((long) numRows * t / nTasks);
			final int[][] taskStarts = new int[nTasks][], taskEnds = new int[nTasks][];
			final int[] taskCount = new int[nTasks];
			final int[] rowCount = new int[numRows + 1];
			final List< Runnable > tasks = new ArrayList<>();
			for (int t = 0; t < nTasks; t++) {
				final int task = t;
				tasks.add(() -> {
					final RunSink sink = new RunSink(Math.max(16, (bounds[task + 1] - bounds[task]) * 2));
					final RowScanner scanner = planes != null ? new ArrayScanner(planes, nx, ny, min) : new CursorScanner< T >(mask, nx, ny, min);
					for (int r = bounds[task]; r < bounds[task + 1]; r++) {
						if ((r & 255) == 0) Cancellation.check(OP);
						final int before = sink.n;
						scanner.scan(r % ny, r / ny, sink);
						rowCount[r] = sink.n - before;
					}
					taskStarts[task] = sink.start;
					taskEnds[task] = sink.end;
					taskCount[task] = sink.n;
				});
			}
			VoxelArrays.runAll(tasks);
			long total = 0;
			for (int t = 0; t < nTasks; t++)
				total += taskCount[t];
			if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(OP + ": the mask has " + total + " runs; at most 2^31 are supported. Label the volume in parts.");
			final int[] start = new int[(int) total], end = new int[(int) total];
			int off = 0;
			for (int t = 0; t < nTasks; t++) {
				System.arraycopy(taskStarts[t], 0, start, off, taskCount[t]);
				System.arraycopy(taskEnds[t], 0, end, off, taskCount[t]);
				off += taskCount[t];
				taskStarts[t] = null;
				taskEnds[t] = null;
			}
			// prefix sums: rowStart[r] = first run of row r
			final int[] rowStart = rowCount;
			int acc = 0;
			for (int r = 0; r < numRows; r++) {
				final int c = rowStart[r];
				rowStart[r] = acc;
				acc += c;
			}
			rowStart[numRows] = acc;
			final Runs runs = new Runs(nx, ny, nz, min, rowStart, start, end);
			runs.connect(connectivity, bounds);
			runs.resolve();
			return runs;
		}

		/** Joins runs of neighbouring rows: within blocks in parallel, then across block borders. */
		private void connect(final Connectivity connectivity, final int[] bounds) {
			final int maxNorm = connectivity == Connectivity.SIX ? 1 : connectivity == Connectivity.EIGHTEEN ? 2 : 3;
			// previous rows (dy, dz): (-1, 0), (-1, -1), (0, -1), (1, -1)
			final int[][] offs = { { -1, 0 }, { -1, -1 }, { 0, -1 }, { 1, -1 } };
			final List< int[] > used = new ArrayList<>();
			for (final int[] o : offs) {
				final int norm = Math.abs(o[0]) + Math.abs(o[1]);
				if (norm > maxNorm) continue;
				if (nz == 1 && o[1] != 0) continue;
				// 2D: EIGHTEEN acts as 8-connectivity
				final int expand = (norm + 1 <= maxNorm || (nz == 1 && maxNorm >= 2)) ? 1 : 0;
				used.add(new int[] { o[0], o[1], expand });
			}
			final int nTasks = bounds.length - 1;
			final List< Runnable > tasks = new ArrayList<>();
			for (int t = 0; t < nTasks; t++) {
				final int lo = bounds[t], hi = bounds[t + 1];
				tasks.add(() -> {
					for (int r = lo; r < hi; r++) {
						if ((r & 255) == 0) Cancellation.check(OP);
						joinRow(r, used, lo);
					}
				});
			}
			VoxelArrays.runAll(tasks);
			// block borders: rows whose neighbours lie in an earlier block
			for (int t = 1; t < nTasks; t++) {
				final int lo = bounds[t];
				final int stop = (int) Math.min(bounds[t + 1], (long) lo + ny + 2);
				for (int r = lo; r < stop; r++)
					joinRowBefore(r, used, lo);
			}
		}

		private void joinRow(final int r, final List< int[] > used, final int lo) {
			final int y = r % ny, z = r / ny;
			for (final int[] o : used) {
				final int yy = y + o[0], zz = z + o[1];
				if (yy < 0 || yy >= ny || zz < 0) continue;
				final int q = zz * ny + yy;
				if (q < lo) continue;
				joinRows(r, q, o[2]);
			}
		}

		private void joinRowBefore(final int r, final List< int[] > used, final int lo) {
			final int y = r % ny, z = r / ny;
			for (final int[] o : used) {
				final int yy = y + o[0], zz = z + o[1];
				if (yy < 0 || yy >= ny || zz < 0) continue;
				final int q = zz * ny + yy;
				if (q >= lo) continue;
				joinRows(r, q, o[2]);
			}
		}

		/** Unions every run of row r with every overlapping run of row q (overlap widened by expand). */
		private void joinRows(final int r, final int q, final int expand) {
			int i = rowStart[r];
			final int iEnd = rowStart[r + 1];
			int j = rowStart[q];
			final int jEnd = rowStart[q + 1];
			final int[] p = parent;
			// cached roots of runs i and j: only the pair (i, j) is joined at a time, and each join updates
			// both caches, so they stay valid until i or j advances
			int ri = -1, rj = -1;
			while (i < iEnd && j < jEnd) {
				final int ei = end[i], ej = end[j];
				if (start[j] <= ei + expand && start[i] <= ej + expand) {
					if (ri < 0) ri = find(i);
					if (rj < 0) rj = find(j);
					if (rj < ri) {
						p[ri] = rj;
						ri = rj;
					} else if (ri < rj) {
						p[rj] = ri;
						rj = ri;
					}
				}
				if (ei < ej) {
					i++;
					ri = -1;
				} else {
					j++;
					rj = -1;
				}
			}
		}

		private int find(int x) {
			final int[] p = parent;
			while (p[x] != x) {
				final int g = p[p[x]];
				p[x] = g;
				x = g;
			}
			return x;
		}

		private void union(final int a, final int b) {
			final int ra = find(a), rb = find(b);
			if (ra < rb) parent[rb] = ra;
			else if (rb < ra) parent[ra] = rb;
		}

		/**
		 * Numbers the roots in raster order. Every parent index is at most the run's own index, so one pass
		 * in index order finds each run's parent already numbered.
		 */
		private void resolve() {
			final int[] p = parent;
			int k = 0;
			for (int i = 0; i < p.length; i++) {
				final int q = p[i];
				p[i] = q == i ? -(++k) : p[q];
			}
			numLabels = k;
		}

		/** The label of run i (after resolve). */
		int label(final int i) {
			return -parent[i];
		}

		long[] counts() {
			final long[] c = new long[numLabels + 1];
			long fg = 0;
			for (int i = 0; i < parent.length; i++) {
				final int len = end[i] - start[i] + 1;
				c[-parent[i]] += len;
				fg += len;
			}
			c[0] = (long) nx * numRows - fg;
			return c;
		}

		< L extends IntegerType< L > > void write(final RandomAccessibleInterval< L > out) {
			final VoxelArrays.Planes planes = VoxelArrays.planes(out);
			final boolean direct = planes != null && planes.array(0) instanceof int[];
			final int nTasks = VoxelArrays.numTasks(numRows);
			final List< Runnable > tasks = new ArrayList<>();
			for (int t = 0; t < nTasks; t++) {
				final int lo = (int) ((long) numRows * t / nTasks), hi = (int) ((long) numRows * (t + 1) / nTasks);
				tasks.add(() -> {
					final RandomAccess< L > ra = direct ? null : out.randomAccess();
					final long[] pos = min.clone();
					for (int r = lo; r < hi; r++) {
						if ((r & 255) == 0) Cancellation.check(OP);
						final int y = r % ny, z = r / ny;
						final int a = rowStart[r], b = rowStart[r + 1];
						if (direct) {
							final int[] arr = (int[]) planes.array(z);
							final int o = planes.offset(z) + y * nx;
							int x = 0;
							for (int i = a; i < b; i++) {
								final int s = start[i], e = end[i];
								for (int k = o + x, kEnd = o + s; k < kEnd; k++)
									arr[k] = 0;
								final int lab = -parent[i];
								for (int k = o + s, kEnd = o + e; k <= kEnd; k++)
									arr[k] = lab;
								x = e + 1;
							}
							if (x < nx) Arrays.fill(arr, o + x, o + nx, 0);
						} else {
							pos[0] = min[0];
							pos[1] = min[1] + y;
							if (pos.length > 2) pos[2] = min[2] + z;
							ra.setPosition(pos);
							int x = 0;
							for (int i = a; i <= b; i++) {
								final int s = i < b ? start[i] : nx;
								for (; x < s; x++) {
									ra.get().setZero();
									ra.fwd(0);
								}
								if (i == b) break;
								final int lab = -parent[i];
								for (final int e = end[i]; x <= e; x++) {
									ra.get().setInteger(lab);
									ra.fwd(0);
								}
							}
						}
					}
				});
			}
			VoxelArrays.runAll(tasks);
		}
	}

	/** Growable run lists of one task. */
	static final class RunSink {
		int[] start, end;
		int n;

		RunSink(final int capacity) {
			start = new int[capacity];
			end = new int[capacity];
		}

		void add(final int s, final int e) {
			if (n == start.length) {
				final int c = (int) Math.min(Integer.MAX_VALUE - 8, start.length * 2L);
				if (c == n) throw new IllegalArgumentException(OP + ": too many runs in one block.");
				start = Arrays.copyOf(start, c);
				end = Arrays.copyOf(end, c);
			}
			start[n] = s;
			end[n] = e;
			n++;
		}
	}

	/** Extracts the runs of non-zero voxels of one row. */
	interface RowScanner {
		void scan(int y, int z, RunSink sink);
	}

	static IllegalArgumentException nan(final long[] min, final long x, final long y, final long z, final boolean is3d) {
		return new IllegalArgumentException(OP + ": mask contains NaN at voxel (" + (min[0] + x) + ", " + (min[1] + y) + (is3d ? ", " + (min[2] + z) : "") + "); replace NaN by 0 (background) or 1 (lesion) before labeling.");
	}

	/** Reads 8 bytes of a byte[] at any index as one long. */
	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	/** Direct scanning of primitive arrays. */
	static final class ArrayScanner implements RowScanner {
		private final VoxelArrays.Planes planes;
		private final int nx;
		private final long[] min;

		ArrayScanner(final VoxelArrays.Planes planes, final int nx, final int ny, final long[] min) {
			this.planes = planes;
			this.nx = nx;
			this.min = min;
		}

		@Override
		public void scan(final int y, final int z, final RunSink sink) {
			final Object a = planes.array(z);
			final int o = planes.offset(z) + y * nx;
			final int end = o + nx;
			if (a instanceof byte[]) {
				final byte[] v = (byte[]) a;
				int i = o;
				while (i < end) {
					// skip background 8 voxels at a time
					while (i + 8 <= end && (long) LONGS.get(v, i) == 0L)
						i += 8;
					while (i < end && v[i] == 0)
						i++;
					if (i == end) break;
					final int s = i;
					while (i < end && v[i] != 0)
						i++;
					sink.add(s - o, i - 1 - o);
				}
			} else if (a instanceof short[]) {
				final short[] v = (short[]) a;
				int i = o;
				while (i < end) {
					while (i < end && v[i] == 0)
						i++;
					if (i == end) break;
					final int s = i;
					while (i < end && v[i] != 0)
						i++;
					sink.add(s - o, i - 1 - o);
				}
			} else if (a instanceof int[]) {
				final int[] v = (int[]) a;
				int i = o;
				while (i < end) {
					while (i < end && v[i] == 0)
						i++;
					if (i == end) break;
					final int s = i;
					while (i < end && v[i] != 0)
						i++;
					sink.add(s - o, i - 1 - o);
				}
			} else if (a instanceof long[]) {
				final long[] v = (long[]) a;
				int i = o;
				while (i < end) {
					while (i < end && v[i] == 0)
						i++;
					if (i == end) break;
					final int s = i;
					while (i < end && v[i] != 0)
						i++;
					sink.add(s - o, i - 1 - o);
				}
			} else if (a instanceof float[]) {
				final float[] v = (float[]) a;
				int i = o;
				while (i < end) {
					while (i < end && v[i] == 0)
						i++;
					if (i == end) break;
					final int s = i;
					while (i < end && v[i] != 0) {
						if (v[i] != v[i]) throw nan(min, i - o, y, z, planes.arrays().length > 1 || min.length > 2);
						i++;
					}
					sink.add(s - o, i - 1 - o);
				}
			} else {
				final double[] v = (double[]) a;
				int i = o;
				while (i < end) {
					while (i < end && v[i] == 0)
						i++;
					if (i == end) break;
					final int s = i;
					while (i < end && v[i] != 0) {
						if (v[i] != v[i]) throw nan(min, i - o, y, z, planes.arrays().length > 1 || min.length > 2);
						i++;
					}
					sink.add(s - o, i - 1 - o);
				}
			}
		}
	}

	/** Generic scanning through a RandomAccess. */
	static final class CursorScanner< T extends RealType< T > > implements RowScanner {
		private final RandomAccess< T > ra;
		private final int nx;
		private final long[] min, pos;

		CursorScanner(final RandomAccessibleInterval< T > mask, final int nx, final int ny, final long[] min) {
			this.ra = mask.randomAccess();
			this.nx = nx;
			this.min = min;
			this.pos = min.clone();
		}

		@Override
		public void scan(final int y, final int z, final RunSink sink) {
			pos[1] = min[1] + y;
			if (pos.length > 2) pos[2] = min[2] + z;
			ra.setPosition(pos);
			int s = -1;
			for (int x = 0; x < nx; x++) {
				final double v = ra.get().getRealDouble();
				if (v != 0) {
					if (Double.isNaN(v)) throw nan(min, x, y, z, pos.length > 2);
					if (s < 0) s = x;
				} else if (s >= 0) {
					sink.add(s, x - 1);
					s = -1;
				}
				ra.fwd(0);
			}
			if (s >= 0) sink.add(s, nx - 1);
		}
	}
}
