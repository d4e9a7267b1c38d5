package org.lesionweighting.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * End-to-end equality with an independent numpy implementation of METHOD.md §5.2–5.3: the records and
 * the expected values come from {@code src/test/python/froc_reference.py} (python3 + numpy 2.4), which
 * follows the authors' notebook (get_prc, get_size_df, bootstrap_prc_df with RandomState(42),
 * prc2luna_metric). Images img07 and img11 have no records; img03 has no prediction, img05 no lesion;
 * thresholds are hit exactly by some logits (10.0, −0.1).
 */
class FrocReferenceTest {

	static final String CSV = """
			image,kind,object,diameter,hit_dice,hit_logit,self_logit,hit_object
			img00,lesion,1,7.06,0.343,5.29,Infinity,1
			img00,lesion,2,6.01,0,-Infinity,Infinity,0
			img00,lesion,3,8.97,0,-Infinity,Infinity,0
			img00,lesion,4,11.03,0.423,3.29,Infinity,1
			img00,prediction,1,13.81,0.379,Infinity,8.41,1
			img01,prediction,1,15.26,0,-Infinity,2.57,0
			img01,prediction,2,4.31,0,-Infinity,10.07,0
			img01,prediction,3,9.53,0,-Infinity,4.39,0
			img01,prediction,4,4.67,0,-Infinity,0.41,0
			img01,prediction,5,12.66,0,-Infinity,12.32,0
			img02,lesion,1,9.48,0.186,10.0,Infinity,1
			img02,prediction,1,9.6,0.402,Infinity,3.94,1
			img02,prediction,2,9.72,0,-Infinity,9.07,0
			img02,prediction,3,18.22,0.451,Infinity,1.53,1
			img03,lesion,1,13.05,0,-Infinity,Infinity,0
			img03,lesion,2,8.88,0,-Infinity,Infinity,0
			img04,lesion,1,15.85,0.515,9.79,Infinity,1
			img04,lesion,2,19.13,0,-Infinity,Infinity,0
			img04,lesion,3,13.33,0.186,11.9,Infinity,1
			img04,prediction,1,9.51,0.847,Infinity,10.0,1
			img05,prediction,1,10.23,0,-Infinity,0.92,0
			img05,prediction,2,7.16,0,-Infinity,3.21,0
			img05,prediction,3,8.88,0,-Infinity,5.27,0
			img05,prediction,4,16.13,0,-Infinity,6.31,0
			img05,prediction,5,15.79,0,-Infinity,11.42,0
			img06,lesion,1,5.5,0.271,4.17,Infinity,1
			img06,lesion,2,4.34,0.797,11.47,Infinity,1
			img06,prediction,1,13.17,0,-Infinity,5.94,0
			img08,lesion,1,14.84,0.057,10.17,Infinity,1
			img08,lesion,2,8.45,0.823,1.41,Infinity,3
			img08,lesion,3,16.74,0.269,0.05,Infinity,4
			img08,prediction,1,9.49,0.447,Infinity,10.17,2
			img08,prediction,2,15.86,0,-Infinity,11.0,0
			img08,prediction,3,11.12,0.311,Infinity,10.16,3
			img08,prediction,4,17.66,0,-Infinity,11.73,0
			img09,lesion,1,17.06,0,-Infinity,Infinity,0
			img09,lesion,2,13.63,0.206,6.8,Infinity,1
			img09,lesion,3,9.79,0.831,6.45,Infinity,2
			img09,prediction,1,7.87,0,-Infinity,-0.11,0
			img09,prediction,2,1.44,0.456,Infinity,6.35,2
			img10,prediction,1,6.69,0,-Infinity,-0.45,0
			img12,lesion,1,2.36,0.152,1.89,Infinity,1
			img12,lesion,2,7.66,0,-Infinity,Infinity,0
			img12,lesion,3,18.34,0.569,4.38,Infinity,1
			img12,lesion,4,18.3,0,-Infinity,Infinity,0
			img12,prediction,1,13.78,0,-Infinity,-0.0,0
			img12,prediction,2,8.94,0.558,Infinity,1.54,4
			img12,prediction,3,10.69,0.782,Infinity,8.65,2
			img13,prediction,1,4.92,0,-Infinity,11.86,0
			img13,prediction,2,3.03,0,-Infinity,4.17,0
			img13,prediction,3,9.57,0,-Infinity,2.87,0
			img13,prediction,4,18.53,0,-Infinity,4.36,0
			img14,prediction,1,5.6,0,-Infinity,-0.91,0
			img14,prediction,2,9.54,0,-Infinity,11.25,0
			""";

	private static final List< LesionRecord > ROWS = RecordsCsv.parse(CSV.strip());

	private static void check(final FrocSummary s, final double avgRecall, final double dice, final double diceStd, final int nImages, final int nLesions, final double mean, final double std, final int sumFp, final double sumRecall) {
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
