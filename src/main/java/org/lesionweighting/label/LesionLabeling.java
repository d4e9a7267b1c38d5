package org.lesionweighting.label;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Stream;

import org.lesionweighting.util.Cancellation;
import org.lesionweighting.util.Checks;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * Connected-component labeling of 2D/3D lesion masks (doc/method.md §1.1).
 * <p>
 * Components are numbered 1..K in raster order of each component's first voxel (x fastest, then y,
 * then z), the order of {@code scipy.ndimage.label} and {@code skimage.measure.label}; background is 0.
 * A 2D image is a volume of depth 1 (SIX then means 4-connectivity, EIGHTEEN and TWENTY_SIX
 * 8-connectivity).
 * <p>
 * Algorithm: the mask is read row by row (one row = fixed y and z) into one bit per voxel (byte masks 8
 * voxels at a time), counting the runs of non-zero voxels of every row; then the runs are read from the
 * bit transitions straight into arrays of the exact size. Blocks of consecutive rows are processed in
 * parallel: each row's runs are joined with the runs of its previous neighbour rows 64 voxels at a
 * time: the first voxel of every segment of {@code row & neighbour} names one overlapping pair of runs,
 * and for diagonal neighbours (18/26) a run start right after a run end of the other row names a pair
 * that touches at a corner; a run's index is found by counting run starts (popcount), so the loops
 * branch per word and per pair, not per run. The pairs are merged by a union-find over a flat
 * {@code int[]} parent array whose root is always the run that comes first in raster order (union by
 * index, path halving). Rows at block borders are joined sequentially, the
 * roots are numbered in one pass over the runs in raster order, and the output is written block by
 * block in parallel; the voxel counts come from the runs. Temporary memory is about 12 bytes per run,
 * 4 bytes per row and one bit per voxel, so a 512³ mask labels within {@code -Xmx2g}.
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
	public static < T extends RealType< T >, L extends IntegerType< L > > int label(final RandomAccessibleInterval< T > mask,
			final RandomAccessibleInterval< L > out, final Connectivity connectivity) {
		return labelWithCounts(mask, out, connectivity).length - 1;
	}

	/**
	 * Labels {@code mask} like {@link #label(RandomAccessibleInterval, RandomAccessibleInterval, Connectivity)}
	 * and also returns the voxel count of every label, computed from the runs at almost no cost.
	 *
	 * @return {@code counts} of length K + 1: {@code counts[0]} background voxels, {@code counts[k]} voxels
	 *         of lesion k
	 */
	public static < T extends RealType< T >, L extends IntegerType< L > > long[] labelWithCounts(final RandomAccessibleInterval< T > mask,
			final RandomAccessibleInterval< L > out, final Connectivity connectivity) {
		return labelInto(mask, requireOutput("out", out), null, connectivity, null);
	}

	/**
	 * Labels {@code mask} and writes, instead of the labels, {@code table[label]} of every voxel into a
	 * float image, without allocating a label image: the fast path of
	 * {@code WeightMaps.fromMask} (label + voxel counts + weight map in one scan of the mask and one
	 * write of the output). Components are numbered exactly as by
	 * {@link #label(RandomAccessibleInterval, RandomAccessibleInterval, Connectivity)}.
	 *
	 * @param mask a 2D or 3D mask of any real type; every non-zero voxel is lesion; NaN is rejected
	 * @param out caller-owned float output on the same interval as {@code mask}; overwritten entirely
	 * @param connectivity which neighbours connect
	 * @param table called once with the voxel counts (length K + 1, index 0 = background, as returned by
	 *          {@link #labelWithCounts}); returns the value of every label, an array of length ≥ K + 1
	 * @return the voxel counts of the labels (length K + 1)
	 * @throws IllegalArgumentException if the intervals differ, the mask is not 2D/3D, a voxel is NaN, or
	 *           the table is shorter than K + 1 (nothing is written then)
	 */
	public static < T extends RealType< T > > long[] mapLabels(final RandomAccessibleInterval< T > mask, final RandomAccessibleInterval< FloatType > out,
			final Connectivity connectivity, final Function< long[], float[] > table) {
		return labelInto(mask, null, requireOutput("out", out), connectivity, requireTable(table));
	}

	/**
	 * Labels {@code mask} into {@code labels} and writes {@code table[label]} of every voxel into
	 * {@code values}, in one pass over the rows (the label image is not read back): label image, voxel
	 * counts and, for example, the weight map of {@code WeightMaps.fromMask} in one call. Labels as by
	 * {@link #label(RandomAccessibleInterval, RandomAccessibleInterval, Connectivity)}, values as by
	 * {@link #mapLabels}.
	 *
	 * @param labels caller-owned label output on the same interval; 32-bit types hold any count
	 * @param values caller-owned float output on the same interval
	 * @return the voxel counts of the labels (length K + 1, index 0 = background)
	 * @throws IllegalArgumentException as {@link #labelWithCounts} and {@link #mapLabels} (nothing is
	 *           written then)
	 */
	public static < T extends RealType< T >, L extends IntegerType< L > > long[] labelAndMap(final RandomAccessibleInterval< T > mask,
			final RandomAccessibleInterval< L > labels, final RandomAccessibleInterval< FloatType > values, final Connectivity connectivity,
			final Function< long[], float[] > table) {
		return labelInto(mask, requireOutput("labels", labels), requireOutput("values", values), connectivity, requireTable(table));
	}

	private static < I extends RandomAccessibleInterval< ? > > I requireOutput(final String name, final I out) {
		if (out == null) throw new IllegalArgumentException(OP + ": " + name + " is null; pass an image on the mask's interval.");
		return out;
	}

	private static Function< long[], float[] > requireTable(final Function< long[], float[] > table) {
		if (table == null) throw new IllegalArgumentException(OP + ": table is null; pass a function from voxel counts to label values.");
		return table;
	}

	/** Labels, checks that K fits the label type and the table is long enough, then writes the outputs given. */
	private static < T extends RealType< T >, L extends IntegerType< L > > long[] labelInto(final RandomAccessibleInterval< T > mask,
			final RandomAccessibleInterval< L > labels, final RandomAccessibleInterval< FloatType > out, final Connectivity connectivity,
			final Function< long[], float[] > table) {
		Checks.requireVolume(OP, "mask", mask);
		if (labels != null) Checks.requireSameInterval(OP, "mask", mask, "labels", labels);
		if (out != null) Checks.requireSameInterval(OP, "mask", mask, "out", out);
		if (connectivity == null) throw new IllegalArgumentException(OP + ": connectivity is null; use one of " + String.join(", ", Connectivity.keys()) + ".");
		final Runs runs = Runs.of(mask, connectivity);
		final L type = labels == null ? null : labels.getType();
		if (type != null && runs.numLabels > type.getMaxValue())
			throw new IllegalArgumentException(OP + ": " + runs.numLabels + " lesions do not fit the output type " + type.getClass().getSimpleName()
					+ " (max label " + (long) type.getMaxValue() + "); use a 32-bit label image (IntType).");
		final long[] counts = runs.counts();
		final float[] values = table == null ? null : table.apply(counts.clone());
		if (table != null && (values == null || values.length < counts.length))
			throw new IllegalArgumentException(OP + ": the table has " + (values == null ? "no" : values.length) + " values for " + counts.length
					+ " labels (background and " + runs.numLabels + " lesions); return one value per label.");
		runs.write(labels, out, values);
		return counts;
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
		// a translated view would take the RandomAccess path: write the image itself when the mask has min 0
		label(mask, Views.isZeroMin(mask) ? out : Views.translate(out, Intervals.minAsLongArray(mask)), connectivity);
		return out;
	}

	/** Run-length representation of a labeled mask. */
	static final class Runs {

		final int nx, ny, nz, numRows;

		final long[] min;

		/** Words of one row in {@link #bits}. */
		final int words;

		/** One bit per voxel, row r in words r·words..(r+1)·words-1 (bits past nx are 0). */
		final long[] bits;

		/** Runs of row r are indices rowStart[r]..rowStart[r+1]-1. */
		final int[] rowStart;

		final int[] start, end;

		/** After {@link #resolve()}: minus the label of each run. */
		final int[] parent;

		int numLabels;

		private Runs(final int nx, final int ny, final int nz, final long[] min, final long[] bits, final int[] rowStart, final int[] start, final int[] end) {
			this.nx = nx;
			this.words = wordsPerRow(nx);
			this.bits = bits;
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
			if (dims[0] > Integer.MAX_VALUE - 8 || dims[0] * dims[1] * nzl > Integer.MAX_VALUE - 8 || dims[1] * nzl > Integer.MAX_VALUE - 8)
				throw new IllegalArgumentException(
						OP + ": mask dimensions " + Arrays.toString(dims) + " are too large; at most 2^31 voxels are supported. Label the volume in parts.");
			final int nx = (int) dims[0], ny = (int) dims[1], nz = (int) nzl;
			final int numRows = ny * nz;
			final long[] min = Intervals.minAsLongArray(mask);
			final VoxelArrays.Planes planes = VoxelArrays.planes(mask);
			final int[] bounds = VoxelArrays.bounds(numRows, VoxelArrays.numTasks(numRows));
			final int[] rowStart = new int[numRows + 1];
			final int words = wordsPerRow(nx);
			final long[] bits = new long[Math.multiplyExact(numRows, words)];
			// pass 1: one bit per voxel, and the number of runs of every row
			VoxelArrays.runBlocks(bounds, (t, lo, hi) -> {
				final RowScanner scanner = planes != null ? new ArrayScanner(planes, nx, min) : new CursorScanner< T >(mask, nx, min);
				for (int r = lo; r < hi; r++) {
					if ((r & 255) == 0) Cancellation.check(OP);
					scanner.scan(r % ny, r / ny, bits, r * words);
					rowStart[r] = countRuns(bits, r * words, words);
				}
			});
			// prefix sums: rowStart[r] = first run of row r
			long acc = 0;
			for (int r = 0; r < numRows; r++) {
				final int c = rowStart[r];
				rowStart[r] = (int) acc;
				acc += c;
				if (acc > Integer.MAX_VALUE - 8)
					throw new IllegalArgumentException(OP + ": the mask has more than 2^31 runs of lesion voxels; label the volume in parts.");
			}
			rowStart[numRows] = (int) acc;
			// pass 2: the runs of every row, read from its bits straight into place
			final int[] start = new int[(int) acc], end = new int[(int) acc];
			VoxelArrays.runBlocks(bounds, (t, lo, hi) -> {
				for (int r = lo; r < hi; r++)
					if (rowStart[r] < rowStart[r + 1]) runsOfBits(bits, r * words, words, start, end, rowStart[r]);
			});
			final Runs runs = new Runs(nx, ny, nz, min, bits, rowStart, start, end);
			runs.connect(connectivity, bounds);
			runs.resolve();
			return runs;
		}

		/** Joins runs of neighbouring rows: within blocks in parallel, then across block borders. */
		private void connect(final Connectivity connectivity, final int[] bounds) {
			final int maxNorm = connectivity == Connectivity.SIX ? 1 : connectivity == Connectivity.EIGHTEEN ? 2 : 3;
			// previous rows {dy, dz, |dy| + |dz|}, kept as {dy, dz, expand}; expand: runs touching at a corner connect too
			final int[][] nb = Stream.of(new int[][] { { -1, 0, 1 }, { -1, -1, 2 }, { 0, -1, 1 }, { 1, -1, 2 } })
					.filter(o -> o[2] <= maxNorm && (nz > 1 || o[1] == 0))
					// 2D: EIGHTEEN acts as 8-connectivity
					.map(o -> new int[] { o[0], o[1], o[2] + 1 <= maxNorm || (nz == 1 && maxNorm >= 2) ? 1 : 0 })
					.toArray(int[][]::new);
			VoxelArrays.runBlocks(bounds, (t, lo, hi) -> {
				for (int r = lo; r < hi; r++) {
					if ((r & 255) == 0) Cancellation.check(OP);
					join(r, nb, lo, numRows);
				}
			});
			// block borders: rows whose neighbours lie in an earlier block
			for (int t = 1; t + 1 < bounds.length; t++) {
				final int lo = bounds[t];
				final int stop = (int) Math.min(bounds[t + 1], (long) lo + ny + 2);
				for (int r = lo; r < stop; r++)
					join(r, nb, 0, lo);
			}
		}

		/** Joins the runs of row r with those of its previous neighbouring rows q, qLo ≤ q &lt; qHi. */
		private void join(final int r, final int[][] nb, final int qLo, final int qHi) {
			if (rowStart[r] == rowStart[r + 1]) return;
			final int y = r % ny, z = r / ny;
			for (final int[] o : nb) {
				final int yy = y + o[0], zz = z + o[1];
				if (yy < 0 || yy >= ny || zz < 0) continue;
				final int q = zz * ny + yy;
				if (q < qLo || q >= qHi || rowStart[q] == rowStart[q + 1]) continue;
				joinRows(r, q, o[2] != 0);
			}
		}

		/**
		 * Unions every run of row r with the runs of row q it touches, 64 voxels at a time from the bit
		 * rows. Each pair of touching runs is named by one voxel x where the pair begins, and every such
		 * x has the same form: the pair is (run of r with the last start ≤ x, run of q with the last start
		 * ≤ x), found by counting run starts (popcount). For overlapping runs x is the first voxel of a
		 * segment of {@code bits(r) & bits(q)} (each segment lies in exactly one run of each row); with
		 * {@code expand} (diagonal neighbours) also the runs that touch only at a corner: x is a run start
		 * of r right after a run end of q, or a run start of q right after a run end of r. These sets are
		 * disjoint, so one loop per word handles them all: the code branches per pair and per word, never
		 * per run.
		 */
		private void joinRows(final int r, final int q, final boolean expand) {
			final long[] b = bits;
			final int w0r = r * words, w0q = q * words;
			// only the words from the first to the last with a lesion voxel in either row (both rows have one)
			int wLo = 0, wHi = words - 1;
			while ((b[w0r + wLo] | b[w0q + wLo]) == 0)
				wLo++;
			while ((b[w0r + wHi] | b[w0q + wHi]) == 0)
				wHi--;
			// global index of the last run starting before the current word
			int cr = rowStart[r] - 1, cq = rowStart[q] - 1;
			// previous words: bits, overlap, run ends (their bit 63 carries into this word)
			long pr = 0, pq = 0, pa = 0, per = 0, peq = 0;
			long br = b[w0r + wLo], bq = b[w0q + wLo];
			for (int w = wLo; w <= wHi; w++) {
				final long sr = br & ~((br << 1) | (pr >>> 63)), sq = bq & ~((bq << 1) | (pq >>> 63));
				final long a = br & bq;
				long f = a & ~((a << 1) | (pa >>> 63));
				final long nr, nq;
				if (w < wHi) {
					nr = b[w0r + w + 1];
					nq = b[w0q + w + 1];
				}
				else {
					nr = 0;
					nq = 0;
				}
				if (expand) {
					final long er = br & ~((br >>> 1) | (nr << 63)), eq = bq & ~((bq >>> 1) | (nq << 63));
					f |= (sr & ((eq << 1) | (peq >>> 63))) | (sq & ((er << 1) | (per >>> 63)));
					per = er;
					peq = eq;
				}
				for (; f != 0; f &= f - 1) {
					final long m = (2L << Long.numberOfTrailingZeros(f)) - 1;
					union(cr + Long.bitCount(sr & m), cq + Long.bitCount(sq & m));
				}
				cr += Long.bitCount(sr);
				cq += Long.bitCount(sq);
				pr = br;
				pq = bq;
				pa = a;
				br = nr;
				bq = nq;
			}
		}

		/**
		 * Union by index: the smaller root wins, so every parent index stays at most the run's own index
		 * and the root of a set is its first run in raster order. Returns at once when both runs already
		 * have the same parent (most pairs inside a large component); otherwise no branch on whether the
		 * roots differ ({@code p[root] = root} is harmless), and both runs point straight at the root
		 * afterwards.
		 */
		private void union(final int i, final int j) {
			final int[] p = parent;
			if (p[i] == p[j]) return;
			final int ri = find(i), rj = find(j);
			final int lo = Math.min(ri, rj);
			p[Math.max(ri, rj)] = lo;
			p[i] = lo;
			p[j] = lo;
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

		/**
		 * Numbers the roots in raster order. Every parent index is at most the run's own index, so one pass
		 * in index order finds each run's parent already numbered.
		 */
		private void resolve() {
			final int[] p = parent;
			int k = 0;
			for (int i = 0; i < p.length; i++) {
				// without a branch on whether run i is a root (a root reads its own entry: harmless)
				final int q = p[i], above = p[q];
				final int root = (q ^ i) == 0 ? 1 : 0;
				k += root;
				p[i] = (-k & -root) | (above & (root - 1));
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

		/**
		 * Writes the label of every voxel into {@code labels} and {@code values[label]} into {@code out}
		 * (either may be null), in one pass over the rows: both outputs of a row are written while its
		 * runs are in cache.
		 */
		< L extends IntegerType< L > > void write(final RandomAccessibleInterval< L > labels, final RandomAccessibleInterval< FloatType > out,
				final float[] values) {
			final VoxelArrays.Planes lp = labels == null ? null : VoxelArrays.planes(labels);
			final VoxelArrays.Planes fp = out == null ? null : VoxelArrays.planes(out);
			final boolean directLabels = lp != null && lp.array(0) instanceof int[];
			final boolean directValues = fp != null && fp.array(0) instanceof float[];
			VoxelArrays.runBlocks(VoxelArrays.bounds(numRows, VoxelArrays.numTasks(numRows)), (t, lo, hi) -> {
				final RandomAccess< L > lra = labels == null || directLabels ? null : labels.randomAccess();
				final RandomAccess< FloatType > fra = out == null || directValues ? null : out.randomAccess();
				final long[] pos = min.clone();
				for (int r = lo; r < hi; r++) {
					if ((r & 255) == 0) Cancellation.check(OP);
					final int y = r % ny, z = r / ny;
					pos[0] = min[0];
					pos[1] = min[1] + y;
					if (pos.length > 2) pos[2] = min[2] + z;
					if (directLabels) writeLabelRow((int[]) lp.array(z), lp.offset(z) + y * nx, r);
					else if (lra != null) {
						lra.setPosition(pos);
						writeLabelRow(lra, r);
					}
					if (directValues) writeValueRow((float[]) fp.array(z), fp.offset(z) + y * nx, r, values);
					else if (fra != null) {
						fra.setPosition(pos);
						writeValueRow(fra, r, values);
					}
				}
			});
		}

		/**
		 * Row r of labels into arr from index o: zero the row (vectorized), then write the runs; the first
		 * two voxels of a run and the voxel after it are stored without a length test (a one-voxel run
		 * writes its label one voxel too far and the following 0 repairs it), so short runs cost no
		 * mispredicted branch.
		 */
		private void writeLabelRow(final int[] arr, final int o, final int r) {
			Arrays.fill(arr, o, o + nx, 0);
			final int last = o + nx - 1;
			for (int i = rowStart[r], b = rowStart[r + 1]; i < b; i++) {
				final int s = o + start[i], e = o + end[i];
				final int lab = -parent[i];
				arr[s] = lab;
				if (s < last) arr[s + 1] = lab;
				for (int k = s + 2; k <= e; k++)
					arr[k] = lab;
				if (e < last) arr[e + 1] = 0;
			}
		}

		/** Row r of {@code values[label]} into arr from index o, the same scheme as the labels. */
		private void writeValueRow(final float[] arr, final int o, final int r, final float[] values) {
			final float bg = values[0];
			Arrays.fill(arr, o, o + nx, bg);
			final int last = o + nx - 1;
			for (int i = rowStart[r], b = rowStart[r + 1]; i < b; i++) {
				final int s = o + start[i], e = o + end[i];
				final float v = values[-parent[i]];
				arr[s] = v;
				if (s < last) arr[s + 1] = v;
				for (int k = s + 2; k <= e; k++)
					arr[k] = v;
				if (e < last) arr[e + 1] = bg;
			}
		}

		/** Row r of labels through a RandomAccess placed at the row's first voxel. */
		private < L extends IntegerType< L > > void writeLabelRow(final RandomAccess< L > ra, final int r) {
			int x = 0;
			for (int i = rowStart[r], b = rowStart[r + 1]; i <= b; i++) {
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

		/** Row r of {@code values[label]} through a RandomAccess placed at the row's first voxel. */
		private void writeValueRow(final RandomAccess< FloatType > ra, final int r, final float[] values) {
			int x = 0;
			for (int i = rowStart[r], b = rowStart[r + 1]; i <= b; i++) {
				final int s = i < b ? start[i] : nx;
				for (; x < s; x++) {
					ra.get().set(values[0]);
					ra.fwd(0);
				}
				if (i == b) break;
				final float v = values[-parent[i]];
				for (final int e = end[i]; x <= e; x++) {
					ra.get().set(v);
					ra.fwd(0);
				}
			}
		}
	}

	/** Sets one bit per non-zero voxel of one row in {@code bits} from word {@code off} (the words are 0 before). */
	interface RowScanner {

		void scan(int y, int z, long[] bits, int off);
	}

	/** The number of 64-bit words of a bit row of nx voxels. */
	static int wordsPerRow(final int nx) {
		return (nx + 63) >>> 6;
	}

	/** The number of runs of set bits of the bit row at {@code off}. */
	static int countRuns(final long[] w, final int off, final int words) {
		int c = 0;
		long prev = 0;
		for (int k = 0; k < words; k++) {
			final long b = w[off + k];
			c += Long.bitCount(b & ~((b << 1) | (prev >>> 63)));
			prev = b;
		}
		return c;
	}

	/**
	 * Writes the runs of set bits of the bit row at {@code off} into {@code st}/{@code en} from index
	 * {@code at}: starts and ends are read as two bit sets per word (a loop per word, not a branch per run).
	 */
	static void runsOfBits(final long[] w, final int off, final int words, final int[] st, final int[] en, final int at) {
		int ns = at, ne = at;
		long prev = 0, b = w[off];
		for (int k = 0; k < words; k++) {
			final long next = k + 1 < words ? w[off + k + 1] : 0;
			final int base = k << 6;
			for (long f = b & ~((b << 1) | (prev >>> 63)); f != 0; f &= f - 1)
				st[ns++] = base + Long.numberOfTrailingZeros(f);
			for (long f = b & ~((b >>> 1) | (next << 63)); f != 0; f &= f - 1)
				en[ne++] = base + Long.numberOfTrailingZeros(f);
			prev = b;
			b = next;
		}
	}

	static IllegalArgumentException nan(final long[] min, final long x, final long y, final long z, final boolean is3d) {
		return new IllegalArgumentException(OP + ": mask contains NaN at voxel (" + (min[0] + x) + ", " + (min[1] + y) + (is3d ? ", " + (min[2] + z) : "")
				+ "); replace NaN by 0 (background) or 1 (lesion) before labeling.");
	}

	/** Reads 8 bytes of a byte[] at any index as one long. */
	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	/** Direct scanning of primitive arrays. */
	static final class ArrayScanner implements RowScanner {

		private final VoxelArrays.Planes planes;

		private final int nx;

		private final long[] min;

		ArrayScanner(final VoxelArrays.Planes planes, final int nx, final long[] min) {
			this.planes = planes;
			this.nx = nx;
			this.min = min;
		}

		/** Byte rows: 8 voxels at a time without branches. */
		private void scanBytes(final byte[] v, final int o, final long[] w, final int off) {
			final int n = nx;
			int x = 0;
			for (; x + 8 <= n; x += 8) {
				final long b = (long) LONGS.get(v, o + x);
				if (b == 0L) continue;
				long f = b | (b >>> 4);
				f |= f >>> 2;
				f |= f >>> 1;
				f &= 0x0101010101010101L;
				// gathers bit 0 of each byte into the top byte, byte k -> bit k
				w[off + (x >>> 6)] |= ((f * 0x0102040810204080L) >>> 56) << (x & 63);
			}
			for (; x < n; x++)
				if (v[o + x] != 0) w[off + (x >>> 6)] |= 1L << (x & 63);
		}

		@Override
		public void scan(final int y, final int z, final long[] w, final int off) {
			final Object a = planes.array(z);
			final int o = planes.offset(z) + y * nx;
			if (a instanceof byte[] v) scanBytes(v, o, w, off);
			else if (a instanceof short[] v) {
				for (int x = 0; x < nx; x++)
					if (v[o + x] != 0) w[off + (x >>> 6)] |= 1L << x;
			}
			else if (a instanceof int[] v) {
				for (int x = 0; x < nx; x++)
					if (v[o + x] != 0) w[off + (x >>> 6)] |= 1L << x;
			}
			else if (a instanceof long[] v) {
				for (int x = 0; x < nx; x++)
					if (v[o + x] != 0) w[off + (x >>> 6)] |= 1L << x;
			}
			else if (a instanceof float[] v) {
				for (int x = 0; x < nx; x++) {
					final float f = v[o + x];
					if (f != 0) {
						if (f != f) throw nan(min, x, y, z, planes.arrays().length > 1 || min.length > 2);
						w[off + (x >>> 6)] |= 1L << x;
					}
				}
			}
			else {
				final double[] v = (double[]) a;
				for (int x = 0; x < nx; x++) {
					final double f = v[o + x];
					if (f != 0) {
						if (f != f) throw nan(min, x, y, z, planes.arrays().length > 1 || min.length > 2);
						w[off + (x >>> 6)] |= 1L << x;
					}
				}
			}
		}
	}

	/** Generic scanning through a RandomAccess. */
	static final class CursorScanner< T extends RealType< T > > implements RowScanner {

		private final RandomAccess< T > ra;

		private final int nx;

		private final long[] min, pos;

		CursorScanner(final RandomAccessibleInterval< T > mask, final int nx, final long[] min) {
			this.ra = mask.randomAccess();
			this.nx = nx;
			this.min = min;
			this.pos = min.clone();
		}

		@Override
		public void scan(final int y, final int z, final long[] w, final int off) {
			pos[1] = min[1] + y;
			if (pos.length > 2) pos[2] = min[2] + z;
			ra.setPosition(pos);
			for (int x = 0; x < nx; x++) {
				final double v = ra.get().getRealDouble();
				if (v != 0) {
					if (Double.isNaN(v)) throw nan(min, x, y, z, pos.length > 2);
					w[off + (x >>> 6)] |= 1L << x;
				}
				ra.fwd(0);
			}
		}
	}
}
