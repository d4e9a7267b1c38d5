package org.lesionweighting.fiji.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.engine.WorkerProcess;
import org.lesionweighting.engine.WorkerSettings;
import org.lesionweighting.engine.EngineJobs;
import org.lesionweighting.engine.TensorFlowCheckTest;
import org.lesionweighting.engine.WorkerTest;
import org.lesionweighting.fiji.TestDatasets;
import org.lesionweighting.io.VolumeIO;
import org.lesionweighting.label.Connectivity;
import org.lesionweighting.label.LesionLabeling;
import org.lesionweighting.tf.model.ModelMetadata;
import org.lesionweighting.tf.model.SavedModels;
import org.lesionweighting.tf.train.Trainer;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * A Fiji-like JVM: ImageJ 1, SciJava, ImgLib2, protobuf, JavaCPP, the suite's classes and a TensorFlow 1.x jar
 * (the real {@code libtensorflow-1.15.0.jar} of CSBDeep, copied by the build, or a fake of the same name) but no
 * TensorFlow Java on the class path, the TensorFlow Java jars in a separate folder as in {@code <Fiji>/lib/lesion-weighting/}. Training (with a cancel and a resume),
 * segmentation with the freshly trained model, and the device report, all with {@code engine=auto}, go to the
 * worker without any class clash. The Fiji-like JVM logs every class it loads ({@code -Xlog:class+load}): it
 * loads no {@code org.tensorflow} class at all (neither ours nor the foreign one) and never the in-process
 * engine ({@code engine.EngineJobs}).
 */
class FijiLikeClassPathTest {

	/** Training iterations of the Fiji-like session, and the periodic checkpoint interval. */
	private static final int ITERATIONS = 24, CHECKPOINT_EVERY = 2;

	/**
	 * The Fiji-like JVM's class path (from this JVM's: {@code classes}, ImageJ 1, SciJava, ImgLib2, protobuf,
	 * JavaCPP, plus the TensorFlow 1 jar, plus {@code test-classes} when {@code withTestClasses}) and the
	 * folder of TensorFlow Java jars (symbolic links) for the worker.
	 */
	private record FijiLikeJvm(List< String > classPath, Path tfJars, Path classLog) {

		static FijiLikeJvm create(final Path dir, final boolean withTestClasses) throws Exception {
			final List< String > fiji = new ArrayList<>();
			final Path tf = Files.createDirectories(dir.resolve("lib/lesion-weighting"));
			for (final String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
				final String n = Paths.get(e).getFileName().toString();
				if (n.startsWith("tensorflow-") || n.startsWith("ndarray-")) Files.createSymbolicLink(tf.resolve(n), Paths.get(e).toAbsolutePath());
				else if (n.equals("classes") || (withTestClasses && n.equals("test-classes")) || n.startsWith("ij-") || n.startsWith("scijava-common-")
						|| n.startsWith("parsington-") || n.startsWith("imglib2-") || n.startsWith("protobuf-java-") || n.startsWith("javacpp-"))
					fiji.add(e);
			}
			fiji.add(TensorFlowCheckTest.tensorFlow1Jar(dir.resolve("fake")).toString());
			return new FijiLikeJvm(fiji, tf, dir.resolve("fiji-classes.log"));
		}

