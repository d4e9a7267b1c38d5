package org.lesionweighting.tf.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lesionweighting.weights.WeightMaps;
import org.lesionweighting.weights.WeightScheme;

import net.imglib2.img.array.ArrayImgs;

class PatchSamplerTest {

	/** A case of size (nx, ny, nz), intensity = 5 + flat index, with the given lesion voxels (x, y, z triples). */
	static TrainingCase caseWith(final String name, final int nx, final int ny, final int nz, final int[]... lesionVoxels) {
		final int n = nx * ny * nz;
		final float[] img = new float[n];
		for (int i = 0; i < n; i++)
			img[i] = 5 + i;
		final byte[] t = new byte[n];
		for (final int[] v : lesionVoxels)
			t[(v[2] * ny + v[1]) * nx + v[0]] = 1;
		return TrainingCase.fromArrays(name, new int[] { nx, ny, nz }, new float[][] { img }, t, null);
	}

	/** Separate single-voxel lesions along x at y = z = 5 (26-connectivity needs a gap of one voxel). */
	static int[][] lesions(final int count) {
		final int[][] v = new int[count][];
		for (int k = 0; k < count; k++)
			v[k] = new int[] { 2 + 3 * k, 5, 5 };
		return v;
	}

	private static PatchSampler.Settings settings(final int size) {
		return new PatchSampler.Settings().patchSize(size);
	}

	@Test
	void lesionCentredBoxOddSize() {
		final TrainingCase c = caseWith("a", 20, 20, 20, new int[] { 10, 11, 12 });
		final PatchSampler s = new PatchSampler(List.of(c), settings(5).lesionCentredFraction(1).weighting(null), 1);
		final Patch p = s.sample(0, 0);
		assertTrue(p.lesionCentred());
		assertArrayEquals(new int[] { 10, 11, 12 }, p.centre());
		// start = c - 5//2 = c - 2; stop = c + 2 + 1 (size 5)
		assertArrayEquals(new int[] { 8, 9, 10 }, p.start());
		assertEquals(125, p.target().length);
		assertEquals(1f, p.target()[(2 * 5 + 2) * 5 + 2]);
		assertEquals(5 + (12 * 20 + 11) * 20 + 10, p.image()[(2 * 5 + 2) * 5 + 2]);
		assertEquals(5 + (10 * 20 + 9) * 20 + 8, p.image()[0]);
	}

	@Test
	void lesionCentredBoxEvenSize() {
		final TrainingCase c = caseWith("a", 20, 20, 20, new int[] { 10, 11, 12 });
		final Patch p = new PatchSampler(List.of(c), settings(4).lesionCentredFraction(1), 1).sample(3, 1);
		// start = c - 2, stop = c + 2 (size 4): the centre is at patch index 2
		assertArrayEquals(new int[] { 8, 9, 10 }, p.start());
		assertEquals(1f, p.target()[(2 * 4 + 2) * 4 + 2]);
	}

	@Test
	void anisotropicPatchSize() {
		final TrainingCase c = caseWith("a", 20, 20, 20, new int[] { 10, 11, 12 });
		final Patch p = new PatchSampler(List.of(c), new PatchSampler.Settings().patchSize(3, 4, 5).lesionCentredFraction(1), 1).sample(0, 0);
		assertArrayEquals(new int[] { 9, 9, 10 }, p.start());
		assertEquals(60, p.target().length);
		assertEquals(1f, p.target()[(2 * 4 + 2) * 3 + 1]);
	}

	@Test
	void uniformCentreKeepsBoxInsideAndCoversAllStarts() {
		final TrainingCase c = caseWith("a", 12, 10, 9, new int[] { 5, 5, 5 });
		final PatchSampler s = new PatchSampler(List.of(c), settings(4).lesionCentredFraction(0).weighting(null), 7);
		final int[] minStart = { 99, 99, 99 }, maxStart = { -1, -1, -1 };
		for (int i = 0; i < 2000; i++) {
			final Patch p = s.sample(i, 0);
			assertFalse(p.lesionCentred());
			for (int d = 0; d < 3; d++) {
				assertEquals(p.centre()[d] - 2, p.start()[d]);
				minStart[d] = Math.min(minStart[d], p.start()[d]);
				maxStart[d] = Math.max(maxStart[d], p.start()[d]);
			}
		}
		assertArrayEquals(new int[] { 0, 0, 0 }, minStart);
		assertArrayEquals(new int[] { 8, 6, 5 }, maxStart); // n - s
	}

