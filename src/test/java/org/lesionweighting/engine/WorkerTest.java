package org.lesionweighting.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.fiji.TestDatasets;
import org.lesionweighting.app.Launcher;
import org.lesionweighting.io.VolumeGeometry;
import org.lesionweighting.io.VolumeIO;
import org.lesionweighting.tf.infer.TestModels;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.tf.train.Trainer;
import org.lesionweighting.util.Json;
import org.lesionweighting.util.ProgressListener;

import net.imglib2.img.array.ArrayImgs;

/**
 * The TensorFlow worker end to end: a real worker JVM (class path built by {@link WorkerClassPath}) gives the
 * same results as the in-process engine; cancel leaves a resumable folder; failures and crashes are reported.
 */
public class WorkerTest {

	/**
	 * JVM options for the short worker jobs of the tests (measured here: a 2-iteration training job in the worker
	 * 25-40 % faster; the results are identical, Java arithmetic does not depend on the compiler).
	 */
	public static final List< String > SHORT_JOB_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

	/** Worker settings for the tests' short jobs. */
	public static final WorkerSettings SHORT_JOBS = WorkerSettings.defaults().withJvmOptions(SHORT_JOB_OPTIONS);

	@Test
	void trainingInTheWorkerMatchesInProcess(@TempDir final Path dir) throws Exception {
		final Path data = TestDatasets.twoTinyCases(dir);
		final Map< String, Object > job = TestDatasets.tinyTrainJob(data, dir.resolve("in"), 1, 100);
		job.put("stop_after", 2); // 2 iterations and a checkpoint; no SavedModel export (that is the trainer's own test)
		final List< TrainingEvent > inEvents = new ArrayList<>(), workerEvents = new ArrayList<>();
		final Map< String, Object > a = EngineJobs.run(EngineJob.fromJson(job), null, null, null, inEvents::add);
		job.put("model", dir.resolve("out").toString());
		final Map< String, Object > b = new WorkerProcess(SHORT_JOBS).run(EngineJob.fromJson(job), null, null, null, workerEvents::add);
		assertEquals("stopped", a.get("status"));
		assertEquals(2L, ((Number) a.get("iterations")).longValue());
		assertEquals(a.get("status"), b.get("status"));
		assertEquals(((Number) a.get("iterations")).longValue(), ((Number) b.get("iterations")).longValue());
		assertEquals(((Number) a.get("loss_at_end")).doubleValue(), ((Number) b.get("loss_at_end")).doubleValue(), 0.0,
				"same seed, one thread: bitwise the same losses");
		final String variables = "training/checkpoint/variables.data-00000-of-00001";
		assertArrayEquals(Files.readAllBytes(dir.resolve("in").resolve(variables)), Files.readAllBytes(dir.resolve("out").resolve(variables)),
				"identical trained weights");
		assertEquals(TestDatasets.historyWithoutSeconds(dir.resolve("in")), TestDatasets.historyWithoutSeconds(dir.resolve("out")));
		// the training events: the same through the worker's protocol lines as in-process, and = history.csv
		assertEquals(3, workerEvents.size(), "start (no rows) and one per iteration");
		assertTrue(workerEvents.stream().allMatch(TrainingEvent.History.class::isInstance), workerEvents.toString());
		assertEquals(new TrainingEvent.History(List.of(), 100, 100), workerEvents.get(0));
		assertEquals(inEvents.size(), workerEvents.size());
		assertEquals(EngineJobsEventsTest.eventRows(inEvents), EngineJobsEventsTest.eventRows(workerEvents));
		assertEquals(TestDatasets.historyWithoutSeconds(dir.resolve("out")).subList(1, 3), EngineJobsEventsTest.eventRows(workerEvents));
	}

