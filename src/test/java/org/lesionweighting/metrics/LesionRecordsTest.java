package org.lesionweighting.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lesionweighting.label.Connectivity;
import org.lesionweighting.label.LesionLabeling;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.cell.CellImgFactory;
import net.imglib2.parallel.Parallelization;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/** Per-image records (doc/method.md §5.1) on hand-built volumes, and against a brute-force reference. */
class LesionRecordsTest {

	private static final double INF = Double.POSITIVE_INFINITY;

	private static Img< FloatType > vol(final int nx, final int ny, final int nz) {
		return ArrayImgs.floats(nx, ny, nz);
	}

	private static void set(final RandomAccessibleInterval< FloatType > img, final float v, final int x, final int y, final int z) {
		final RandomAccess< FloatType > ra = img.randomAccess();
		ra.setPosition(new int[] { x, y, z });
		ra.get().set(v);
	}

	private static void line(final RandomAccessibleInterval< FloatType > img, final float v, final int x0, final int x1, final int y, final int z) {
		for (int x = x0; x <= x1; x++)
			set(img, v, x, y, z);
	}

	@Test
	void tieGoesToTheLowestPredictedLabel() {
		final Img< FloatType > truth = vol(12, 3, 3), prob = vol(12, 3, 3), logit = vol(12, 3, 3);
		line(truth, 1, 2, 5, 1, 1); // lesion: 4 voxels
		line(prob, 0.9f, 0, 2, 1, 1); // P1: 3 voxels, overlap 1
		line(prob, 0.9f, 5, 7, 1, 1); // P2: 3 voxels, overlap 1 → equal Dice 2/7
		line(logit, 1, 0, 2, 1, 1);
		line(logit, 3, 5, 7, 1, 1);
		final List< LesionRecord > r = LesionRecords.compute("img", truth, prob, logit, null);
		assertEquals(3, r.size());
		final LesionRecord g = r.get(0);
		assertEquals(LesionRecord.Kind.LESION, g.kind());
		assertEquals(2.0 / 7, g.hitDice(), 0);
		assertEquals(1, g.hitObject());
		assertEquals(1.0, g.hitLogit(), 0);
		assertEquals(0.9f, g.hitStat(), 0);
		assertEquals(INF, g.selfLogit(), 0);
		assertEquals(1.0, g.selfStat(), 0);
	}

	@Test
	void higherDiceWinsOverLowerLabel() {
		final Img< FloatType > truth = vol(12, 3, 3), prob = vol(12, 3, 3);
		line(truth, 1, 2, 5, 1, 1);
		line(prob, 0.9f, 0, 2, 1, 1); // overlap 1
		line(prob, 0.7f, 4, 6, 1, 1); // overlap 2
		final List< LesionRecord > r = LesionRecords.compute("img", truth, prob, null, null);
		assertEquals(2, r.get(0).hitObject());
		assertEquals(4.0 / 7, r.get(0).hitDice(), 0);
		// without logits the probabilities stand in
		assertEquals(0.7f, r.get(0).hitLogit(), 0);
	}

	@Test
	void predictionTieGoesToTheLowestLesionLabel() {
		final Img< FloatType > truth = vol(12, 3, 3), prob = vol(12, 3, 3);
		line(truth, 1, 0, 2, 1, 1); // G1
		line(truth, 1, 6, 8, 1, 1); // G2
		line(prob, 0.8f, 2, 6, 1, 1); // P1 touches both with 1 voxel, equal Dice 2/8
		final List< LesionRecord > r = LesionRecords.compute("img", truth, prob, null, null);
		final LesionRecord p = r.get(2);
		assertEquals(LesionRecord.Kind.PREDICTION, p.kind());
		assertEquals(1, p.hitObject());
		assertEquals(0.25, p.hitDice(), 0);
		assertEquals(INF, p.hitLogit(), 0);
		assertEquals(1.0, p.hitStat(), 0);
		assertEquals(0.8f, p.selfLogit(), 0);
		assertEquals(1, r.get(1).hitObject(), "G2's best prediction is P1 as well");
	}

