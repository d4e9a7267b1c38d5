package org.lesionweighting.fiji.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.fiji.TestDatasets;
import org.lesionweighting.tf.model.SavedModels;
import org.lesionweighting.tf.train.ModelFolderGuard;
import org.lesionweighting.tf.train.Trainer;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;

import ij.WindowManager;

/** The command end to end on a tiny NIfTI dataset folder (images/, labels/), headless. */
class TrainLesionSegmenterCommandTest {

	private static Context ctx;

	@BeforeAll
	static void context() {
		ctx = new Context();
		ctx.service(LogService.class).setLevel("org.scijava", LogLevel.NONE);
	}

	@AfterAll
	static void dispose() {
		ctx.dispose();
	}

	private static CommandModule run(final Object... inputs) throws Exception {
		return ctx.service(CommandService.class).run(TrainLesionSegmenterCommand.class, true, inputs).get();
	}

	@Test
	void trainsAndExportsAModel(@TempDir final Path dir) throws Exception {
		final Path model = dir.resolve("model");
		final CommandModule m = run("dataset", TestDatasets.twoTinyCases(dir).toFile(), "model", model.toFile(), "preset", "small", "patch_size", "8",
				"batch_size", 1, "epochs", 2, "iterations_per_epoch", 2, "device", "cpu", "optimizer", "adam", "learning_rate", 1e-3);
		assertEquals("finished", m.getOutput("training_status"));
		assertEquals(4L, m.getOutput("iterations_done"));
		assertTrue(Double.isFinite((Double) m.getOutput("loss_at_end")));
		assertTrue(SavedModels.isSavedModel(model.resolve(SavedModels.FOLDER_DEFAULT)));
		assertEquals(5, Files.readAllLines(model.resolve(Trainer.HISTORY_FILE)).size());
		// the learning rate drops after 80 % of the epochs (after epoch 1 of 2: never)
		assertTrue(Files.readAllLines(model.resolve(Trainer.HISTORY_FILE)).get(4).contains(",0.001,"),
				Files.readAllLines(model.resolve(Trainer.HISTORY_FILE)).get(4));
		// a second run into the same folder is refused; resume=true continues (here: nothing left, re-export)
		final ExecutionException e = assertThrows(ExecutionException.class,
				() -> run("dataset", TestDatasets.twoTinyCases(dir).toFile(), "model", model.toFile(), "preset", "small", "patch_size", "8"));
		assertTrue(rootMessage(e).contains("already holds a training run"), rootMessage(e));
		assertEquals("finished", run("dataset", TestDatasets.twoTinyCases(dir).toFile(), "model", model.toFile(), "resume", true).getOutput("training_status"));
	}

	@Test
	void withTheLivePlotHeadlessTrainingWritesTheWholeHistoryAndOpensNoWindow(@TempDir final Path dir) throws Exception {
		final Path model = dir.resolve("model");
		final CommandModule m = run("dataset", TestDatasets.twoTinyCases(dir).toFile(), "model", model.toFile(), "preset", "small", "patch_size", "8",
				"batch_size", 1, "epochs", 1, "iterations_per_epoch", 3, "device", "cpu", "optimizer", "adam", "learning_rate", 1e-3, "show_plot", true);
		assertEquals("finished", m.getOutput("training_status"));
		final List< String > history = Files.readAllLines(model.resolve(Trainer.HISTORY_FILE));
		assertEquals(4, history.size());
		for (int i = 1; i < 4; i++) {
			final String[] f = history.get(i).split(",");
			assertEquals(Integer.toString(i), f[0]);
			assertTrue(Double.isFinite(Double.parseDouble(f[1])), history.get(i));
			assertEquals("0.001", f[2]);
		}
		assertEquals(0, WindowManager.getWindowCount(), "no plot window headless");
	}

	@Test
	void missingDatasetFolderFailsClearly(@TempDir final Path dir) {
		final ExecutionException e = assertThrows(ExecutionException.class,
				() -> run("dataset", dir.resolve("nothing").toFile(), "model", dir.resolve("m").toFile(), "preset", "small", "patch_size", "8"));
		assertTrue(rootMessage(e).contains("nothing") && rootMessage(e).contains("dataset"), rootMessage(e));
	}

	@Test
	void badPatchSizeFailsClearly(@TempDir final Path dir) throws Exception {
		final ExecutionException e = assertThrows(ExecutionException.class,
				() -> run("dataset", TestDatasets.twoTinyCases(dir).toFile(), "model", dir.resolve("m").toFile(), "preset", "small", "patch_size", "8x8"));
		assertTrue(rootMessage(e).contains("patch_size"), rootMessage(e));
	}

