package org.lesionweighting.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform table and the worker's class path on every platform, simulated with the {@code os.name} and
 * {@code os.arch} values each JVM reports there: a Fiji folder holding the update site's natives of all four
 * platforms, from which each platform's worker takes its own.
 */
class FijiPlatformTest {

	/** {@code os.name}, {@code os.arch} as JVMs report them, and the updater's platform name. */
	private static final String[][] SYSTEMS = { //
		{ "Linux", "amd64", "linux64" }, //
		{ "Linux", "aarch64", "linux-arm64" }, //
		{ "Mac OS X", "aarch64", "macos-arm64" }, //
		{ "Mac OS X", "x86_64", "macos64" }, //
		{ "Windows 11", "amd64", "win64" }, //
		{ "Windows 10", "aarch64", "win-arm64" }, //
		{ "Windows 10", "x86", "win32" }, //
		{ "Linux", "i386", "linux32" } };

	@Test
	void platformNamesAreTheUpdaters() {
		for (final String[] s : SYSTEMS)
			assertEquals(s[2], FijiPlatform.of(s[0], s[1]).fijiName(), s[0] + " " + s[1]);
		assertNull(FijiPlatform.of("FreeBSD", "amd64"));
		assertNull(FijiPlatform.of("Linux", "ppc64le"));
		assertEquals(List.of(FijiPlatform.LINUX64, FijiPlatform.LINUX_ARM64, FijiPlatform.MACOS_ARM64, FijiPlatform.WIN64), FijiPlatform.withNative());
		assertEquals("lib/win64/", FijiPlatform.WIN64.nativeFolder());
		assertEquals("windows-x86_64", FijiPlatform.WIN64.classifier());
		assertEquals("macosx-arm64", FijiPlatform.MACOS_ARM64.classifier());
	}

	@Test
	void nativeJarsAreMatchedByClassifierGpuIncluded() {
		assertTrue(FijiPlatform.LINUX64.isNativeJar("tensorflow-core-native-1.1.0-linux-x86_64.jar"));
		assertTrue(FijiPlatform.LINUX64.isNativeJar("tensorflow-core-native-1.1.0-linux-x86_64-gpu.jar"));
		assertFalse(FijiPlatform.LINUX64.isNativeJar("tensorflow-core-native-1.1.0-linux-arm64.jar"));
		assertFalse(FijiPlatform.LINUX_ARM64.isNativeJar("tensorflow-core-native-1.1.0-linux-x86_64.jar"));
		assertFalse(FijiPlatform.LINUX64.isNativeJar("tensorflow-core-native-1.1.0.jar"), "the classes jar is no native");
		assertFalse(FijiPlatform.MACOS64.isNativeJar("tensorflow-core-native-1.1.0-macosx-x86_64.jar"), "none exists");
	}

	/** A Fiji folder as the update site installs it on every platform (all natives, one per platform folder). */
	private static Path fiji(final Path dir) throws Exception {
		final Path lib = Files.createDirectories(dir.resolve("Fiji.app").resolve("lib"));
		final Path tf = Files.createDirectories(lib.resolve(WorkerClassPath.FIJI_FOLDER));
		for (final String n : new String[] { "tensorflow-core-api-1.1.0.jar", "tensorflow-framework-1.1.0.jar", "tensorflow-core-native-1.1.0.jar", "ndarray-1.0.0.jar", "protobuf-java-3.21.9.jar", "javacpp-1.5.10.jar" })
			Files.createFile(tf.resolve(n));
		for (final FijiPlatform p : FijiPlatform.withNative())
			Files.createFile(Files.createDirectories(lib.resolve(p.fijiName())).resolve("tensorflow-core-native-1.1.0-" + p.classifier() + ".jar"));
		return tf;
	}

	@Test
	void eachPlatformsWorkerTakesItsOwnNativeFromItsPlatformFolder(@TempDir final Path dir) throws Exception {
		final Path tf = fiji(dir);
		final Path lib = tf.getParent();
		final WorkerSettings settings = WorkerSettings.defaults().withTensorFlowJars(tf);
		for (final String[] s : new String[][] { { "Linux", "amd64" }, { "Linux", "aarch64" }, { "Mac OS X", "aarch64" }, { "Windows 11", "amd64" } }) {
			final FijiPlatform p = FijiPlatform.of(s[0], s[1]);
			final List< Path > cp = WorkerClassPath.build(settings, getClass().getClassLoader(), s[0], s[1]);
			final Path expected = lib.resolve(p.fijiName()).resolve("tensorflow-core-native-1.1.0-" + p.classifier() + ".jar");
			assertTrue(cp.contains(expected), p + ": " + cp);
			assertEquals(1, cp.stream().filter(WorkerClassPath::isNative).count(), p + " gets one native, its own: " + cp);
			for (final String jar : WorkerClassPath.TENSORFLOW_JARS)
				assertTrue(cp.stream().anyMatch(e -> e.getFileName().toString().startsWith(jar) && !WorkerClassPath.isNative(e)), jar);
		}
	}

