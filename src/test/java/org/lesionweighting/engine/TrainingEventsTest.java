package org.lesionweighting.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The training event maps and their protocol lines. */
class TrainingEventsTest {

	@Test
	void historyEventSurvivesTheProtocolLine() {
		final Map< String, Object > e = TrainingEvents.history(List.of(List.of(7L, 0.123456789012345, 1e-3, 12.5), List.of(8L, Double.NaN, 1e-3, 13.0)), 100, 10000);
		final String line = WorkerProtocol.PREFIX + WorkerProtocol.toLine(e);
		assertEquals(1, line.lines().count(), "one line");
		final Map< String, Object > back = WorkerProtocol.parse(line);
		assertEquals("history", TrainingEvents.type(back));
		final List< double[] > rows = TrainingEvents.rows(back);
		assertArrayEquals(new double[] { 7, 0.123456789012345, 1e-3, 12.5 }, rows.get(0), 0, "doubles exactly");
		assertTrue(Double.isNaN(rows.get(1)[1]), "a non-finite loss is kept");
		assertEquals(100.0, TrainingEvents.number(back, "iterations_per_epoch", -1));
		assertEquals(10000.0, TrainingEvents.number(back, "total_iterations", -1));
	}

	@Test
	void validationEventSurvivesTheProtocolLine() {
		final Map< String, Object > back = WorkerProtocol.parse(WorkerProtocol.PREFIX + WorkerProtocol.toLine(TrainingEvents.validation(2, 300, 0.61)));
		assertEquals("validation", TrainingEvents.type(back));
		assertEquals(2.0, TrainingEvents.number(back, "epoch", -1));
		assertEquals(300.0, TrainingEvents.number(back, "iteration", -1));
		assertEquals(0.61, TrainingEvents.number(back, "dice", -1));
	}

	@Test
	void rowsOfAnotherEventTypeAreRejected() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingEvents.rows(TrainingEvents.validation(0, 1, 0.5)));
		assertTrue(e.getMessage().contains("history") && e.getMessage().contains("validation"), e.getMessage());
	}

	@Test
	void aMalformedRowIsRejected() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingEvents.rows(Map.of("type", "history", "rows", List.of(List.of(1.0, 0.5)))));
		assertTrue(e.getMessage().contains("[iteration, loss, learning_rate, seconds]"), e.getMessage());
	}
}