	@Test
	void missedLesionAndFalsePositiveFollowTheInfinityConventions() {
		final Img< FloatType > truth = vol(10, 10, 10), prob = vol(10, 10, 10), logit = vol(10, 10, 10);
		set(truth, 1, 1, 1, 1);
		set(prob, 0.6f, 8, 8, 8);
		set(logit, -2.5f, 8, 8, 8);
		final List< LesionRecord > r = LesionRecords.compute("x", truth, prob, logit, null);
		assertEquals(new LesionRecord("x", LesionRecord.Kind.LESION, 1, Math.pow(6 / Math.PI, 1 / 3.0), 0, -INF, INF, 0, Math.pow(6 / Math.PI, 1 / 3.0), 0, 1),
				r.get(0));
		assertEquals(new LesionRecord("x", LesionRecord.Kind.PREDICTION, 1, Math.pow(6 / Math.PI, 1 / 3.0), 0, -INF, -2.5, 0, Math.pow(6 / Math.PI, 1 / 3.0), 0,
				0.6f), r.get(1));
	}

	@Test
	void emptyGroundTruthGivesPredictionRowsOnly() {
		final Img< FloatType > truth = vol(6, 6, 6), prob = vol(6, 6, 6);
		set(prob, 1, 0, 0, 0);
		set(prob, 1, 5, 5, 5);
		final ImageEvaluation e = LesionRecords.evaluate("e", truth, prob, null, null);
		assertEquals(0, e.numLesions());
		assertEquals(2, e.numPredictions());
		assertTrue(e.records().stream().noneMatch(LesionRecord::isLesion));
		assertEquals(0.0, e.voxelDice(), 0);
	}

	@Test
	void emptyPredictionGivesMissedLesionRowsOnly() {
		final Img< FloatType > truth = vol(6, 6, 6), prob = vol(6, 6, 6);
		set(truth, 1, 2, 2, 2);
		final List< LesionRecord > r = LesionRecords.compute("e", truth, prob, null, null);
		assertEquals(1, r.size());
		assertEquals(-INF, r.get(0).hitLogit(), 0);
	}

	@Test
	void bothEmptyGiveNoRecordAndVoxelDiceOne() {
		final ImageEvaluation e = LesionRecords.evaluate("e", vol(4, 4, 4), vol(4, 4, 4), null, null);
		assertEquals(List.of(), e.records());
		assertEquals(1.0, e.voxelDice(), 0);
	}

	@Test
	void thresholdIsStrictlyAboveOneHalf() {
		final Img< FloatType > truth = vol(4, 4, 4), prob = vol(4, 4, 4);
		set(truth, 0.5f, 0, 0, 0);
		set(prob, 0.5f, 0, 0, 0);
		assertEquals(List.of(), LesionRecords.compute("t", truth, prob, null, null));
	}

	@Test
	void diagonalNeighboursAreOneComponent() {
		final Img< FloatType > truth = vol(4, 4, 4), prob = vol(4, 4, 4);
		set(truth, 1, 0, 0, 0);
		set(truth, 1, 1, 1, 1);
		set(truth, 1, 2, 2, 2);
		final List< LesionRecord > r = LesionRecords.compute("t", truth, prob, null, null);
		assertEquals(1, r.size());
		assertEquals(Math.pow(18 / Math.PI, 1 / 3.0), r.get(0).diameter(), 1e-15);
	}

	@Test
	void diametersInVoxelsAndCalibratedUnits() {
		final Img< FloatType > truth = vol(10, 10, 10), prob = vol(10, 10, 10);
		line(truth, 1, 0, 7, 0, 0); // 8 voxels
		final LesionRecord r = LesionRecords.compute("t", truth, prob, null, new double[] { 0.5, 0.5, 2 }).get(0);
		assertEquals(Math.pow(6 * 8 / Math.PI, 1 / 3.0), r.diameter(), 0);
		assertEquals(Math.pow(6 * 8 * 0.5 / Math.PI, 1 / 3.0), r.diameterCalibrated(), 1e-15);
	}

	@Test
	void voxelDiceCountsOverlappingVoxels() {
		final Img< FloatType > truth = vol(10, 2, 2), prob = vol(10, 2, 2);
		line(truth, 1, 0, 3, 0, 0);
		line(prob, 1, 2, 7, 0, 0);
		assertEquals(0.4, LesionRecords.evaluate("v", truth, prob, null, null).voxelDice(), 0);
	}