	@Test
	void imageSmallerThanPatchUsesImageCentre() {
		// smaller along x only: the whole image centre n//2 is used (authors' code)
		final TrainingCase c = caseWith("a", 5, 20, 21, new int[] { 2, 5, 5 });
		final PatchSampler s = new PatchSampler(List.of(c), settings(8).lesionCentredFraction(0), 3);
		for (int i = 0; i < 50; i++)
			assertArrayEquals(new int[] { 2, 10, 10 }, s.sample(i, 0).centre());
	}

	@Test
	void paddingUsesImageMinimumAndZeroLabels() {
		// lesion at the corner: the box starts at -2 on every axis
		final TrainingCase c = caseWith("a", 6, 6, 6, new int[] { 0, 0, 0 });
		final Patch p = new PatchSampler(List.of(c), settings(5).lesionCentredFraction(1), 1).sample(0, 0);
		assertArrayEquals(new int[] { -2, -2, -2 }, p.start());
		for (int z = 0; z < 5; z++)
			for (int y = 0; y < 5; y++)
				for (int x = 0; x < 5; x++) {
					final int i = (z * 5 + y) * 5 + x;
					final boolean inside = x >= 2 && y >= 2 && z >= 2;
					if (inside) assertEquals(5 + ((z - 2) * 36 + (y - 2) * 6 + (x - 2)), p.image()[i]);
					else {
						assertEquals(5f, p.image()[i], "padding = image minimum");
						assertEquals(0f, p.target()[i]);
						assertEquals(0, p.components()[i]);
					}
				}
		assertEquals(1f, p.target()[(2 * 5 + 2) * 5 + 2]);
		assertEquals(1, p.components()[(2 * 5 + 2) * 5 + 2]);
	}

	@Test
	void paddingDisabledShiftsBoxInside() {
		final TrainingCase c = caseWith("a", 6, 6, 6, new int[] { 0, 0, 0 });
		final Patch p = new PatchSampler(List.of(c), settings(5).lesionCentredFraction(1).padding(false), 1).sample(0, 0);
		assertArrayEquals(new int[] { 0, 0, 0 }, p.start());
		assertEquals(1f, p.target()[0]);
	}

	@Test
	void lesionCentredFractionIsAboutHalf() {
		final TrainingCase c = caseWith("a", 20, 20, 20, lesions(3));
		final PatchSampler s = new PatchSampler(List.of(c), settings(4).weighting(null), 0xBadCafeL);
		int lesion = 0;
		final int n = 8000;
		for (int i = 0; i < n; i++)
			if (s.sample(i / 2, i % 2).lesionCentred()) lesion++;
		// binomial sd = sqrt(n/4) ~ 45; 4 sd
		assertEquals(0.5, lesion / (double) n, 0.025);
	}

	@Test
	void imageChoiceProportionalToLesionCountAndLesionFreeNeverDrawn() {
		final List< TrainingCase > cases = List.of(caseWith("one", 20, 12, 12, lesions(1)), caseWith("none", 20, 12, 12),
				caseWith("three", 20, 12, 12, lesions(3)));
		final PatchSampler s = new PatchSampler(cases, settings(4).weighting(null), 11);
		assertArrayEquals(new double[] { 0.25, 0, 0.75 }, s.caseProbabilities(), 1e-12);
		final int[] counts = new int[3];
		final int n = 8000;
		for (int i = 0; i < n; i++)
			counts[s.sample(i, 0).caseIndex()]++;
		assertEquals(0, counts[1]);
		assertEquals(0.25, counts[0] / (double) n, 0.02);
		assertEquals(0.75, counts[2] / (double) n, 0.02);
	}

	@Test
	void lesionFreeCasesIncludedWithWeight() {
		final List< TrainingCase > cases = List.of(caseWith("three", 20, 12, 12, lesions(3)), caseWith("none", 20, 12, 12));
		final PatchSampler s = new PatchSampler(cases, settings(4).lesionFreeWeight(1), 11);
		assertArrayEquals(new double[] { 0.75, 0.25 }, s.caseProbabilities(), 1e-12);
		// a lesion-free case always gets a uniform centre
		for (int i = 0; i < 200; i++) {
			final Patch p = s.sample(i, 0);
			if (p.caseIndex() == 1) assertFalse(p.lesionCentred());
		}
	}

