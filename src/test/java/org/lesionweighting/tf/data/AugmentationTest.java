package org.lesionweighting.tf.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.lesionweighting.weights.WeightMaps;
import org.lesionweighting.weights.WeightScheme;

import net.imglib2.img.array.ArrayImgs;

class AugmentationTest {

	private static final int S = 8;

	private static TrainingCase lesionCase() {
		return PatchSamplerTest.caseWith("a", 24, 22, 20, new int[] { 10, 11, 12 }, new int[] { 11, 11, 12 }, new int[] { 14, 9, 8 }, new int[] { 4, 5, 5 });
	}

	private static Patch sample(final Augmentation a, final long iteration) {
		return new PatchSampler(List.of(lesionCase()), new PatchSampler.Settings().patchSize(S).augmentation(a), 7).sample(iteration, 0);
	}

	private static int at(final int x, final int y, final int z) {
		return (z * S + y) * S + x;
	}

	@Test
	void offIsThePapersCropAndOnIsRepeatable() {
		for (long it = 0; it < 10; it++) {
			final Patch plain = new PatchSampler(List.of(lesionCase()), new PatchSampler.Settings().patchSize(S), 7).sample(it, 0);
			final Patch none = sample(Augmentation.NONE, it);
			assertArrayEquals(plain.image(), none.image());
			assertArrayEquals(plain.weights(), none.weights());
			final Patch a = sample(Augmentation.DEFAULT, it), b = sample(Augmentation.DEFAULT, it);
			assertArrayEquals(a.image(), b.image());
			assertArrayEquals(a.target(), b.target());
			assertArrayEquals(a.weights(), b.weights());
			assertArrayEquals(plain.centre(), a.centre(), "augmentation draws after the paper's draws: same centre");
		}
	}

	@Test
	void mirroringFlipsEveryArrayAlongTheDrawnAxes() {
		final Augmentation mirror = new Augmentation(true, 0, 1, 1, 0, 0, 0);
		int flippedSamples = 0;
		for (long it = 0; it < 16; it++) {
			final Patch plain = sample(Augmentation.NONE, it), m = sample(mirror, it);
			final boolean[] flip = mirror.draw(replay(it), 1, new double[] { 1, 1, 1 }).flip();
			if (flip[0] || flip[1] || flip[2]) flippedSamples++;
			for (int z = 0; z < S; z++)
				for (int y = 0; y < S; y++)
					for (int x = 0; x < S; x++) {
						final int src = at(flip[0] ? S - 1 - x : x, flip[1] ? S - 1 - y : y, flip[2] ? S - 1 - z : z);
						assertEquals(plain.image()[src], m.image()[at(x, y, z)]);
						assertEquals(plain.target()[src], m.target()[at(x, y, z)]);
						assertEquals(plain.components()[src], m.components()[at(x, y, z)]);
						assertEquals(plain.weights()[src], m.weights()[at(x, y, z)]);
					}
		}
		assertTrue(flippedSamples > 8, "about 7 of 8 samples flip at least one axis: " + flippedSamples);
	}

	/** The generator of sample 0 of {@code iteration} after the paper's draws of {@link #sample}. */
	private static SplittableRandom replay(final long iteration) {
		final SplittableRandom rng = PatchSampler.random(7, iteration, 0);
		final TrainingCase c = lesionCase();
		rng.nextDouble(); // case
		if (rng.nextDouble() < PatchSampler.LESION_CENTRED_FRACTION_DEFAULT) {
			final int k = 1 + rng.nextInt(c.numLesions());
			rng.nextInt(c.lesionSize(k));
		}
		else
			for (int d = 0; d < 3; d++)
				rng.nextInt(c.dims()[d] - S + 1);
		return rng;
	}

	@Test
	void anIdentityTransformResamplesToTheCrop() {
		// spatial probability 1 with no rotation and scale 1: trilinear reads at whole voxels equal the crop, padding included
		final Augmentation identity = new Augmentation(false, 0, 1, 1, 1, 0, 0);
		for (long it = 0; it < 10; it++) {
			final Patch plain = sample(Augmentation.NONE, it), r = sample(identity, it);
			assertArrayEquals(plain.image(), r.image());
			assertArrayEquals(plain.target(), r.target());
			assertArrayEquals(plain.components(), r.components());
			assertArrayEquals(plain.weights(), r.weights());
		}
	}

