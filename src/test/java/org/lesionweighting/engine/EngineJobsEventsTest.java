package org.lesionweighting.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.fiji.TestDatasets;
import org.lesionweighting.tf.train.HistoryRow;
import org.lesionweighting.tf.train.Trainer;

/** The in-process engine's training events ({@link TrainingEvent}) against history.csv and validation.csv. */
class EngineJobsEventsTest {

	/** A tiny train job: one training and one validation case, 2 epochs × 2 iterations, one thread. */
	static Map< String, Object > job(final Path dataset, final Path model) {
		final Map< String, Object > job = TestDatasets.tinyTrainJob(dataset, model, 2, 2);
		job.put("validation_cases", 1);
		return job;
	}

	/** The rows of all history events, each "iteration,loss,learning_rate" as history.csv writes them. */
	static List< String > eventRows(final List< TrainingEvent > events) {
		final List< String > out = new ArrayList<>();
		for (final TrainingEvent e : events)
			if (e instanceof TrainingEvent.History h) for (final HistoryRow r : h.rows())
				out.add(r.iteration() + "," + r.loss() + "," + r.learningRate());
		return out;
	}

	private static List< String > types(final List< TrainingEvent > events) {
		return events.stream().map(e -> (String) e.toMap().get("type")).toList();
	}

	/** history.csv without header and seconds column (it must have {@code n} rows). */
	static List< String > csvRows(final Path model, final int n) throws Exception {
		final List< String > lines = Files.readAllLines(model.resolve(Trainer.HISTORY_FILE));
		assertEquals(n + 1, lines.size());
		final List< String > out = new ArrayList<>();
		for (final String l : lines.subList(1, n + 1))
			out.add(l.substring(0, l.lastIndexOf(',')));
		return out;
	}

	/**
	 * One run in two sessions (3 iterations, then resume for the 4th): the events of each session are history.csv
	 * and validation.csv, and the resumed session starts with the restored rows in one event. (One test for both,
	 * to train the tiny network only once.)
	 */
	@Test
	void eventsAreTheHistoryAndValidationCsvAndAResumeStartsWithTheRestoredRowsInOneEvent(@TempDir final Path dir) throws Exception {
		final Path model = dir.resolve("model");
		final Map< String, Object > job = job(TestDatasets.twoTinyCases(dir), model);
		job.put("stop_after", 3);
		final List< TrainingEvent > first = new ArrayList<>();
		assertEquals("stopped", EngineJobs.run(EngineJob.fromJson(job), null, null, null, first::add).get("status"));
		// start (no rows), row 1, row 2, validation of epoch 0, row 3
		assertEquals(List.of("history", "history", "history", "validation", "history"), types(first));
		assertEquals(new TrainingEvent.History(List.of(), 2, 4), first.get(0));
		assertEquals(csvRows(model, 3), eventRows(first));
		assertValidationIsTheCsv(first.get(3), 0, model);

		job.remove("stop_after");
		job.put("resume", true);
		final List< TrainingEvent > second = new ArrayList<>();
		assertEquals("finished", EngineJobs.run(EngineJob.fromJson(job), null, null, null, second::add).get("status"));
		// the 3 restored rows in one event, the restored validation of epoch 0, row 4, validation of epoch 1
		assertEquals(List.of("history", "validation", "history", "validation"), types(second));
		assertEquals(eventRows(first), eventRows(List.of(second.get(0))));
		assertEquals(first.get(3), second.get(1), "the restored validation");
		assertEquals(4, ((TrainingEvent.History) second.get(2)).rows().get(0).iteration());
		assertEquals(csvRows(model, 4), eventRows(second), "the whole history");
		assertValidationIsTheCsv(second.get(1), 0, model);
		assertValidationIsTheCsv(second.get(3), 1, model);
	}

	private static void assertValidationIsTheCsv(final TrainingEvent e, final int epoch, final Path model) throws Exception {
		final TrainingEvent.Validation v = (TrainingEvent.Validation) e;
		assertEquals(epoch, v.epoch());
		assertEquals(2L * (epoch + 1), v.iteration());
		final double dice = v.dice();
		assertTrue(dice >= 0 && dice <= 1, "a Dice: " + dice);
		assertTrue(Files.readAllLines(model.resolve(Trainer.VALIDATION_FILE)).get(epoch + 1).startsWith(epoch + "," + dice + ","),
				"the event carries the voxel Dice of validation.csv");
	}
}