	@Test
	void twoDimensionalImagesAreVolumesOfDepthOne() {
		final Img< FloatType > truth = ArrayImgs.floats(8, 6), prob = ArrayImgs.floats(8, 6);
		final RandomAccess< FloatType > t = truth.randomAccess(), p = prob.randomAccess();
		for (int x = 1; x <= 3; x++) {
			t.setPosition(new int[] { x, 2 });
			t.get().set(1);
			p.setPosition(new int[] { x + 1, 2 });
			p.get().set(0.9f);
		}
		final List< LesionRecord > r = LesionRecords.compute("2d", Views.translate(truth, 3, 4), Views.translate(prob, 3, 4), null, new double[] { 2, 2 });
		assertEquals(2, r.size());
		assertEquals(2.0 * 2 / 6, r.get(0).hitDice(), 0);
		assertEquals(1, r.get(0).hitObject());
		assertEquals(Math.pow(6 * 12 / Math.PI, 1 / 3.0), r.get(0).diameterCalibrated(), 1e-12, "3 pixels of 2 x 2");
	}

	@Test
	void mismatchedIntervalsAndBadVoxelSizeAreRejected() {
		assertThrows(IllegalArgumentException.class, () -> LesionRecords.compute("x", vol(4, 4, 4), vol(4, 4, 5), null, null));
		assertThrows(IllegalArgumentException.class, () -> LesionRecords.compute("x", vol(4, 4, 4), vol(4, 4, 4), vol(3, 4, 4), null));
		assertThrows(IllegalArgumentException.class, () -> LesionRecords.compute("x", vol(4, 4, 4), vol(4, 4, 4), null, new double[] { 1, 0, 1 }));
		assertThrows(IllegalArgumentException.class, () -> LesionRecords.compute("x", vol(4, 4, 4), vol(4, 4, 4), null, new double[] { 1, 1 }));
	}

	// ----- brute force ---------------------------------------------------------------------------------

	private static void blobs(final Random rnd, final Img< FloatType > img, final int n, final float value) {
		final RandomAccess< FloatType > ra = img.randomAccess();
		for (int b = 0; b < n; b++) {
			final int cx = rnd.nextInt(24), cy = rnd.nextInt(20), cz = rnd.nextInt(16), r = 1 + rnd.nextInt(3);
			for (int z = cz - r; z <= cz + r; z++)
				for (int y = cy - r; y <= cy + r; y++)
					for (int x = cx - r; x <= cx + r; x++)
						if (x >= 0 && y >= 0 && z >= 0 && x < 24 && y < 20 && z < 16
								&& (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz) <= r * r + rnd.nextInt(2)) {
							ra.setPosition(new int[] { x, y, z });
							ra.get().set(value + rnd.nextFloat() * 0.4f);
						}
		}
	}