	@Test
	void segmentationThroughTheLauncherIsTheSameInProcessAndInTheWorker(@TempDir final Path dir) throws Exception {
		final Path model = dir.resolve("model");
		TestModels.exportConv(model, 1);
		final float[] img = new float[10 * 9 * 8];
		final SplittableRandom r = new SplittableRandom(1);
		for (int i = 0; i < img.length; i++)
			img[i] = (float) r.nextGaussian();
		final Path input = dir.resolve("in.nii.gz");
		VolumeIO.write(input, ArrayImgs.floats(img, 10, 9, 8), VolumeGeometry.ofSpacing(1, 1, 1));
		final List< String > outs = new ArrayList<>();
		System.setProperty(WorkerSettings.JVM_OPTIONS_PROPERTY, String.join(" ", SHORT_JOB_OPTIONS));
		try {
			for (final String mode : new String[] { "in", "worker" }) {
				final String args = "model='" + model + "',input='" + input + "',patch_size=6,stride=4,device='cpu',logits_path='"
						+ dir.resolve(mode + "-logits.nii") + "',labels_path='" + dir.resolve(mode + "-labels.nii") + "'";
				final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
				final String[] argv = mode.equals("worker")
						? new String[] { "--worker", "--run", "Segment Lesions", args }
						: new String[] { "--run", "Segment Lesions", args };
				assertEquals(Launcher.EXIT_OK,
						Launcher.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)),
						err.toString(StandardCharsets.UTF_8));
				outs.add(out.toString(StandardCharsets.UTF_8));
			}
		}
		finally {
			System.clearProperty(WorkerSettings.JVM_OPTIONS_PROPERTY);
		}
		assertEquals(outs.get(0), outs.get(1), "same printed outputs (lesion count)");
		assertArrayEquals(Files.readAllBytes(dir.resolve("in-logits.nii")), Files.readAllBytes(dir.resolve("worker-logits.nii")), "identical logits");
		assertArrayEquals(Files.readAllBytes(dir.resolve("in-labels.nii")), Files.readAllBytes(dir.resolve("worker-labels.nii")), "identical labels");
		assertEquals(null, System.getProperty(Engines.ENGINE_PROPERTY), "--worker does not leak into later runs");
	}

	@Test
	void cancelStopsTheWorkerAndLeavesAResumableFolder(@TempDir final Path dir) throws Exception {
		final Path data = TestDatasets.twoTinyCases(dir);
		final Path model = dir.resolve("model");
		final AtomicBoolean cancel = new AtomicBoolean();
		final ProgressListener listener = new ProgressListener() {

			@Override
			public void status(final String message) {
				if (message.startsWith("Iteration ")) cancel.set(true); // after the first iteration
			}

			@Override
			public void progress(final double fraction) {}
		};
		final WorkerProcess worker = new WorkerProcess(SHORT_JOBS);
		final Map< String, Object > r = worker.run(EngineJob.fromJson(TestDatasets.tinyTrainJob(data, model, 1, 100000)), listener, null, cancel::get, null);
		assertEquals("cancelled", r.get("status"));
		final long done = ((Number) r.get("iterations")).longValue();
		assertTrue(done >= 1);
		assertTrue(Trainer.hasCheckpoint(model), "a checkpoint was written on cancel");
		System.out.printf("WorkerTest: cancel latency (cancel request to worker exit, checkpoint included): %.3f s%n", worker.lastCancelSeconds());
		// resumable: the checkpoint holds the iteration reached and the run's settings. Resuming such a folder
		// through the worker (cancel, resume to the end, segment with the result) is FijiLikeClassPathTest's job;
		// resuming itself (bitwise) is TrainerTest's.
		final Map< String, Object > state = Json
				.parseObject(Files.readString(model.resolve(Trainer.TRAINING_FOLDER).resolve(Trainer.CHECKPOINT).resolve(Trainer.STATE_FILE)));
		assertEquals(done, ((Number) state.get("iteration")).longValue());
		assertEquals(100000, Trainer.storedConfig(model).totalIterations());
		assertEquals(List.of(8, 8, 8), Arrays.stream(Trainer.storedConfig(model).patchSize()).boxed().toList());
		assertEquals(done, Files.readAllLines(model.resolve(Trainer.HISTORY_FILE)).size() - 1, "history.csv: one row per iteration done");
	}

	@Test
	void jobErrorsComeBackAsWorkerExceptions(@TempDir final Path dir) {
		final WorkerException e = assertThrows(WorkerException.class,
				() -> new WorkerProcess(SHORT_JOBS).run(
						EngineJob.fromJson(Map.of("kind", "segment", "model", dir.resolve("nothing").toString(), "inputs",
								List.of(dir.resolve("missing.nii").toString()), "outputs", Map.of("mask", dir.resolve("m.nii").toString()))),
						null, null, null, null));
		assertTrue(e.getMessage().contains("missing.nii"), e.getMessage());
		assertEquals(1, e.exitCode());
	}

	@Test
	void aWorkerThatDiesIsReportedWithExitCodeAndStandardError() {
		// a JVM that cannot start (heap far too small) stands in for a native crash: no result, non-zero exit
		final WorkerException e = assertThrows(WorkerException.class,
				() -> new WorkerProcess(WorkerSettings.defaults().withHeap("1m")).run(new DeviceReportJob(null), null, null, null, null));
		assertTrue(e.exitCode() != 0);
		assertTrue(e.getMessage().contains("exit code " + e.exitCode()), e.getMessage());
		assertTrue(e.getMessage().toLowerCase().contains("heap"), "the stderr tail is quoted: " + e.getMessage());
	}

	@Test
	void deviceReportRunsInTheWorker() {
		final List< String > log = new ArrayList<>();
		final Map< String, Object > r = new WorkerProcess(SHORT_JOBS).run(new DeviceReportJob(Device.CPU), null, log::add, null, null);
		assertTrue(String.valueOf(r.get("tensorflow_version")).matches("\\d+\\.\\d+.*"), String.valueOf(r.get("tensorflow_version")));
		assertEquals(List.of(7.0, 10.0, 15.0, 22.0), r.get("test_op_result"), "[[1,2],[3,4]]² computed");
		assertTrue(String.valueOf(r.get("test_op_device")).contains("CPU:0"), String.valueOf(r.get("test_op_device")));
		assertEquals("CPU build", r.get("native_library"));
		assertTrue(String.valueOf(r.get("native_jar")).endsWith("tensorflow-core-native-1.1.0-linux-x86_64.jar"));
	}
}