	@Test
	void rotationsAndScalesAreSimilarityTransformsInPhysicalSpace() {
		final Augmentation a = new Augmentation(false, 30, 0.8, 1.25, 1, 0, 0);
		final double[] spacing = { 0.5, 1, 3 };
		for (long seed = 0; seed < 20; seed++) {
			final double[] m = a.draw(new SplittableRandom(seed), 1, spacing).matrix();
			// S·M·S⁻¹ = R / scale: its rows are orthogonal with equal norms 1/scale in [0.8, 1.25]
			final double[][] p = new double[3][3];
			for (int i = 0; i < 3; i++)
				for (int j = 0; j < 3; j++)
					p[i][j] = spacing[i] * m[3 * i + j] / spacing[j];
			final double n0 = dot(p[0], p[0]);
			assertTrue(n0 >= 1 / (1.25 * 1.25) - 1e-12 && n0 <= 1 / (0.8 * 0.8) + 1e-12, "squared norm " + n0);
			for (int i = 0; i < 3; i++)
				for (int j = 0; j < 3; j++)
					assertEquals(i == j ? n0 : 0, dot(p[i], p[j]), 1e-12);
		}
	}

	private static double dot(final double[] a, final double[] b) {
		return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
	}

	@Test
	void rotatedPatchesKeepLabelsConsistentAndWeightsFromTheTransformedLabels() {
		final Augmentation a = new Augmentation(true, 15, 0.85, 1.15, 1, 0.1, 0.1);
		for (long it = 0; it < 30; it++) {
			final Patch p = sample(a, it);
			for (int i = 0; i < p.target().length; i++)
				assertEquals(p.target()[i] > 0, p.components()[i] > 0, "target and lesion labels come from the same nearest voxel");
			final float[] expected = new float[p.target().length];
			WeightMaps.compute(ArrayImgs.ints(p.components().clone(), S, S, S), ArrayImgs.floats(expected, S, S, S), WeightScheme.INVERSE_VOLUME,
					WeightMaps.W_MIN_DEFAULT, WeightMaps.W_MAX_DEFAULT);
			assertArrayEquals(expected, p.weights());
		}
	}

	@Test
	void intensityJitterIsOneGainAndOffsetPerChannel() {
		final Augmentation jitter = new Augmentation(false, 0, 1, 1, 0, 0.1, 0.2);
		for (long it = 0; it < 5; it++) {
			final Patch plain = sample(Augmentation.NONE, it), j = sample(jitter, it);
			final float[] x = plain.image(), y = j.image();
			int a = 0, b = 0;
			for (int i = 0; i < x.length; i++) {
				if (x[i] < x[a]) a = i;
				if (x[i] > x[b]) b = i;
			}
			final double gain = (y[b] - y[a]) / (double) (x[b] - x[a]), offset = y[a] - gain * x[a];
			assertTrue(gain >= 0.9 - 1e-6 && gain <= 1.1 + 1e-6, "gain " + gain);
			assertTrue(Math.abs(offset) <= 0.2 + 1e-3, "offset " + offset);
			for (int i = 0; i < x.length; i++)
				assertEquals(gain * x[i] + offset, y[i], 1e-3 * Math.max(1, Math.abs(y[i])));
			assertArrayEquals(plain.target(), j.target());
		}
	}

	@Test
	void settingsRoundTripAndBadRangesAreRejected() {
		assertEquals(Augmentation.DEFAULT, Augmentation.fromMap(Augmentation.DEFAULT.toMap()));
		assertEquals(Augmentation.NONE, Augmentation.fromMap(java.util.Map.of()));
		assertTrue(Augmentation.DEFAULT.enabled());
		assertFalse(Augmentation.NONE.enabled());
		assertEquals("none", Augmentation.NONE.toString());
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Augmentation(true, 10, 1.2, 1.5, 0.5, 0, 0));
		assertTrue(e.getMessage().contains("[1.2, 1.5]"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> new Augmentation(true, 10, 0.9, 1.1, 1.5, 0, 0));
		assertThrows(IllegalArgumentException.class, () -> new Augmentation(true, 10, 0.9, 1.1, 0.5, 1, 0));
	}
}
