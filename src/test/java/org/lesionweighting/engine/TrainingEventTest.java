package org.lesionweighting.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lesionweighting.tf.train.HistoryRow;

/** The training events and their protocol lines. */
class TrainingEventTest {

	private static TrainingEvent throughTheProtocol(final TrainingEvent e) {
		final String line = WorkerProtocol.PREFIX + WorkerProtocol.toLine(e.toMap());
		assertEquals(1, line.lines().count(), "one line");
		return TrainingEvent.fromMap(WorkerProtocol.parse(line));
	}

	@Test
	void historyEventSurvivesTheProtocolLine() {
		final TrainingEvent.History e = new TrainingEvent.History(
				List.of(new HistoryRow(7, 0.123456789012345, 1e-3, 12.5), new HistoryRow(8, Double.NaN, 1e-3, 13.0)), 100, 10000);
		final TrainingEvent.History back = (TrainingEvent.History) throughTheProtocol(e);
		assertEquals(e, back, "doubles exactly, and a non-finite loss is kept (NaN equals NaN in a record)");
		assertTrue(Double.isNaN(back.rows().get(1).loss()));
		assertEquals(List.of("type", "rows", "iterations_per_epoch", "total_iterations"), List.copyOf(e.toMap().keySet()));
	}

	@Test
	void validationEventSurvivesTheProtocolLine() {
		final TrainingEvent.Validation e = new TrainingEvent.Validation(2, 300, 0.61);
		assertEquals(e, throughTheProtocol(e));
		assertEquals(Map.of("type", "validation", "epoch", 2, "iteration", 300L, "dice", 0.61), e.toMap());
	}

	@Test
	void otherLinesAreNotEvents() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingEvent.fromMap(Map.of("type", "status")));
		assertTrue(e.getMessage().contains("history") && e.getMessage().contains("validation") && e.getMessage().contains("'status'"), e.getMessage());
	}

	@Test
	void aMalformedEventIsRejected() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> TrainingEvent.fromMap(Map.of("type", "history", "rows", List.of(List.of(1.0, 0.5)), "iterations_per_epoch", 1, "total_iterations", 1)));
		assertTrue(e.getMessage().contains("[iteration, loss, learning_rate, seconds]"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> TrainingEvent.fromMap(Map.of("type", "validation", "epoch", 0, "iteration", 1)));
		assertTrue(e.getMessage().contains("'dice'"), e.getMessage());
	}

	@Test
	void rowsAreCopied() {
		final java.util.ArrayList< HistoryRow > rows = new java.util.ArrayList<>(List.of(new HistoryRow(1, 1, 1, 1)));
		final TrainingEvent.History h = new TrainingEvent.History(rows, 1, 1);
		rows.clear();
		assertEquals(1, h.rows().size());
	}
}
