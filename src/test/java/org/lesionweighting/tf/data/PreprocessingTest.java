package org.lesionweighting.tf.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import net.imglib2.img.array.ArrayImgs;

class PreprocessingTest {

	@Test
	void windowClipsThenScalesByClippedMinMax() {
		// clip to [-300, 300]: {-1000, -100, 0, 200, 900} -> {-300, -100, 0, 200, 300}; min -300, max 300
		final float[] out = Preprocessing.window(-300, 300).apply(ArrayImgs.floats(new float[] { -1000, -100, 0, 200, 900, 0 }, 3, 2, 1));
		assertArrayEquals(new float[] { 0f, 200f / 600, 0.5f, 500f / 600, 1f, 0.5f }, out, 1e-6f);
	}

	@Test
	void windowUsesVolumeRangeNotWindowBounds() {
		// all inside the window: min 10, max 30 (doc/method.md appendix C.18)
		final float[] out = Preprocessing.window(-300, 300).apply(ArrayImgs.floats(new float[] { 10, 20, 30, 20 }, 2, 2));
		assertArrayEquals(new float[] { 0f, 0.5f, 1f, 0.5f }, out, 1e-6f);
	}

	@Test
	void windowOfConstantVolumeIsZero() {
		assertArrayEquals(new float[] { 0, 0, 0, 0 }, Preprocessing.window(0, 1).apply(ArrayImgs.floats(new float[] { 5, 5, 5, 5 }, 2, 2)));
	}

	@Test
	void zscoreOverWholeVolume() {
		// mean 2.5, population std sqrt(1.25)
		final float[] out = Preprocessing.ZSCORE.apply(ArrayImgs.floats(new float[] { 1, 2, 3, 4 }, 2, 2));
		final double sd = Math.sqrt(1.25);
		assertArrayEquals(new float[] { (float) (-1.5 / sd), (float) (-0.5 / sd), (float) (0.5 / sd), (float) (1.5 / sd) }, out, 1e-6f);
	}

	@Test
	void zscoreNonzeroKeepsZerosAndUsesNonzeroStatistics() {
		// nonzero {2, 4}: mean 3, std 1
		final float[] out = Preprocessing.ZSCORE_NONZERO.apply(ArrayImgs.floats(new float[] { 0, 2, 0, 4 }, 2, 2));
		assertArrayEquals(new float[] { 0, -1, 0, 1 }, out, 1e-6f);
	}

	@Test
	void noneKeepsValues() {
		assertArrayEquals(new float[] { -7, 3 }, Preprocessing.NONE.apply(ArrayImgs.floats(new float[] { -7, 3 }, 2, 1)));
	}

	@Test
	void stringAndMapRoundTrip() {
		for (final Preprocessing p : new Preprocessing[] { Preprocessing.NONE, Preprocessing.ZSCORE, Preprocessing.ZSCORE_NONZERO, Preprocessing.window(-1000,
				300), Preprocessing.window(-0.5, 2.25), Preprocessing.clipZscore(-100, 250.5, 40, 12.5) }) {
			assertEquals(p, Preprocessing.fromString(p.toString()));
			assertEquals(p, Preprocessing.fromMap(p.toMap()));
		}
		assertEquals(Preprocessing.window(-300, 300), Preprocessing.fromString("window[-300, 300]"));
		assertEquals("window:-300,300", Preprocessing.LITS_WINDOW.toString());
	}

	@Test
	void clipZscoreClipsThenUsesTheFixedMeanAndStd() {
		final float[] out = Preprocessing.clipZscore(-100, 200, 50, 25).apply(ArrayImgs.floats(new float[] { -1000, 0, 50, 100, 3000 }, 5, 1));
		assertArrayEquals(new float[] { -6, -2, 0, 2, 6 }, out);
		assertEquals("clip_zscore:-100,200,50,25", Preprocessing.clipZscore(-100, 200, 50, 25).toString());
		assertThrows(IllegalArgumentException.class, () -> Preprocessing.clipZscore(0, 1, 0, 0));
		assertThrows(IllegalArgumentException.class, () -> Preprocessing.fromString("clip_zscore:1,2,3"));
	}

	@Test
	void unknownStringNamesAcceptedValues() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Preprocessing.fromString("histogram"));
		assertTrue(e.getMessage().contains("histogram") && e.getMessage().contains("zscore") && e.getMessage().contains("window"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> Preprocessing.window(3, 3));
	}

	@Test
	void nanIsRejected() {
		assertThrows(IllegalArgumentException.class, () -> Preprocessing.ZSCORE.apply(ArrayImgs.floats(new float[] { 1, Float.NaN }, 2, 1)));
	}
}
