package org.lesionweighting.tf.train;

import java.util.List;

/**
 * One row of the training history ({@code history.csv}).
 *
 * @param iteration 1-based count of completed iterations
 * @param loss the loss of that iteration's batch
 * @param learningRate the learning rate used
 * @param seconds wall-clock seconds of training so far, summed over resumed sessions
 */
public record HistoryRow(long iteration, double loss, double learningRate, double seconds) {

	/** The JSON form of the checkpoint and of the worker's history events: {@code [iteration, loss, learning_rate, seconds]}. */
	public List< Object > toList() {
		return List.of(iteration, loss, learningRate, seconds);
	}

	/**
	 * Inverse of {@link #toList()}; the numbers may be any {@link Number} (all {@code Double} after JSON).
	 *
	 * @throws IllegalArgumentException if {@code o} is not a list of four numbers
	 */
	public static HistoryRow fromList(final Object o) {
		if (!(o instanceof List< ? > r) || r.size() != 4 || !r.stream().allMatch(Number.class::isInstance))
			throw new IllegalArgumentException(
					"HistoryRow.fromList: a history row must be four numbers [iteration, loss, learning_rate, seconds], but was " + o + ".");
		return new HistoryRow(((Number) r.get(0)).longValue(), ((Number) r.get(1)).doubleValue(), ((Number) r.get(2)).doubleValue(),
				((Number) r.get(3)).doubleValue());
	}
}
