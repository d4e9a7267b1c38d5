package org.lesionweighting.tf.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 items 2 and 3: foreign files in a model folder, and one training run per folder at a time. */
class ModelFolderGuardTest {

	@TempDir
	Path dir;

	private Path exportedModelWithUserFile() throws IOException {
		final Path model = Files.createDirectories(dir.resolve("model/saved_model"));
		Files.writeString(model.resolve("saved_model.pb"), "weights of another run");
		Files.writeString(model.resolve("notes.txt"), "the user's notes");
		return model.getParent();
	}

	@Test
	void aNewRunRefusesAFolderWithFilesItDidNotWriteUnlessOverwrite() throws IOException {
		final Path model = exportedModelWithUserFile();
		final IOException e = assertThrows(IOException.class, () -> ModelFolderGuard.acquire("Train", model, false, false));
		assertTrue(e.getMessage().contains("holds files this training run did not write: saved_model") && e.getMessage().contains("overwrite=true"),
				e.getMessage());
		assertFalse(Files.exists(model.resolve(ModelFolderGuard.LOCK_FILE)), "a refused run leaves no lock");
		try (ModelFolderGuard g = ModelFolderGuard.acquire("Train", model, false, true)) {
			assertTrue(Files.exists(model.resolve(ModelFolderGuard.LOCK_FILE)));
		}
		assertFalse(Files.exists(model.resolve(ModelFolderGuard.LOCK_FILE)), "closing removes the lock");
		assertEquals("the user's notes", Files.readString(model.resolve("saved_model/notes.txt")));
	}

	@Test
	void aResumedRunAcceptsItsOwnFilesButNotAUserFileInsideSavedModel() throws IOException {
		final Path model = exportedModelWithUserFile();
		Files.createDirectories(model.resolve(Trainer.TRAINING_FOLDER));
		Files.writeString(model.resolve(Trainer.HISTORY_FILE), "iteration,loss\n");
		Files.writeString(model.resolve(".history.csv.123-ab.part"), "");
		final IOException e = assertThrows(IOException.class, () -> ModelFolderGuard.acquire("Train", model, true, false));
		assertTrue(e.getMessage().contains("did not write: saved_model/notes.txt"), e.getMessage());
		Files.delete(model.resolve("saved_model/notes.txt"));
		ModelFolderGuard.acquire("Train", model, true, false).close();
	}

	@Test
	void aSecondRunFailsAtOnceNamingTheFirstAndAStaleLockIsReplaced() throws Exception {
		final Path model = dir.resolve("model");
		try (ModelFolderGuard first = ModelFolderGuard.acquire("Train", model, false, false)) {
			final IOException e = assertThrows(IOException.class, () -> ModelFolderGuard.acquire("Train", model, false, false));
			assertTrue(e.getMessage().contains("is in use by another training run (process " + ProcessHandle.current().pid()), e.getMessage());
		}
		final Process p = new ProcessBuilder("java", "-version").redirectErrorStream(true).start();
		p.getInputStream().readAllBytes();
		p.waitFor();
		Files.createDirectories(model);
		Files.writeString(model.resolve(ModelFolderGuard.LOCK_FILE), "pid=" + p.pid() + "\nstarted=\nlocked=earlier\n");
		ModelFolderGuard.acquire("Train", model, false, false).close();
		assertFalse(Files.exists(model.resolve(ModelFolderGuard.LOCK_FILE)), "the stale lock of a killed run was replaced, then released");
	}

	@Test
	void aRefusedRunRemovesTheFolderItCreated() throws IOException {
		final Path model = dir.resolve("new-model");
		ModelFolderGuard.acquire("Train", model, false, false).close();
		assertFalse(Files.exists(model));
	}
}
