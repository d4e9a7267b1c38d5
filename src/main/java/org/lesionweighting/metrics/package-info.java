/**
 * Lesion-wise evaluation of Shirokikh et al. (doc/method.md §5): per-image lesion/prediction records, FROC,
 * average recall over 0–5 false positives per image, object Dice, small-lesion subsets and bootstrap.
 */
package org.lesionweighting.metrics;
