package org.lesionweighting.tf.data;

/**
 * One sampled training patch (doc/method.md §3.4), all arrays x-fastest over the patch box of size
 * (sx, sy, sz).
 *
 * @param image preprocessed intensities, channel last: index {@code ((z·sy + y)·sx + x)·C + c}
 * @param target binary target 0/1
 * @param weights the per-patch weight map (doc/method.md §1.3), or {@code null} when unweighted
 * @param components the cropped global component labels (0 = background or padding)
 * @param caseIndex index of the case in the sampler's list
 * @param centre the patch centre (x, y, z) in image voxel coordinates
 * @param start the first voxel of the box (centre − size/2); may be negative (padded)
 * @param lesionCentred whether the centre was drawn from a lesion
 */
public record Patch(float[] image, float[] target, float[] weights, int[] components, int caseIndex, int[] centre, int[] start, boolean lesionCentred) {}