	private static Object[] tinyRun(final Path dataset, final Path model, final Object... more) {
		final Object[] base = { "dataset", dataset.toFile(), "model", model
				.toFile(), "preset", "small", "patch_size", "8", "batch_size", 1, "epochs", 1, "iterations_per_epoch", 1, "device", "cpu", "optimizer", "adam", "learning_rate", 1e-3 };
		final Object[] all = java.util.Arrays.copyOf(base, base.length + more.length);
		System.arraycopy(more, 0, all, base.length, more.length);
		return all;
	}

	/** Issue 15 item 2: training into a folder with an exported model but no checkpoint replaced it and deleted a user file. */
	@Test
	void aFolderWithAnExportedModelIsRefusedUnlessOverwrite(@TempDir final Path dir) throws Exception {
		final Path model = Files.createDirectories(dir.resolve("model/saved_model")).getParent();
		Files.writeString(model.resolve("saved_model/saved_model.pb"), "another model");
		Files.writeString(model.resolve("saved_model/notes.txt"), "mine");
		final ExecutionException e = assertThrows(ExecutionException.class, () -> run(tinyRun(TestDatasets.twoTinyCases(dir), model)));
		assertTrue(rootMessage(e).contains("holds files this training run did not write: saved_model"), rootMessage(e));
		assertEquals("another model", Files.readString(model.resolve("saved_model/saved_model.pb")));
		assertEquals("mine", Files.readString(model.resolve("saved_model/notes.txt")));
		assertEquals("finished", run(tinyRun(dir.resolve("dataset"), model, "overwrite", true)).getOutput("training_status"));
		assertTrue(SavedModels.isSavedModel(model.resolve(SavedModels.FOLDER_DEFAULT)));
	}

	/** Issue 15 item 3: two trainings into one model folder both reported success. */
	@Test
	void aFolderLockedByARunningTrainingIsRefusedNamingIt(@TempDir final Path dir) throws Exception {
		final Path model = Files.createDirectories(dir.resolve("model"));
		final long other = ProcessHandle.current().parent().orElseThrow().pid();
		final String started = ProcessHandle.current().parent().get().info().startInstant().map(Object::toString).orElse("");
		Files.writeString(model.resolve(ModelFolderGuard.LOCK_FILE), "pid=" + other + "\nstarted=" + started + "\nlocked=now\n");
		final ExecutionException e = assertThrows(ExecutionException.class, () -> run(tinyRun(TestDatasets.twoTinyCases(dir), model)));
		assertTrue(rootMessage(e).contains("is in use by another training run (process " + other), rootMessage(e));
		assertFalse(Files.exists(model.resolve(Trainer.HISTORY_FILE)), "nothing was trained");
	}

	/** Issue 15 item 8: with a wrongly shaped label and an unreadable image among 3 cases, training went on with 1 case. */
	@Test
	void rejectedCasesFailTheRunUnlessSkippedAndAreListed(@TempDir final Path dir) throws Exception {
		final Path ds = TestDatasets.twoTinyCases(dir);
		Files.write(ds.resolve("images/case1.nii.gz"), new byte[] { 1, 2, 3, 4 });
		org.lesionweighting.io.VolumeIO.write(ds.resolve("images/case2.nii.gz"), net.imglib2.img.array.ArrayImgs.floats(12, 12, 12),
				org.lesionweighting.io.VolumeGeometry.ofSpacing(1, 1, 2));
		org.lesionweighting.io.VolumeIO.write(ds.resolve("labels/case2.nii.gz"), net.imglib2.img.array.ArrayImgs.unsignedBytes(12, 12, 10),
				org.lesionweighting.io.VolumeGeometry.ofSpacing(1, 1, 2));
		final Path model = dir.resolve("model");
		final ExecutionException e = assertThrows(ExecutionException.class, () -> run(tinyRun(ds, model)));
		final String m = rootMessage(e);
		assertTrue(m.contains("2 rejected case(s): case1 (unreadable header") && m.contains("; case2 (grid mismatch") && m.contains("skip_bad_cases=true"), m);
		assertFalse(Files.exists(model), "a refused run leaves no model folder");
		final CommandModule ok = run(tinyRun(ds, model, "skip_bad_cases", true));
		assertEquals("finished", ok.getOutput("training_status"));
		assertEquals(2, ok.getOutput("skipped_cases"));
		final List< String > csv = Files.readAllLines(model.resolve(ModelFolderGuard.SKIPPED_CASES_FILE));
		assertEquals(3, csv.size(), csv.toString());
		assertEquals("case,reason", csv.get(0));
		assertTrue(csv.get(1).matches("case1,\"?unreadable header.*") && csv.get(2).matches("case2,\"?grid mismatch.*"), csv.toString());
	}

	static String rootMessage(final Throwable t) {
		Throwable c = t;
		while (c.getCause() != null)
			c = c.getCause();
		return String.valueOf(c.getMessage());
	}
}
