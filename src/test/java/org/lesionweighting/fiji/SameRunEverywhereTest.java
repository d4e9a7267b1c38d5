package org.lesionweighting.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.engine.WorkerSettings;
import org.lesionweighting.engine.WorkerTest;
import org.lesionweighting.fiji.demo.DemoOptions;
import org.lesionweighting.fiji.demo.DemoRunner;
import org.lesionweighting.fiji.infer.SegmentLesionsCommand;
import org.lesionweighting.fiji.train.TrainLesionSegmenterCommand;
import org.lesionweighting.io.VolumeIO;
import org.lesionweighting.tf.data.Augmentation;
import org.lesionweighting.tf.data.Preprocessing;
import org.lesionweighting.tf.data.TrainingDatasets;
import org.lesionweighting.tf.data.VolumeReader;
import org.lesionweighting.tf.train.OptimizerKind;
import org.lesionweighting.tf.train.Trainer;
import org.lesionweighting.tf.train.TrainingConfig;
import org.lesionweighting.tf.train.TrainingResult;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * Issue 14: the same training and segmentation whichever way they are started. The Java API, the Train command in
 * this JVM and the Train command through the worker write the same {@code history.csv} (the learning rate drops
 * after 80 % of the epochs in all three); the demo in this JVM and through the worker trains the same model and
 * scores the same records, and the Train and Segment Lesions commands reproduce its model and its probability maps.
 */
class SameRunEverywhereTest {

	private static Context ctx;

	private static String jvmOptionsBefore;

	@BeforeAll
	static void context() {
		ctx = new Context();
		ctx.service(LogService.class).setLevel("org.scijava", LogLevel.NONE);
		jvmOptionsBefore = System.getProperty(WorkerSettings.JVM_OPTIONS_PROPERTY);
		System.setProperty(WorkerSettings.JVM_OPTIONS_PROPERTY, String.join(" ", WorkerTest.SHORT_JOB_OPTIONS));
	}

	@AfterAll
	static void dispose() {
		ctx.dispose();
		if (jvmOptionsBefore == null) System.clearProperty(WorkerSettings.JVM_OPTIONS_PROPERTY);
		else
			System.setProperty(WorkerSettings.JVM_OPTIONS_PROPERTY, jvmOptionsBefore);
	}

	private static CommandModule run(final Class< ? extends org.scijava.command.Command > command, final Object... inputs) throws Exception {
		return ctx.service(CommandService.class).run(command, true, inputs).get();
	}

	@Test
	void theLearningRateDropsAtTheSameStepThroughTheJavaApiTheCommandAndTheWorker(@TempDir final Path dir) throws Exception {
		final Path data = TestDatasets.twoTinyCases(dir);
		final int epochs = 10;
		// Java API: the configuration the command's values give, built by hand
		final TrainingConfig config = new TrainingConfig().preset("small").patchSize(8).batchSize(1).epochs(epochs).iterationsPerEpoch(1).checkpointEvery(1000)
				.optimizer(OptimizerKind.ADAM).learningRate(1e-3)
				.preprocessing(Preprocessing.ZSCORE).augmentation(Augmentation.NONE).bceTerm(0).device("cpu").seed(7);
		final TrainingResult api = Trainer.create(config,
				TrainingDatasets.load(data, Preprocessing.ZSCORE, 0, TrainingDatasets.LESION_VALUE_DEFAULT, VolumeReader.DEFAULT, null), dir.resolve("api"))
				.run();
		assertEquals(TrainingResult.Status.FINISHED, api.status());
		final Object[] values = { "dataset", data
				.toFile(), "preset", "small", "patch_size", "8", "batch_size", 1, "epochs", "10", "iterations_per_epoch", "1", "checkpoint_every", "1000", "optimizer", "adam", "learning_rate", "0.001", "preprocessing", "zscore", "augmentation", false, "bce_term", "0", "output_bias", "0", "device", "cpu", "seed", 7L, "validation_cases", 0, "show_plot", false };
		for (final String engine : List.of("in_process", "worker")) {
			final CommandModule m = run(TrainLesionSegmenterCommand.class, with(values, "model", dir.resolve(engine).toFile(), "engine", engine));
			assertEquals("finished", m.getOutput("training_status"), engine);
		}
		final List< String > h = TestDatasets.historyWithoutSeconds(dir.resolve("api"));
		assertEquals(epochs + 1, h.size());
		for (int i = 1; i <= epochs; i++) {
			final String[] row = h.get(i).split(",");
			assertEquals(Integer.toString(i), row[0]);
			assertEquals(i <= 9 ? 1e-3 : 1e-4, Double.parseDouble(row[2]), 1e-15, "epochs 0-8 at 1e-3, epoch 9 (after 80 % of 10) at 1e-4: " + h.get(i));
		}
		assertEquals(h, TestDatasets.historyWithoutSeconds(dir.resolve("in_process")), "the command in this JVM: bit for bit the Java API's history");
		assertEquals(h, TestDatasets.historyWithoutSeconds(dir.resolve("worker")), "the command through the worker: bit for bit the Java API's history");
	}

