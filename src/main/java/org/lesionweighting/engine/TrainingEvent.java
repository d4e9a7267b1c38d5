package org.lesionweighting.engine;

import java.util.List;
import java.util.Map;

import org.lesionweighting.tf.train.HistoryRow;
import org.lesionweighting.util.Json;

/**
 * An event that the engine streams while a {@code train} job runs, the same in this JVM and from the worker. Across
 * the worker's process boundary an event is a {@link WorkerProtocol} line of the same {@code type}; {@link #toMap()}
 * and {@link #fromMap} are the one place of that form:
 * <ul>
 * <li>{@link History}: {@code {"type":"history","rows":[[iteration, loss, learning_rate, seconds], ...],
 * "iterations_per_epoch":100,"total_iterations":10000}}, once at the start with the rows restored on resume
 * (possibly none), then once per iteration with the new row. The rows are those of {@code history.csv}.</li>
 * <li>{@link Validation}: {@code {"type":"validation","epoch":0,"iteration":100,"dice":0.61}}, after each epoch's
 * validation (0-based epoch as in {@code validation.csv}; restored entries follow the first history event on
 * resume).</li>
 * </ul>
 * This type loads no TensorFlow class (it is on the worker path of Fiji's JVM).
 */
public sealed interface TrainingEvent {

	/** The {@code type} of a {@link History} line. */
	String HISTORY = "history";

	/** The {@code type} of a {@link Validation} line. */
	String VALIDATION = "validation";

	/**
	 * Loss history rows.
	 *
	 * @param rows the new rows (copied)
	 * @param iterationsPerEpoch the run's iterations per epoch
	 * @param totalIterations the run's planned iterations
	 */
	record History(List< HistoryRow > rows, int iterationsPerEpoch, long totalIterations) implements TrainingEvent {

		public History {
			rows = List.copyOf(rows);
		}

		@Override
		public Map< String, Object > toMap() {
			return Json.object("type", HISTORY, "rows", rows.stream().map(HistoryRow::toList).toList(), "iterations_per_epoch", iterationsPerEpoch,
					"total_iterations", totalIterations);
		}
	}

	/**
	 * One epoch's validation.
	 *
	 * @param epoch the 0-based epoch
	 * @param iteration the completed iterations
	 * @param dice the mean validation voxel Dice
	 */
	record Validation(int epoch, long iteration, double dice) implements TrainingEvent {

		@Override
		public Map< String, Object > toMap() {
			return Json.object("type", VALIDATION, "epoch", epoch, "iteration", iteration, "dice", dice);
		}
	}

	/** The protocol form: a JSON-compatible map with {@code type}. */
	Map< String, Object > toMap();

	/**
	 * Inverse of {@link #toMap()} (numbers may arrive as any {@link Number}, e.g. all {@code Double} after JSON).
	 *
	 * @throws IllegalArgumentException if the map is not a training event or a field is missing or not a number
	 */
	static TrainingEvent fromMap(final Map< String, ? > m) {
		final Object type = m == null ? null : m.get("type");
		if (HISTORY.equals(type))
			return new History(m.get("rows") instanceof List< ? > list ? list.stream().map(HistoryRow::fromList).toList() : List.of(),
					(int) number(m, "iterations_per_epoch"), (long) number(m, "total_iterations"));
		if (VALIDATION.equals(type)) return new Validation((int) number(m, "epoch"), (long) number(m, "iteration"), number(m, "dice"));
		throw new IllegalArgumentException("TrainingEvent.fromMap: the type must be '" + HISTORY + "' or '" + VALIDATION + "', but was '" + type
				+ "'; other protocol lines are not training events.");
	}

	private static double number(final Map< String, ? > m, final String key) {
		if (m.get(key) instanceof Number n) return n.doubleValue();
		throw new IllegalArgumentException(
				"TrainingEvent.fromMap: the " + m.get("type") + " event's '" + key + "' must be a number, but was " + m.get(key) + ".");
	}
}
