package org.lesionweighting.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

class SegmentationQualityTest {

	private static final int N = 40;

	private static Img< FloatType > volume() {
		return ArrayImgs.floats(N, N, N);
	}

	private static void box(final Img< FloatType > img, final int x0, final int y0, final int z0, final int sx, final int sy, final int sz, final float v) {
		final float[] a = ((net.imglib2.img.array.ArrayImg< FloatType, net.imglib2.img.basictypeaccess.array.FloatArray >) img).update(null)
				.getCurrentStorageArray();
		for (int z = z0; z < z0 + sz; z++)
			for (int y = y0; y < y0 + sy; y++)
				for (int x = x0; x < x0 + sx; x++)
					a[(z * N + y) * N + x] = v;
	}

	/** Three separate 3×3×3 lesions. */
	private static Img< FloatType > threeLesions() {
		final Img< FloatType > t = volume();
		box(t, 5, 5, 5, 3, 3, 3, 1);
		box(t, 20, 5, 5, 3, 3, 3, 1);
		box(t, 5, 25, 20, 3, 3, 3, 1);
		return t;
	}

	@Test
	void aWholeBrainMaskWinsThePapersRecallButIsFlagged() {
		final Img< FloatType > truth = threeLesions();
		final Img< FloatType > prob = volume();
		box(prob, 2, 2, 2, 30, 30, 30, 0.9f);
		final ImageEvaluation e = LesionRecords.evaluate("brain", truth, prob, null, null);
		// the paper's protocol: every lesion overlaps the one component, 1 FP per image → average recall 1
		final FrocSummary s = Froc.summarize(e.records(), FrocOptions.defaults().withBootstrap(0));
		assertEquals(1.0, s.avgRecall(), 1e-12);

		final SegmentationQuality q = SegmentationQuality.of(e);
		assertEquals(3, q.lesions());
		assertEquals(1, q.predictions());
		assertEquals(81, q.truthVoxels());
		assertEquals(27000, q.predictedVoxels());
		assertEquals(27000 / 81.0, q.volumeRatio(), 1e-12);
		assertEquals(2.0 * 81 / (81 + 27000), q.voxelDice(), 1e-12);
		assertEquals(0, q.matched(), "a 27-voxel lesion and a 27,000-voxel component have IoU 0.001");
		assertEquals(0, q.f1(), 0);
		assertEquals(1, q.mergingComponents());
		assertEquals(3, q.mergedLesions());
		assertEquals(2, q.warnings().size(), q.warnings().toString());
		assertTrue(q.warnings().get(0).contains("333.3\u00d7"), q.warnings().get(0));
		assertTrue(q.warnings().get(1).contains("1 predicted component merges 3 of 3 lesions"), q.warnings().get(1));
		assertTrue(q.degenerate());
	}

	@Test
	void aPerfectPredictionMatchesEveryLesionOneToOne() {
		final Img< FloatType > truth = threeLesions();
		final SegmentationQuality q = SegmentationQuality.of(LesionRecords.evaluate("same", truth, truth, null, null));
		assertEquals(3, q.matched());
		assertEquals(1, q.precision(), 0);
		assertEquals(1, q.recall(), 0);
		assertEquals(1, q.f1(), 0);
		assertEquals(1, q.volumeRatio(), 0);
		assertEquals(1, q.voxelDice(), 0);
		assertEquals(0, q.mergingComponents());
		assertFalse(q.degenerate());
	}

	@Test
	void oneFoundOneMissedOneFalsePositiveOneTooSmallAnOverlap() {
		final Img< FloatType > truth = volume();
		box(truth, 5, 5, 5, 3, 3, 3, 1); // lesion 1, found exactly
		box(truth, 20, 5, 5, 3, 3, 3, 1); // lesion 2, missed
		box(truth, 5, 25, 20, 4, 3, 1, 1); // lesion 3: 12 voxels, touched by 1 voxel only (Dice 2/13, IoU 1/12 < 0.1)
		final Img< FloatType > prob = volume();
		box(prob, 5, 5, 5, 3, 3, 3, 0.8f);
		box(prob, 30, 30, 30, 2, 2, 2, 0.8f); // false positive
		box(prob, 5, 25, 20, 1, 1, 1, 0.8f);
		final SegmentationQuality q = SegmentationQuality.of(LesionRecords.evaluate("mixed", truth, prob, null, null));
		assertEquals(3, q.lesions());
		assertEquals(3, q.predictions());
		assertEquals(1, q.matched());
		assertEquals(1 / 3.0, q.precision(), 1e-12);
		assertEquals(1 / 3.0, q.recall(), 1e-12);
		assertEquals(1 / 3.0, q.f1(), 1e-12);
		assertEquals((27 + 8 + 1) / (27.0 + 27 + 12), q.volumeRatio(), 1e-12);
		assertFalse(q.degenerate());
	}

