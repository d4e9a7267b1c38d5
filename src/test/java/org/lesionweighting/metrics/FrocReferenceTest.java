package org.lesionweighting.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * End-to-end equality with an independent numpy implementation of doc/method.md §5.2–5.3: the records and
 * the expected values come from {@code src/test/python/froc_reference.py} (python3 + numpy 2.4), which
 * follows the authors' notebook (get_prc, get_size_df, bootstrap_prc_df with RandomState(42),
 * prc2luna_metric). Images img07 and img11 have no records; img03 has no prediction, img05 no lesion;
 * thresholds are hit exactly by some logits (10.0, −0.1).
 */
class FrocReferenceTest {

	private static final List< LesionRecord > ROWS = RecordsCsv.parse(FrocReferenceTestData.CSV.strip());

	private static void check(final FrocSummary s, final double avgRecall, final double dice, final double diceStd, final int nImages, final int nLesions,
			final double mean, final double std, final int sumFp, final double sumRecall) {
		assertEquals(avgRecall, s.avgRecall(), 0, "avg_recall");
		assertEquals(dice, s.objectDice(), 0, "object_dice");
		assertEquals(diceStd, s.objectDiceStd(), 0, "object_dice_std");
		assertEquals(nImages, s.numImages(), "n_images");
		assertEquals(nLesions, s.numLesions(), "n_lesions");
		assertEquals(mean, s.bootstrap().mean(), 0, "bootstrap mean");
		assertEquals(std, s.bootstrap().std(), 0, "bootstrap std");
		assertEquals(50, s.bootstrap().n());
		assertEquals(201, s.froc().size());
		int fp = 0;
		for (final int v : s.froc().fp())
			fp += v;
		assertEquals(sumFp, fp, "sum of FP over thresholds");
		assertEquals(sumRecall, NumpyCompat.sum(s.froc().recall()), 1e-12, "sum of recall over thresholds");
	}

	@Test
	void paperProtocolEqualsTheNumpyReference() {
		final FrocSummary s = Froc.summarize(ROWS, FrocOptions.paper().withSmallDiameter(8));
		check(s, 0.5359789511885321, 0.402, 0.254949574846254, 13, 22, 0.5513323368805008, 0.048058808593651636, 1509, 43.5);
		check(s.small(), 0.6306453759148368, 0.39075, 0.24426458503024953, 9, 6, 0.6517069194943447, 0.10621693371658161, 352, 44.83333333333333);
	}

	@Test
	void subsampleDivisorEqualsTheNumpyReference() {
		final FrocSummary s = Froc.summarize(ROWS, FrocOptions.defaults().withSmallDiameter(8));
		check(s, 0.5359789511885321, 0.402, 0.254949574846254, 13, 22, 0.5279572311845536, 0.047255271725684084, 1509, 43.5);
		check(s.small(), 0.6306453759148368, 0.39075, 0.24426458503024953, 9, 6, 0.6441249500998003, 0.10570639213373906, 352, 44.83333333333333);
	}
}
