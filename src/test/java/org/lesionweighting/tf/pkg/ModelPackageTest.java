package org.lesionweighting.tf.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.tf.data.Preprocessing;
import org.lesionweighting.util.Json;
import org.lesionweighting.util.Yaml;

import net.imglib2.RandomAccessibleInterval;

/** Opening packages without TensorFlow: what is refused and why, the preprocessing read, the clean-up. */
class ModelPackageTest {

	/** A package folder with a stand-in SavedModel (not loadable, enough for opening) and a description changed by {@code edit}. */
	static Path fakePackage(final Path dir, final Consumer< Map< String, Object > > edit) throws IOException {
		Files.createDirectories(dir);
		try (OutputStream o = Files.newOutputStream(dir.resolve("saved_model.zip")); ZipOutputStream z = new ZipOutputStream(o)) {
			z.putNextEntry(new ZipEntry("saved_model.pb"));
			z.write(new byte[] { 1, 2, 3 });
			z.putNextEntry(new ZipEntry("model.json"));
			z.write(Json.write(Map.of("format", "lesion-weighting-model", "architecture", Map.of("preset", "small", "input_channels", 1), "preprocessing",
					Map.of("kind", "none"))).getBytes(StandardCharsets.UTF_8));
			z.closeEntry();
		}
		final Map< String, Object > d = new LinkedHashMap<>();
		d.put("format_version", "0.5.7");
		d.put("type", "model");
		final List< Object > in = new ArrayList<>(List.of(Map.of("type", "batch")));
		for (final String a : List.of("z", "y", "x"))
			in.add(Map.of("type", "space", "id", a, "size", Map.of("min", 8, "step", 8)));
		in.add(Map.of("type", "channel", "channel_names", List.of("flair")));
		final List< Object > out = new ArrayList<>(in.subList(0, 4));
		out.add(Map.of("type", "channel", "channel_names", List.of("lesion")));
		d.put("inputs", new ArrayList<>(List
				.of(new LinkedHashMap<>(Map.of("id", "image", "axes", in, "preprocessing", SpecPreprocessing.toSpec(Preprocessing.ZSCORE_NONZERO).steps())))));
		d.put("outputs",
				new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("id", "probability", "axes", out, "postprocessing", List.of(Map.of("id", "sigmoid")))))));
		d.put("weights", new LinkedHashMap<>(Map.of("tensorflow_saved_model_bundle",
				Map.of("source", "saved_model.zip", "sha256", ModelPackage.sha256(dir.resolve("saved_model.zip")), "tensorflow_version", "2.16"))));
		d.put("config", Map.of("lesion_weighting", Map.of("preprocessing", "zscore_nonzero")));
		edit.accept(d);
		Files.writeString(dir.resolve("rdf.yaml"), Yaml.write(d));
		return dir;
	}

	@SuppressWarnings("unchecked")
	static Map< String, Object > first(final Map< String, Object > d, final String key) {
		return (Map< String, Object >) ((List< Object >) d.get(key)).get(0);
	}

	static String refusal(final Path dir, final Consumer< Map< String, Object > > edit) throws IOException {
		final Path p = fakePackage(dir, edit);
		return assertThrows(IllegalArgumentException.class, () -> ModelPackage.open(p)).getMessage();
	}

	@Test
	void opensAFolderAndWritesTheStatedPreprocessing(@TempDir final Path dir) throws IOException {
		final Path p = fakePackage(dir.resolve("pkg"), d -> {});
		final Path unpacked;
		try (ModelPackage m = ModelPackage.open(p)) {
			assertTrue(m.isPackage());
			assertEquals(Preprocessing.ZSCORE_NONZERO, m.preprocessing(), "config's exact preprocessing: the steps are its spec form");
			unpacked = m.modelFolder();
			assertEquals(Map.of("kind", "zscore_nonzero"), Json.parseObject(Files.readString(unpacked.resolve("model.json"))).get("preprocessing"));
		}
		assertFalse(Files.exists(unpacked), "close deletes the unpacked model");
		// steps that are not the spec form of config's value win: the description is what tools run
		try (ModelPackage m = ModelPackage.open(fakePackage(dir.resolve("pkg2"),
				d -> first(d, "inputs").put("preprocessing", SpecPreprocessing.toSpec(Preprocessing.window(0, 80)).steps())))) {
			assertEquals(Preprocessing.window(0, 80), m.preprocessing());
		}
	}

	@Test
	void aModelFolderIsUsedAsItIs(@TempDir final Path dir) throws IOException {
		try (ModelPackage m = ModelPackage.open(dir)) {
			assertFalse(m.isPackage());
			assertEquals(dir, m.modelFolder());
		}
		assertTrue(Files.isDirectory(dir));
	}

	@Test
	void packagesTheSuiteCannotRunGetOneClearError(@TempDir final Path dir) throws IOException {
		String e = refusal(dir.resolve("a"), d -> {
			// the order of the description (a LinkedHashMap, as the YAML reader gives): Map.of's order changes from one JVM to the next
			Map< String, Object > weights = new LinkedHashMap<>();
			weights.put("pytorch_state_dict", Map.of("source", "w.pt"));
			weights.put("onnx", Map.of("source", "w.onnx"));
			d.put("weights", weights);
		});
		assertTrue(e.contains("[pytorch_state_dict, onnx]") && e.contains("TensorFlow SavedModel weights only"), e);
		e = refusal(dir.resolve("b"), d -> ((List< Object >) first(d, "inputs").get("axes")).remove(1));
		assertTrue(e.contains("input axes [batch, y, x, channel]") && e.contains("[batch, z, y, x, channel]"), e);
		e = refusal(dir.resolve("c"), d -> ((List< Object >) d.get("outputs")).add(first(d, "outputs")));
		assertTrue(e.contains("1 input(s) and 2 output(s)"), e);
		e = refusal(dir.resolve("d"), d -> d.put("format_version", "0.4.10"));
		assertTrue(e.contains("format_version 0.4.10"), e);
		e = refusal(dir.resolve("e"), d -> d.put("type", "dataset"));
		assertTrue(e.contains("'dataset', not a model"), e);
		e = refusal(dir.resolve("f"), d -> first(d, "outputs").put("postprocessing", List.of()));
		assertTrue(e.contains("without sigmoid"), e);
	}

	@Test
	void aWrongChecksumOrAnEscapingEntryIsAnIOException(@TempDir final Path dir) throws IOException {
		final Path p = fakePackage(dir.resolve("p"), d -> {});
		Files.writeString(p.resolve("saved_model.zip"), "changed");
		final IOException e = assertThrows(IOException.class, () -> ModelPackage.open(p));
		assertTrue(e.getMessage().contains("saved_model.zip") && e.getMessage().contains("SHA-256"), e.getMessage());
		final Path evil = dir.resolve("evil.zip");
		try (OutputStream o = Files.newOutputStream(evil); ZipOutputStream z = new ZipOutputStream(o)) {
			z.putNextEntry(new ZipEntry("../outside.txt"));
			z.write(1);
		}
		final IOException e2 = assertThrows(IOException.class, () -> ModelPackage.open(evil));
		assertTrue(e2.getMessage().contains("outside the package"), e2.getMessage());
		assertFalse(Files.exists(dir.resolve("outside.txt")));
	}

	/** In a class loader without TensorFlow Java (the Fiji side of the worker path), packages open. */
	@Test
	void needsNoTensorFlowClass(@TempDir final Path dir) throws Exception {
		final Path p = fakePackage(dir.resolve("pkg"), d -> {});
		final URL classes = ModelPackage.class.getProtectionDomain().getCodeSource().getLocation();
		final URL imglib2 = RandomAccessibleInterval.class.getProtectionDomain().getCodeSource().getLocation();
		try (URLClassLoader noTf = new URLClassLoader(new URL[] { classes, imglib2 }, ClassLoader.getPlatformClassLoader())) {
			assertThrows(ClassNotFoundException.class, () -> noTf.loadClass("org.tensorflow.TensorFlow"));
			final Class< ? > c = noTf.loadClass(ModelPackage.class.getName());
			try (AutoCloseable m = (AutoCloseable) c.getMethod("open", Path.class).invoke(null, p)) {
				assertEquals(true, c.getMethod("isPackage").invoke(m));
			}
			catch (final InvocationTargetException e) {
				throw new AssertionError("ModelPackage failed without TensorFlow: " + e.getCause(), e.getCause());
			}
		}
	}
}