	/** The definition of §5.1 written naively: every pair by full scans. */
	private static List< LesionRecord > bruteForce(final String id, final Img< FloatType > truth, final Img< FloatType > prob, final Img< FloatType > logit) {
		final Img< IntType > g = LesionLabeling.label(Views.interval(truth, truth), Connectivity.TWENTY_SIX);
		final Img< IntType > p = LesionLabeling.label(prob, Connectivity.TWENTY_SIX);
		final float[] t = ((net.imglib2.img.basictypeaccess.array.FloatArray) ((net.imglib2.img.array.ArrayImg< ?, ? >) truth).update(null))
				.getCurrentStorageArray();
		final int[] gl = new int[t.length], pl = new int[t.length];
		final float[] pv = new float[t.length], lv = new float[t.length];
		int i = 0;
		for (final IntType v : g)
			gl[i++] = t[i - 1] > 0.5 ? v.get() : 0;
		i = 0;
		for (final IntType v : p)
			pl[i++] = v.get();
		i = 0;
		for (final FloatType v : prob)
			pv[i++] = v.get();
		i = 0;
		for (final FloatType v : logit)
			lv[i++] = v.get();
		int nG = 0, nP = 0;
		for (int k = 0; k < t.length; k++) {
			nG = Math.max(nG, gl[k]);
			nP = Math.max(nP, pl[k]);
		}
		final List< LesionRecord > out = new ArrayList<>();
		for (int kind = 0; kind < 2; kind++) {
			final int n = kind == 0 ? nG : nP, m = kind == 0 ? nP : nG;
			final int[] self = kind == 0 ? gl : pl, other = kind == 0 ? pl : gl;
			for (int a = 1; a <= n; a++) {
				long sa = 0;
				double maxP = Double.NEGATIVE_INFINITY, maxL = Double.NEGATIVE_INFINITY;
				for (int k = 0; k < t.length; k++)
					if (self[k] == a) {
						sa++;
						maxP = Math.max(maxP, pv[k]);
						maxL = Math.max(maxL, lv[k]);
					}
				double best = 0;
				int bestB = 0;
				for (int b = 1; b <= m; b++) {
					long sb = 0, ov = 0;
					double bp = Double.NEGATIVE_INFINITY, bl = Double.NEGATIVE_INFINITY;
					for (int k = 0; k < t.length; k++)
						if (other[k] == b) {
							sb++;
							bp = Math.max(bp, pv[k]);
							bl = Math.max(bl, lv[k]);
							if (self[k] == a) ov++;
						}
					final double dice = 2.0 * ov / (sa + sb);
					if (ov > 0 && dice > best) {
						best = dice;
						bestB = b;
						if (kind == 0) {
							maxP = bp;
							maxL = bl;
						}
					}
				}
				final double d = Math.pow(6.0 * sa / Math.PI, 1 / 3.0);
				if (kind == 0)
					out.add(bestB == 0
							? new LesionRecord(id, LesionRecord.Kind.LESION, a, d, 0, -INF, INF, 0, d, 0, 1)
							: new LesionRecord(id, LesionRecord.Kind.LESION, a, d, best, maxL, INF, bestB, d, maxP, 1));
				else
					out.add(new LesionRecord(id, LesionRecord.Kind.PREDICTION, a, d, best, bestB == 0 ? -INF : INF, maxL, bestB, d, bestB == 0 ? 0 : 1, maxP));
			}
		}
		return out;
	}

	@Test
	void equalsABruteForceReferenceSingleAndMultiThreaded() {
		final Random rnd = new Random(3);
		for (int trial = 0; trial < 3; trial++) {
			final Img< FloatType > truth = vol(24, 20, 16), prob = vol(24, 20, 16), logit = vol(24, 20, 16);
			blobs(rnd, truth, 12, 0.6f);
			blobs(rnd, prob, 14, 0.55f);
			for (final FloatType v : logit)
				v.set(rnd.nextFloat() * 10 - 5);
			final String id = "r" + trial;
			final List< LesionRecord > expected = bruteForce(id, truth, prob, logit);
			assertTrue(expected.size() > 10);
			assertEquals(expected, LesionRecords.compute("r" + trial, truth, prob, logit, null));
			assertEquals(expected, Parallelization.runWithNumThreads(3, () -> LesionRecords.compute(id, truth, prob, logit, null)));
			// non-array images and a non-zero origin take the generic path
			final Img< FloatType > ct = new CellImgFactory<>(new FloatType(), 7).create(24, 20, 16),
					cp = new CellImgFactory<>(new FloatType(), 5).create(24, 20, 16);
			copy(truth, ct);
			copy(prob, cp);
			final Img< DoubleType > dl = ArrayImgs.doubles(24, 20, 16);
			final net.imglib2.Cursor< FloatType > c = logit.cursor();
			for (final DoubleType v : dl)
				v.set(c.next().get());
			assertEquals(expected,
					LesionRecords.compute("r" + trial, Views.translate(ct, 5, -3, 2), Views.translate(cp, 5, -3, 2), Views.translate(dl, 5, -3, 2), null));
		}
	}

	private static void copy(final Img< FloatType > from, final Img< FloatType > to) {
		final RandomAccess< FloatType > ra = to.randomAccess();
		final net.imglib2.Cursor< FloatType > c = from.localizingCursor();
		while (c.hasNext()) {
			c.fwd();
			ra.setPosition(c);
			ra.get().set(c.get());
		}
	}
}
