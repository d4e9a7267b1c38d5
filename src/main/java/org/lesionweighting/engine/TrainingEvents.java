package org.lesionweighting.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training events that the engine streams while a {@code train} job runs (in this JVM or in the worker,
 * where they are protocol lines of the same {@code type}, see {@link WorkerProtocol}): JSON-compatible maps
 * <ul>
 * <li>{@value #HISTORY}: {@code {"type":"history","rows":[[iteration, loss, learning_rate, seconds], ...],
 * "iterations_per_epoch":100,"total_iterations":10000}}, once at the start with the rows restored on resume
 * (possibly none), then once per iteration with the new row. The rows are those of {@code history.csv}.</li>
 * <li>{@value #VALIDATION}: {@code {"type":"validation","epoch":0,"iteration":100,"dice":0.61}}, after each
 * epoch's validation (0-based epoch as in {@code validation.csv}; restored entries follow the first history
 * event on resume).</li>
 * </ul>
 * Numbers are {@link Number}s: in this JVM {@code Long} for counts and {@code Double} otherwise; after the
 * worker's JSON lines all are {@code Double}. Read them with {@link #rows} and {@link #number}.
 * <p>
 * This class loads no TensorFlow class (it is on the worker path of Fiji's JVM).
 */
public final class TrainingEvents {

	/** Type of a history event. */
	public static final String HISTORY = "history";

	/** Type of a validation event. */
	public static final String VALIDATION = "validation";

	private TrainingEvents() {}

	/**
	 * A history event.
	 *
	 * @param rows rows of {@code [iteration, loss, learning_rate, seconds]}
	 * @param iterationsPerEpoch the run's iterations per epoch
	 * @param totalIterations the run's planned iterations
	 * @return a new map with {@code type, rows, iterations_per_epoch, total_iterations}
	 */
	public static Map< String, Object > history(final List< List< Object > > rows, final int iterationsPerEpoch, final long totalIterations) {
		final Map< String, Object > m = new LinkedHashMap<>();
		m.put("type", HISTORY);
		m.put("rows", rows);
		m.put("iterations_per_epoch", iterationsPerEpoch);
		m.put("total_iterations", totalIterations);
		return m;
	}

	/**
	 * A validation event.
	 *
	 * @param epoch the 0-based epoch
	 * @param iteration the completed iterations
	 * @param dice the mean validation Dice
	 * @return a new map with {@code type, epoch, iteration, dice}
	 */
	public static Map< String, Object > validation(final int epoch, final long iteration, final double dice) {
		final Map< String, Object > m = new LinkedHashMap<>();
		m.put("type", VALIDATION);
		m.put("epoch", epoch);
		m.put("iteration", iteration);
		m.put("dice", dice);
		return m;
	}

	/** The event's {@code type}, or {@code ""} when missing. */
	public static String type(final Map< String, ? > event) {
		final Object t = event == null ? null : event.get("type");
		return t == null ? "" : t.toString();
	}

	/**
	 * The rows of a history event.
	 *
	 * @param event a {@value #HISTORY} event
	 * @return one {@code [iteration, loss, learning_rate, seconds]} array per row (empty if the event has none)
	 * @throws IllegalArgumentException if the event is not a history event or a row is not four numbers
	 */
	public static List< double[] > rows(final Map< String, ? > event) {
		if (!HISTORY.equals(type(event)))
			throw new IllegalArgumentException(
					"TrainingEvents.rows: the event must have type '" + HISTORY + "', but was '" + type(event) + "'; check the type before reading rows.");
		final List< double[] > out = new ArrayList<>();
		if (!(event.get("rows") instanceof List< ? > rows)) return out;
		for (final Object o : rows) {
			if (!(o instanceof List< ? > r) || r.size() != 4)
				throw new IllegalArgumentException("TrainingEvents.rows: a history row must be [iteration, loss, learning_rate, seconds], but was " + o + ".");
			final double[] d = new double[4];
			for (int i = 0; i < 4; i++)
				d[i] = toDouble(r.get(i), o);
			out.add(d);
		}
		return out;
	}

	/**
	 * A numeric field of an event.
	 *
	 * @param event the event
	 * @param key the field, e.g. {@code dice} or {@code iterations_per_epoch}
	 * @param fallback returned when the field is missing or not a number
	 */
	public static double number(final Map< String, ? > event, final String key, final double fallback) {
		return event != null && event.get(key) instanceof Number n ? n.doubleValue() : fallback;
	}

	private static double toDouble(final Object v, final Object row) {
		if (v instanceof Number n) return n.doubleValue();
		throw new IllegalArgumentException("TrainingEvents.rows: a history row must hold four numbers, but was " + row + ".");
	}
}
