package org.lesionweighting.tf.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.tf.data.TrainingCase;
import org.lesionweighting.tf.data.TrainingData;
import org.lesionweighting.tf.graph.TensorNames;
import org.lesionweighting.tf.graph.UNet3D;
import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.tf.model.ModelMetadata;
import org.lesionweighting.tf.model.SegmentationModel;
import org.lesionweighting.tf.model.SavedModels;
import org.lesionweighting.tf.data.Preprocessing;
import org.lesionweighting.util.Json;
import org.lesionweighting.util.ProgressListener;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Training runs on tiny networks and phantoms (CPU). */
class TrainerTest {

	/** A tiny network: one level of width 4, bridge 8 (size multiple 2). */
	static final UNetConfig TINY = UNetConfig.SMALL.withWidths(4, 8);

	static TrainingConfig tiny() {
		return new TrainingConfig().network(TINY).patchSize(8).batchSize(2).epochs(2).iterationsPerEpoch(4).checkpointEvery(3).sessionThreads(1, 1);
	}

	static TrainingData phantoms() {
		return TrainingData.of("phantoms", Phantoms.cases(3, 16, 1));
	}

	/** Logits of a SavedModel for a fixed input. */
	static float[] savedModelLogits(final Path folder, final float[] input, final int size) {
		try (SavedModelBundle b = SavedModelBundle.load(folder.resolve(SavedModels.FOLDER_DEFAULT).toString(), TensorNames.TAG);
				TFloat32 x = TFloat32.tensorOf(Shape.of(1, size, size, size, 1), DataBuffers.of(input, true, false));
				Result r = b.call(Map.of(TensorNames.INPUT_IMAGE, x))) {
			final TFloat32 out = (TFloat32) r.get(TensorNames.OUTPUT_LOGITS).get();
			final float[] l = new float[input.length];
			out.copyTo(DataBuffers.of(l, false, false));
			return l;
		}
	}

	static float[] input(final int size) {
		final float[] x = new float[size * size * size];
		for (int i = 0; i < x.length; i++)
			x[i] = (float) Math.sin(i * 0.37);
		return x;
	}

	@Test
	void resumeContinuesTheSameRun(@TempDir final Path dir) throws IOException {
		final Path one = dir.resolve("one"), two = dir.resolve("two");
		final TrainingResult a = Trainer.create(tiny(), phantoms(), one).run();
		assertEquals(TrainingResult.Status.FINISHED, a.status());
		final DatasetPlan plan = DatasetPlan.of(phantoms().allCases(), List.of("0"), false);
		final TrainingResult first = Trainer.create(tiny(), phantoms(), two).plan(plan).stopAfter(3).run();
		assertEquals(TrainingResult.Status.STOPPED, first.status());
		assertEquals(3, first.iterations());
		assertTrue(Trainer.hasCheckpoint(two));
		assertFalse(Files.exists(two.resolve(SavedModels.FOLDER_DEFAULT)));
		final TrainingResult b = Trainer.resume(two, phantoms()).run();
		assertEquals(TrainingResult.Status.FINISHED, b.status());
		assertEquals(8, b.history().size());
		// with one intra-op and one inter-op thread the CPU run is bitwise repeatable
		for (int i = 0; i < 8; i++) {
			assertEquals(a.history().get(i).iteration(), b.history().get(i).iteration());
			assertEquals(a.history().get(i).loss(), b.history().get(i).loss(), 0, "loss of iteration " + (i + 1));
		}
		final float[] x = input(8);
		assertArrayEquals(savedModelLogits(one, x, 8), savedModelLogits(two, x, 8), 1e-5f);
		assertSavedModelMatchesCheckpoint(one);
		// the plan survives the resume (regression: a resumed run exported no plan, so inference lost its target spacing)
		assertArrayEquals(plan.medianSpacing(), ModelMetadata.read(two.resolve(SavedModels.FOLDER_DEFAULT)).targetSpacing());
		assertNull(ModelMetadata.read(one.resolve(SavedModels.FOLDER_DEFAULT)).targetSpacing(), "a run without a plan has no target spacing");
	}

