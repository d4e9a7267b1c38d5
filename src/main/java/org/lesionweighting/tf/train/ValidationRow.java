package org.lesionweighting.tf.train;

import java.util.List;
import java.util.Map;

import org.lesionweighting.util.Json;

/**
 * One epoch's lesion-wise validation (a row of {@code validation.csv}).
 *
 * @param epoch 0-based epoch
 * @param voxelDice mean voxel Dice of the validation cases
 * @param lesionF1 pooled one-to-one lesion F1
 * @param score the mean of the two, which selects the model
 */
public record ValidationRow(long epoch, double voxelDice, double lesionF1, double score) {

	/** The checkpoint's form: {@code [epoch, voxel Dice, F1, score]}. */
	List< Object > toList() {
		return List.of(epoch, voxelDice, lesionF1, score);
	}

	/** The model metadata's form: keys {@code epoch, voxel_dice, lesion_f1, score}. */
	Map< String, Object > toMap() {
		return Json.object("epoch", epoch, "voxel_dice", voxelDice, "lesion_f1", lesionF1, "score", score);
	}

	/** Inverse of {@link #toList()}; values missing from rows of older checkpoints are NaN. */
	static ValidationRow fromList(final List< ? > r) {
		final double[] v = { Double.NaN, Double.NaN, Double.NaN };
		for (int i = 1; i < Math.min(4, r.size()); i++)
			v[i - 1] = ((Number) r.get(i)).doubleValue();
		return new ValidationRow(((Number) r.get(0)).longValue(), v[0], v[1], v[2]);
	}
}
