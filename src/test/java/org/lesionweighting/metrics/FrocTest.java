package org.lesionweighting.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lesionweighting.util.Json;

/** Each rule of doc/method.md §5.2–5.3 on hand-built records. */
class FrocTest {

	static final double INF = Double.POSITIVE_INFINITY;

	/** A ground-truth lesion row. */
	static LesionRecord lesion(final String image, final int id, final double diameter, final double hitDice, final double hitLogit, final int hitObject) {
		return new LesionRecord(image, LesionRecord.Kind.LESION, id, diameter, hitDice, hitDice > 0 ? hitLogit : -INF, INF, hitDice > 0 ? hitObject : 0,
				Double.NaN, Double.NaN, 1);
	}

	/** A predicted component row. */
	static LesionRecord prediction(final String image, final int id, final double diameter, final double hitDice, final double selfLogit, final int hitObject) {
		return new LesionRecord(image, LesionRecord.Kind.PREDICTION, id, diameter, hitDice, hitDice > 0 ? INF : -INF, selfLogit, hitDice > 0 ? hitObject : 0,
				Double.NaN, Double.NaN, Double.NaN);
	}

	private static int index(final double[] a, final double v) {
		for (int i = 0; i < a.length; i++)
			if (a[i] == v) return i;
		throw new AssertionError("threshold " + v + " not in grid");
	}

	@Test
	void truePositiveUsesGreaterOrEqualOnTheHitLogit() {
		final FrocCurve c = Froc.curve(List.of(lesion("a", 1, 5, 0.5, 2.0, 1)), new double[] { 1.9, 2.0, 2.1 }, 1);
		assertArrayEquals(new int[] { 1, 1, 0 }, c.tp());
		assertArrayEquals(new int[] { 0, 0, 1 }, c.fn());
		assertArrayEquals(new double[] { 1, 1, 0 }, c.recall(), 0);
	}

	@Test
	void falsePositiveUsesStrictGreaterOnTheSelfLogit() {
		final FrocCurve c = Froc.curve(List.of(prediction("a", 1, 5, 0, 2.0, 0)), new double[] { 1.9, 2.0, 2.1 }, 1);
		assertArrayEquals(new int[] { 1, 0, 0 }, c.fp());
		assertArrayEquals(new double[] { 1, 0, 0 }, c.avgFp(), 0);
	}

	@Test
	void aPredictionOverlappingALesionIsNeverAFalsePositive() {
		final FrocCurve c = Froc.curve(List.of(prediction("a", 1, 5, 0.1, 9, 1)), new double[] { 0 }, 1);
		assertArrayEquals(new int[] { 0 }, c.fp());
	}

	@Test
	void aLesionWithZeroHitDiceIsMissedWhateverItsLogit() {
		final LesionRecord r = new LesionRecord("a", LesionRecord.Kind.LESION, 1, 5, 0, INF, INF, 0, Double.NaN, Double.NaN, 1);
		assertArrayEquals(new int[] { 1 }, Froc.curve(List.of(r), new double[] { 0 }, 1).fn());
	}

	@Test
	void lesionRowsBelowTheThresholdOnSelfLogitAreDroppedAsInTheAuthorsCode() {
		final LesionRecord r = new LesionRecord("a", LesionRecord.Kind.LESION, 1, 5, 0.5, 3, 1.0, 1, Double.NaN, Double.NaN, 1);
		final FrocCurve c = Froc.curve(List.of(r), new double[] { 0.5, 2 }, 1);
		assertArrayEquals(new int[] { 1, 0 }, c.tp());
		assertArrayEquals(new int[] { 0, 0 }, c.fn());
	}

	@Test
	void recallAndPrecisionAreOneWithoutDenominator() {
		final FrocCurve empty = Froc.curve(List.of(), new double[] { 0 }, 0);
		assertArrayEquals(new double[] { 1 }, empty.recall(), 0);
		assertArrayEquals(new double[] { 1 }, empty.precision(), 0);
		assertArrayEquals(new double[] { 0 }, empty.avgFp(), 0);
		final FrocCurve onlyFp = Froc.curve(List.of(prediction("a", 1, 5, 0, 3, 0)), new double[] { 0 }, 1);
		assertArrayEquals(new double[] { 1 }, onlyFp.recall(), 0);
		assertArrayEquals(new double[] { 0 }, onlyFp.precision(), 0);
	}

