package org.lesionweighting.metrics;

/**
 * Recall of the ground-truth lesions whose diameter lies in [lower, upper) at one threshold.
 *
 * @param lower lower diameter bound (inclusive)
 * @param upper upper diameter bound (exclusive; may be +∞)
 * @param lesions number of lesions in the bin
 * @param detected number of them detected (true positives)
 * @param recall detected / lesions, NaN for an empty bin
 */
public record SizeBin(double lower, double upper, int lesions, int detected, double recall) {}
