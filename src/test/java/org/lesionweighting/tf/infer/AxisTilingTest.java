package org.lesionweighting.tf.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The padding and grid arithmetic of doc/method.md §3.5, checked against hand-computed values. */
class AxisTilingTest {

	// padded = max(s, 160) + ((144 - max(s,160) + 160) mod 144), Python (non-negative) modulo

	@Test
	void paperSize182() {
		// max = 182; (144 - 182 + 160) = 122; 122 mod 144 = 122; 182 + 122 = 304
		final AxisTiling t = new AxisTiling(182, 160, 144, 8);
		assertEquals(304, t.padded());
		assertEquals(61, t.padBefore());
		assertEquals(2, t.numWindows());
		assertEquals(-61, t.windowOrigin(0));
		assertEquals(83, t.windowOrigin(1));
		assertEquals(160, t.networkSize()); // 160 is a multiple of 8: no-op
		assertEquals(0, t.networkPadBefore());
	}

	@Test
	void paperSize218() {
		// 144 - 218 + 160 = 86 -> 304; pad 86 = 43 + 43
		final AxisTiling t = new AxisTiling(218, 160, 144, 1);
		assertEquals(304, t.padded());
		assertEquals(43, t.padBefore());
		assertEquals(2, t.numWindows());
	}

	@Test
	void largeSizeNegativeModulo() {
		// 144 - 512 + 160 = -208; -208 mod 144 = 80 (Python) -> 592; (592 - 160) / 144 + 1 = 4 windows; pad 80 = 40 + 40
		final AxisTiling t = new AxisTiling(512, 160, 144, 1);
		assertEquals(592, t.padded());
		assertEquals(40, t.padBefore());
		assertEquals(4, t.numWindows());
		assertEquals(592 - 160 - 40, t.windowOrigin(3));
	}

	@Test
	void exactFitNeedsNoPadding() {
		assertEquals(160, new AxisTiling(160, 160, 144, 1).padded()); // (144 - 160 + 160) mod 144 = 0
		assertEquals(304, new AxisTiling(304, 160, 144, 1).padded()); // (144 - 304 + 160) = 0
	}

	@Test
	void oneVoxelMoreAddsAWindow() {
		assertEquals(304, new AxisTiling(161, 160, 144, 1).padded()); // 143 -> 304
		assertEquals(448, new AxisTiling(305, 160, 144, 1).padded()); // -1 mod 144 = 143 -> 448
		assertEquals(3, new AxisTiling(305, 160, 144, 1).numWindows());
	}

	@Test
	void volumeSmallerThanWindow() {
		// max(100, 160) = 160; (144 - 160 + 160) mod 144 = 0 -> one window, 60 voxels of padding, 30 before
		final AxisTiling t = new AxisTiling(100, 160, 144, 1);
		assertEquals(160, t.padded());
		assertEquals(30, t.padBefore());
		assertEquals(1, t.numWindows());
		assertEquals(1, new AxisTiling(1, 16, 12, 1).numWindows());
	}

	@Test
	void oddPaddingPutsTheExtraVoxelAfter() {
		// size 20, patch 16, stride 12: max 20; (12 - 20 + 16) = 8 -> 28; delta 8 -> 4 before
		final AxisTiling t = new AxisTiling(20, 16, 12, 1);
		assertEquals(28, t.padded());
		assertEquals(4, t.padBefore());
		assertEquals(2, t.numWindows());
		// size 21: (12 - 21 + 16) = 7 -> 28; delta 7 -> 3 before, 4 after
		assertEquals(3, new AxisTiling(21, 16, 12, 1).padBefore());
	}

	@Test
	void windowRoundedUpToDivisorWithPaddingSplit() {
		// patch 20, divisor 8 -> 24; 4 voxels, 2 before
		final AxisTiling t = new AxisTiling(50, 20, 16, 8);
		assertEquals(24, t.networkSize());
		assertEquals(2, t.networkPadBefore());
		// patch 6, divisor 4 -> 8; 2 voxels, 1 before
		assertEquals(1, new AxisTiling(6, 6, 6, 4).networkPadBefore());
		// patch 5, divisor 4 -> 8; 3 voxels, 1 before (floor), 2 after
		assertEquals(8, new AxisTiling(6, 5, 5, 4).networkSize());
		assertEquals(1, new AxisTiling(6, 5, 5, 4).networkPadBefore());
	}

	@Test
	void strideLargerThanPatchIsRejected() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AxisTiling(100, 16, 17, 1));
		assertEquals(true, e.getMessage().contains("stride"));
	}
}