	@Test
	void lesionChosenUniformlyThenVoxel() {
		// lesion 1: one voxel; lesion 2: a 3x3x3 cube -> each lesion ~50 % of lesion-centred draws
		final List< int[] > vox = new ArrayList<>();
		vox.add(new int[] { 1, 1, 1 });
		for (int z = 10; z < 13; z++)
			for (int y = 10; y < 13; y++)
				for (int x = 10; x < 13; x++)
					vox.add(new int[] { x, y, z });
		final TrainingCase c = caseWith("a", 16, 16, 16, vox.toArray(new int[0][]));
		assertEquals(2, c.numLesions());
		final PatchSampler s = new PatchSampler(List.of(c), settings(4).lesionCentredFraction(1), 5);
		int small = 0;
		final int n = 4000;
		final int[] cubeHits = new int[27];
		for (int i = 0; i < n; i++) {
			final int[] ctr = s.sample(i, 0).centre();
			if (ctr[0] == 1) small++;
			else
				cubeHits[((ctr[2] - 10) * 3 + ctr[1] - 10) * 3 + ctr[0] - 10]++;
		}
		assertEquals(0.5, small / (double) n, 0.04);
		for (final int h : cubeHits)
			assertTrue(h > 30 && h < 120, "each cube voxel about 74 of 2000: " + h);
	}

	@Test
	void weightsEqualWeightMapsOnTheCrop() {
		final TrainingCase c = caseWith("a", 20, 20, 20, lesions(5));
		final PatchSampler s = new PatchSampler(List.of(c), settings(8), 2);
		for (int i = 0; i < 20; i++) {
			final Patch p = s.sample(i, 0);
			final float[] expected = new float[p.target().length];
			WeightMaps.compute(ArrayImgs.ints(p.components().clone(), 8, 8, 8), ArrayImgs.floats(expected, 8, 8, 8), WeightScheme.INVERSE_VOLUME, 1, 2e5);
			assertArrayEquals(expected, p.weights());
		}
	}

	@Test
	void inverseVolumeWeightsByHand() {
		// patch 5^3 around lesion voxel (5,5,5); the neighbouring lesions at x = 2 and x = 8 are 3 voxels
		// away, so patch [3, 8) along x contains only lesion at x=5 -> values {0, k}: K+1 = 2, N = 125,
		// lesion weight = 125 / (2 * 1) = 62.5, background 125 / (2 * 124) < 1 -> clipped to 1
		final TrainingCase c = caseWith("a", 20, 20, 20, new int[] { 2, 5, 5 }, new int[] { 5, 5, 5 }, new int[] { 8, 5, 5 });
		final PatchSampler s = new PatchSampler(List.of(c), settings(5).lesionCentredFraction(1), 2);
		for (int i = 0; i < 100; i++) {
			final Patch p = s.sample(i, 0);
			if (p.centre()[0] != 5) continue;
			for (int v = 0; v < 125; v++)
				assertEquals(p.target()[v] > 0 ? 62.5f : 1f, p.weights()[v]);
			return;
		}
		throw new AssertionError("the middle lesion was never drawn");
	}

	@Test
	void legacyWeightsUseGlobalLabels() {
		// W0: lesion alone in the patch with global id 2 gets n_pos / (n_cc * |c|) = 1 / (2 * 1) = 0.5
		final TrainingCase c = caseWith("a", 20, 20, 20, new int[] { 2, 5, 5 }, new int[] { 8, 5, 5 });
		final PatchSampler s = new PatchSampler(List.of(c), settings(3).lesionCentredFraction(1).weighting(WeightScheme.LEGACY), 2);
		for (int i = 0; i < 100; i++) {
			final Patch p = s.sample(i, 0);
			if (p.centre()[0] != 8) continue;
			assertEquals(0.5f, p.weights()[13]);
			assertEquals(1f, p.weights()[0]);
			return;
		}
		throw new AssertionError("the second lesion was never drawn");
	}

	@Test
	void noWeightingGivesNoWeightMap() {
		final TrainingCase c = caseWith("a", 20, 20, 20, lesions(2));
		assertNull(new PatchSampler(List.of(c), settings(4).weighting(WeightScheme.UNIFORM), 2).sample(0, 0).weights());
		assertNull(new PatchSampler(List.of(c), settings(4).weighting(null), 2).batch(0, 2).weights());
	}

