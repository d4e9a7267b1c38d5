package org.lesionweighting.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * numpy's legacy RandomState. Expected values from python3 + numpy 2.4:
 *
 * <pre>
 * rs = np.random.RandomState(42); print(rs.randint(0, 2**32, size=5, dtype=np.uint32).tolist())
 * rs = np.random.RandomState(42); ids = np.arange(145)
 * for k in range(3): rs.shuffle(ids); print(k, ids[:12].tolist(), ids[-3:].tolist())
 * rs = np.random.RandomState(7); ids = np.array(sorted(['a','b','c','d','e','f','g']))
 * for k in range(2): rs.shuffle(ids); print(ids.tolist())
 * rs = np.random.RandomState(0); x = np.arange(2**16 + 5); rs.shuffle(x); print(x[:6].tolist())
 * </pre>
 */
class LegacyRandomStateTest {

	@Test
	void rawOutputsOfSeed42() {
		final LegacyRandomState rs = new LegacyRandomState(42);
		final long[] expected = { 1608637542L, 3421126067L, 4083286876L, 787846414L, 3143890026L };
		for (final long e : expected)
			assertEquals(e, rs.nextUint32());
	}

	@Test
	void cumulativeShufflesMatchNumpy() {
		final LegacyRandomState rs = new LegacyRandomState(42);
		final Integer[] ids = new Integer[145];
		for (int i = 0; i < ids.length; i++)
			ids[i] = i;
		final Integer[][] heads = { { 69, 140, 27, 19, 42, 117, 126, 108, 84, 18, 12, 55 }, { 98, 7, 78, 53, 108, 94, 5, 19, 92, 73, 6, 116 }, { 10, 60, 33, 85, 38, 75, 138, 96, 70, 105, 73, 126 } };
		final Integer[][] tails = { { 14, 92, 102 }, { 63, 97, 13 }, { 69, 61, 119 } };
		for (int k = 0; k < 3; k++) {
			rs.shuffle(ids);
			assertArrayEquals(heads[k], Arrays.copyOf(ids, 12), "iteration " + k);
			assertArrayEquals(tails[k], Arrays.copyOfRange(ids, 142, 145), "iteration " + k);
		}
	}

	@Test
	void shuffleOfStringsMatchesNumpy() {
		final LegacyRandomState rs = new LegacyRandomState(7);
		final String[] ids = { "a", "b", "c", "d", "e", "f", "g" };
		rs.shuffle(ids);
		assertArrayEquals(new String[] { "c", "f", "a", "g", "d", "b", "e" }, ids);
		rs.shuffle(ids);
		assertArrayEquals(new String[] { "d", "b", "g", "a", "f", "c", "e" }, ids);
	}

	@Test
	void shuffleOfALongArrayCrossesTheTwistBoundaryLikeNumpy() {
		final Integer[] x = new Integer[(1 << 16) + 5];
		for (int i = 0; i < x.length; i++)
			x[i] = i;
		new LegacyRandomState(0).shuffle(x);
		assertArrayEquals(new Integer[] { 12980, 43748, 59873, 46995, 27172, 53981 }, Arrays.copyOf(x, 6));
	}

	@Test
	void randomIntervalStaysInRange() {
		final LegacyRandomState rs = new LegacyRandomState(1);
		for (int i = 0; i < 1000; i++) {
			final long v = rs.randomInterval(5);
			assertEquals(true, v >= 0 && v <= 5);
		}
		assertEquals(0, rs.randomInterval(0));
	}

	@Test
	void seedOutOfRangeIsRejected() {
		assertThrows(IllegalArgumentException.class, () -> new LegacyRandomState(-1));
		assertThrows(IllegalArgumentException.class, () -> new LegacyRandomState(1L << 32));
	}
}
