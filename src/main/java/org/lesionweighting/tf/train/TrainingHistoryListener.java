package org.lesionweighting.tf.train;

import java.util.List;

/**
 * Receives the numeric training history of a {@link Trainer} run as it grows, e.g. for a live loss plot
 * (the Fiji command's {@code fiji.train.LossPlot}) or to stream it to another process.
 * <p>
 * Order of calls during {@link Trainer#run()}:
 * <ol>
 * <li>once at the start (after the checks, before the first step): {@link #rows} with the rows restored from
 * the checkpoint on resume (empty for a new run), then {@link #validation} for each restored validation
 * entry, so that a resumed run's listener sees the whole history;</li>
 * <li>after every iteration: {@link #rows} with a list of exactly the new row;</li>
 * <li>after each epoch's validation (only with validation cases): {@link #validation}.</li>
 * </ol>
 * When the run ends, the rows received are exactly the rows of {@code history.csv} (same iterations, losses,
 * learning rates; {@code history.csv} rounds the seconds to milliseconds). One exception: a run that fails
 * because the loss became non-finite reports that last row, which is not checkpointed.
 * <p>
 * Threading: called on the training thread (the thread of {@link Trainer#run()}), never concurrently; a
 * slow listener slows the training, so hand heavy work (drawing) to another thread.
 * <p>
 * Errors: a {@link RuntimeException} thrown by a call is caught by the trainer, reported once through its
 * {@link org.lesionweighting.util.ProgressListener#status progress listener}, and the listener is not called
 * again during that run. Training, checkpoints and {@code history.csv} are unaffected. (Cancel through
 * {@link Trainer#cancelWhen}, not by throwing.)
 */
public interface TrainingHistoryListener {

	/**
	 * New history rows, oldest first.
	 *
	 * @param rows an unmodifiable list; at the start the restored rows (possibly empty), later one row per call
	 */
	void rows(List< HistoryRow > rows);

	/**
	 * The validation voxel Dice of an epoch (only with validation cases; the lesion F1 and the selection score are in
	 * {@link TrainingResult#validation()} and validation.csv). The default
	 * implementation ignores it.
	 *
	 * @param epoch the 0-based epoch that just ended, as in {@code validation.csv}
	 * @param iteration the completed iterations at that point ({@code (epoch + 1) * iterationsPerEpoch})
	 * @param dice the mean Dice over the validation cases, in [0, 1]
	 */
	default void validation(final int epoch, final long iteration, final double dice) {}
}
