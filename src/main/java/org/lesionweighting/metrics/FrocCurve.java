package org.lesionweighting.metrics;

/**
 * Operating points of doc/method.md §5.2 at each threshold, in threshold order (the authors' {@code get_prc}).
 *
 * @param threshold the thresholds θ
 * @param avgFp false positives divided by {@code numImages} (0 when numImages is 0)
 * @param recall TP / (TP + FN), 1 when the denominator is 0
 * @param precision TP / (TP + FP), 1 when the denominator is 0
 * @param tp true positives per threshold
 * @param fp false positives per threshold
 * @param fn false negatives per threshold
 * @param diceMean mean hit Dice of the true positives per threshold (NaN when there is none)
 * @param diceStd population std of the hit Dice of the true positives (NaN when there is none)
 * @param numImages the divisor of avgFp
 */
public record FrocCurve(double[] threshold, double[] avgFp, double[] recall, double[] precision, int[] tp, int[] fp, int[] fn, double[] diceMean,
		double[] diceStd, double numImages) {

	/** Number of thresholds. */
	public int size() {
		return threshold.length;
	}
}