	@Test
	void multiChannelIsInterleavedChannelLast() {
		final int n = 8 * 8 * 8;
		final float[] a = new float[n], b = new float[n];
		for (int i = 0; i < n; i++) {
			a[i] = i;
			b[i] = -i;
		}
		final byte[] t = new byte[n];
		t[(4 * 8 + 4) * 8 + 4] = 1;
		final TrainingCase c = TrainingCase.fromArrays("mc", new int[] { 8, 8, 8 }, new float[][] { a, b }, t, null);
		final Patch p = new PatchSampler(List.of(c), settings(2).lesionCentredFraction(1), 1).sample(0, 0);
		// box [3, 5) on each axis
		final int src = (3 * 8 + 3) * 8 + 3;
		assertEquals(src, p.image()[0]);
		assertEquals(-src, p.image()[1]);
		assertEquals(src + 1, p.image()[2]);
		assertEquals(-(src + 1), p.image()[3]);
		assertEquals(16, p.image().length);
	}

	@Test
	void deterministicForASeedAndDifferentForAnother() {
		final List< TrainingCase > cases = List.of(caseWith("a", 20, 20, 20, lesions(4)), caseWith("b", 14, 20, 18, lesions(2)));
		final Batch x = new PatchSampler(cases, settings(6), 42).batch(17, 3);
		final Batch y = new PatchSampler(cases, settings(6), 42).batch(17, 3);
		assertArrayEquals(x.images(), y.images());
		assertArrayEquals(x.targets(), y.targets());
		assertArrayEquals(x.weights(), y.weights());
		boolean differs = false;
		final PatchSampler other = new PatchSampler(cases, settings(6), 43);
		for (int i = 0; i < 5 && !differs; i++)
			differs = !java.util.Arrays.equals(new PatchSampler(cases, settings(6), 42).batch(i, 2).images(), other.batch(i, 2).images());
		assertTrue(differs);
	}

	@Test
	void batchStacksSamplesInOrder() {
		final TrainingCase c = caseWith("a", 20, 20, 20, lesions(4));
		final PatchSampler s = new PatchSampler(List.of(c), settings(4), 9);
		final Batch b = s.batch(5, 2);
		assertArrayEquals(new long[] { 2, 4, 4, 4, 1 }, b.imageShape());
		final Patch p1 = s.sample(5, 1);
		final float[] second = java.util.Arrays.copyOfRange(b.images(), 64, 128);
		assertArrayEquals(p1.image(), second);
		assertArrayEquals(p1.weights(), java.util.Arrays.copyOfRange(b.weights(), 64, 128));
	}

	@Test
	void emptyDatasetIsRejected() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PatchSampler(List.of(), settings(4), 0));
		assertTrue(e.getMessage().contains("no training case"), e.getMessage());
	}

	@Test
	void channelMismatchIsRejected() {
		final TrainingCase one = caseWith("a", 8, 8, 8, lesions(1));
		final TrainingCase two = TrainingCase.fromArrays("b", new int[] { 8, 8, 8 }, new float[][] { new float[512], new float[512] }, new byte[512], null);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PatchSampler(List.of(one, two), settings(4), 0));
		assertTrue(e.getMessage().contains("channels"), e.getMessage());
	}

	@Test
	void allLesionFreeIsRejected() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> new PatchSampler(List.of(caseWith("a", 8, 8, 8)), settings(4), 0));
		assertTrue(e.getMessage().contains("lesion"), e.getMessage());
	}

	@Test
	void patchLargerThanAllImagesWithoutPaddingIsRejected() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> new PatchSampler(List.of(caseWith("a", 8, 8, 8, lesions(1))), settings(16).padding(false), 0));
		assertTrue(e.getMessage().contains("larger than every image") && e.getMessage().contains("padding"), e.getMessage());
	}

	@Test
	void prepareLabelsWith26Connectivity() {
		// two voxels touching only at a corner: one lesion with 26-connectivity
		final TrainingCase c = caseWith("a", 5, 5, 5, new int[] { 1, 1, 1 }, new int[] { 2, 2, 2 }, new int[] { 4, 4, 4 });
		assertEquals(2, c.numLesions());
		assertEquals(List.of(2, 1), List.of(c.lesionSize(1), c.lesionSize(2)));
		final TrainingCase p = TrainingCase.prepare("p", List.of(ArrayImgs.floats(new float[] { 1, 2, 3, 4 }, 2, 2, 1)),
				ArrayImgs.unsignedBytes(new byte[] { 0, 2, 0, 0 }, 2, 2, 1), Preprocessing.NONE, new double[] { 0.5, 0.5, 2 });
		assertEquals(1, p.numLesions());
		assertEquals(1, p.target()[1]);
		assertArrayEquals(new double[] { 0.5, 0.5, 2 }, p.spacing());
	}
}