	/** The logits of the tiny network with the variables saved at {@code prefix}, in inference mode, for an 8³ input. */
	static float[] variablesLogits(final Path prefix, final float[] x) {
		try (Graph g = new Graph()) {
			final Ops tf = Ops.create(g);
			final Placeholder< TFloat32 > image = UNet3D.imagePlaceholder(tf, 1);
			final UNet3D.Network net = UNet3D.build(tf, TINY, image);
			try (Session s = new Session(g)) {
				s.restore(prefix.toString());
				try (TFloat32 in = TFloat32.tensorOf(Shape.of(1, 8, 8, 8, 1), DataBuffers.of(x, true, false));
						Result r = s.runner().feed(image, in).fetch(net.logits()).run()) {
					final float[] out = new float[x.length];
					((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
					return out;
				}
			}
		}
	}

	/** The exported SavedModel reloaded gives bit-identical logits to the final checkpoint restored in a fresh graph; metadata and history are complete. */
	static void assertSavedModelMatchesCheckpoint(final Path m) throws IOException {
		final float[] x = input(8);
		final float[] expected = variablesLogits(m.resolve(Trainer.TRAINING_FOLDER).resolve(Trainer.CHECKPOINT).resolve("variables"), x);
		assertArrayEquals(expected, savedModelLogits(m, x, 8));
		// the suite's loader reads the model folder the trainer wrote
		try (SegmentationModel sm = SegmentationModel.load(m, Device.CPU)) {
			assertEquals(TINY, sm.config());
			assertArrayEquals(expected, sm.predictLogits(x, 1, 8, 8, 8));
		}
		final ModelMetadata meta = ModelMetadata.read(m.resolve(SavedModels.FOLDER_DEFAULT));
		assertEquals("dice", meta.loss());
		assertEquals("inverse_volume", meta.weighting());
		assertEquals(TINY, meta.architecture());
		assertEquals(TrainingConfig.SEED_DEFAULT, meta.seed());
		assertEquals(1.0, ((Number) meta.extra().get("input_channels")).doubleValue());
		assertTrue(meta.device().startsWith("CPU"), meta.device());
		assertEquals(List.of(8, 8, 8), meta.patchSize());
		assertEquals(8, meta.history().size());
		assertEquals(Preprocessing.PREPROCESSING_DEFAULT, Preprocessing.fromMap(meta.preprocessing()));
		final List< String > csv = Files.readAllLines(m.resolve(Trainer.HISTORY_FILE));
		assertEquals("iteration,loss,learning_rate,seconds", csv.get(0));
		assertEquals(9, csv.size());
		assertTrue(csv.get(8).startsWith("8,"));
	}

	@Test
	void theBestValidationScoreIsExportedAndTheLastIterationIntoLast(@TempDir final Path dir) throws IOException {
		final Path m = dir.resolve("m");
		final TrainingResult r = Trainer.create(tiny().epochs(4), TrainerHistoryTest.withValidation(), m).run();
		assertEquals(4, r.validation().size());
		int best = 0;
		for (int e = 1; e < 4; e++)
			if (r.validation().get(e).score() > r.validation().get(best).score()) best = e;
		final ModelMetadata meta = ModelMetadata.read(m.resolve(SavedModels.FOLDER_DEFAULT));
		assertEquals("best", meta.extra().get("selected"));
		assertEquals(best, ((Number) ((Map< ?, ? >) meta.extra().get("best")).get("epoch")).intValue());
		assertEquals(r.validation().get(best).score(), ((Number) ((Map< ?, ? >) meta.extra().get("best")).get("score")).doubleValue(), 0);
		final float[] x = input(8);
		assertArrayEquals(variablesLogits(m.resolve(Trainer.TRAINING_FOLDER).resolve(Trainer.BEST).resolve("variables"), x), savedModelLogits(m, x, 8),
				"the model folder holds the best weights");
		final Path last = m.resolve(Trainer.LAST_FOLDER);
		assertEquals(best != 3, Files.exists(last.resolve(SavedModels.FOLDER_DEFAULT)), "last/ exists only when the best is not the last epoch");
		if (best != 3) {
			assertArrayEquals(variablesLogits(m.resolve(Trainer.TRAINING_FOLDER).resolve(Trainer.CHECKPOINT).resolve("variables"), x),
					savedModelLogits(last, x, 8));
			assertEquals("last", ModelMetadata.read(last.resolve(SavedModels.FOLDER_DEFAULT)).extra().get("selected"));
		}
	}

	@Test
	void aTimeBudgetSetsTheWholeEpochsThatFitAndIsStoredForResume(@TempDir final Path dir) throws IOException {
		final TrainingResult r = Trainer.create(tiny().epochs(100_000).timeBudgetMinutes(0.02), phantoms(), dir).run();
		assertEquals(TrainingResult.Status.FINISHED, r.status());
		assertEquals(r.totalIterations(), r.iterations());
		assertEquals(0, r.totalIterations() % 4, "whole epochs");
		assertTrue(r.totalIterations() >= Trainer.BUDGET_TIMING_ITERATIONS && r.totalIterations() < 400_000,
				"the epochs begun when the budget was first fitted, at least: " + r.totalIterations());
		final TrainingConfig stored = Trainer.storedConfig(dir);
		assertEquals(r.totalIterations(), stored.totalIterations());
		assertEquals(0.02, stored.timeBudgetMinutes());
		assertEquals((int) Math.floor(0.8 * stored.epochs()), stored.lrDropEpoch(), "the learning-rate drop follows the epochs that fit");
	}

	@Test
	void theCrossEntropyTermIsAddedWithItsWeight(@TempDir final Path dir) throws IOException {
		// same seed, same first batch, same initial weights: the first loss grows linearly with the term's weight
		final double[] first = new double[3];
		for (int w = 0; w < 3; w++)
			first[w] = Trainer.create(tiny().bceTerm(w), phantoms(), dir.resolve("w" + w)).stopAfter(1).run().history().get(0).loss();
		final double bce = first[1] - first[0];
		assertTrue(bce > 0.1 && bce < 5, "a cross-entropy of an untrained network: " + bce);
		assertEquals(bce, first[2] - first[1], 1e-5);
		assertEquals(1.0, Trainer.storedConfig(dir.resolve("w1")).bceTerm());
	}

	@Test
	void cancelWritesAResumableCheckpoint(@TempDir final Path dir) throws IOException {
		final Path m = dir.resolve("m");
		final AtomicInteger steps = new AtomicInteger();
		final TrainingResult r = Trainer.create(tiny().learningRateDrop(0, 0.1), phantoms(), m).listener(new ProgressListener() {

			@Override
			public void status(final String message) {
				if (message.startsWith("Iteration")) steps.incrementAndGet();
			}

			@Override
			public void progress(final double fraction) {}
		}).cancelWhen(() -> steps.get() >= 5).run();
		assertEquals(TrainingResult.Status.CANCELLED, r.status());
		assertEquals(5, r.iterations());
		assertTrue(Trainer.hasCheckpoint(m));
		final Map< String, Object > state = Json.parseObject(Files.readString(m.resolve("training/checkpoint/state.json")));
		assertEquals(5.0, ((Number) state.get("iteration")).doubleValue());
		// usable at once: the SavedModel of iteration 5 is exported and says so
		final ModelMetadata early = ModelMetadata.read(m.resolve(SavedModels.FOLDER_DEFAULT));
		assertEquals("cancelled", early.extra().get("status"));
		assertEquals(5.0, ((Number) early.extra().get("iterations")).doubleValue());
		assertEquals(5, early.history().size());
		// a new run refuses the folder; resume finishes it, with the learning-rate drop after epoch 0
		assertThrows(IOException.class, () -> Trainer.create(tiny(), phantoms(), m).run());
		final TrainingResult done = Trainer.resume(m, phantoms()).run();
		assertEquals(TrainingResult.Status.FINISHED, done.status());
		assertEquals(8, done.history().size());
		assertEquals(1e-2, done.history().get(3).learningRate(), 1e-12);
		assertEquals(1e-3, done.history().get(4).learningRate(), 1e-12);
		assertEquals(1e-3, done.history().get(7).learningRate(), 1e-12);
		assertTrue(Files.exists(m.resolve(SavedModels.FOLDER_DEFAULT).resolve("saved_model.pb")));
		assertEquals("finished", ModelMetadata.read(m.resolve(SavedModels.FOLDER_DEFAULT)).extra().get("status"), "the final export replaces the early one");
	}

	@Test
	void threadInterruptCancelsToo(@TempDir final Path dir) throws IOException {
		final Path m = dir.resolve("m");
		final AtomicInteger steps = new AtomicInteger();
		final TrainingResult r = Trainer.create(tiny(), phantoms(), m).listener(new ProgressListener() {

			@Override
			public void status(final String message) {
				if (message.startsWith("Iteration") && steps.incrementAndGet() == 2) Thread.currentThread().interrupt();
			}

			@Override
			public void progress(final double fraction) {}
		}).run();
		assertTrue(Thread.interrupted(), "the interrupt flag is restored");
		assertEquals(TrainingResult.Status.CANCELLED, r.status());
		assertEquals(2, r.iterations());
		assertTrue(Trainer.hasCheckpoint(m));
	}

	@Test
	void emptyDatasetIsRejectedBeforeWork(@TempDir final Path dir) {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> Trainer.create(tiny(), TrainingData.of("empty", List.of()), dir.resolve("m")).run());
		assertTrue(e.getMessage().contains("no training case"), e.getMessage());
		assertFalse(Files.exists(dir.resolve("m")));
	}

	@Test
	void channelMismatchIsRejected(@TempDir final Path dir) {
		final TrainingCase two = TrainingCase.fromArrays("two", new int[] { 16, 16, 16 }, new float[][] { new float[4096], new float[4096] },
				Phantoms.sphereCase("x", 16, 2, 3).target(), null);
		final TrainingData d = TrainingData.of("mixed", List.of(Phantoms.sphereCase("one", 16, 2, 3), two));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.create(tiny(), d, dir.resolve("m")).run());
		assertTrue(e.getMessage().contains("channels"), e.getMessage());
	}

