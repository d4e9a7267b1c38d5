package org.lesionweighting.tf.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.util.Json;

/** The checkpoint's state file: written and read back in one place, older files still read. */
class CheckpointStateTest {

	@Test
	void whatIsWrittenIsReadBack(@TempDir final Path dir) throws IOException {
		final TrainingConfig config = new TrainingConfig().epochs(7).seed(42);
		final CheckpointState s = new CheckpointState(30, 12.5, config, List.of("case_b", "case_a"),
				List.of(new HistoryRow(29, 0.75, 0.01, 12.0), new HistoryRow(30, 0.5, 0.01, 12.5)),
				List.of(new ValidationRow(0, 0.25, 0.5, 0.375), new ValidationRow(1, 0.5, 0.25, 0.375)),
				new Trainer.Best(new ValidationRow(0, 0.25, 0.5, 0.375), 10),
				Map.of("target_spacing", List.of(1.0, 1.0, 2.0)), null);
		Files.writeString(dir.resolve(Trainer.STATE_FILE), s.toJson("CPU", 42));
		final CheckpointState back = CheckpointState.read(dir);
		assertEquals(new CheckpointState(s.iteration(), s.seconds(), back.config(), s.cases(), s.history(), s.validation(), s.best(), s.plan(), dir), back);
		assertEquals(config.toMap(), back.config().toMap());
		final Map< String, Object > json = Json.parseObject(Files.readString(dir.resolve(Trainer.STATE_FILE)));
		assertEquals(List.of("format", "iteration", "total_iterations", "seconds", "device", "sampler", "learning_rate", "config", "cases", "history",
				"validation", "best", "plan"), List.copyOf(json.keySet()));
		assertEquals("42", ((Map< ?, ? >) json.get("sampler")).get("seed"));
	}

	@Test
	void validationRowsOfOlderCheckpointsGetNaNForWhatTheyLack(@TempDir final Path dir) throws IOException {
		Files.writeString(dir.resolve(Trainer.STATE_FILE),
				Json.write(Map.of("iteration", 4, "config", new TrainingConfig().toMap(), "validation", List.of(List.of(0.0, 0.5)))));
		final CheckpointState s = CheckpointState.read(dir);
		assertEquals(4, s.iteration());
		assertEquals(0.0, s.seconds());
		assertEquals(0.5, s.validation().get(0).voxelDice());
		assertTrue(Double.isNaN(s.validation().get(0).lesionF1()) && Double.isNaN(s.validation().get(0).score()));
		assertNull(s.best());
		assertNull(s.plan());
		assertNull(s.cases());
		assertEquals(List.of(), s.history());
	}

	@Test
	void aStateThatIsNotACheckpointIsAnIOExceptionThatSaysWhatToDo(@TempDir final Path dir) throws IOException {
		Files.writeString(dir.resolve(Trainer.STATE_FILE), "{\"iteration\": \"four\"}");
		final IOException e = assertThrows(IOException.class, () -> CheckpointState.read(dir));
		assertTrue(e.getMessage().contains(Trainer.STATE_FILE) && e.getMessage().contains("start a new run"), e.getMessage());
		Files.writeString(dir.resolve(Trainer.STATE_FILE),
				Json.write(Map.of("iteration", 4, "config", new TrainingConfig().toMap(), "history", List.of(List.of(1, "x", 0, 0)))));
		final IOException row = assertThrows(IOException.class, () -> CheckpointState.read(dir));
		assertTrue(row.getMessage().contains("start a new run") && row.getMessage().contains("four numbers"), row.getMessage());
	}
}