	@Test
	void emptyGroundTruthImageContributesFalsePositivesOnly() {
		final List< LesionRecord > rows = List.of(lesion("a", 1, 5, 0.8, 5, 1), prediction("a", 1, 5, 0.8, 5, 1), prediction("b", 1, 5, 0, 5, 0),
				prediction("b", 2, 5, 0, 1, 0));
		final FrocCurve c = Froc.curve(rows);
		assertEquals(2, c.numImages(), 0);
		final int k = index(c.threshold(), 0.0 + c.threshold()[1]);
		assertEquals(2, c.fp()[k]);
		assertEquals(1.0, c.avgFp()[k], 0);
		assertEquals(1.0, c.recall()[k], 0);
	}

	@Test
	void emptyPredictionImageContributesMissedLesions() {
		final List< LesionRecord > rows = List.of(lesion("a", 1, 5, 0.8, 5, 1), prediction("a", 1, 5, 0.8, 5, 1), lesion("b", 1, 5, 0, 0, 0),
				lesion("b", 2, 7, 0, 0, 0));
		final FrocCurve c = Froc.curve(rows);
		assertEquals(1.0 / 3, c.recall()[0], 0);
		assertEquals(0, c.fp()[0]);
	}

	@Test
	void imagesWithoutRecordsAreNotCountedInTheDivisor() {
		// "c" has no record: it is simply absent from the pooled records, so n_ids = 2
		final List< LesionRecord > rows = List.of(prediction("a", 1, 5, 0, 5, 0), prediction("b", 1, 5, 0, 5, 0));
		assertEquals(2, Froc.numImages(rows));
		final FrocSummary s = Froc.summarize(rows, FrocOptions.defaults().withBootstrap(0));
		assertEquals(2, s.numImages());
		assertEquals(1.0, s.froc().avgFp()[0], 0);
	}

	@Test
	void thresholdGridHas201ValuesUpToTheLargestFiniteLogitPlusOne() {
		final double[] t = Froc.thresholds(List.of(prediction("a", 1, 5, 0, 12.5, 0), prediction("a", 2, 5, 0, -INF, 0), lesion("a", 1, 5, 0, 0, 0)));
		assertEquals(201, t.length);
		assertEquals(-0.1, t[0], 0);
		assertEquals(10, t[100], 0);
		assertEquals(10, t[101], 0);
		assertEquals(13.5, t[200], 0);
		assertEquals(-0.1 + 0.101, t[1], 1e-15);
	}

	@Test
	void thresholdGridDecreasesInItsSecondPartWhenLogitsAreSmall() {
		final double[] t = Froc.thresholds(List.of(prediction("a", 1, 5, 0, 3.0, 0)));
		assertEquals(10, t[101], 0);
		assertEquals(4, t[200], 0);
		assertTrue(t[150] < t[149]);
	}

	@Test
	void thresholdGridWithoutAnyFiniteSelfLogitHasOnlyTheFirstPart() {
		final double[] t = Froc.thresholds(List.of(lesion("a", 1, 5, 0, 0, 0)));
		assertEquals(101, t.length);
		assertEquals(10, t[100], 0);
	}

	@Test
	void averageRecallPrependsTheOriginAndHoldsTheLastRecall() {
		// thresholds in increasing order → avgFP decreasing: (2, 1.0), (1, 0.5); with (0, 0) appended
		final FrocCurve c = new FrocCurve(new double[] { 0, 1 }, new double[] { 2, 1 }, new double[] { 1.0, 0.5 }, new double[2], new int[2], new int[2],
				new int[2], new double[2], new double[2], 1);
		// recall(x) = 0.5x on [0,1], 0.5 + 0.5(x-1) on [1,2], 1 on [2,5]
		final double[] x = NumpyCompat.linspace(0, 5, 501);
		final double[] y = new double[501];
		for (int i = 0; i < 501; i++)
			y[i] = x[i] <= 1 ? 0.5 * x[i] : x[i] <= 2 ? 0.5 + 0.5 * (x[i] - 1) : 1;
		assertEquals(NumpyCompat.mean(y), Froc.averageRecall(c, 5), 1e-12);
		assertEquals((0.25 * 100 + 0.75 * 100 + 300) / 500.0, Froc.averageRecall(c, 5), 0.01);
	}