	@Test
	void patchLargerThanImagesWithoutPaddingIsRejected(@TempDir final Path dir) {
		final TrainingConfig config = tiny().patchSize(32);
		config.sampler().padding(false);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.create(config, phantoms(), dir.resolve("m")).run());
		assertTrue(e.getMessage().contains("padding"), e.getMessage());
	}

	@Test
	void patchNotFittingTheNetworkIsRejected(@TempDir final Path dir) {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> Trainer.create(tiny().network(UNetConfig.SMALL).patchSize(10), phantoms(), dir.resolve("m")).run());
		assertTrue(e.getMessage().contains("multiple"), e.getMessage());
	}

	@Test
	void unknownLossIsRejected() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tiny().loss("hinge"));
		assertTrue(e.getMessage().contains("hinge") && e.getMessage().contains("dice"), e.getMessage());
	}

	@Test
	void nonWritableModelFolderIsRejected(@TempDir final Path dir) throws IOException {
		final Path file = Files.writeString(dir.resolve("a-file"), "x");
		final IOException e = assertThrows(IOException.class, () -> Trainer.create(tiny(), phantoms(), file.resolve("m")).run());
		assertTrue(e.getMessage().contains("cannot write"), e.getMessage());
	}

	@Test
	void resumeWithoutCheckpointIsRejected(@TempDir final Path dir) {
		final IOException e = assertThrows(IOException.class, () -> Trainer.resume(dir, phantoms()));
		assertTrue(e.getMessage().contains("no checkpoint"), e.getMessage());
	}
}
