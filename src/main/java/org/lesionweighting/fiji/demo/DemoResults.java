package org.lesionweighting.fiji.demo;

import java.util.List;
import java.util.Map;

import org.lesionweighting.metrics.SegmentationQuality;

/**
 * Everything the demo report shows, as plain data: the numbers a run measured, never text about them.
 *
 * @param title report title
 * @param parameters the exact parameters of the run, in display order
 * @param versions software versions (suite, Java, TensorFlow, ImgLib2, ...)
 * @param outcomes one entry per trained loss, in training order
 * @param binEdges diameter bin edges in voxels for the recall-by-size figure (n + 1 edges for n bins; the last
 *          may be infinite)
 * @param binLesions number of ground-truth lesions per bin (the same for every loss)
 * @param smallDiameter the small-lesion threshold in voxels (equivalent-sphere diameter)
 * @param slice one test case's slice with ground truth, predictions and the weight map, or {@code null}
 * @param seconds wall-clock duration of the whole run
 */
public record DemoResults(String title, Map< String, String > parameters, Map< String, String > versions, List< LossOutcome > outcomes, double[] binEdges,
		int[] binLesions, double smallDiameter, SliceView slice, double seconds) {

	/**
	 * What one trained loss achieved on the test cases.
	 *
	 * @param name display name, e.g. {@code dice} or {@code dice + iw}
	 * @param overall summary over all lesions
	 * @param small summary over the small-lesion subset
	 * @param binRecall recall per diameter bin at the first FROC threshold (NaN for an empty bin)
	 * @param trainingLoss training loss against iteration
	 * @param trainingSeconds training time
	 * @param quality the segmentation quality of each test image (voxel Dice, one-to-one lesion F1, volume ratio,
	 *          merges), in test order
	 */
	public record LossOutcome(String name, Summary overall, Summary small, double[] binRecall, Curve trainingLoss, double trainingSeconds,
			List< SegmentationQuality > quality) {

		/** All test images together. */
		public SegmentationQuality pooled() {
			return SegmentationQuality.pooled("all test images", quality);
		}

		/** Whether a test image or all of them together are flagged as a degenerate segmentation. */
		public boolean flagged() {
			return !SegmentationQuality.warnings(quality).isEmpty();
		}
	}

	/**
	 * Lesion-wise summary (doc/method.md §5.3).
	 *
	 * @param avgRecall average recall over 0–5 false positives per image, full set
	 * @param bootstrapMean mean of the bootstrap average recalls (NaN without bootstrap)
	 * @param bootstrapStd population standard deviation of the bootstrap average recalls
	 * @param objectDice mean Dice of detected lesions
	 * @param objectDiceStd population standard deviation of that Dice
	 * @param nImages images with at least one record
	 * @param nLesions ground-truth lesions
	 * @param froc recall against average false positives per image, with the bootstrap spread as {@code yStd}
	 */
	public record Summary(double avgRecall, double bootstrapMean, double bootstrapStd, double objectDice, double objectDiceStd, int nImages, int nLesions,
			Curve froc) {}

	/**
	 * A named curve.
	 *
	 * @param name legend text
	 * @param x abscissae
	 * @param y ordinates, same length
	 * @param yStd spread drawn as a band around {@code y}, or {@code null}
	 */
	public record Curve(String name, double[] x, double[] y, double[] yStd) {}

	/**
	 * One axial slice of a test case, x fastest.
	 *
	 * @param caseName the test case
	 * @param z slice index
	 * @param width slice width
	 * @param height slice height
	 * @param image intensities
	 * @param truth ground-truth mask (non-zero = lesion)
	 * @param predictions predicted mask per loss name, in the order of the outcomes
	 * @param weights inverse-volume weight map of the ground truth (doc/method.md §1.2 on the whole image)
	 */
	public record SliceView(String caseName, int z, int width, int height, float[] image, byte[] truth, Map< String, byte[] > predictions, float[] weights) {}
}
