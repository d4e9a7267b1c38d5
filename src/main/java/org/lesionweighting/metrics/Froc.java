package org.lesionweighting.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;

import org.lesionweighting.util.Cancellation;

/**
 * FROC, average recall, object Dice, small-lesion subsets and bootstrap from pooled lesion records,
 * exactly as doc/method.md §5.2–5.3 (the authors' {@code get_prc}, {@code get_size_df},
 * {@code bootstrap_prc_df} and {@code prc2luna_metric}).
 * <p>
 * Rules, for a threshold θ:
 * <ul>
 * <li>rows with {@code self_logit ≥ θ} are kept (lesion rows have +∞ and are always kept);</li>
 * <li>TP: kept lesion rows with {@code hit_dice > 0} and {@code hit_logit ≥ θ}; FN: kept lesion rows
 * with {@code hit_dice ≤ 0} or {@code hit_logit < θ};</li>
 * <li>FP: kept prediction rows with {@code hit_dice ≤ 0} and {@code self_logit > θ} (strict);</li>
 * <li>recall and precision are 1 when their denominator is 0; comparisons with NaN are false;</li>
 * <li>avgFP = FP / n_ids, n_ids = images with at least one record (0 FP per image when there is no
 * image).</li>
 * </ul>
 * Thresholds: concat(linspace(−0.1, 10, 101), linspace(10, m + 1, 100)) with m the largest finite
 * {@code self_logit}; without any finite {@code self_logit} (no predicted component at all) only the
 * first 101 thresholds are used (the authors' code fails there). Average recall: (avgFP, recall) =
 * (0, 0) appended, arrays reversed, mean of {@code np.interp(linspace(0, maxFp, 100·maxFp + 1), …)}
 * (bit-exact numpy semantics, see {@link NumpyCompat}).
 * <p>
 * All methods are pure and single-threaded; inputs are not modified.
 */
public final class Froc {

	/** The first threshold (where object Dice is taken). */
	public static final double FIRST_THRESHOLD = -0.1;

	/** The plot's largest false-positive rate (the authors' {@code average_prcs}). */
	public static final double PLOT_MAX_FP = 6;

	private Froc() {}

	/**
	 * The threshold grid for these records (see the class comment).
	 *
	 * @return 201 thresholds, or 101 when no record has a finite {@code self_logit}
	 */
	public static double[] thresholds(final Collection< LesionRecord > records) {
		double max = Double.NEGATIVE_INFINITY;
		boolean any = false;
		for (final LesionRecord r : records)
			if (Double.isFinite(r.selfLogit())) {
				any = true;
				max = Math.max(max, r.selfLogit());
			}
		final double[] a = NumpyCompat.linspace(-0.1, 10, 101);
		return any ? DoubleStream.concat(Arrays.stream(a), Arrays.stream(NumpyCompat.linspace(10, max + 1, 100))).toArray() : a;
	}

	/** Number of distinct image ids among the records (n_ids). */
	public static int numImages(final Collection< LesionRecord > records) {
		return imageIds(records).size();
	}

	/** The FROC on these records with their own thresholds and n_ids as the divisor. */
	public static FrocCurve curve(final Collection< LesionRecord > records) {
		return curve(records, thresholds(records), numImages(records));
	}

	/**
	 * Operating points at the given thresholds (doc/method.md §5.2).
	 *
	 * @param records pooled records
	 * @param thresholds thresholds in any order
	 * @param numImages divisor of the false positives; 0 gives avgFP = 0
	 */
	public static FrocCurve curve(final Collection< LesionRecord > records, final double[] thresholds, final double numImages) {
		final int n = thresholds.length;
		final double[] avgFp = new double[n], recall = new double[n], precision = new double[n], dm = new double[n], ds = new double[n];
		final int[] tp = new int[n], fp = new int[n], fn = new int[n];
		final LesionRecord[] rows = records.toArray(new LesionRecord[0]);
		final double[] dice = new double[rows.length];
		for (int k = 0; k < n; k++) {
			final double th = thresholds[k];
			int t = 0, f = 0, m = 0;
			for (final LesionRecord r : rows) {
				if (!(r.selfLogit() >= th)) continue;
				if (r.isLesion()) {
					if (r.hitDice() > 0 && r.hitLogit() >= th) dice[t++] = r.hitDice();
					if (r.hitDice() <= 0 || r.hitLogit() < th) m++;
				}
				else if (r.hitDice() <= 0 && r.selfLogit() > th) f++;
			}
			tp[k] = t;
			fp[k] = f;
			fn[k] = m;
			recall[k] = t + m == 0 ? 1 : t / (double) (t + m);
			precision[k] = t + f == 0 ? 1 : t / (double) (t + f);
			avgFp[k] = numImages == 0 ? 0 : f / numImages;
			final double[] d = Arrays.copyOf(dice, t);
			dm[k] = NumpyCompat.mean(d);
			ds[k] = NumpyCompat.std(d);
		}
		return new FrocCurve(thresholds.clone(), avgFp, recall, precision, tp, fp, fn, dm, ds, numImages);
	}

