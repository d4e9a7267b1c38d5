package org.lesionweighting.engine;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lesionweighting.io.RejectedCases;
import org.lesionweighting.tf.data.TrainingDatasets;
import org.lesionweighting.tf.train.ModelFolderGuard;
import org.lesionweighting.tf.train.TrainingChoices;

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
		final Map< String, Object > m = new LinkedHashMap<>();
		m.put("kind", KIND);
		m.put("dataset", dataset.toString());
		m.put("model", model.toString());
		m.put("resume", resume);
		m.put("overwrite", overwrite);
		m.put(RejectedCases.SKIP_KEY, skipBadCases);
		m.put("validation_cases", validationCases);
		m.put("stop_after", stopAfter);
		m.put("session_threads", List.of(intraOpThreads, interOpThreads));
		m.putAll(choices.toJson());
		return m;
	}

	static TrainJob fromJson(final Map< String, ? > json) {
		final int[] threads = { 0, 0 };
		if (json.get("session_threads") instanceof List< ? > t && t.size() == 2) for (int i = 0; i < 2; i++)
			threads[i] = ((Number) t.get(i)).intValue();
		return new TrainJob(EngineJob.path(json, "dataset"), EngineJob.path(json, "model"), TrainingChoices.parse(json), flag(json, "resume"),
				flag(json, "overwrite"),
				flag(json, RejectedCases.SKIP_KEY), number(json, "validation_cases", TrainingDatasets.VALIDATION_CASES_DEFAULT).intValue(),
				number(json, "stop_after", -1).longValue(),
				threads[0], threads[1]);
	}

	private static boolean flag(final Map< String, ? > json, final String key) {
		return Boolean.parseBoolean(String.valueOf(json.get(key)));
	}

	private static Number number(final Map< String, ? > json, final String key, final Number fallback) {
		final Object v = json.get(key);
		return v instanceof Number n ? n : v == null ? fallback : Long.valueOf(v.toString().trim());
	}
}
