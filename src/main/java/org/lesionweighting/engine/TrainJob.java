package org.lesionweighting.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.lesionweighting.io.RejectedCases;
import org.lesionweighting.tf.data.TrainingDatasets;
import org.lesionweighting.tf.train.ModelFolderGuard;
import org.lesionweighting.tf.train.TrainingChoices;
import org.lesionweighting.util.Json;

/**
 * Train the U-Net on a dataset folder into a model folder ({@link EngineJobs}): the dataset plan with the given
 * {@link TrainingChoices}, or the stored settings when resuming. Result map: {@code status, iterations, loss_at_end,
 * device, skipped_cases, config, plan, validation_held_out} ({@link EngineJobs}); events while it runs: {@link TrainingEvent}.
 *
 * @param dataset the dataset folder (nnU-Net raw or images/labels)
 * @param model the model folder
 * @param choices the training settings ({@code auto} = the plan's); ignored when resuming
 * @param resume continue the run stored in the model folder
 * @param overwrite train into a folder holding other files ({@link ModelFolderGuard})
 * @param skipBadCases train without the cases the dataset check rejects ({@link RejectedCases})
 * @param validationCases held-out validation cases ({@link TrainingDatasets#VALIDATION_AUTO} = automatic)
 * @param stopAfter stop this session after that many iterations, resumable; -1 = off
 * @param intraOpThreads TensorFlow's intra-op threads, 0 = its choice (1 and 1 for bitwise repeatable tests)
 * @param interOpThreads TensorFlow's inter-op threads, 0 = its choice
 */
public record TrainJob(Path dataset, Path model, TrainingChoices choices, boolean resume, boolean overwrite, boolean skipBadCases, int validationCases,
		long stopAfter, int intraOpThreads, int interOpThreads) implements EngineJob {

	static final String KIND = "train";

	/** A new training run with the defaults: automatic validation, no stop, TensorFlow's threads. */
	public TrainJob(final Path dataset, final Path model, final TrainingChoices choices) {
		this(dataset, model, choices, false, false, false, TrainingDatasets.VALIDATION_CASES_DEFAULT, -1, 0, 0);
	}

	/** Required fields checked; the numbers as the trainer checks them. */
	public TrainJob {
		if (dataset == null || model == null || choices == null)
			throw new IllegalArgumentException("Train Lesion Segmenter: dataset and model folders are required.");
		if (stopAfter == 0 || stopAfter < -1)
			throw new IllegalArgumentException("Train Lesion Segmenter: stop_after must be ≥ 1 or -1 (off), but was " + stopAfter + ".");
	}

	@Override
	public Map< String, Object > toJson() {
		final Map< String, Object > m = Json.object("kind", KIND, "dataset", dataset.toString(), "model", model.toString(), "resume", resume,
				"overwrite", overwrite, RejectedCases.SKIP_KEY, skipBadCases, "validation_cases", validationCases, "stop_after", stopAfter, "session_threads",
				List.of(intraOpThreads, interOpThreads));
		m.putAll(choices.toJson());
		return m;
	}
}