	@Test
	void theDemoTrainsAndSegmentsAsTheCommandsDoInThisJvmAndInTheWorker(@TempDir final Path dir) throws Exception {
		final DemoOptions in = new DemoOptions().output(dir.resolve("in")).quick(true).iterations(3).losses("dice").device("cpu").engine("in_process");
		final DemoOptions worker = new DemoOptions().output(dir.resolve("worker")).quick(true).iterations(3).losses("dice").device("cpu").engine("worker");
		DemoRunner.run(in, null);
		DemoRunner.run(worker, null);
		final Path model = dir.resolve("in/models/dice");
		assertEquals(TestDatasets.historyWithoutSeconds(model), TestDatasets.historyWithoutSeconds(dir.resolve("worker/models/dice")),
				"the demo's training through the worker");
		assertEquals(Files.readAllLines(dir.resolve("in/records/dice.csv")), Files.readAllLines(dir.resolve("worker/records/dice.csv")),
				"lesion records from the same probability maps and logits");

		// the Train command with the demo's train job gives the demo's model
		final Map< String, Object > choices = DemoRunner.trainJob(in, in.losses().get(0), dir.resolve("in/dataset"), model).choices().toJson();
		final List< Object > values = new ArrayList<>(List.of("dataset", dir.resolve("in/dataset").toFile(), "model", dir.resolve("command").toFile(),
				"validation_cases", 0, "show_plot", false, "engine", "in_process"));
		choices.forEach((k, v) -> {
			values.add(k);
			values.add(v instanceof Boolean ? v : String.valueOf(v));
		});
		assertEquals("finished", run(TrainLesionSegmenterCommand.class, values.toArray()).getOutput("training_status"));
		assertEquals(TestDatasets.historyWithoutSeconds(model), TestDatasets.historyWithoutSeconds(dir.resolve("command")));

		// Segment Lesions with the demo's model and windows, in this JVM and through the worker
		final Path image = dir.resolve("in/dataset/imagesTs/test_000_0000.nii.gz");
		final List< float[] > maps = new ArrayList<>();
		for (final String engine : List.of("in_process", "worker")) {
			final Path out = dir.resolve("prob-" + engine + ".nii");
			run(SegmentLesionsCommand.class, "model", model.toFile(), "input", image.toFile(), "patch_size", "32", "stride", "24", "device", "cpu", "engine",
					engine, "probabilities_path", out.toFile());
			maps.add(floats(VolumeIO.read(out).requireSingle3D("test")));
		}
		assertArrayEquals(maps.get(0), maps.get(1), "probability maps bit for bit");
	}

	private static Object[] with(final Object[] base, final Object... more) {
		final Object[] all = java.util.Arrays.copyOf(base, base.length + more.length);
		System.arraycopy(more, 0, all, base.length, more.length);
		return all;
	}

	private static float[] floats(final RandomAccessibleInterval< ? extends RealType< ? > > img) {
		final float[] out = new float[(int) net.imglib2.util.Intervals.numElements(img)];
		int i = 0;
		for (final RealType< ? > t : Views.flatIterable(img))
			out[i++] = t.getRealFloat();
		return out;
	}
}
