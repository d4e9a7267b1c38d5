package org.lesionweighting.fiji.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.io.VolumeGeometry;
import org.lesionweighting.io.VolumeIO;
import org.lesionweighting.tf.infer.TestModels;

import net.imglib2.img.array.ArrayImgs;

/**
 * A Fiji-like JVM: ImageJ 1, SciJava, ImgLib2, protobuf, JavaCPP, the suite's classes and a TensorFlow 1.x jar
 * (a fake {@code libtensorflow-1.15.0.jar}) but no TensorFlow Java on the class path, the TensorFlow Java jars
 * in a separate folder as in {@code <Fiji>/lib/lesion-weighting/}. The launcher's segmentation and device
 * report with {@code engine=auto} go to the worker without any class clash: any {@code org.tensorflow} class
 * loaded on the Fiji side would be missing there (NoClassDefFoundError) or be the fake one.
 */
class FijiLikeClassPathTest {

	@Test
	void segmentationAndDeviceReportRunInTheWorkerBesideATensorFlow1Jar(@TempDir final Path dir) throws Exception {
		final List< String > fiji = new ArrayList<>();
		final Path tf = Files.createDirectories(dir.resolve("lib/lesion-weighting"));
		for (final String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
			final String n = Paths.get(e).getFileName().toString();
			if (n.startsWith("tensorflow-") || n.startsWith("ndarray-")) Files.createSymbolicLink(tf.resolve(n), Paths.get(e).toAbsolutePath());
			else if (n.equals("classes") || n.startsWith("ij-") || n.startsWith("scijava-common-") || n.startsWith("parsington-") || n.startsWith("imglib2-") || n.startsWith("protobuf-java-") || n.startsWith("javacpp-")) fiji.add(e);
		}
		fiji.add(TensorFlowCheckTest.fakeTensorFlow1Jar(dir.resolve("fake")).toString());

		final Path model = dir.resolve("model");
		TestModels.exportConv(model, 1);
		final float[] img = new float[8 * 8 * 8];
		final SplittableRandom r = new SplittableRandom(2);
		for (int i = 0; i < img.length; i++)
			img[i] = (float) r.nextGaussian();
		final Path input = dir.resolve("in.nii");
		VolumeIO.write(input, ArrayImgs.floats(img, 8, 8, 8), VolumeGeometry.ofSpacing(1, 1, 1));

		final String seg = run(fiji, tf, "--run", "Segment Lesions", "model='" + model + "',input='" + input + "',patch_size=6,stride=4,device='cpu',mask_path='" + dir.resolve("mask.nii") + "'");
		assertTrue(Files.isRegularFile(dir.resolve("mask.nii")), seg);
		assertTrue(seg.contains("count="), seg);
		final String report = run(fiji, tf, "--run", "TensorFlow Device Report", "device='cpu'");
		assertTrue(report.contains("FOREIGN: ") && report.contains("libtensorflow-1.15.0.jar"), "the report names the foreign jar: " + report);
		assertTrue(report.contains("test_op_device: /job:localhost/replica:0/task:0/device:CPU:0"), report);
		assertTrue(report.contains("engine: worker"), report);
	}

	/** Runs the launcher in a Fiji-like JVM; returns stdout + stderr, asserting exit code 0. */
	private static String run(final List< String > classPath, final Path tfJars, final String... args) throws Exception {
		final List< String > cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Djava.awt.headless=true", "-D" + WorkerSettings.TF_JARS_PROPERTY + "=" + tfJars, "-cp", String.join(File.pathSeparator, classPath), "org.lesionweighting.app.Launcher"));
		cmd.addAll(List.of(args));
		final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(p.waitFor(120, TimeUnit.SECONDS));
		assertEquals(0, p.exitValue(), out);
		return out;
	}
}
