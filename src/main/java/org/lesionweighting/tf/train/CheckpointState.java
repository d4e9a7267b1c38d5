package org.lesionweighting.tf.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.lesionweighting.util.Json;

/**
 * What a checkpoint stores next to the variables ({@link Trainer#STATE_FILE}), written and read in this one place:
 * where the run stands and everything {@link Trainer#resume} needs to continue it exactly.
 *
 * @param iteration iterations done
 * @param seconds training seconds so far, over all sessions
 * @param config the run's configuration
 * @param cases the training cases' names, in order (a resumed run must see the same)
 * @param history one row per iteration
 * @param validation one row per validated epoch
 * @param best the best validation so far, or {@code null}
 * @param plan the dataset plan's map ({@link DatasetPlan#toMap}), or {@code null}
 * @param folder the checkpoint folder it was read from ({@code null} when written)
 */
record CheckpointState(long iteration, double seconds, TrainingConfig config, List< String > cases, List< HistoryRow > history,
		List< ValidationRow > validation, Trainer.Best best, Map< String, Object > plan, Path folder) {

	private static final int FORMAT = 1;

	/** Reads {@code folder/state.json}; {@code folder} is a checkpoint folder. */
	static CheckpointState read(final Path folder) throws IOException {
		final Path file = folder.resolve(Trainer.STATE_FILE);
		final Map< String, Object > s = Json.parseObject(Files.readString(file));
		try {
			final List< HistoryRow > history;
			try {
				history = ((List< ? >) s.getOrDefault("history", List.of())).stream().map(HistoryRow::fromList).toList();
			}
			catch (final IllegalArgumentException e) {
				throw unreadable(file, e);
			}
			final List< ValidationRow > validation = ((List< ? >) s.getOrDefault("validation", List.of())).stream()
					.map(o -> ValidationRow.fromList((List< ? >) o)).toList();
			@SuppressWarnings("unchecked")
			final Map< String, ? > config = (Map< String, ? >) s.get("config");
			final List< String > cases = s.get("cases") instanceof List< ? > l ? l.stream().map(String::valueOf).toList() : null;
			@SuppressWarnings("unchecked")
			final Map< String, Object > plan = s.get("plan") instanceof Map< ?, ? > m ? (Map< String, Object >) m : null;
			return new CheckpointState(((Number) s.get("iteration")).longValue(), ((Number) s.getOrDefault("seconds", 0.0)).doubleValue(),
					TrainingConfig.fromMap(config), cases, history, validation, Trainer.Best.fromMap(s.get("best")), plan, folder);
		}
		catch (final ClassCastException | NullPointerException | IndexOutOfBoundsException e) {
			throw unreadable(file, e);
		}
	}

	private static IOException unreadable(final Path file, final RuntimeException e) {
		return new IOException("Trainer.resume: " + file + " is not a checkpoint state this version can read (" + e + "); start a new run instead of resuming.",
				e);
	}

	/**
	 * The JSON of {@link Trainer#STATE_FILE}. Besides what {@link #read} reads back it records, for a reader, the
	 * planned total, the device, the sampler's seed and the current learning rate.
	 */
	String toJson(final String device, final long samplerSeed) {
		final Map< String, Object > state = Json.object("format", FORMAT, "iteration", iteration, "total_iterations", config.totalIterations(), "seconds",
				seconds, "device", device, "sampler",
				Json.object("seed", Long.toString(samplerSeed), "next_iteration", iteration, "note", "batches are a pure function of (seed, iteration)"),
				"learning_rate", config.learningRateAt(iteration / config.iterationsPerEpoch()), "config", config.toMap(), "cases", cases, "history",
				history.stream().map(HistoryRow::toList).toList(), "validation", validation.stream().map(ValidationRow::toList).toList());
		if (best != null) state.put("best", best.toMap());
		if (plan != null) state.put("plan", plan);
		return Json.write(state);
	}
}
