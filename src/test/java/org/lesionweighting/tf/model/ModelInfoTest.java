package org.lesionweighting.tf.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.tf.graph.UNetConfig;

class ModelInfoTest {

	@Test
	void readsTheChannelCountOfAModelFolderAndOfATrainerFolder(@TempDir final Path dir) throws IOException {
		final Path saved = Files.createDirectories(dir.resolve("trainer").resolve(SavedModels.FOLDER_DEFAULT));
		ModelMetadata.of(UNetConfig.SMALL.withInputChannels(3)).write(saved);
		Files.writeString(saved.resolve(ModelInfo.SAVED_MODEL_FILE), "");
		assertEquals(3, ModelInfo.inputChannels(saved));
		assertEquals(3, ModelInfo.inputChannels(dir.resolve("trainer")), "the saved_model sub-folder of a trainer folder");
		assertEquals(saved, ModelInfo.savedModelFolder(dir.resolve("trainer")));
		assertEquals(saved, ModelInfo.savedModelFolder(saved));
	}

	@Test
	void acceptsTheOlderKeyAndDefaultsToOneChannel(@TempDir final Path dir) throws IOException {
		Files.writeString(dir.resolve("model.json"), "{\"network\": {\"preset\": \"small\", \"input_channels\": 4}}");
		assertEquals(4, ModelInfo.inputChannels(dir));
		Files.writeString(dir.resolve("model.json"), "{\"architecture\": {\"preset\": \"small\"}}");
		assertEquals(1, ModelInfo.inputChannels(dir));
		assertEquals(UNetConfig.SMALL.withInputChannels(4),
				ModelMetadata.fromJson("{\"network\": {\"preset\": \"small\", \"input_channels\": 4}}").architecture());
	}

	@Test
	void aFolderWithoutModelJsonIsAnIOExceptionNamingIt(@TempDir final Path dir) {
		final IOException e = assertThrows(IOException.class, () -> ModelInfo.inputChannels(dir.resolve("none")));
		assertTrue(e.getMessage().contains(dir.resolve("none").toString()) && e.getMessage().contains("saved_model.pb"), e.getMessage());
		final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> {
			Files.writeString(dir.resolve("model.json"), "{\"format\": \"lesion-weighting-model\"}");
			ModelInfo.inputChannels(dir);
		});
		assertTrue(bad.getMessage().contains("'architecture'"), bad.getMessage());
	}

	/** In a class loader without TensorFlow Java (as the Fiji side of the worker path), the channel count reads. */
	@Test
	void needsNoTensorFlowClass(@TempDir final Path dir) throws Exception {
		Files.writeString(dir.resolve("model.json"), "{\"architecture\": {\"preset\": \"paper\", \"input_channels\": 2}}");
		final URL classes = ModelInfo.class.getProtectionDomain().getCodeSource().getLocation();
		try (URLClassLoader noTf = new URLClassLoader(new URL[] { classes }, ClassLoader.getPlatformClassLoader())) {
			assertThrows(ClassNotFoundException.class, () -> noTf.loadClass("org.tensorflow.TensorFlow"));
			final Class< ? > info = noTf.loadClass(ModelInfo.class.getName());
			try {
				assertEquals(2, info.getMethod("inputChannels", Path.class).invoke(null, dir));
			}
			catch (final InvocationTargetException e) {
				throw new AssertionError("ModelInfo failed without TensorFlow: " + e.getCause(), e.getCause());
			}
		}
	}
}
