package org.lesionweighting.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.lesionweighting.util.Csv;
import org.lesionweighting.util.Json;

/**
 * What the paper's lesion-wise protocol (doc/method.md §5) does not show: how well one image is segmented as a
 * whole, with a one-to-one lesion matching that a degenerate model cannot win.
 * <p>
 * The paper counts a lesion as detected when <em>any</em> predicted component overlaps it, so a prediction that
 * paints the whole white matter "detects" every lesion at one false positive. Next to the paper's records this
 * reports, per image and pooled:
 * <ul>
 * <li>voxel Dice, and the predicted lesion volume ÷ the true lesion volume;</li>
 * <li>lesion-wise precision, recall and F1 with <b>one-to-one matching</b>: a lesion and a predicted component
 * match when each is the other's best-overlapping object (the {@code hit_object} of both records, best by Dice)
 * and their intersection over union exceeds {@value #MATCH_IOU} (IoU = Dice / (2 − Dice)). Each component
 * matches at most one lesion and each lesion at most one component, as the lesion-wise metrics of BraTS and
 * panoptica require;</li>
 * <li>merging components: predicted components that are the best-overlapping component of two or more lesions,
 * and the number of lesions so merged.</li>
 * </ul>
 * Everything except the voxel Dice is computed from the records alone, so pooled records files (Lesion FROC) get
 * the same numbers as the evaluation that wrote them; volumes come from the records' voxel diameters
 * (V = π d³ / 6, rounded to whole voxels).
 * <p>
 * {@link #warnings()} flags a degenerate segmentation: a predicted volume more than {@value #VOLUME_RATIO_LIMIT}
 * times the true one, or merging components that swallow at least {@value #MERGED_FRACTION_LIMIT} of the lesions
 * (and at least two).
 *
 * @param image image id, or a name for the pooled row
 * @param images number of images (1 per image; the count for the pooled row)
 * @param lesions ground-truth lesions
 * @param predictions predicted components
 * @param truthVoxels true lesion voxels
 * @param predictedVoxels predicted lesion voxels
 * @param voxelDice voxel Dice of the image (mean over images for the pooled row); NaN when unknown (records only)
 * @param matched one-to-one matched lesion–component pairs (true positives)
 * @param mergingComponents predicted components that are the best match of two or more lesions
 * @param mergedLesions lesions whose best match is a merging component
 */
