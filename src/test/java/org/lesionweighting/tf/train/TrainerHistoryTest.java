package org.lesionweighting.tf.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.tf.data.TrainingData;
import org.lesionweighting.tf.model.SavedModels;
import org.lesionweighting.util.ProgressListener;

/** The trainer's numeric history stream ({@link TrainingHistoryListener}) against history.csv and validation.csv. */
class TrainerHistoryTest {

	/** Records every call in order: a {@code List<HistoryRow>} per rows call, a {@code double[]{epoch, iteration, dice}} per validation call. */
	static final class Recorder implements TrainingHistoryListener {

		final List< Object > calls = new ArrayList<>();

		@Override
		public void rows(final List< HistoryRow > rows) {
			calls.add(rows);
		}

		@Override
		public void validation(final int epoch, final long iteration, final double dice) {
			calls.add(new double[] { epoch, iteration, dice });
		}

		@SuppressWarnings("unchecked")
		List< HistoryRow > allRows() {
			final List< HistoryRow > out = new ArrayList<>();
			for (final Object c : calls)
				if (c instanceof List) out.addAll((List< HistoryRow >) c);
			return out;
		}

		List< double[] > validations() {
			final List< double[] > out = new ArrayList<>();
			for (final Object c : calls)
				if (c instanceof double[] d) out.add(d);
			return out;
		}
	}

	/** Three training phantoms and one held-out validation phantom. */
	static TrainingData withValidation() {
		return new TrainingData("phantoms", Phantoms.cases(3, 16, 1), List.of(Phantoms.sphereCase("validation", 16, 2, 9)));
	}

	/** The rows of history.csv as {iteration, loss, learning rate, seconds}. */
	static List< double[] > csv(final Path file) throws IOException {
		final List< String > lines = Files.readAllLines(file);
		assertEquals("iteration,loss,learning_rate,seconds", lines.get(0));
		final List< double[] > out = new ArrayList<>();
		for (final String l : lines.subList(1, lines.size())) {
			final String[] f = l.split(",");
			out.add(new double[] { Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]) });
		}
		return out;
	}

	static void assertRowsAreTheCsv(final List< HistoryRow > rows, final Path folder) throws IOException {
		final List< double[] > csv = csv(folder.resolve(Trainer.HISTORY_FILE));
		assertEquals(csv.size(), rows.size());
		for (int i = 0; i < rows.size(); i++) {
			assertEquals(csv.get(i)[0], rows.get(i).iteration(), 0, "iteration of row " + i);
			assertEquals(csv.get(i)[1], rows.get(i).loss(), 0, "loss of row " + i + " (the CSV writes the double exactly)");
			assertEquals(csv.get(i)[2], rows.get(i).learningRate(), 0, "learning rate of row " + i);
			assertEquals(csv.get(i)[3], rows.get(i).seconds(), 5e-4, "seconds of row " + i + " (rounded to ms in the CSV)");
		}
	}

	@Test
	void listenerReceivesExactlyTheRowsOfHistoryCsvAndTheValidationDice(@TempDir final Path dir) throws IOException {
		final Recorder rec = new Recorder();
		final TrainingResult r = Trainer.create(TrainerTest.tiny(), withValidation(), dir).historyListener(rec).run();
		assertEquals(TrainingResult.Status.FINISHED, r.status());
		// start: the (empty) restored history; then per iteration one row, validation after iterations 4 and 8
		assertEquals(List.of(), rec.calls.get(0));
		assertEquals(1 + 8 + 2, rec.calls.size());
		assertTrue(rec.calls.get(5) instanceof double[] v && v[0] == 0 && v[1] == 4, "epoch 0 validated after iteration 4, before iteration 5");
		for (int i = 1; i < rec.calls.size(); i++)
			if (rec.calls.get(i) instanceof List< ? > l) assertEquals(1, l.size(), "one row per iteration call");
		assertEquals(r.history(), rec.allRows());
		assertRowsAreTheCsv(rec.allRows(), dir);
		final List< String > val = Files.readAllLines(dir.resolve(Trainer.VALIDATION_FILE));
		assertEquals("epoch,voxel_dice,lesion_f1,score", val.get(0));
		assertEquals(2, rec.validations().size());
		for (int e = 0; e < 2; e++) {
			final double[] v = rec.validations().get(e);
			assertEquals(e, v[0]);
			assertEquals(4 * (e + 1), v[1]);
			final ValidationRow row = r.validation().get(e);
			assertEquals(e, row.epoch());
			assertEquals(row.voxelDice(), v[2], 0);
			assertEquals(e + "," + v[2] + "," + row.lesionF1() + "," + row.score(), val.get(e + 1));
			assertEquals((row.voxelDice() + row.lesionF1()) / 2, row.score(), 1e-12, "the selection score is the mean of voxel Dice and lesion F1");
			assertTrue(v[2] >= 0 && v[2] <= 1, "Dice in [0, 1]: " + v[2]);
		}
	}

	@Test
	void resumedRunSendsTheRestoredHistoryFirst(@TempDir final Path dir) throws IOException {
		final Recorder first = new Recorder();
		Trainer.create(TrainerTest.tiny(), withValidation(), dir).historyListener(first).stopAfter(5).run();
		final Recorder second = new Recorder();
		final TrainingResult r = Trainer.resume(dir, withValidation()).historyListener(second).run();
		assertEquals(TrainingResult.Status.FINISHED, r.status());
		// the first call carries the 5 restored rows, bit-identical to what the first session reported
		assertEquals(first.allRows(), second.calls.get(0));
		assertEquals(5, ((List< ? >) second.calls.get(0)).size());
		// then the restored validation of epoch 0, then iterations 6, 7, 8 and the validation of epoch 1
		assertTrue(second.calls.get(1) instanceof double[] v && v[0] == 0 && v[1] == 4 && v[2] == first.validations().get(0)[2]);
		assertEquals(6, ((HistoryRow) ((List< ? >) second.calls.get(2)).get(0)).iteration());
		assertEquals(8, ((HistoryRow) ((List< ? >) second.calls.get(4)).get(0)).iteration());
		assertTrue(second.calls.get(5) instanceof double[] v && v[0] == 1 && v[1] == 8);
		assertEquals(6, second.calls.size());
		assertEquals(r.history(), second.allRows());
		assertRowsAreTheCsv(second.allRows(), dir);
	}

	@Test
	void aFailingListenerIsDroppedAndTrainingGoesOn(@TempDir final Path dir) throws IOException {
		final List< String > status = new ArrayList<>();
		final int[] calls = { 0 };
		final TrainingResult r = Trainer.create(TrainerTest.tiny(), TrainerTest.phantoms(), dir).listener(new ProgressListener() {

			@Override
			public void status(final String message) {
				status.add(message);
			}

			@Override
			public void progress(final double fraction) {}
		}).historyListener(rows -> {
			if (++calls[0] == 3) throw new IllegalStateException("plot broke");
		}).run();
		assertEquals(TrainingResult.Status.FINISHED, r.status());
		assertEquals(8, r.iterations());
		assertEquals(3, calls[0], "not called again after it threw");
		assertEquals(1, status.stream().filter(s -> s.contains("history listener failed") && s.contains("plot broke")).count(), String.join("\n", status));
		assertEquals(9, Files.readAllLines(dir.resolve(Trainer.HISTORY_FILE)).size(), "history.csv is complete");
		assertTrue(SavedModels.isSavedModel(dir.resolve(SavedModels.FOLDER_DEFAULT)));
	}
}