	@Test
	void windowsClassPathUsesSemicolonsAndKeepsFoldersWithSpaces(@TempDir final Path dir) throws Exception {
		final Path tf = fiji(dir.resolve("Program Files"));
		final List< Path > cp = WorkerClassPath.build(WorkerSettings.defaults().withTensorFlowJars(tf), getClass().getClassLoader(), "Windows 11", "amd64");
		final String joined = WorkerClassPath.toString(cp, ";");
		final String[] parts = joined.split(";");
		assertEquals(cp.size(), parts.length, joined);
		for (int i = 0; i < parts.length; i++)
			assertEquals(cp.get(i).toString(), parts[i], "one entry per separator, spaces kept");
		assertTrue(joined.contains(tf.getParent().resolve("win64").resolve("tensorflow-core-native-1.1.0-windows-x86_64.jar").toString()), joined);
		assertFalse(joined.contains("linux-x86_64") || joined.contains("macosx") || joined.contains("linux-arm64"), joined);
		assertEquals(String.join(":", parts), WorkerClassPath.toString(cp, ":"));
	}

	@Test
	void aGpuNativeInThePlatformFolderIsPreferred(@TempDir final Path dir) throws Exception {
		final Path tf = fiji(dir);
		final Path gpu = Files.createFile(tf.getParent().resolve("linux64").resolve("tensorflow-core-native-1.1.0-linux-x86_64-gpu.jar"));
		final List< Path > cp = WorkerClassPath.build(WorkerSettings.defaults().withTensorFlowJars(tf), getClass().getClassLoader(), "Linux", "amd64");
		assertEquals(List.of(gpu), cp.stream().filter(WorkerClassPath::isNative).toList());
	}

	@Test
	void platformsWithoutANativeSayWhatIsMissingInOneLine(@TempDir final Path dir) throws Exception {
		final Path tf = fiji(dir);
		for (final String[] s : new String[][] { { "Mac OS X", "x86_64" }, { "Windows 10", "x86" }, { "Linux", "i386" }, { "FreeBSD", "amd64" } }) {
			final IllegalStateException e = assertThrows(IllegalStateException.class,
					() -> WorkerClassPath.build(WorkerSettings.defaults().withTensorFlowJars(tf), getClass().getClassLoader(), s[0], s[1]));
			final String m = e.getMessage();
			assertFalse(m.contains("\n"), m);
			assertTrue(m.startsWith("TensorFlow Java 1.1.0 has no native library for "), m);
			assertTrue(m.contains("run them on Linux x86-64, Linux ARM64, macOS on Apple silicon or Windows x86-64 (64-bit Java)"), m);
			assertTrue(m.contains("labeling, weight maps, phantoms, file IO and evaluation work here"), m);
		}
		assertTrue(FijiPlatform.missingNative(FijiPlatform.MACOS64, "Mac OS X", "x86_64").contains("macOS on Intel (macos64)"));
		// every TensorFlow command (the Device Report, training, segmentation) goes through Engines, which says it
		final String os = System.getProperty("os.name"), arch = System.getProperty("os.arch");
		// (Segment Lesions resolves the engine first, in-process or worker)
		final IllegalStateException e, inProcess;
		System.setProperty("os.name", "Mac OS X");
		System.setProperty("os.arch", "x86_64");
		try {
			e = assertThrows(IllegalStateException.class, () -> Engines.run(Engine.WORKER, new DeviceReportJob(null), null, null, null, null));
			inProcess = assertThrows(IllegalStateException.class, () -> Engines.resolve(Engine.IN_PROCESS));
		}
		finally {
			System.setProperty("os.name", os);
			System.setProperty("os.arch", arch);
		}
		assertEquals(FijiPlatform.missingNative(FijiPlatform.MACOS64, "Mac OS X", "x86_64"), e.getMessage());
		assertEquals(e.getMessage(), inProcess.getMessage());
		assertTrue(FijiPlatform.missingNative(null, "FreeBSD", "amd64").contains("FreeBSD amd64"));
		assertNull(FijiPlatform.missingNative(FijiPlatform.WIN64, "Windows 11", "amd64"));
	}
}
