package org.lesionweighting.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.util.Intervals;

class VolumeResamplingTest {

	private static final double[] ONE = { 1, 1, 1 };

	/** A ramp along x: value = x. */
	private static float[] rampX(final int nx, final int ny, final int nz) {
		final float[] v = new float[nx * ny * nz];
		for (int i = 0; i < v.length; i++)
			v[i] = i % nx;
		return v;
	}

	@Test
	void sameSpacingKeepsTheValues() {
		final float[] v = { 1, 5, -2, 7, 0, 3, 9, 4 };
		final float[] out = VolumeResampling.linear(ArrayImgs.floats(v.clone(), 2, 2, 2), ONE, ONE).update(null).getCurrentStorageArray();
		assertArrayEquals(v, out);
	}

	@Test
	void upsamplingSamplesVoxelCentres() {
		// 4 voxels of 1 mm -> 8 voxels of 0.5 mm; output j samples x = j/2 - 1/4, clamped to [0, 3]
		final float[] out = VolumeResampling.linear(ArrayImgs.floats(rampX(4, 1, 1), 4, 1, 1), ONE, new double[] { 0.5, 1, 1 }).update(null)
				.getCurrentStorageArray();
		assertArrayEquals(new float[] { 0, 0.25f, 0.75f, 1.25f, 1.75f, 2.25f, 2.75f, 3 }, out, 1e-6f);
	}

	@Test
	void downsamplingAveragesPairsAtTwiceTheSpacing() {
		// 6 voxels of 1 mm along z -> 3 voxels of 2 mm, centred between input voxels 2j and 2j + 1
		final float[] v = { 0, 10, 20, 30, 40, 50 };
		final var out = VolumeResampling.linear(ArrayImgs.floats(v, 1, 1, 6), ONE, new double[] { 1, 1, 2 });
		assertArrayEquals(new long[] { 1, 1, 3 }, Intervals.dimensionsAsLongArray(out));
		assertArrayEquals(new float[] { 5, 25, 45 }, out.update(null).getCurrentStorageArray(), 1e-5f);
	}

	@Test
	void sizeKeepsThePhysicalExtent() {
		assertArrayEquals(new long[] { 364, 436, 91 }, VolumeResampling.resampledSize(new long[] { 182, 218, 182 }, ONE, new double[] { 0.5, 0.5, 2 }));
		assertArrayEquals(new long[] { 3, 1, 1 }, VolumeResampling.resampledSize(new long[] { 10, 1, 1 }, ONE, new double[] { 3.4, 5, 1 }),
				"never below one voxel");
		assertArrayEquals(new long[] { 20, 20 }, VolumeResampling.resampledSize(new long[] { 10, 10 }, ONE, new double[] { 0.5, 0.5, 0.5 }), "2D stays 2D");
	}

	@Test
	void aMaskKeepsItsVolumeInMillimetres() {
		// a ball of radius 8 mm on a 1 mm grid -> 0.7 x 0.7 x 2.5 mm
		final int n = 32;
		final byte[] m = new byte[n * n * n];
		int inside = 0;
		for (int z = 0; z < n; z++)
			for (int y = 0; y < n; y++)
				for (int x = 0; x < n; x++)
					if ((x - 15.5) * (x - 15.5) + (y - 15.5) * (y - 15.5) + (z - 15.5) * (z - 15.5) <= 64) {
						m[x + n * (y + n * z)] = 1;
						inside++;
					}
		final double[] to = { 0.7, 0.7, 2.5 };
		final byte[] out = VolumeResampling.mask(ArrayImgs.unsignedBytes(m, n, n, n), ONE, to).update(null).getCurrentStorageArray();
		int count = 0;
		for (final byte b : out) {
			assertTrue(b == 0 || b == 1);
			count += b;
		}
		final double mm3 = count * to[0] * to[1] * to[2];
		assertEquals(inside, mm3, 0.05 * inside, "volume " + mm3 + " mm3 vs " + inside);
		assertEquals(4 * Math.PI * 512 / 3, inside, 0.05 * inside);
	}

	@Test
	void backOntoTheOriginalGridRecoversASmoothVolume() {
		// a linear function is reproduced exactly by linear interpolation away from the clamped border
		final int nx = 12, ny = 10, nz = 8;
		final float[] v = new float[nx * ny * nz];
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++)
					v[x + nx * (y + ny * z)] = 2 * x - 3 * y + 0.5f * z;
		final double[] fine = { 0.5, 0.25, 0.5 };
		final var up = VolumeResampling.linear(ArrayImgs.floats(v, nx, ny, nz), ONE, fine);
		assertArrayEquals(new long[] { 24, 40, 16 }, Intervals.dimensionsAsLongArray(up));
		final float[] back = VolumeResampling.linear(up, fine, ONE, new long[] { nx, ny, nz }).update(null).getCurrentStorageArray();
		for (int z = 1; z < nz - 1; z++)
			for (int y = 1; y < ny - 1; y++)
				for (int x = 1; x < nx - 1; x++)
					assertEquals(v[x + nx * (y + ny * z)], back[x + nx * (y + ny * z)], 1e-4, "voxel " + x + "," + y + "," + z);
	}

	@Test
	void spacingsDifferBeyondOnePercent() {
		assertFalse(VolumeResampling.differ(ONE, new double[] { 1.005, 0.995, 1 }));
		assertTrue(VolumeResampling.differ(ONE, new double[] { 1, 1, 1.02 }));
		assertFalse(VolumeResampling.differ(null, ONE), "unknown spacing never differs");
	}

	@Test
	void badSpacingNamesTheParameter() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> VolumeResampling.linear(ArrayImgs.floats(2, 2, 2), ONE, new double[] { 1, 0, 1 }));
		assertTrue(e.getMessage().contains("to spacing") && e.getMessage().contains("[1.0, 0.0, 1.0]"), e.getMessage());
		final IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
				() -> VolumeResampling.linear(ArrayImgs.floats(2, 2, 2), ONE, ONE, new long[] { 2, 2 }));
		assertTrue(s.getMessage().contains("size"), s.getMessage());
	}
}
