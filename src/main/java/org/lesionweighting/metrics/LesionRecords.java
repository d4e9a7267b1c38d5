package org.lesionweighting.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.lesionweighting.label.Connectivity;
import org.lesionweighting.label.LesionLabeling;
import org.lesionweighting.util.Cancellation;
import org.lesionweighting.util.Checks;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.DoubleArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.IntArray;
import net.imglib2.parallel.Parallelization;
import net.imglib2.parallel.TaskExecutor;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * Per-image lesion-wise records of doc/method.md §5.1 (the authors' {@code prc_records}).
 * <p>
 * Ground-truth lesions are the components of {@code truth > 0.5}, predicted components those of
 * {@code probabilities > 0.5}, both with 26-connectivity and numbered in raster order (x fastest). For
 * each lesion g the best predicted component is the one with the highest Dice 2|g∩P|/(|g|+|P|) among
 * those sharing at least one voxel; ties go to the lowest label ({@code np.argmax}). See
 * {@link LesionRecord} for every column and the ±∞ conventions. Diameters are (6V/π)^(1/3) with V the
 * voxel count ({@code diameter}) and with V the calibrated volume ({@code diameter_calibrated}).
 * <p>
 * Implementation: one pass thresholds the inputs, {@link LesionLabeling} labels both masks, and one
 * more pass accumulates voxel counts, peak probability/logit per predicted component and overlap
 * counts per (lesion, prediction) pair in a hash map. Multi-threaded over z-slabs according to the
 * current {@link Parallelization} context.
 *
 * <pre>{@code
 * List<LesionRecord> rows = LesionRecords.compute("case_01", truth, probabilities, logits, new double[] { 1, 1, 2.5 });
 * }</pre>
 */
public final class LesionRecords {

	/** Binarisation threshold of ground truth and probabilities ({@code x > 0.5}). */
	public static final double THRESHOLD = 0.5;

	/** The paper's connectivity for both ground truth and prediction. */
	public static final Connectivity CONNECTIVITY = Connectivity.TWENTY_SIX;

	/** Largest number of voxels read into one buffer. */
	private static final int BLOCK_VOXELS = 1 << 20;

	private LesionRecords() {}

	/**
	 * The records of one image: one row per ground-truth lesion (labels 1..K, in order), then one row
	 * per predicted component. Same as {@code evaluate(...).records()}.
	 *
	 * @param imageId identifier written in the {@code image} column
	 * @param truth ground truth; voxels > 0.5 are lesion (NaN counts as background)
	 * @param probabilities averaged probabilities; voxels > 0.5 are predicted lesion
	 * @param logits averaged logits for the operating-point statistics, or {@code null}: then the
	 *          probabilities stand in, so {@code self_logit}/{@code hit_logit} are peak probabilities
	 * @param voxelSize voxel size per dimension for {@code diameter_calibrated}, or {@code null} for 1
	 * @return the records; empty when both masks are empty
	 * @throws IllegalArgumentException if the inputs are not 2D/3D volumes on one interval, or the voxel
	 *           size is invalid
	 */
	public static List< LesionRecord > compute(final String imageId, final RandomAccessibleInterval< ? extends RealType< ? > > truth,
			final RandomAccessibleInterval< ? extends RealType< ? > > probabilities, final RandomAccessibleInterval< ? extends RealType< ? > > logits,
			final double[] voxelSize) {
		return evaluate(imageId, truth, probabilities, logits, voxelSize).records();
	}

	/**
	 * Records and voxel-wise Dice of one image; see {@link #compute}.
	 *
	 * @return the evaluation; voxel Dice is 1 when both masks are empty
	 */
	public static ImageEvaluation evaluate(final String imageId, final RandomAccessibleInterval< ? extends RealType< ? > > truth,
			final RandomAccessibleInterval< ? extends RealType< ? > > probabilities, final RandomAccessibleInterval< ? extends RealType< ? > > logits,
			final double[] voxelSize) {
		final String op = "LesionRecords.evaluate";
		final Geometry geo = Geometry.of(op, truth, probabilities, logits, voxelSize);
		final byte[] gtMask = new byte[geo.size];
		final byte[] prMask = new byte[geo.size];
		forEachSlab(geo, (z0, z1) -> {
			final float[] ft = directFloats(truth), fp = directFloats(probabilities);
			final double[] a = new double[geo.blockVoxels()];
			final double[] b = new double[geo.blockVoxels()];
			for (int z = z0; z < z1; z += geo.planesPerBlock) {
				Cancellation.check(op);
				final int ze = Math.min(z1, z + geo.planesPerBlock);
				final int base = z * geo.plane, end = ze * geo.plane;
				if (ft != null && fp != null) {
					for (int i = base; i < end; i++) {
						gtMask[i] = ft[i] > THRESHOLD ? (byte) 1 : 0;
						prMask[i] = fp[i] > THRESHOLD ? (byte) 1 : 0;
					}
					continue;
				}
				final int n = geo.read(truth, z, ze, a);
				geo.read(probabilities, z, ze, b);
				for (int i = 0; i < n; i++) {
					gtMask[base + i] = a[i] > THRESHOLD ? (byte) 1 : 0;
					prMask[base + i] = b[i] > THRESHOLD ? (byte) 1 : 0;
				}
			}
			return Boolean.TRUE;
		});
		Cancellation.check(op);
		final Img< IntType > gl = LesionLabeling.label(ArrayImgs.unsignedBytes(gtMask, geo.dims), CONNECTIVITY);
		Cancellation.check(op);
		final Img< IntType > pl = LesionLabeling.label(ArrayImgs.unsignedBytes(prMask, geo.dims), CONNECTIVITY);
		final int[] g = ints(gl);
		final int[] p = ints(pl);
		return accumulate(op, imageId, geo, g, max(g), p, max(p), probabilities, logits);
	}

	/**
	 * Records of one image whose components are already labeled (e.g. by tiled inference): rows are
	 * made for every label value 1..max present in each label image, in ascending order. The caller is
	 * responsible for the labels being the 26-connected components of the thresholded images if the
	 * paper's protocol is wanted.
	 *
	 * @param truthLabels ground-truth lesion labels, 0 = background
	 * @param predictionLabels predicted component labels, 0 = background
	 * @param probabilities probabilities (peak probability per component)
	 * @param logits logits or {@code null} (probabilities stand in)
	 */
	public static ImageEvaluation evaluateLabels(final String imageId, final RandomAccessibleInterval< ? extends IntegerType< ? > > truthLabels,
			final RandomAccessibleInterval< ? extends IntegerType< ? > > predictionLabels,
			final RandomAccessibleInterval< ? extends RealType< ? > > probabilities, final RandomAccessibleInterval< ? extends RealType< ? > > logits,
			final double[] voxelSize) {
		final String op = "LesionRecords.evaluateLabels";
		final Geometry geo = Geometry.of(op, truthLabels, probabilities, logits, voxelSize);
		Checks.requireSameInterval(op, "truthLabels", truthLabels, "predictionLabels", predictionLabels);
		final int[] g = copyLabels(op, "truthLabels", truthLabels, geo.size);
		final int[] p = copyLabels(op, "predictionLabels", predictionLabels, geo.size);
		return accumulate(op, imageId, geo, g, max(g), p, max(p), probabilities, logits);
	}

	/**
	 * Voxel-wise Dice of {@code truth > 0.5} and {@code probabilities > 0.5}: 2|T∩P|/(|T|+|P|), and 1
	 * when both are empty (dpipe's {@code fraction}).
	 */
	public static double voxelDice(final RandomAccessibleInterval< ? extends RealType< ? > > truth,
			final RandomAccessibleInterval< ? extends RealType< ? > > probabilities) {
		final String op = "LesionRecords.voxelDice";
		final Geometry geo = Geometry.of(op, truth, probabilities, null, null);
		final List< long[] > parts = forEachSlab(geo, (z0, z1) -> {
			final double[] a = new double[geo.blockVoxels()];
			final double[] b = new double[geo.blockVoxels()];
			final long[] c = new long[3];
			for (int z = z0; z < z1; z += geo.planesPerBlock) {
				Cancellation.check(op);
				final int ze = Math.min(z1, z + geo.planesPerBlock);
				final int n = geo.read(truth, z, ze, a);
				geo.read(probabilities, z, ze, b);
				for (int i = 0; i < n; i++) {
					final boolean t = a[i] > THRESHOLD, q = b[i] > THRESHOLD;
					if (t) c[0]++;
					if (q) c[1]++;
					if (t && q) c[2]++;
				}
			}
			return c;
		});
		long t = 0, q = 0, both = 0;
		for (final long[] c : parts) {
			t += c[0];
			q += c[1];
			both += c[2];
		}
		return fraction(2.0 * both, t + q);
	}

	// ------------------------------------------------------------------------------------------------

	/** Accumulated statistics of one slab (or of the whole image after merging). */
	private static final class Stats {

		final long[] gCount, pCount;

		final double[] pMaxProb, pMaxLogit;

		final PairCounts pairs = new PairCounts();

		Stats(final int nG, final int nP) {
			gCount = new long[nG + 1];
			pCount = new long[nP + 1];
			pMaxProb = new double[nP + 1];
			pMaxLogit = new double[nP + 1];
			Arrays.fill(pMaxProb, Double.NEGATIVE_INFINITY);
			Arrays.fill(pMaxLogit, Double.NEGATIVE_INFINITY);
		}

		void merge(final Stats o) {
			for (int i = 0; i < gCount.length; i++)
				gCount[i] += o.gCount[i];
			for (int i = 0; i < pCount.length; i++) {
				pCount[i] += o.pCount[i];
				pMaxProb[i] = Math.max(pMaxProb[i], o.pMaxProb[i]);
				pMaxLogit[i] = Math.max(pMaxLogit[i], o.pMaxLogit[i]);
			}
			pairs.addAll(o.pairs);
		}
	}

	private static ImageEvaluation accumulate(final String op, final String imageId, final Geometry geo, final int[] gl, final int nG, final int[] pl,
			final int nP, final RandomAccessibleInterval< ? extends RealType< ? > > probabilities,
			final RandomAccessibleInterval< ? extends RealType< ? > > logits) {
		final List< Stats > parts = forEachSlab(geo, (z0, z1) -> {
			final Stats s = new Stats(nG, nP);
			final float[] fProb = directFloats(probabilities);
			final float[] fLogit = logits == null ? fProb : directFloats(logits);
			final boolean direct = fProb != null && fLogit != null;
			final double[] prob = direct ? null : new double[geo.blockVoxels()];
			final double[] logit = direct ? null : logits == null ? prob : new double[geo.blockVoxels()];
			long runKey = -1, runCount = 0;
			for (int z = z0; z < z1; z += geo.planesPerBlock) {
				Cancellation.check(op);
				final int ze = Math.min(z1, z + geo.planesPerBlock);
				final int base = z * geo.plane, end = ze * geo.plane;
				if (!direct) {
					boolean anyPrediction = false;
					for (int i = base; i < end && !anyPrediction; i++)
						anyPrediction = pl[i] != 0;
					if (anyPrediction) {
						geo.read(probabilities, z, ze, prob);
						if (logits != null) geo.read(logits, z, ze, logit);
					}
				}
				for (int i = base; i < end; i++) {
					final int g = gl[i];
					if (g != 0) s.gCount[g]++;
					final int p = pl[i];
					if (p == 0) continue;
					s.pCount[p]++;
					if (direct) {
						s.pMaxProb[p] = Math.max(s.pMaxProb[p], fProb[i]);
						s.pMaxLogit[p] = Math.max(s.pMaxLogit[p], fLogit[i]);
					}
					else {
						final int k = i - base;
						s.pMaxProb[p] = Math.max(s.pMaxProb[p], prob[k]);
						s.pMaxLogit[p] = Math.max(s.pMaxLogit[p], logit[k]);
					}
					if (g != 0) {
						final long key = PairCounts.key(g, p);
						if (key == runKey) runCount++;
						else {
							if (runCount > 0) s.pairs.add(runKey, runCount);
							runKey = key;
							runCount = 1;
						}
					}
				}
			}
			if (runCount > 0) s.pairs.add(runKey, runCount);
			return s;
		});
		Cancellation.check(op);
		final Stats s = parts.get(0);
		for (int i = 1; i < parts.size(); i++)
			s.merge(parts.get(i));
		return records(imageId, geo, s, nG, nP);
	}

	private static ImageEvaluation records(final String imageId, final Geometry geo, final Stats s, final int nG, final int nP) {
		final long[][] byLesion = s.pairs.sortedEntries();
		final long[][] byPrediction = byLesion.clone();
		Arrays.sort(byPrediction, (a, b) -> {
			final int c = Integer.compare(PairCounts.prediction(a[0]), PairCounts.prediction(b[0]));
			return c != 0 ? c : Integer.compare(PairCounts.lesion(a[0]), PairCounts.lesion(b[0]));
		});
		final double voxelVolume = geo.voxelVolume;
		final List< LesionRecord > out = new ArrayList<>();
		long overlap = 0;
		int e = 0;
		for (int g = 1; g <= nG; g++) {
			double best = -1;
			int bestP = 0;
			for (; e < byLesion.length && PairCounts.lesion(byLesion[e][0]) == g; e++) {
				final int p = PairCounts.prediction(byLesion[e][0]);
				final long ov = byLesion[e][1];
				overlap += ov;
				final double dice = (2.0 * ov) / (double) (s.gCount[g] + s.pCount[p]);
				if (dice > best) {
					best = dice;
					bestP = p;
				}
			}
			if (s.gCount[g] == 0) continue;
			final double d = LesionRecord.diameterOfVolume(s.gCount[g]);
			final double dc = LesionRecord.diameterOfVolume(s.gCount[g] * voxelVolume);
			if (bestP == 0)
				out.add(new LesionRecord(imageId, LesionRecord.Kind.LESION, g, d, 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0, dc, 0, 1));
			else
				out.add(new LesionRecord(imageId, LesionRecord.Kind.LESION, g, d, best, s.pMaxLogit[bestP], Double.POSITIVE_INFINITY, bestP, dc,
						s.pMaxProb[bestP], 1));
		}
		e = 0;
		for (int p = 1; p <= nP; p++) {
			double best = -1;
			int bestG = 0;
			for (; e < byPrediction.length && PairCounts.prediction(byPrediction[e][0]) == p; e++) {
				final int g = PairCounts.lesion(byPrediction[e][0]);
				final double dice = (2.0 * byPrediction[e][1]) / (double) (s.gCount[g] + s.pCount[p]);
				if (dice > best) {
					best = dice;
					bestG = g;
				}
			}
			if (s.pCount[p] == 0) continue;
			final double d = LesionRecord.diameterOfVolume(s.pCount[p]);
			final double dc = LesionRecord.diameterOfVolume(s.pCount[p] * voxelVolume);
			if (bestG == 0)
				out.add(new LesionRecord(imageId, LesionRecord.Kind.PREDICTION, p, d, 0, Double.NEGATIVE_INFINITY, s.pMaxLogit[p], 0, dc, 0, s.pMaxProb[p]));
			else
				out.add(new LesionRecord(imageId, LesionRecord.Kind.PREDICTION, p, d, best, Double.POSITIVE_INFINITY, s.pMaxLogit[p], bestG, dc, 1,
						s.pMaxProb[p]));
		}
		long t = 0, q = 0;
		int presentG = 0, presentP = 0;
		for (int g = 1; g <= nG; g++) {
			t += s.gCount[g];
			if (s.gCount[g] > 0) presentG++;
		}
		for (int p = 1; p <= nP; p++) {
			q += s.pCount[p];
			if (s.pCount[p] > 0) presentP++;
		}
		return new ImageEvaluation(imageId, out, presentG, presentP, t, q, overlap, fraction(2.0 * overlap, t + q));
	}

	static double fraction(final double numerator, final long denominator) {
		return denominator == 0 ? 1.0 : numerator / denominator;
	}

	// ------------------------------------------------------------------------------------------------

	@FunctionalInterface
	private interface SlabTask< R > {

		R run(int z0, int z1);
	}

	private static < R > List< R > forEachSlab(final Geometry geo, final SlabTask< R > task) {
		final TaskExecutor ex = Parallelization.getTaskExecutor();
		final int n = Math.max(1, Math.min(geo.nz, ex.suggestNumberOfTasks()));
		final List< int[] > ranges = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			final int z0 = (int) ((long) geo.nz * i / n), z1 = (int) ((long) geo.nz * (i + 1) / n);
			if (z1 > z0) ranges.add(new int[] { z0, z1 });
		}
		if (ranges.size() == 1) return java.util.Collections.singletonList(task.run(0, geo.nz));
		return ex.forEachApply(ranges, r -> task.run(r[0], r[1]));
	}

	/** The storage of a float ArrayImg (read only), or null for any other image. */
	private static float[] directFloats(final RandomAccessibleInterval< ? > img) {
		if (!(img instanceof ArrayImg< ?, ? > a)) return null;
		return a.firstElement().getClass() == FloatType.class && a.update(null) instanceof FloatArray f ? f.getCurrentStorageArray() : null;
	}

	private static int[] ints(final Img< IntType > img) {
		if (img instanceof ArrayImg< ?, ? > ai && ai.update(null) instanceof IntArray access) return access.getCurrentStorageArray();
		final int[] a = new int[(int) Intervals.numElements(img)];
		int i = 0;
		for (final IntType t : Views.flatIterable(img))
			a[i++] = t.get();
		return a;
	}

	private static int[] copyLabels(final String op, final String name, final RandomAccessibleInterval< ? extends IntegerType< ? > > labels, final int size) {
		if (labels instanceof ArrayImg< ?, ? > ai && ai.firstElement().getClass() == IntType.class && ai.update(null) instanceof IntArray access) {
			// read-only use of the caller's storage
			final int[] a = access.getCurrentStorageArray();
			for (int i = 0; i < a.length; i++)
				if (a[i] < 0)
					throw new IllegalArgumentException(
							op + ": " + name + " has label " + a[i] + " at voxel index " + i + "; labels must be in [0, 2^31 - 2]. Relabel the image.");
			return a;
		}
		final int[] a = new int[size];
		int i = 0;
		for (final IntegerType< ? > t : Views.flatIterable(labels)) {
			final long v = t.getIntegerLong();
			if (v < 0 || v > Integer.MAX_VALUE - 1)
				throw new IllegalArgumentException(
						op + ": " + name + " has label " + v + " at voxel index " + i + "; labels must be in [0, 2^31 - 2]. Relabel the image.");
			a[i++] = (int) v;
		}
		return a;
	}

	private static int max(final int[] a) {
		int m = 0;
		for (final int v : a)
			if (v > m) m = v;
		return m;
	}

	/** Shape of the evaluated volume and fast block reading. */
	private static final class Geometry {

		final long[] min, dims;

		final int nx, ny, nz, plane, size, planesPerBlock;

		final double voxelVolume;

		private Geometry(final long[] min, final long[] dims, final double voxelVolume) {
			this.min = min;
			this.dims = dims;
			this.nx = (int) dims[0];
			this.ny = (int) dims[1];
			this.nz = dims.length > 2 ? (int) dims[2] : 1;
			this.plane = nx * ny;
			this.size = plane * nz;
			this.planesPerBlock = Math.max(1, Math.min(nz, BLOCK_VOXELS / Math.max(1, plane)));
			this.voxelVolume = voxelVolume;
		}

		int blockVoxels() {
			return plane * planesPerBlock;
		}

		static Geometry of(final String op, final RandomAccessibleInterval< ? > first, final RandomAccessibleInterval< ? > probabilities,
				final RandomAccessibleInterval< ? > logits, final double[] voxelSize) {
			if (first == null || probabilities == null)
				throw new IllegalArgumentException(op + ": ground truth and probabilities are required, but one of them is null.");
			Checks.requireVolume(op, "truth", first);
			Checks.requireSameInterval(op, "truth", first, "probabilities", probabilities);
			if (logits != null) Checks.requireSameInterval(op, "truth", first, "logits", logits);
			final long n = Intervals.numElements(first);
			if (n > Integer.MAX_VALUE - 8)
				throw new IllegalArgumentException(op + ": the volume has " + n + " voxels; at most 2^31 - 9 are supported. Evaluate a cropped region.");
			double vv = 1;
			if (voxelSize != null) {
				if (voxelSize.length < first.numDimensions())
					throw new IllegalArgumentException(op + ": voxelSize has " + voxelSize.length + " entries but the volume has " + first.numDimensions()
							+ " dimensions; give one size per dimension.");
				for (int d = 0; d < first.numDimensions(); d++)
					vv *= Checks.requirePositive(op, "voxelSize[" + d + "]", voxelSize[d]);
			}
			return new Geometry(Intervals.minAsLongArray(first), Intervals.dimensionsAsLongArray(first), vv);
		}

		/** Reads planes [z0, z1) into {@code buf} (x fastest) and returns the number of voxels read. */
		int read(final RandomAccessibleInterval< ? extends RealType< ? > > img, final int z0, final int z1, final double[] buf) {
			final int n = (z1 - z0) * plane;
			final int off = z0 * plane;
			if (img instanceof ArrayImg< ?, ? > a) {
				final Object type = a.firstElement();
				final Object access = a.update(null);
				if (type.getClass() == FloatType.class && access instanceof FloatArray) {
					final float[] f = ((FloatArray) access).getCurrentStorageArray();
					for (int i = 0; i < n; i++)
						buf[i] = f[off + i];
					return n;
				}
				if (type.getClass() == DoubleType.class && access instanceof DoubleArray) {
					System.arraycopy(((DoubleArray) access).getCurrentStorageArray(), off, buf, 0, n);
					return n;
				}
				if (type.getClass() == UnsignedByteType.class && access instanceof ByteArray) {
					final byte[] f = ((ByteArray) access).getCurrentStorageArray();
					for (int i = 0; i < n; i++)
						buf[i] = f[off + i] & 0xff;
					return n;
				}
			}
			final long[] lo = min.clone(), hi = new long[min.length];
			for (int d = 0; d < min.length; d++)
				hi[d] = min[d] + dims[d] - 1;
			if (min.length > 2) {
				lo[2] = min[2] + z0;
				hi[2] = min[2] + z1 - 1;
			}
			final Cursor< ? extends RealType< ? > > c = Views.flatIterable(Views.interval(img, lo, hi)).cursor();
			for (int i = 0; i < n; i++)
				buf[i] = c.next().getRealDouble();
			return n;
		}
	}
}
