package org.lesionweighting.metrics;

import java.util.Map;

import org.lesionweighting.util.Json;

/**
 * Result of {@link Froc#summarize}: the paper's detection and delineation metrics (doc/method.md §5.3).
 *
 * @param avgRecall average recall over 0–maxFp false positives per image on the full set (the paper
 *          reports the bootstrap mean, {@code bootstrap().mean()})
 * @param objectDice mean hit Dice of the detected lesions at the first threshold (−0.1) on the full set;
 *          NaN when no lesion is detected
 * @param objectDiceStd population std of the same values; NaN when no lesion is detected
 * @param numImages images with at least one record (the avgFP divisor)
 * @param numLesions ground-truth lesion rows
 * @param bootstrap bootstrap statistics of the average recall
 * @param froc the full-set FROC
 * @param small the same summary for the small-lesion subset, or {@code null} when not asked for
 */
public record FrocSummary(double avgRecall, double objectDice, double objectDiceStd, int numImages, int numLesions, Bootstrap bootstrap, FrocCurve froc,
		FrocSummary small) {

	/**
	 * Bootstrap of the average recall.
	 *
	 * @param mean mean over iterations (NaN when n = 0)
	 * @param std population std over iterations (NaN when n = 0)
	 * @param n number of iterations
	 * @param values the average recall of each iteration
	 * @param bandFp false-positive grid of the plotted band: linspace(0, min(max avgFP, 6), ·)
	 * @param bandMean mean recall of the iterations' FROCs on {@code bandFp} (no (0, 0) point, as the
	 *          authors' plot)
	 * @param bandStd population std of the same
	 */
	public record Bootstrap(double mean, double std, int n, double[] values, double[] bandFp, double[] bandMean, double[] bandStd) {}

	/**
	 * The summary as a JSON-ready map with the keys {@code avg_recall, object_dice, object_dice_std,
	 * n_images, n_lesions, bootstrap {mean, std, n}, froc {threshold, avg_fp, recall}} and {@code small}
	 * (same keys) when present.
	 */
	public Map< String, Object > toMap() {
		final Map< String, Object > m = Json.object("avg_recall", avgRecall, "object_dice", objectDice, "object_dice_std", objectDiceStd, "n_images", numImages,
				"n_lesions", numLesions, "bootstrap", Json.object("mean", bootstrap.mean(), "std", bootstrap.std(), "n", bootstrap.n()), "froc",
				Json.object("threshold", froc.threshold(), "avg_fp", froc.avgFp(), "recall", froc.recall()));
		if (small != null) m.put("small", small.toMap());
		return m;
	}

	/** {@link #toMap()} as JSON text (non-finite numbers as {@code NaN}/{@code Infinity} tokens). */
	public String toJson() {
		return Json.write(toMap());
	}
}
