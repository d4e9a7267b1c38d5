package org.lesionweighting.tf.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lesionweighting.util.Json;

/** Presets, parsing, validation and serialisation of {@link UNetConfig}. */
class UNetConfigTest {

	@Test
	void testPaperPresetIsMethod31() {
		assertArrayEquals(new int[] { 16, 64, 128, 256 }, UNetConfig.PAPER.widths());
		assertEquals(3, UNetConfig.PAPER.levels());
		assertEquals(8, UNetConfig.PAPER.sizeMultiple());
		assertEquals(Normalization.BATCH, UNetConfig.PAPER.normalization());
		assertEquals(1, UNetConfig.PAPER.inputChannels());
		assertEquals(0.1, UNetConfig.PAPER.momentum());
		assertEquals(1e-5, UNetConfig.PAPER.epsilon());
	}

	@Test
	void testSmallPreset() {
		assertArrayEquals(new int[] { 8, 16, 32 }, UNetConfig.SMALL.widths());
		assertEquals(4, UNetConfig.SMALL.sizeMultiple());
	}

	@Test
	void testFromString() {
		assertSame(UNetConfig.PAPER, UNetConfig.fromString(" Paper "));
		assertSame(UNetConfig.SMALL, UNetConfig.fromString("small"));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UNetConfig.fromString("huge"));
		assertTrue(e.getMessage().contains("'huge'") && e.getMessage().contains("paper, small"), e.getMessage());
	}

	@Test
	void testNormalizationFromString() {
		assertEquals(Normalization.INSTANCE, Normalization.fromString("instance"));
		assertEquals(Normalization.NONE, Normalization.fromString("NONE"));
		assertThrows(IllegalArgumentException.class, () -> Normalization.fromString("group"));
	}

	@Test
	void testFluentCopiesAreImmutable() {
		final UNetConfig c = UNetConfig.SMALL.withInputChannels(3).withNormalization(Normalization.INSTANCE);
		assertEquals(1, UNetConfig.SMALL.inputChannels());
		assertEquals(3, c.inputChannels());
		assertEquals("small", c.preset());
		assertEquals("custom", c.withWidths(4, 8).preset());
		final int[] w = c.widths();
		w[0] = 99;
		assertEquals(8, c.widths()[0]);
	}

	@Test
	void testWithLevels() {
		assertArrayEquals(UNetConfig.SMALL.widths(), UNetConfig.PAPER.withLevels(2, 8).widths());
		assertEquals("custom", UNetConfig.PAPER.withLevels(2, 8).preset());
		assertEquals(UNetConfig.SMALL, UNetConfig.SMALL.withLevels(2, 8));
		assertArrayEquals(new int[] { 4, 8, 16, 32, 64 }, UNetConfig.SMALL.withLevels(4, 4).widths());
		assertEquals(16, UNetConfig.SMALL.withLevels(4, 4).sizeMultiple());
		assertThrows(IllegalArgumentException.class, () -> UNetConfig.SMALL.withLevels(0, 8));
		assertThrows(IllegalArgumentException.class, () -> UNetConfig.SMALL.withLevels(2, 0));
	}

	@Test
	void testInvalidSettingsRejected() {
		assertThrows(IllegalArgumentException.class, () -> UNetConfig.SMALL.withInputChannels(0));
		assertThrows(IllegalArgumentException.class, () -> UNetConfig.SMALL.withWidths(8));
		assertThrows(IllegalArgumentException.class, () -> UNetConfig.SMALL.withWidths(8, 0, 4));
		assertThrows(IllegalArgumentException.class, () -> UNetConfig.SMALL.withMomentum(0));
		assertThrows(IllegalArgumentException.class, () -> UNetConfig.SMALL.withEpsilon(-1));
	}

	@Test
	void testRequireInputSize() {
		UNetConfig.PAPER.requireInputSize("test", 16, 8, 128);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UNetConfig.PAPER.requireInputSize("test", 16, 20, 8));
		assertTrue(e.getMessage().startsWith("test: "), e.getMessage());
		assertTrue(e.getMessage().contains("[16, 20, 8]") && e.getMessage().contains("[16, 24, 8]"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> UNetConfig.SMALL.requireInputSize("test", 0, 4, 4));
		UNetConfig.SMALL.requireInputSize("test", 4, 12, 4);
	}

	@Test
	void testMapRoundTripThroughJson() {
		for (final UNetConfig c : new UNetConfig[] { UNetConfig.PAPER, UNetConfig.SMALL.withInputChannels(2)
				.withNormalization(Normalization.NONE), UNetConfig.PAPER.withWidths(4, 8, 12).withMomentum(0.05) }) {
			assertEquals(c, UNetConfig.fromMap(Json.parseObject(Json.write(c.toMap()))));
		}
		assertNotEquals(UNetConfig.PAPER, UNetConfig.SMALL);
	}
}
