package org.lesionweighting.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The reference points of {@link RealDataBenchmark}: one voxel of dilation and erosion, and the Dice they are scored with. */
class RealDataBenchmarkTest {

	private static final int[] DIMS = { 5, 5, 5 };

	private static int count(final byte[] m) {
		int n = 0;
		for (final byte b : m)
			n += b;
		return n;
	}

	@Test
	void oneVoxelGrowsIntoItsSixNeighboursAndACubeErodesToItsCentre() {
		final byte[] dot = new byte[125];
		dot[62] = 1; // (2, 2, 2)
		final byte[] grown = RealDataBenchmark.morph(dot, DIMS, true);
		assertEquals(7, count(grown));
		for (final int neighbour : new int[] { 61, 63, 57, 67, 37, 87 })
			assertEquals(1, grown[neighbour], "neighbour " + neighbour);
		assertEquals(0, grown[62 + 1 + 5], "no diagonal");
		assertEquals(1, count(RealDataBenchmark.morph(grown, DIMS, false)), "erosion of the 6-cross leaves its centre");
		final byte[] cube = new byte[125];
		for (int z = 1; z <= 3; z++)
			for (int y = 1; y <= 3; y++)
				for (int x = 1; x <= 3; x++)
					cube[x + 5 * (y + 5 * z)] = 1;
		assertEquals(1, count(RealDataBenchmark.morph(cube, DIMS, false)));
		assertEquals(2.0 * 1 / 28, RealDataBenchmark.dice(RealDataBenchmark.morph(cube, DIMS, false), cube), 1e-12);
	}

	@Test
	void theImageBorderIsBackground() {
		final byte[] corner = new byte[125];
		corner[0] = 1;
		assertEquals(4, count(RealDataBenchmark.morph(corner, DIMS, true)));
		final byte[] full = new byte[125];
		java.util.Arrays.fill(full, (byte) 1);
		assertEquals(27, count(RealDataBenchmark.morph(full, DIMS, false)));
		assertEquals(1.0, RealDataBenchmark.dice(new byte[3], new byte[3]));
	}
}