	@Test
	void averageRecallWithNoFalsePositivesIsTheRecallExceptAtZero() {
		// avgFP = 0 everywhere: xp = [0, 0, ..., 0]; np.interp at x = 0 returns the rightmost equal point
		final FrocCurve c = new FrocCurve(new double[] { 0, 1 }, new double[] { 0, 0 }, new double[] { 0.8, 0.6 }, new double[2], new int[2], new int[2],
				new int[2], new double[2], new double[2], 1);
		// xp = [0, 0, 0], fp = [0, 0.6, 0.8] → 0.8 at x = 0 (rightmost) and held beyond
		assertEquals(0.8, Froc.averageRecall(c, 5), 0);
	}

	@Test
	void objectDiceIsMeanAndPopulationStdOfDetectedLesionsAtTheFirstThreshold() {
		final List< LesionRecord > rows = List.of(lesion("a", 1, 5, 0.2, -0.1, 1), lesion("a", 2, 5, 0.6, 4, 2), lesion("a", 3, 5, 0.9, -0.2, 3),
				prediction("a", 1, 5, 0.2, 0, 1));
		final FrocSummary s = Froc.summarize(rows, FrocOptions.defaults().withBootstrap(0));
		assertEquals(0.4, s.objectDice(), 1e-15);
		assertEquals(0.2, s.objectDiceStd(), 1e-15);
		assertEquals(3, s.numLesions());
	}

	@Test
	void objectDiceIsNaNWithoutDetectedLesion() {
		final FrocSummary s = Froc.summarize(List.of(lesion("a", 1, 5, 0, 0, 0)), FrocOptions.defaults().withBootstrap(0));
		assertEquals(Double.NaN, s.objectDice());
		assertEquals(0, s.froc().tp()[0]);
	}

	@Test
	void smallSubsetKeepsSmallRowsAndPredictionsLinkedToSmallLesions() {
		final LesionRecord smallLesion = lesion("a", 1, 3, 0.5, 2, 2);
		final LesionRecord bigLesion = lesion("a", 2, 20, 0.5, 2, 1);
		final LesionRecord bigPredLinkedToSmall = prediction("a", 2, 15, 0.5, 2, 1);
		final LesionRecord bigPredLinkedToBig = prediction("a", 1, 15, 0.5, 2, 2);
		final LesionRecord smallFp = prediction("a", 3, 2, 0, 2, 0);
		final LesionRecord bigFp = prediction("a", 4, 9, 0, 2, 0);
		final LesionRecord otherImageSameId = prediction("b", 5, 15, 0.5, 2, 1);
		final LesionRecord smallPredLinkedToSmall = prediction("a", 6, 4, 0.3, 2, 1);
		final List< LesionRecord > rows = List.of(smallLesion, bigLesion, bigPredLinkedToSmall, bigPredLinkedToBig, smallFp, bigFp, otherImageSameId,
				smallPredLinkedToSmall);
		final List< LesionRecord > s = Froc.smallSubset(rows, 5);
		assertEquals(List.of(smallLesion, smallFp, smallPredLinkedToSmall, bigPredLinkedToSmall, smallPredLinkedToSmall), s);
	}

	@Test
	void smallSubsetHasItsOwnImageCount() {
		final List< LesionRecord > rows = List.of(lesion("a", 1, 3, 0.5, 2, 1), prediction("a", 1, 4, 0.5, 2, 1), lesion("b", 1, 30, 0.5, 2, 1),
				prediction("b", 1, 30, 0.5, 2, 1));
		final FrocSummary s = Froc.summarize(rows, FrocOptions.defaults().withBootstrap(0).withSmallDiameter(5));
		assertEquals(2, s.numImages());
		assertEquals(1, s.small().numImages());
		assertEquals(1, s.small().numLesions());
		assertNull(s.small().small());
	}

	@Test
	void bootstrapIsDeterministicForASeedAndDiffersAcrossSeeds() {
		final List< LesionRecord > rows = RecordsCsv.parse(FrocReferenceTestData.CSV.strip());
		final FrocOptions o = FrocOptions.defaults().withBootstrap(20);
		final FrocSummary a = Froc.summarize(rows, o), b = Froc.summarize(rows, o), c = Froc.summarize(rows, o.withSeed(43));
		assertArrayEquals(a.bootstrap().values(), b.bootstrap().values(), 0);
		assertEquals(20, a.bootstrap().n());
		assertTrue(a.bootstrap().mean() != c.bootstrap().mean());
	}