		/** Runs {@code mainClass} in the Fiji-like JVM; returns stdout + stderr, asserting exit code 0. */
		String run(final String mainClass, final String... args) throws Exception {
			final List< String > cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Djava.awt.headless=true",
					"-Xlog:class+load=info:file=" + classLog, "-D" + WorkerSettings.TF_JARS_PROPERTY + "=" + tfJars,
					"-D" + WorkerSettings.JVM_OPTIONS_PROPERTY + "=" + String.join(" ", WorkerTest.SHORT_JOB_OPTIONS)));
			cmd.addAll(WorkerTest.SHORT_JOB_OPTIONS); // the Fiji-like JVM only starts SciJava and the worker
			cmd.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), mainClass));
			cmd.addAll(List.of(args));
			final long t0 = System.nanoTime();
			final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
			final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertTrue(p.waitFor(300, TimeUnit.SECONDS));
			System.out.printf("FijiLikeClassPathTest: %s %s took %.1f s%n", mainClass.substring(mainClass.lastIndexOf('.') + 1), args.length > 1 ? args[1] : "",
					(System.nanoTime() - t0) * 1e-9);
			assertEquals(0, p.exitValue(), out);
			return out;
		}

		/** The classes the last run loaded, from its class-load log. */
		Set< String > loadedClasses() throws Exception {
			final Set< String > out = new TreeSet<>();
			for (final String l : Files.readAllLines(classLog)) {
				final int start = l.indexOf("] ") + 2, end = l.indexOf(" source:");
				if (start > 1 && end > start) out.add(l.substring(start, end));
			}
			return out;
		}

		/** Asserts that the last run took the worker path and loaded no TensorFlow class and no in-process engine. */
		void assertNoTensorFlowLoaded() throws Exception {
			final Set< String > loaded = loadedClasses();
			assertTrue(loaded.contains(WorkerProcess.class.getName()), "the class-load log works and the worker was used");
			assertEquals(List.of(), loaded.stream().filter(c -> c.startsWith("org.tensorflow.")).toList(), "Fiji's JVM loaded no TensorFlow class");
			assertFalse(loaded.contains("org.lesionweighting.engine.EngineJobs"), "the in-process engine was never loaded");
		}
	}

	@Test
	void trainingCancelResumeAndSegmentationRunInTheWorkerBesideATensorFlow1Jar(@TempDir final Path dir) throws Exception {
		final FijiLikeJvm fiji = FijiLikeJvm.create(dir, true);
		final Path dataset = TestDatasets.twoTinyCases(dir);
		final Path model = dir.resolve("model");
		final Path input = dataset.resolve("images/case0.nii.gz");
		final Path firstCheckpoint = model.resolve(Trainer.TRAINING_FOLDER).resolve(Trainer.CHECKPOINT).resolve(Trainer.STATE_FILE);
		final String segment = "model='" + model + "',input='" + input + "',patch_size='16',stride='12',device='cpu',mask_path='" + dir.resolve("mask.nii")
				+ "',probabilities_path='" + dir.resolve("probabilities.nii") + "',labels_path='" + dir.resolve("labels.nii") + "'";
		final String out = fiji.run(FijiLikeSession.class.getName(), dataset.toString(), model.toString(), firstCheckpoint.toString(),
				Integer.toString(ITERATIONS), Integer.toString(CHECKPOINT_EVERY), segment);
		fiji.assertNoTensorFlowLoaded();
		final Map< String, String > values = values(out);

		// cancelled in the worker after the first checkpoint, then resumed to the end
		assertEquals("cancelled", values.get("cancelled.training_status"), out);
		final long stoppedAt = Long.parseLong(values.get("cancelled.iterations_done"));
		assertTrue(stoppedAt >= CHECKPOINT_EVERY && stoppedAt < ITERATIONS, "cancelled after the first checkpoint, before the end: " + stoppedAt);
		System.out.println("FijiLikeClassPathTest: cancel through the Train command in the Fiji-like JVM took " + values.get("cancelled.seconds")
				+ " s (cancel request to the command's return; worker checkpoint and exit included), at iteration " + stoppedAt);
		assertEquals("finished", values.get("training_status"), out);
		assertEquals(Integer.toString(ITERATIONS), values.get("iterations_done"));
		assertTrue(Double.isFinite(Double.parseDouble(values.get("loss_at_end"))), out);

		// the model folder: SavedModel, model.json, history.csv with every iteration once (the resume kept the first rows)
		final Path saved = model.resolve(SavedModels.FOLDER_DEFAULT);
		assertTrue(SavedModels.isSavedModel(saved));
		final ModelMetadata meta = ModelMetadata.read(saved);
		assertEquals(List.of(16, 16, 16), meta.patchSize());
		assertEquals(7, meta.seed());
		final List< String > history = Files.readAllLines(model.resolve(Trainer.HISTORY_FILE));
		assertEquals(ITERATIONS + 1, history.size(), "header + one row per iteration");
		for (int i = 1; i <= ITERATIONS; i++)
			assertEquals(Integer.toString(i), history.get(i).substring(0, history.get(i).indexOf(',')));

		// segmentation with that model: probabilities in [0, 1], mask = probability > 0.5, count = its components
		final RandomAccessibleInterval< ? extends RealType< ? > > p = VolumeIO.read(dir.resolve("probabilities.nii")).requireSingle3D("test");
		final RandomAccessibleInterval< ? extends RealType< ? > > m = VolumeIO.read(dir.resolve("mask.nii")).requireSingle3D("test");
		assertTrue(Intervals.equalDimensions(p, m));
		assertEquals(List.of(12L, 12L, 12L), List.of(m.dimension(0), m.dimension(1), m.dimension(2)));
		final Img< UnsignedByteType > mask = ArrayImgs.unsignedBytes(12, 12, 12);
		final Cursor< ? extends RealType< ? > > pc = Views.flatIterable(p).cursor(), mc = Views.flatIterable(m).cursor();
		final Cursor< UnsignedByteType > c = mask.cursor();
		while (pc.hasNext()) {
			final double prob = pc.next().getRealDouble();
			assertTrue(prob >= 0 && prob <= 1, "a probability: " + prob);
			final double v = mc.next().getRealDouble();
			assertEquals(prob > 0.5, v != 0, "mask = probability > 0.5");
			c.next().setReal(v != 0 ? 1 : 0);
		}
		final int components = LesionLabeling.label(mask, ArrayImgs.ints(12, 12, 12), Connectivity.TWENTY_SIX);
		assertEquals(Integer.toString(components), values.get("count"), out);
		double maxLabel = 0;
		for (final RealType< ? > v : Views.flatIterable(VolumeIO.read(dir.resolve("labels.nii")).requireSingle3D("test")))
			maxLabel = Math.max(maxLabel, v.getRealDouble());
		assertEquals(components, maxLabel, "labels 1..count");
		System.out.println("FijiLikeClassPathTest: the model trained in the Fiji-like JVM segments " + components + " lesion(s) in case0");
	}

	@Test
	void deviceReportRunsInTheWorkerAndNamesTheForeignJar(@TempDir final Path dir) throws Exception {
		final FijiLikeJvm fiji = FijiLikeJvm.create(dir, false);
		final String report = fiji.run("org.lesionweighting.app.Launcher", "--run", "TensorFlow Device Report", "device='cpu'");
		fiji.assertNoTensorFlowLoaded();
		assertTrue(report.contains("FOREIGN: ") && report.contains("libtensorflow-1.15.0.jar"), "the report names the foreign jar: " + report);
		assertTrue(report.contains("test_op_device: /job:localhost/replica:0/task:0/device:CPU:0"), report);
		assertTrue(report.contains("engine: worker"), report);
	}

	/** The {@code name=value} lines of an output. */
	private static Map< String, String > values(final String out) {
		final Map< String, String > v = new LinkedHashMap<>();
		for (final String l : out.split("\n"))
			if (l.matches("[a-z_.]+=.*")) v.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1).trim());
		return v;
	}
}
