package org.lesionweighting.tf.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.tf.graph.Normalization;
import org.lesionweighting.tf.graph.UNetConfig;

/** Round trips and validation of {@link ModelMetadata}. */
class ModelMetadataTest {

	static ModelMetadata sample() {
		return sample(0xBadCafeL, List.of(0.7, 0.7, 5.0));
	}

	static ModelMetadata sample(final long seed, final List< Double > voxelSpacing) {
		final Map< String, Object > pre = new LinkedHashMap<>();
		pre.put("kind", "window");
		pre.put("lo", -300.0);
		pre.put("hi", 300.0);
		final Map< String, Object > h1 = new LinkedHashMap<>();
		h1.put("iteration", 1.0);
		h1.put("loss", 0.75);
		final Map< String, Object > h2 = new LinkedHashMap<>();
		h2.put("iteration", 2.0);
		h2.put("loss", Double.NaN);
		return new ModelMetadata(UNetConfig.SMALL.withInputChannels(2).withNormalization(Normalization.INSTANCE), pre, List.of(32, 48, 64), voxelSpacing,
				"dice", "inverse_volume", seed, "CPU (/device:CPU:0)", ModelMetadata.currentSoftware(), List.of(h1, h2), Map.of("note", "test"));
	}

	@Test
	void testJsonRoundTrip() {
		final ModelMetadata m = sample();
		final ModelMetadata back = ModelMetadata.fromJson(m.toJson());
		assertEquals(m.architecture(), back.architecture());
		assertEquals(List.of(32, 48, 64), back.patchSize());
		assertEquals(List.of(0.7, 0.7, 5.0), back.voxelSpacing());
		assertEquals("dice", back.loss());
		assertEquals("inverse_volume", back.weighting());
		assertEquals(0xBadCafeL, back.seed());
		assertEquals(m.software(), back.software());
		assertEquals(m.preprocessing(), back.preprocessing());
		assertEquals(0.75, back.history().get(0).get("loss"));
		assertTrue(Double.isNaN((Double) back.history().get(1).get("loss")));
		assertEquals(m.toJson(), back.toJson());
	}

	@Test
	void testToleratesOtherWriters() {
		final String json = "{\"network\": {\"preset\": \"small\", \"input_channels\": 2}, \"seed\": \"123\", \"dataset\": \"ms\", \"history\": [{\"iteration\": 1, \"loss\": 0.5}, [2, 0.25]]}";
		final ModelMetadata m = ModelMetadata.fromJson(json);
		assertEquals(UNetConfig.SMALL.withInputChannels(2), m.architecture());
		assertEquals(123, m.seed());
		assertEquals("ms", m.extra().get("dataset"));
		assertEquals(0.5, m.history().get(0).get("loss"));
		assertEquals(List.of(2.0, 0.25), m.history().get(1).get("values"));
	}

	@Test
	void testLargeSeedSurvives() {
		final ModelMetadata m = sample(Long.MIN_VALUE + 3, List.of(0.7, 0.7, 5.0));
		assertEquals(Long.MIN_VALUE + 3, ModelMetadata.fromJson(m.toJson()).seed());
	}

	@Test
	void testSoftwareVersions() {
		final Map< String, String > s = ModelMetadata.currentSoftware();
		assertEquals("1.1.0", s.get("tensorflow_java"));
		assertTrue(s.get("tensorflow_native").startsWith("2."), s.get("tensorflow_native"));
		assertFalse(s.get("lesion_weighting").isEmpty());
	}

	@Test
	void testFileRoundTrip(@TempDir final Path dir) throws IOException {
		final ModelMetadata m = sample(0xBadCafeL, null);
		m.write(dir);
		assertTrue(Files.isRegularFile(dir.resolve("model.json")));
		final ModelMetadata back = ModelMetadata.read(dir);
		assertNull(back.voxelSpacing());
		assertEquals(m.toJson(), back.toJson());
	}

	@Test
	void testMissingFileAndWrongFormat(@TempDir final Path dir) throws IOException {
		final IOException e = assertThrows(IOException.class, () -> ModelMetadata.read(dir));
		assertTrue(e.getMessage().contains("model.json"), e.getMessage());
		Files.writeString(dir.resolve("model.json"), "{\"format\": \"other\", \"architecture\": {}}");
		assertThrows(IllegalArgumentException.class, () -> ModelMetadata.read(dir));
		Files.writeString(dir.resolve("model.json"), "{\"format_version\": 99, \"architecture\": {}}");
		assertThrows(IllegalArgumentException.class, () -> ModelMetadata.read(dir));
	}
}