	/**
	 * The paper's average recall ({@code prc2luna_metric}): (0, 0) appended, reversed so that avgFP
	 * increases, mean of {@code np.interp} on {@code linspace(0, maxFp, (int) (100·maxFp) + 1)}; beyond
	 * the largest avgFP the last recall is held.
	 */
	public static double averageRecall(final FrocCurve curve, final double maxFp) {
		final double[] x = NumpyCompat.linspace(0, maxFp, (int) (maxFp * 100) + 1);
		return NumpyCompat.mean(NumpyCompat.interp(x, reversed(curve.avgFp(), 1), reversed(curve.recall(), 1)));
	}

	/** {@code a} reversed, after {@code lead} zeros. */
	private static double[] reversed(final double[] a, final int lead) {
		final double[] r = new double[lead + a.length];
		for (int i = 0; i < a.length; i++)
			r[r.length - 1 - i] = a[i];
		return r;
	}

	/**
	 * The small-lesion subset ({@code get_size_df}): lesion rows with diameter < {@code smallDiameter},
	 * prediction rows with diameter < {@code smallDiameter}, and the prediction rows of the same image
	 * whose {@code hit_object} is a small lesion (linked predictions; a prediction that is both small
	 * and linked appears twice, as in the authors' concatenation — this never changes a count because
	 * a linked prediction overlaps a lesion and is no false positive).
	 *
	 * @param smallDiameter diameter bound in voxels (strict)
	 */
	public static List< LesionRecord > smallSubset(final Collection< LesionRecord > records, final double smallDiameter) {
		final List< LesionRecord > out = new ArrayList<>();
		final Map< String, Set< Integer > > smallLesions = new HashMap<>();
		for (final LesionRecord r : records)
			if (r.isLesion() && r.diameter() < smallDiameter) {
				out.add(r);
				smallLesions.computeIfAbsent(r.image(), k -> new HashSet<>()).add(r.object());
			}
		for (final LesionRecord r : records)
			if (!r.isLesion() && r.diameter() < smallDiameter) out.add(r);
		for (final LesionRecord r : records) {
			if (r.isLesion() || r.hitObject() == 0) continue;
			final Set< Integer > s = smallLesions.get(r.image());
			if (s != null && s.contains(r.hitObject())) out.add(r);
		}
		return out;
	}

	/**
	 * Full summary (doc/method.md §5.3): FROC and average recall on the full set, object Dice at the first
	 * threshold, bootstrap, and the small-lesion subset when {@code options.smallDiameter()} is set (the
	 * subset gets its own thresholds, n_ids and a fresh RandomState).
	 *
	 * @param records pooled records of all images; may be empty (then n_images = 0, recall 1, avgFP 0)
	 */
	public static FrocSummary summarize(final Collection< LesionRecord > records, final FrocOptions options) {
		final FrocSummary small = Double.isNaN(options.smallDiameter()) ? null : summarizeSet(smallSubset(records, options.smallDiameter()), options, null);
		return summarizeSet(records, options, small);
	}

	/** The summary of one set of records, with {@code small} as its small-lesion summary. */
	private static FrocSummary summarizeSet(final Collection< LesionRecord > records, final FrocOptions options, final FrocSummary small) {
		final double[] th = thresholds(records);
		final int nIds = numImages(records);
		final FrocCurve curve = curve(records, th, nIds);
		final int lesions = (int) records.stream().filter(LesionRecord::isLesion).count();
		final FrocSummary.Bootstrap b = bootstrap(records, th, nIds, curve, options);
		return new FrocSummary(averageRecall(curve, options.maxFp()), curve.diceMean()[0], curve.diceStd()[0], nIds, lesions, b, curve, small);
	}

