package org.lesionweighting.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lesionweighting.io.VolumeGeometry.NiftiTransforms;

class VolumeGeometryTest {

	@Test
	void toVoxelInvertsToWorld() {
		final VolumeGeometry g = TestVolumes.rotated();
		final double[] v = { 3.25, -1.5, 7 };
		assertArrayEquals(v, g.toVoxel(g.toWorld(v)), 1e-12);
	}

	@Test
	void originSpacingDirection() {
		final VolumeGeometry g = VolumeGeometry.of(new double[] { 2, 3, 4 }, new double[] { 10, 20, 30 }, null);
		assertArrayEquals(new double[] { 12, 26, 42 }, g.toWorld(new double[] { 1, 2, 3 }));
		assertArrayEquals(new double[] { 10, 20, 30 }, g.origin());
		assertArrayEquals(new double[] { 1, 0, 0 }, g.direction()[0]);
		assertArrayEquals(new double[] { -2, 0, 0, -10 }, g.affineRas()[0]);
		assertEquals("mm", g.unit());
	}

	@Test
	void quaternionOfRandomRotationsReproducesTheMatrix() {
		final Random r = new Random(42);
		for (int i = 0; i < 200; i++) {
			// random rotation from a random unit quaternion, random spacing, random handedness
			double a = r.nextGaussian(), b = r.nextGaussian(), c = r.nextGaussian(), d = r.nextGaussian();
			final double n = Math.sqrt(a * a + b * b + c * c + d * d);
			a /= n;
			b /= n;
			c /= n;
			d /= n;
			if (a < 0) {
				b = -b;
				c = -c;
				d = -d;
			}
			final double[] sp = { 0.5 + r.nextDouble(), 0.5 + r.nextDouble(), 1 + 3 * r.nextDouble() };
			final NiftiTransforms q = new NiftiTransforms(1, 0, b, c, d, r.nextDouble(), r.nextDouble(), r.nextDouble(), r.nextBoolean() ? 1 : -1,
					new double[12]);
			final double[] m = q.qformMatrix(sp);
			final NiftiTransforms back = NiftiTransforms.fromRasAffine(m, 1, 1);
			assertArrayEquals(m, back.qformMatrix(sp), 1e-9, "case " + i);
		}
	}

	@Test
	void rejectsBadInput() {
		assertThrows(IllegalArgumentException.class, () -> VolumeGeometry.ofSpacing(1, 0, 1));
		assertThrows(IllegalArgumentException.class, () -> VolumeGeometry.ofSpacing(1, 1));
		assertThrows(IllegalArgumentException.class,
				() -> VolumeGeometry.of(new double[] { 1, 1, 1 }, null, new double[][] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 0 } }));
	}

	@Test
	void textRoundTripIsExact() throws java.io.IOException {
		final java.nio.file.Path tmp = java.nio.file.Files.createTempFile("g", ".nii");
		try {
			VolumeIO.write(tmp, TestVolumes.image(DataType.UINT8, 2, 2, 2), TestVolumes.rotated().withTimeStep(2, "s"));
			final VolumeGeometry g = VolumeIO.read(tmp).geometry();
			final VolumeGeometry back = VolumeGeometry.fromText("Title: x\n" + g.toText() + "other = 1\n");
			assertEquals(g.toText(), back.toText());
			assertEquals(null, VolumeGeometry.fromText("nothing here"));
			assertEquals(null, VolumeGeometry.fromText(VolumeGeometry.TEXT_PREFIX + "spacing = 1 x 1\n"));
		}
		finally {
			java.nio.file.Files.delete(tmp);
		}
	}
}
