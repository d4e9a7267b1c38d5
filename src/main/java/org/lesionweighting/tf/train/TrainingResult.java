package org.lesionweighting.tf.train;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of {@link Trainer#run()}.
 *
 * @param status how the session ended
 * @param iterations completed iterations of the run (all sessions)
 * @param totalIterations the planned iterations
 * @param history loss history of the whole run
 * @param validation the lesion-wise validation per epoch of the whole run; empty without validation cases
 * @param modelFolder the model folder
 * @param device the device actually used, as reported
 */
public record TrainingResult(Status status, long iterations, long totalIterations, List< HistoryRow > history, List< ValidationRow > validation,
		Path modelFolder, String device) {

	/** How a training session ended. */
	public enum Status {
		/** All iterations done; the SavedModel was exported. */
		FINISHED,
		/** Cancelled between steps; a checkpoint was written and the folder is resumable. */
		CANCELLED,
		/** Stopped after {@link TrainingConfig#stopAfter(long)} iterations; resumable. */
		STOPPED
	}

	/** The mean loss of the last {@code n} history rows (NaN without history). */
	public double meanLoss(final int n) {
		if (history.isEmpty()) return Double.NaN;
		double s = 0;
		final int from = Math.max(0, history.size() - n);
		for (int i = from; i < history.size(); i++)
			s += history.get(i).loss();
		return s / (history.size() - from);
	}
}
