package org.lesionweighting.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

import org.lesionweighting.label.Connectivity;
import org.lesionweighting.label.LesionLabeling;
import org.lesionweighting.label.VoxelArrays;
import org.lesionweighting.util.Cancellation;
import org.lesionweighting.util.Checks;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.DoubleArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.parallel.Parallelization;
import net.imglib2.type.numeric.RealType;
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
		// the largest label of raster-order labeling is the number of components
		final int[] g = new int[geo.size], p = new int[geo.size];
		final int nG = LesionLabeling.label(ArrayImgs.unsignedBytes(gtMask, geo.dims), ArrayImgs.ints(g, geo.dims), CONNECTIVITY);
		Cancellation.check(op);
		final int nP = LesionLabeling.label(ArrayImgs.unsignedBytes(prMask, geo.dims), ArrayImgs.ints(p, geo.dims), CONNECTIVITY);
		return accumulate(op, imageId, geo, g, nG, p, nP, probabilities, logits);
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
		long overlap = 0, t = 0, q = 0;
		int presentG = 0, presentP = 0;
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
			t += s.gCount[g];
			if (s.gCount[g] == 0) continue;
			presentG++;
			final double d = LesionRecord.diameterOfVolume(s.gCount[g]);
			final double dc = LesionRecord.diameterOfVolume(s.gCount[g] * voxelVolume);
			final boolean hit = bestP != 0;
			out.add(new LesionRecord(imageId, LesionRecord.Kind.LESION, g, d, hit ? best : 0, hit ? s.pMaxLogit[bestP] : Double.NEGATIVE_INFINITY,
					Double.POSITIVE_INFINITY, bestP, dc, hit ? s.pMaxProb[bestP] : 0, 1));
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
			q += s.pCount[p];
			if (s.pCount[p] == 0) continue;
			presentP++;
			final double d = LesionRecord.diameterOfVolume(s.pCount[p]);
			final double dc = LesionRecord.diameterOfVolume(s.pCount[p] * voxelVolume);
			final boolean hit = bestG != 0;
			out.add(new LesionRecord(imageId, LesionRecord.Kind.PREDICTION, p, d, hit ? best : 0, hit ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY,
					s.pMaxLogit[p], bestG, dc, hit ? 1 : 0, s.pMaxProb[p]));
		}
		// voxel Dice 1 when both masks are empty (dpipe's fraction)
		return new ImageEvaluation(imageId, out, presentG, presentP, t, q, overlap, t + q == 0 ? 1.0 : 2.0 * overlap / (t + q));
	}

	// ------------------------------------------------------------------------------------------------

	/** Runs {@code task(z0, z1)} on z-slabs in parallel and returns the results in slab order. */
	private static < R > List< R > forEachSlab(final Geometry geo, final BiFunction< Integer, Integer, R > task) {
		final int[] bounds = VoxelArrays.bounds(geo.nz, VoxelArrays.numTasks(geo.nz));
		@SuppressWarnings("unchecked")
		final R[] out = (R[]) new Object[bounds.length - 1];
		VoxelArrays.runBlocks(bounds, (t, z0, z1) -> out[t] = task.apply(z0, z1));
		return Arrays.asList(out);
	}

	/** The storage of a float ArrayImg (read only), or null for any other image. */
	private static float[] directFloats(final RandomAccessibleInterval< ? > img) {
		if (!(img instanceof ArrayImg< ?, ? > a)) return null;
		return a.firstElement().getClass() == FloatType.class && a.update(null) instanceof FloatArray f ? f.getCurrentStorageArray() : null;
	}

	/** Shape of the evaluated volume and fast block reading. */
	private static final class Geometry {

		final long[] min, dims;

		final int nz, plane, size, planesPerBlock;

		final double voxelVolume;

		private Geometry(final long[] min, final long[] dims, final double voxelVolume) {
			this.min = min;
			this.dims = dims;
			this.nz = dims.length > 2 ? (int) dims[2] : 1;
			this.plane = (int) (dims[0] * dims[1]);
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
			final float[] f = directFloats(img);
			if (f != null) {
				for (int i = 0; i < n; i++)
					buf[i] = f[off + i];
				return n;
			}
			if (img instanceof ArrayImg< ?, ? > a && a.firstElement().getClass() == DoubleType.class && a.update(null) instanceof DoubleArray d) {
				System.arraycopy(d.getCurrentStorageArray(), off, buf, 0, n);
				return n;
			}
			if (img instanceof ArrayImg< ?, ? > a && a.firstElement().getClass() == UnsignedByteType.class && a.update(null) instanceof ByteArray b) {
				final byte[] v = b.getCurrentStorageArray();
				for (int i = 0; i < n; i++)
					buf[i] = v[off + i] & 0xff;
				return n;
			}
			// img is on the checked interval: its max is min + dims - 1
			final long[] lo = min.clone(), hi = Intervals.maxAsLongArray(img);
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