	@Test
	void aComponentMatchesAtMostOneLesion() {
		// two lesions bridged by one component that covers both exactly plus a 1-voxel bridge: IoU with each < 0.5
		// but > 0.1; only the lesion that is the component's best match is matched
		final Img< FloatType > truth = volume();
		box(truth, 5, 5, 5, 3, 3, 3, 1); // 27 voxels
		box(truth, 10, 5, 5, 2, 3, 3, 1); // 18 voxels, 2 voxels apart
		final Img< FloatType > prob = volume();
		box(prob, 5, 5, 5, 7, 3, 3, 0.9f); // 63 voxels covering both and the gap
		final SegmentationQuality q = SegmentationQuality.of(LesionRecords.evaluate("bridge", truth, prob, null, null));
		assertEquals(2, q.lesions());
		assertEquals(1, q.predictions());
		assertEquals(1, q.matched(), "Dice 54/90 with the larger lesion, 36/81 with the smaller: the larger one is matched");
		assertEquals(1, q.mergingComponents());
		assertEquals(2, q.mergedLesions());
		assertEquals(2 / 3.0, q.f1(), 1e-12);
		assertEquals(1, q.warnings().size(), "2 of 2 lesions merged is flagged; the volume ratio 63/45 is not");
	}

	@Test
	void recordsAloneGiveTheSameNumbersButTheVoxelDice() throws Exception {
		final Img< FloatType > truth = threeLesions();
		final Img< FloatType > prob = volume();
		box(prob, 5, 5, 5, 3, 3, 4, 0.7f);
		box(prob, 21, 5, 5, 3, 3, 3, 0.7f);
		box(prob, 30, 30, 2, 5, 5, 5, 0.7f);
		final ImageEvaluation e1 = LesionRecords.evaluate("a", truth, prob, null, null);
		final ImageEvaluation e2 = LesionRecords.evaluate("b", truth, truth, null, null);
		final List< LesionRecord > pooled = new ArrayList<>(e1.records());
		pooled.addAll(e2.records());
		// through the CSV, as Lesion FROC reads them
		final java.nio.file.Path f = java.nio.file.Files.createTempFile("records", ".csv");
		try {
			RecordsCsv.write(f, pooled);
			final List< SegmentationQuality > fromRecords = SegmentationQuality.ofRecords(RecordsCsv.read(f));
			assertEquals(2, fromRecords.size());
			for (final ImageEvaluation e : List.of(e1, e2)) {
				final SegmentationQuality exact = SegmentationQuality.of(e);
				final SegmentationQuality r = fromRecords.get(e == e1 ? 0 : 1);
				assertEquals(exact.image(), r.image());
				assertEquals(exact.lesions(), r.lesions());
				assertEquals(exact.predictions(), r.predictions());
				assertEquals(exact.truthVoxels(), r.truthVoxels());
				assertEquals(exact.predictedVoxels(), r.predictedVoxels());
				assertEquals(exact.matched(), r.matched());
				assertEquals(exact.mergedLesions(), r.mergedLesions());
				assertTrue(Double.isNaN(r.voxelDice()));
			}
			final SegmentationQuality all = SegmentationQuality.pooled("all", List.of(SegmentationQuality.of(e1), SegmentationQuality.of(e2)));
			assertEquals(6, all.lesions());
			assertEquals(2, all.images());
			assertEquals(SegmentationQuality.of(e1).matched() + 3, all.matched());
			assertEquals((SegmentationQuality.of(e1).voxelDice() + 1) / 2, all.voxelDice(), 1e-12);
			final String csv = SegmentationQuality.csv(List.of(SegmentationQuality.of(e1), SegmentationQuality.of(e2)));
			assertEquals(4, csv.split("\n").length);
			assertTrue(csv.startsWith(SegmentationQuality.CSV_HEADER + "\n"));
			assertTrue(csv.split("\n")[3].startsWith("all,6,"), csv);
		}
		finally {
			java.nio.file.Files.deleteIfExists(f);
		}
	}

	@Test
	void emptyImagesAreNotDegenerate() {
		final SegmentationQuality q = SegmentationQuality.of(LesionRecords.evaluate("empty", volume(), volume(), null, null));
		assertEquals(1, q.f1(), 0);
		assertEquals(1, q.volumeRatio(), 0);
		assertFalse(q.degenerate());
		final Img< FloatType > fp = volume();
		box(fp, 1, 1, 1, 2, 2, 2, 0.9f);
		final SegmentationQuality q2 = SegmentationQuality.of(LesionRecords.evaluate("fp", volume(), fp, null, null));
		assertEquals(Double.POSITIVE_INFINITY, q2.volumeRatio(), 0);
		assertEquals(0, q2.f1(), 0);
		assertTrue(q2.degenerate());
	}
}
