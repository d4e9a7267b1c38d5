package org.lesionweighting.metrics;

import java.util.List;

/**
 * Evaluation of one image: its lesion-wise records (doc/method.md §5.1) and the voxel-wise Dice.
 *
 * @param image image identifier
 * @param records lesion rows (labels 1..numLesions) followed by prediction rows (1..numPredictions)
 * @param numLesions number of ground-truth components
 * @param numPredictions number of predicted components
 * @param truthVoxels voxels with truth > 0.5
 * @param predictedVoxels voxels with probability > 0.5
 * @param overlapVoxels voxels in both
 * @param voxelDice 2·overlap / (truth + predicted); 1 when both masks are empty (dpipe's {@code fraction})
 */
public record ImageEvaluation(String image, List< LesionRecord > records, int numLesions, int numPredictions, long truthVoxels, long predictedVoxels,
		long overlapVoxels, double voxelDice) {

	/** Makes the record list unmodifiable. */
	public ImageEvaluation {
		records = List.copyOf(records);
	}
}
