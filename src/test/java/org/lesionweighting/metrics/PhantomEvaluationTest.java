package org.lesionweighting.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.lesionweighting.label.LesionLabeling;
import org.lesionweighting.phantom.LesionPhantom;
import org.lesionweighting.phantom.Phantom;
import org.lesionweighting.phantom.PhantomSpec;

import net.imglib2.Cursor;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;

/** Invariants on a lesion phantom: a perfect prediction, and one with a lesion removed and a false positive. */
class PhantomEvaluationTest {

	private static final Phantom PHANTOM = LesionPhantom.generate(new PhantomSpec().size(64, 64, 32).numLesions(12).seed(5));

	private static Img< FloatType > probabilities(final int dropLabel, final boolean addFalsePositive) {
		final Img< IntType > labels = LesionLabeling.label(PHANTOM.mask(), LesionRecords.CONNECTIVITY);
		final Img< FloatType > p = ArrayImgs.floats(64, 64, 32);
		final Cursor< IntType > l = labels.cursor();
		final Cursor< UnsignedByteType > m = PHANTOM.mask().cursor();
		for (final FloatType v : p) {
			final int lab = l.next().get();
			v.set(m.next().get() > 0 && lab != dropLabel ? 0.9f : 0.1f);
		}
		if (addFalsePositive) {
			// the first background voxel (raster order) with no lesion among its 26 neighbours
			final Cursor< FloatType > c = p.cursor();
			final Cursor< UnsignedByteType > mm = PHANTOM.mask().cursor();
			final Cursor< IntType > ll = labels.cursor();
			while (c.hasNext()) {
				c.fwd();
				mm.fwd();
				ll.fwd();
				if (mm.get().get() == 0 && isolated(c.getLongPosition(0), c.getLongPosition(1), c.getLongPosition(2))) {
					c.get().set(0.8f);
					break;
				}
			}
		}
		return p;
	}

	private static boolean isolated(final long x, final long y, final long z) {
		final net.imglib2.RandomAccess< UnsignedByteType > ra = PHANTOM.mask().randomAccess();
		for (long dz = -1; dz <= 1; dz++)
			for (long dy = -1; dy <= 1; dy++)
				for (long dx = -1; dx <= 1; dx++) {
					final long[] q = { x + dx, y + dy, z + dz };
					if (q[0] < 0 || q[1] < 0 || q[2] < 0 || q[0] >= 64 || q[1] >= 64 || q[2] >= 32) continue;
					ra.setPosition(q);
					if (ra.get().get() != 0) return false;
				}
		return true;
	}

	@Test
	void perfectPredictionDetectsEveryLesionWithDiceOne() {
		final ImageEvaluation e = LesionRecords.evaluate("p", PHANTOM.mask(), probabilities(0, false), null, null);
		assertTrue(e.numLesions() >= 5, "phantom has lesions: " + e.numLesions());
		assertEquals(e.numLesions(), e.numPredictions());
		assertEquals(1.0, e.voxelDice(), 0);
		for (final LesionRecord r : e.records()) {
			assertEquals(1.0, r.hitDice(), 0);
			assertEquals(r.object(), r.hitObject());
		}
		final FrocSummary s = Froc.summarize(e.records(), FrocOptions.defaults().withBootstrap(0));
		assertEquals(1.0, s.avgRecall(), 0);
		assertEquals(1.0, s.objectDice(), 0);
		assertEquals(0.0, s.objectDiceStd(), 0);
	}

	@Test
	void droppedLesionIsMissedAndIsolatedVoxelIsAFalsePositive() {
		final ImageEvaluation e = LesionRecords.evaluate("p", PHANTOM.mask(), probabilities(1, true), null, null);
		final List< LesionRecord > rows = e.records();
		final int k = e.numLesions();
		assertEquals(k, e.numPredictions(), "one lesion fewer, one false positive more");
		final FrocCurve c = Froc.curve(rows);
		assertEquals((k - 1) / (double) k, c.recall()[0], 1e-15);
		assertEquals(1, c.fp()[0]);
		assertEquals(1.0, c.avgFp()[0], 0);
		final LesionRecord missed = rows.get(0);
		assertEquals(0, missed.hitObject());
		assertEquals(Double.NEGATIVE_INFINITY, missed.hitLogit(), 0);
	}
}