	@Test
	void paperDivisorDividesBootstrapFalsePositivesByTheFullImageCount() {
		// 5 images with one FP each and one detected lesion: subsample of 4 images
		final List< LesionRecord > rows = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			rows.add(prediction("i" + i, 1, 5, 0, 3, 0));
			rows.add(lesion("i" + i, 1, 5, 0.5, 3, 2));
			rows.add(prediction("i" + i, 2, 5, 0.5, 3, 1));
		}
		final FrocOptions o = FrocOptions.defaults().withBootstrap(3);
		final FrocSummary own = Froc.summarize(rows, o), paper = Froc.summarize(rows, o.withPaperDivisor(true));
		// own divisor: avgFP = 1 at low thresholds like the full set; paper: 4/5
		assertEquals(own.avgRecall(), own.bootstrap().mean(), 1e-12);
		assertTrue(paper.bootstrap().mean() > own.bootstrap().mean());
		assertEquals(0, own.bootstrap().std(), 1e-12);
	}

	@Test
	void noBootstrapWithASingleImage() {
		final FrocSummary s = Froc.summarize(List.of(lesion("a", 1, 5, 0.5, 1, 1)), FrocOptions.defaults());
		assertEquals(0, s.bootstrap().n());
		assertEquals(Double.NaN, s.bootstrap().mean());
	}

	@Test
	void emptyRecordsGiveAnEmptySummary() {
		final FrocSummary s = Froc.summarize(List.of(), FrocOptions.defaults().withSmallDiameter(5));
		assertEquals(0, s.numImages());
		assertEquals(0, s.numLesions());
		assertEquals(1.0, s.avgRecall(), 0.0);
		assertEquals(101, s.froc().size());
	}

	@Test
	void summaryJsonHasExactlyTheAgreedKeys() {
		final FrocSummary s = Froc.summarize(List.of(lesion("a", 1, 3, 0.5, 1, 1), prediction("b", 1, 5, 0, 2, 0)),
				FrocOptions.defaults().withBootstrap(2).withSmallDiameter(4));
		@SuppressWarnings("unchecked")
		final Map< String, Object > m = (Map< String, Object >) Json.parse(s.toJson());
		assertEquals(List.of("avg_recall", "object_dice", "object_dice_std", "n_images", "n_lesions", "bootstrap", "froc", "small"),
				new ArrayList<>(m.keySet()));
		assertEquals(List.of("mean", "std", "n"), new ArrayList<>(((Map< ?, ? >) m.get("bootstrap")).keySet()));
		assertEquals(List.of("threshold", "avg_fp", "recall"), new ArrayList<>(((Map< ?, ? >) m.get("froc")).keySet()));
		assertEquals(2.0, ((Number) m.get("n_images")).doubleValue(), 0);
		assertEquals(201, ((List< ? >) ((Map< ?, ? >) m.get("froc")).get("threshold")).size());
		assertEquals(7, ((Map< ?, ? >) m.get("small")).size());
	}

	@Test
	void recallBySizeCountsDetectedLesionsPerBin() {
		final List< LesionRecord > rows = List.of(lesion("a", 1, 3, 0.5, 1, 1), lesion("a", 2, 4, 0, 0, 0), lesion("a", 3, 12, 0.5, 1, 1),
				lesion("a", 4, 30, 0.5, -1, 1), prediction("a", 1, 3, 0, 5, 0));
		final List< SizeBin > bins = Froc.recallBySize(rows, new double[] { 0, 5, 20, INF }, 0, false);
		assertEquals(new SizeBin(0, 5, 2, 1, 0.5), bins.get(0));
		assertEquals(new SizeBin(5, 20, 1, 1, 1.0), bins.get(1));
		assertEquals(new SizeBin(20, INF, 1, 0, 0.0), bins.get(2));
		assertEquals(Double.NaN, Froc.recallBySize(rows, new double[] { 100, 200 }, 0, false).get(0).recall());
		assertThrows(IllegalArgumentException.class, () -> Froc.recallBySize(rows, new double[] { 5, 5 }, 0, false));
	}

	@Test
	void optionsRejectBadValues() {
		assertThrows(IllegalArgumentException.class, () -> FrocOptions.defaults().withBootstrap(-1));
		assertThrows(IllegalArgumentException.class, () -> FrocOptions.defaults().withSeed(-1));
		assertThrows(IllegalArgumentException.class, () -> new FrocOptions(Double.NaN, 50, 42, 0, false, 5));
		assertThrows(IllegalArgumentException.class, () -> FrocOptions.defaults().withSmallDiameter(-2));
	}
}
