package org.lesionweighting.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Foreign TensorFlow detection with a fake {@code libtensorflow-1.15.0.jar} on a child class loader. */
public class TensorFlowCheckTest {

	/** Compiles a class {@code org.tensorflow.TensorFlow} and packs it as {@code libtensorflow-1.15.0.jar}. */
	/** Where the build copies the real {@code org.tensorflow:libtensorflow:1.15.0} jar (pom: foreign-tensorflow-for-tests). */
	static final Path REAL_TENSORFLOW1_JAR = Path.of("target", "foreign-tensorflow", "libtensorflow-1.15.0.jar");

	/**
	 * The TensorFlow 1 jar Fiji users have from CSBDeep, N2V or StarDist: the real one when the Maven build copied
	 * it ({@link #REAL_TENSORFLOW1_JAR}), else a {@link #fakeTensorFlow1Jar fake} with the same name and class.
	 */
	public static Path tensorFlow1Jar(final Path dir) throws Exception {
		return Files.isRegularFile(REAL_TENSORFLOW1_JAR) ? REAL_TENSORFLOW1_JAR.toAbsolutePath() : fakeTensorFlow1Jar(dir);
	}

	static Path fakeTensorFlow1Jar(final Path dir) throws Exception {
		final Path src = dir.resolve("src/org/tensorflow/TensorFlow.java");
		Files.createDirectories(src.getParent());
		Files.writeString(src, "package org.tensorflow;\npublic final class TensorFlow {\n\tpublic static String version() { return \"1.15.0\"; }\n}\n");
		final Path classes = dir.resolve("classes");
		Files.createDirectories(classes);
		final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
		assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), src.toString()));
		final Path jar = dir.resolve("libtensorflow-1.15.0.jar");
		try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os)) {
			j.putNextEntry(new JarEntry("org/tensorflow/TensorFlow.class"));
			j.write(Files.readAllBytes(classes.resolve("org/tensorflow/TensorFlow.class")));
			j.closeEntry();
		}
		return jar;
	}

	@Test
	void theTestClassPathHasTensorFlowJavaOnly() {
		final TensorFlowCheck.Status s = TensorFlowCheck.inspect(getClass().getClassLoader());
		assertTrue(s.usable(), s.toString());
		assertEquals(1, s.ours().size());
		assertTrue(s.ours().get(0).endsWith(TensorFlowCheck.EXPECTED_JAR));
		assertEquals("", s.message());
	}

	@Test
	void aTensorFlow1JarIsReportedAsForeignWithTheFix(@TempDir final Path dir) throws Exception {
		final Path jar = fakeTensorFlow1Jar(dir);
		try (URLClassLoader fiji = new URLClassLoader(new URL[] { jar.toUri().toURL() }, getClass().getClassLoader())) {
			// the fake class is real: a loader of its own (parent: bootstrap only) loads it
			try (URLClassLoader alone = new URLClassLoader(new URL[] { jar.toUri().toURL() }, null)) {
				assertEquals("1.15.0", alone.loadClass("org.tensorflow.TensorFlow").getMethod("version").invoke(null));
			}
			final TensorFlowCheck.Status s = TensorFlowCheck.inspect(fiji);
			assertTrue(s.foreign());
			assertFalse(s.usable());
			assertEquals(List.of(jar.toString()), s.foreignJars());
			assertTrue(s.message().contains("libtensorflow-1.15.0.jar"), s.message());
			assertTrue(s.message().contains("engine=worker"), "says how to fix it: " + s.message());
			assertTrue(s.message().contains("remove"), s.message());
		}
	}

	@Test
	void theRealTensorFlow1JarOfCsbDeepIsForeign() throws Exception {
		assertTrue(Files.isRegularFile(REAL_TENSORFLOW1_JAR),
				"the Maven build copies org.tensorflow:libtensorflow:1.15.0 to " + REAL_TENSORFLOW1_JAR + " (generate-test-resources)");
		final Path jar = REAL_TENSORFLOW1_JAR.toAbsolutePath();
		try (URLClassLoader fiji = new URLClassLoader(new URL[] { jar.toUri().toURL() }, null)) {
			final TensorFlowCheck.Status s = TensorFlowCheck.inspect(fiji);
			assertTrue(s.foreign(), s.toString());
			assertEquals(List.of(jar.toString()), s.foreignJars());
			assertTrue(s.message().contains("libtensorflow-1.15.0.jar"), s.message());
		}
	}

	@Test
	void onlyTheForeignJarIsAlsoForeign(@TempDir final Path dir) throws Exception {
		final Path jar = fakeTensorFlow1Jar(dir);
		try (URLClassLoader fiji = new URLClassLoader(new URL[] { jar.toUri().toURL() }, null)) {
			final TensorFlowCheck.Status s = TensorFlowCheck.inspect(fiji);
			assertEquals(List.of(), s.ours());
			assertEquals(List.of(jar.toString()), s.foreignJars());
		}
	}

	@Test
	void noTensorFlowAtAllMeansWorker() throws Exception {
		try (URLClassLoader bare = new URLClassLoader(new URL[0], null)) {
			final TensorFlowCheck.Status s = TensorFlowCheck.inspect(bare);
			assertFalse(s.usable());
			assertFalse(s.foreign());
			assertTrue(s.message().contains("worker"), s.message());
		}
	}

	@Test
	void engineChoiceResolves() {
		assertEquals(Engine.IN_PROCESS, Engines.resolve(Engine.AUTO).engine(), "TensorFlow Java on the test class path");
		assertEquals(Engine.WORKER, Engines.resolve(Engine.WORKER).engine());
		assertEquals(Engine.IN_PROCESS, Engines.resolve(Engine.IN_PROCESS).engine());
		System.setProperty(Engines.ENGINE_PROPERTY, "worker");
		try {
			assertEquals(Engine.WORKER, Engines.resolve(Engine.AUTO).engine(), "the launcher's --worker");
			assertEquals(Engine.IN_PROCESS, Engines.resolve(Engine.IN_PROCESS).engine(), "an explicit choice wins");
		}
		finally {
			System.clearProperty(Engines.ENGINE_PROPERTY);
		}
		assertEquals(Engine.IN_PROCESS, Engine.fromString("in-process"));
		assertEquals(Engine.IN_PROCESS, Engine.fromString(" InProcess "));
		assertEquals(Engine.AUTO, Engine.fromString(" "));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Engine.fromString("gpu"));
		assertTrue(e.getMessage().contains("auto, in_process, worker"), e.getMessage());
	}

	@Test
	void workerSettingsCheckTheirValues() {
		assertEquals("8g", WorkerSettings.defaults().withHeap("-Xmx8g").heap());
		assertThrows(IllegalArgumentException.class, () -> WorkerSettings.defaults().withHeap("lots"));
		assertThrows(IllegalArgumentException.class, () -> WorkerSettings.defaults().withGraceSeconds(-1));
		assertThrows(IllegalArgumentException.class, () -> WorkerSettings.defaults().withJvmOptions(List.of("UseSerialGC")));
		assertThrows(IllegalArgumentException.class, () -> WorkerSettings.defaults().withJvmOptions(List.of("-cp")));
		System.setProperty(WorkerSettings.JVM_OPTIONS_PROPERTY, " -Xss2m  -XX:+UseSerialGC ");
		try {
			assertEquals(List.of("-Xss2m", "-XX:+UseSerialGC"), WorkerSettings.fromEnvironment().jvmOptions());
		}
		finally {
			System.clearProperty(WorkerSettings.JVM_OPTIONS_PROPERTY);
		}
		final WorkerSettings s = WorkerSettings.defaults().withHeap("2g").withJvmOptions(List.of("-XX:+UseSerialGC"));
		assertEquals(List.of(s.java().toString(), "-Xmx2g", "-Djava.awt.headless=true", WorkerProcess.NO_PHYSICAL_MEMORY_LIMIT, "-XX:+UseSerialGC", "-cp",
				"a.jar", WorkerClassPath.MAIN_CLASS), new WorkerProcess(s).command(List.of(Path.of("a.jar"))));
		assertEquals(List.of(), WorkerSettings.defaults().jvmOptions());
	}

	@Test
	void theWorkerGetsTheQuietTensorFlowLogLevel() {
		final ProcessBuilder pb = new WorkerProcess(WorkerSettings.defaults()).processBuilder(List.of(Path.of("a.jar")));
		assertEquals(System.getenv().getOrDefault(WorkerProcess.TF_LOG_LEVEL_VARIABLE, "1"), pb.environment().get(WorkerProcess.TF_LOG_LEVEL_VARIABLE),
				"no INFO lines unless this JVM's environment says otherwise");
	}

	@Test
	void theWorkerClassPathTakesTensorFlowFromAFijiLayout(@TempDir final Path fiji) throws Exception {
		final Path lib = Files.createDirectories(fiji.resolve("lib").resolve(WorkerClassPath.FIJI_FOLDER));
		final Path platform = Files.createDirectories(fiji.resolve("lib").resolve(FijiPlatform.LINUX64.fijiName()));
		for (final String n : new String[] { "tensorflow-core-api-1.1.0.jar", "tensorflow-framework-1.1.0.jar", "tensorflow-core-native-1.1.0.jar", "ndarray-1.0.0.jar" })
			Files.createFile(lib.resolve(n));
		Files.createFile(platform.resolve("tensorflow-core-native-1.1.0-" + FijiPlatform.LINUX64.classifier() + ".jar"));
		final Path ours = Files.createFile(Files.createDirectories(fiji.resolve("jars")).resolve("lesion-weighting-0.1.0.jar"));
		final List< Path > jars = WorkerClassPath.tensorFlowJars(WorkerSettings.defaults(), getClass().getClassLoader(), ours, FijiPlatform.LINUX64);
		assertEquals(5, jars.size(), jars.toString());
		assertTrue(jars.stream().allMatch(p -> p.startsWith(fiji.resolve("lib"))), "found next to <Fiji>/jars/: " + jars);
		final List< Path > explicit = WorkerClassPath.tensorFlowJars(WorkerSettings.defaults().withTensorFlowJars(lib), getClass().getClassLoader(), null,
				FijiPlatform.LINUX64);
		assertEquals(5, explicit.size(), explicit.toString());
		assertTrue(explicit.contains(platform.resolve("tensorflow-core-native-1.1.0-" + FijiPlatform.LINUX64.classifier() + ".jar")));
		// a GPU native jar is preferred over the CPU one
		Files.createFile(platform.resolve("tensorflow-core-native-1.1.0-" + FijiPlatform.LINUX64.classifier() + "-gpu.jar"));
		final List< Path > gpu = WorkerClassPath.tensorFlowJars(WorkerSettings.defaults().withTensorFlowJars(lib), getClass().getClassLoader(), null,
				FijiPlatform.LINUX64);
		assertEquals(5, gpu.size());
		assertTrue(gpu.stream().anyMatch(p -> p.toString().endsWith("-gpu.jar")));
		// an incomplete folder is named in the error
		Files.delete(lib.resolve("ndarray-1.0.0.jar"));
		final IllegalStateException e = assertThrows(IllegalStateException.class, () -> WorkerClassPath
				.tensorFlowJars(WorkerSettings.defaults().withTensorFlowJars(lib), getClass().getClassLoader(), null, FijiPlatform.LINUX64));
		assertTrue(e.getMessage().contains("ndarray-"), e.getMessage());
	}
}