public record SegmentationQuality(String image, int images, int lesions, int predictions, long truthVoxels, long predictedVoxels, double voxelDice, int matched,
		int mergingComponents, int mergedLesions) {

	/** The IoU above which mutual best matches count as one-to-one matches (0.1, as the BraTS lesion-wise metrics). */
	public static final double MATCH_IOU = 0.1;

	/** A predicted volume above this multiple of the true volume is flagged. */
	public static final double VOLUME_RATIO_LIMIT = 3;

	/** Merging components that swallow at least this fraction of the lesions (and at least two) are flagged. */
	public static final double MERGED_FRACTION_LIMIT = 0.2;

	/** The Dice that corresponds to {@link #MATCH_IOU}: 2·IoU / (1 + IoU). */
	public static final double MATCH_DICE = 2 * MATCH_IOU / (1 + MATCH_IOU);

	/** Matched ÷ predicted components; 1 when nothing is predicted. */
	public double precision() {
		return predictions == 0 ? 1 : matched / (double) predictions;
	}

	/** Matched ÷ lesions; 1 when there is no lesion. */
	public double recall() {
		return lesions == 0 ? 1 : matched / (double) lesions;
	}

	/** 2·matched ÷ (lesions + predicted components); 1 when both are 0. */
	public double f1() {
		return lesions + predictions == 0 ? 1 : 2.0 * matched / (lesions + predictions);
	}

	/** Predicted ÷ true lesion volume: 1 when both are empty, +∞ when only the prediction is not. */
	public double volumeRatio() {
		if (truthVoxels == 0) return predictedVoxels == 0 ? 1 : Double.POSITIVE_INFINITY;
		return predictedVoxels / (double) truthVoxels;
	}

	/** What makes this segmentation degenerate, one sentence each; empty when nothing is flagged. */
	public List< String > warnings() {
		final List< String > w = new ArrayList<>();
		if (truthVoxels == 0 && predictedVoxels > 0)
			w.add(String.format(Locale.ROOT, "%s: %d voxels are predicted as lesion where there is none.", image, predictedVoxels));
		else if (volumeRatio() > VOLUME_RATIO_LIMIT)
			w.add(String.format(Locale.ROOT,
					"%s: the predicted lesion volume is %.1f\u00d7 the true volume (%d vs %d voxels); the "
							+ "model over-segments, and the paper's average recall counts lesions inside it as found.",
					image, volumeRatio(), predictedVoxels, truthVoxels));
		if (mergedLesions >= 2 && mergedLesions >= MERGED_FRACTION_LIMIT * lesions)
			w.add(String.format(Locale.ROOT,
					"%s: %d predicted component%s merge%s %d of %d lesions; merged lesions count as detected in the paper's protocol but not one-to-one.",
					image, mergingComponents, mergingComponents == 1 ? "" : "s", mergingComponents == 1 ? "s" : "", mergedLesions, lesions));
		return w;
	}

	/** Whether {@link #warnings()} flags anything. */
	public boolean degenerate() {
		return !warnings().isEmpty();
	}

	/** JSON-ready map (snake_case keys, derived values included). */
	public Map< String, Object > toMap() {
		return Json.object("image", image, "images", images, "lesions", lesions, "predicted_components", predictions, "truth_voxels", truthVoxels,
				"predicted_voxels", predictedVoxels, "volume_ratio", volumeRatio(), "voxel_dice", voxelDice, "matched", matched, "precision", precision(),
				"recall", recall(), "f1", f1(), "merging_components", mergingComponents, "merged_lesions", mergedLesions, "warnings", warnings());
	}

	/** The CSV header of {@link #csvRow()}. */
	public static final String CSV_HEADER = "image,lesions,predicted_components,truth_voxels,predicted_voxels,volume_ratio,voxel_dice,"
			+ "matched,precision,recall,f1,merging_components,merged_lesions,degenerate";

	/** One CSV row (the image id quoted when it needs to be). */
	public String csvRow() {
		return String.join(",", Csv.quote(image), Integer.toString(lesions), Integer.toString(predictions), Long.toString(truthVoxels),
				Long.toString(predictedVoxels), num(volumeRatio()), num(voxelDice), Integer.toString(matched), num(precision()), num(recall()), num(f1()),
				Integer.toString(mergingComponents), Integer.toString(mergedLesions), Boolean.toString(degenerate()));
	}

	private static String num(final double v) {
		return String.format(Locale.ROOT, "%.4f", v); // NaN, Infinity and -Infinity as such
	}

	/**
	 * The quality of one evaluated image: volumes and voxel Dice exactly as counted by the evaluation, matching
	 * and merges from its records.
	 */
	public static SegmentationQuality of(final ImageEvaluation e) {
		final SegmentationQuality r = ofImage(e.image(), e.records());
		return new SegmentationQuality(e.image(), 1, e.numLesions(), e.numPredictions(), e.truthVoxels(), e.predictedVoxels(), e.voxelDice(), r.matched,
				r.mergingComponents, r.mergedLesions);
	}

	/**
	 * The quality of every image of pooled records, in the order of first appearance; voxel Dice is NaN (the
	 * records do not hold the overlap of unmatched voxels).
	 */
	public static List< SegmentationQuality > ofRecords(final Collection< LesionRecord > records) {
		return RecordsCsv.byImage(records).entrySet().stream().map(e -> ofImage(e.getKey(), e.getValue())).toList();
	}

	private static SegmentationQuality ofImage(final String image, final List< LesionRecord > rows) {
		final Map< Integer, Integer > predictionBest = new HashMap<>();
		final Map< Integer, Integer > lesionsPerComponent = new HashMap<>();
		int lesions = 0, predictions = 0;
		long truth = 0, predicted = 0;
		for (final LesionRecord r : rows) {
			final long v = voxels(r.diameter());
			if (r.isLesion()) {
				lesions++;
				truth += v;
				if (r.hitObject() > 0) lesionsPerComponent.merge(r.hitObject(), 1, Integer::sum);
			}
			else {
				predictions++;
				predicted += v;
				predictionBest.put(r.object(), r.hitObject());
			}
		}
		int matched = 0, merging = 0, merged = 0;
		for (final LesionRecord r : rows)
			if (r.isLesion() && r.hitObject() > 0 && r.hitDice() > MATCH_DICE && Integer.valueOf(r.object()).equals(predictionBest.get(r.hitObject())))
				matched++;
		for (final int n : lesionsPerComponent.values())
			if (n >= 2) {
				merging++;
				merged += n;
			}
		return new SegmentationQuality(image, 1, lesions, predictions, truth, predicted, Double.NaN, matched, merging, merged);
	}

	/** The voxel count of an equivalent-sphere diameter, inverse of {@link LesionRecord#diameterOfVolume}. */
	static long voxels(final double diameter) {
		return Math.round(Math.PI * diameter * diameter * diameter / 6);
	}

	/**
	 * All images together: counts and volumes summed (so precision, recall and F1 are pooled over lesions, as the
	 * paper pools its records), voxel Dice the mean over the images that have one (NaN if none).
	 *
	 * @param name the name of the pooled row
	 * @param perImage the images' qualities
	 */
	public static SegmentationQuality pooled(final String name, final List< SegmentationQuality > perImage) {
		int images = 0, lesions = 0, predictions = 0, matched = 0, merging = 0, merged = 0, diced = 0;
		long truth = 0, predicted = 0;
		double dice = 0;
		for (final SegmentationQuality q : perImage) {
			images += q.images;
			lesions += q.lesions;
			predictions += q.predictions;
			truth += q.truthVoxels;
			predicted += q.predictedVoxels;
			matched += q.matched;
			merging += q.mergingComponents;
			merged += q.mergedLesions;
			if (!Double.isNaN(q.voxelDice)) {
				dice += q.voxelDice;
				diced++;
			}
		}
		return new SegmentationQuality(name, images, lesions, predictions, truth, predicted, diced == 0 ? Double.NaN : dice / diced, matched, merging, merged);
	}

	/** Per-image rows then the pooled row ({@code all}) as CSV. */
	public static String csv(final List< SegmentationQuality > perImage) {
		final StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
		for (final SegmentationQuality q : perImage)
			sb.append(q.csvRow()).append('\n');
		sb.append(pooled("all", perImage).csvRow()).append('\n');
		return sb.toString();
	}

	/**
	 * The JSON-ready report: {@code pooled} (with its warnings), {@code per_image}, and {@code warnings}: those of
	 * every image, then the pooled ones.
	 */
	public static Map< String, Object > report(final List< SegmentationQuality > perImage) {
		return Json.object("definition", "one-to-one matching: mutual best overlap (Dice) with IoU > " + MATCH_IOU + "; flags: predicted volume > "
				+ VOLUME_RATIO_LIMIT + "\u00d7 true, or components merging \u2265 " + MERGED_FRACTION_LIMIT + " of the lesions", "pooled",
				pooled("all images", perImage).toMap(), "per_image", perImage.stream().map(SegmentationQuality::toMap).toList(), "warnings",
				warnings(perImage));
	}

	/** The warnings of every image, then those of the pooled images (when there are several). */
	public static List< String > warnings(final List< SegmentationQuality > perImage) {
		final List< String > w = new ArrayList<>();
		for (final SegmentationQuality q : perImage)
			w.addAll(q.warnings());
		if (perImage.size() > 1) w.addAll(pooled("all images", perImage).warnings());
		return w;
	}
}