	/**
	 * Bootstrap ({@code bootstrap_prc_df}): the sorted unique image ids are shuffled in place with
	 * numpy's legacy {@code RandomState(seed)}, cumulatively, once per iteration; each iteration keeps
	 * the first {@code (int) (n · sampleFraction)} ids, computes the FROC at the full set's thresholds and
	 * its average recall. False positives are divided by the subsample's image count, or by the full
	 * n_ids with {@code paperDivisor}. No iteration is run when the subsample would be empty.
	 *
	 * @param fullCurve the full-set curve (its largest avgFP bounds the plotted band)
	 */
	static FrocSummary.Bootstrap bootstrap(final Collection< LesionRecord > records, final double[] thresholds, final int nIds, final FrocCurve fullCurve,
			final FrocOptions options) {
		final String[] ids = new TreeSet<>(imageIds(records)).toArray(new String[0]);
		final int nSamples = (int) (ids.length * options.sampleFraction());
		final int iterations = nSamples == 0 ? 0 : options.bootstrap();
		final double bandMax = Math.min(Math.max(0, Arrays.stream(fullCurve.avgFp()).max().orElse(0)), PLOT_MAX_FP);
		final double[] bandFp = NumpyCompat.linspace(0, bandMax, (int) (bandMax * 100 + 1));
		final double[] values = new double[iterations];
		final double[][] band = new double[iterations][];
		final LegacyRandomState rs = new LegacyRandomState(options.seed());
		final Map< String, List< LesionRecord > > byImage = RecordsCsv.byImage(records);
		for (int it = 0; it < iterations; it++) {
			Cancellation.check("Froc.bootstrap");
			rs.shuffle(ids);
			final List< LesionRecord > sub = new ArrayList<>();
			for (int i = 0; i < nSamples; i++)
				sub.addAll(byImage.get(ids[i]));
			final FrocCurve c = curve(sub, thresholds, options.paperDivisor() ? nIds : nSamples);
			values[it] = averageRecall(c, options.maxFp());
			band[it] = NumpyCompat.interp(bandFp, reversed(c.avgFp(), 0), reversed(c.recall(), 0));
		}
		final double[] bandMean = new double[bandFp.length], bandStd = new double[bandFp.length];
		for (int j = 0; j < bandFp.length; j++) {
			final double[] col = new double[iterations];
			for (int it = 0; it < iterations; it++)
				col[it] = band[it][j];
			bandMean[j] = NumpyCompat.mean(col);
			bandStd[j] = NumpyCompat.std(col);
		}
		return new FrocSummary.Bootstrap(NumpyCompat.mean(values), NumpyCompat.std(values), iterations, values, bandFp, bandMean, bandStd);
	}

	private static Set< String > imageIds(final Collection< LesionRecord > records) {
		return records.stream().map(LesionRecord::image).collect(Collectors.toSet());
	}

	/**
	 * Recall of the ground-truth lesions per diameter bin at one threshold (for reports). Bins are
	 * [edges[i], edges[i+1]); a lesion counts as detected by the TP rule of §5.2 at {@code threshold}
	 * (use {@link #FIRST_THRESHOLD} for "any detection"). Lesion rows with {@code self_logit < threshold}
	 * are skipped as in the FROC.
	 *
	 * @param edges ascending bin edges (at least 2; use {@code Double.POSITIVE_INFINITY} as the last edge
	 *          for an open bin)
	 * @param calibrated use {@code diameter_calibrated} instead of the voxel diameter
	 * @return one bin per consecutive pair of edges; empty bins have recall NaN
	 */
	public static List< SizeBin > recallBySize(final Collection< LesionRecord > records, final double[] edges, final double threshold,
			final boolean calibrated) {
		if (edges.length < 2)
			throw new IllegalArgumentException(
					"Froc.recallBySize: edges must hold at least 2 values, but has " + edges.length + ". Give e.g. {0, 5, 10, Infinity}.");
		for (int i = 1; i < edges.length; i++)
			if (!(edges[i] > edges[i - 1]))
				throw new IllegalArgumentException("Froc.recallBySize: edges must be strictly increasing, but " + Arrays.toString(edges) + " is not.");
		final int[] lesions = new int[edges.length - 1], detected = new int[edges.length - 1];
		for (final LesionRecord r : records) {
			if (!r.isLesion() || !(r.selfLogit() >= threshold)) continue;
			final double d = calibrated ? r.diameterCalibrated() : r.diameter();
			for (int b = 0; b < lesions.length; b++)
				if (d >= edges[b] && d < edges[b + 1]) {
					lesions[b]++;
					if (r.hitDice() > 0 && r.hitLogit() >= threshold) detected[b]++;
					break;
				}
		}
		final List< SizeBin > out = new ArrayList<>();
		for (int b = 0; b < lesions.length; b++)
			out.add(new SizeBin(edges[b], edges[b + 1], lesions[b], detected[b], lesions[b] == 0 ? Double.NaN : detected[b] / (double) lesions[b]));
		return out;
	}
}
