package org.lesionweighting.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lesionweighting.label.Connectivity;
import org.lesionweighting.label.LesionLabeling;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.cell.CellImgFactory;
import net.imglib2.parallel.Parallelization;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.LongType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

class WeightMapsTest {

	/**
	 * The 4×4 patch used below (x fastest): N = 16, values present {0, 1, 2, 5}, so K + 1 = 4; counts
	 * 0: 11, 1: 2, 2: 2, 5: 1.
	 */
	private static final int[] PATCH = { //
		0, 0, 0, 0, //
		0, 1, 1, 0, //
		0, 0, 0, 2, //
		5, 0, 0, 2 };

	private static float[] weights(final int[] labels, final long[] dims, final WeightScheme s, final double wMin, final double wMax) {
		final ArrayImg< FloatType, FloatArray > out = ArrayImgs.floats(dims);
		WeightMaps.compute(ArrayImgs.ints(labels, dims), out, s, wMin, wMax);
		return out.update(null).getCurrentStorageArray();
	}

	private static float[] expected(final int[] labels, final float bg, final float... perLabel) {
		// perLabel given as pairs (label, weight)
		final float[] e = new float[labels.length];
		for (int i = 0; i < labels.length; i++) {
			e[i] = bg;
			for (int k = 0; k < perLabel.length; k += 2)
				if (labels[i] == (int) perLabel[k]) e[i] = perLabel[k + 1];
		}
		return e;
	}

	@Test
	void inverseVolumeUnclippedEqualsTheFormula() {
		// w = N / ((K+1)|c|): background 16/(4·11), labels 1 and 2: 16/(4·2) = 2, label 5: 16/(4·1) = 4
		final float[] w = weights(PATCH, new long[] { 4, 4 }, WeightScheme.INVERSE_VOLUME, 0, Double.POSITIVE_INFINITY);
		assertArrayEquals(expected(PATCH, (float) (16.0 / 44.0), 1, 2f, 2, 2f, 5, 4f), w);
	}

	@Test
	void inverseVolumeClipsAtBothEnds() {
		// default clip [1, 2e5]: background 0.364 -> 1
		assertArrayEquals(expected(PATCH, 1f, 1, 2f, 2, 2f, 5, 4f),
				weights(PATCH, new long[] { 4, 4 }, WeightScheme.INVERSE_VOLUME, WeightMaps.W_MIN_DEFAULT, WeightMaps.W_MAX_DEFAULT));
		// [0.5, 3]: background -> 0.5, label 5 -> 3
		assertArrayEquals(expected(PATCH, 0.5f, 1, 2f, 2, 2f, 5, 3f), weights(PATCH, new long[] { 4, 4 }, WeightScheme.INVERSE_VOLUME, 0.5, 3));
	}

	@Test
	void inverseVolumeUpperClipOfASingleVoxelInABigPatch() {
		// 128^3 patch with one 1-voxel lesion: 2^21 / (2·1) = 1,048,576 -> clipped to 2e5; background 2^21/(2(2^21-1)) -> 1
		final Img< IntType > labels = ArrayImgs.ints(128, 128, 128);
		labels.randomAccess().setPositionAndGet(new long[] { 5, 6, 7 }).set(42);
		final Img< FloatType > w = WeightMaps.compute(labels, WeightScheme.INVERSE_VOLUME);
		assertEquals(2e5f, w.randomAccess().setPositionAndGet(new long[] { 5, 6, 7 }).get());
		assertEquals(1f, w.randomAccess().setPositionAndGet(new long[] { 0, 0, 0 }).get());
		// a 1,000-voxel lesion gets 2^21 / (2·1000) = 1048.576 (doc/method.md appendix A.2)
		final Img< IntType > l2 = ArrayImgs.ints(128, 128, 128);
		Views.interval(l2, new long[] { 10, 10, 10 }, new long[] { 19, 19, 19 }).forEach(t -> t.set(3));
		assertEquals((float) (2097152.0 / 2000.0),
				WeightMaps.compute(l2, WeightScheme.INVERSE_VOLUME).randomAccess().setPositionAndGet(new long[] { 15, 15, 15 }).get());
	}

	@Test
	void noLesionPatchIsAllOnes() {
		final int[] zeros = new int[27];
		for (final WeightScheme s : WeightScheme.values()) {
			final float[] w = weights(zeros, new long[] { 3, 3, 3 }, s, 0, Double.POSITIVE_INFINITY);
			for (final float v : w)
				assertEquals(1f, v, s.toString());
		}
	}

	@Test
	void noBackgroundPatchAppliesTheFormulaAsWritten() {
		// values {3, 7}: K + 1 = 2 (no background part); N = 4; label 3: 4/(2·3), label 7: 4/(2·1)
		final int[] l = { 3, 3, 3, 7 };
		assertArrayEquals(new float[] { (float) (4.0 / 6.0), (float) (4.0 / 6.0), (float) (4.0 / 6.0), 2f },
				weights(l, new long[] { 2, 2 }, WeightScheme.INVERSE_VOLUME, 0, 1e9));
		assertArrayEquals(new float[] { 1f, 1f, 1f, 2f }, weights(l, new long[] { 2, 2 }, WeightScheme.INVERSE_VOLUME, 1, 2e5));
	}

	@Test
	void legacyEqualsTheFormula() {
		// n_cc = max id = 5 (ids 3 and 4 absent), n_pos = 5: labels 1, 2: 5/(5·2) = 0.5; label 5: 5/(5·1) = 1; background 1
		assertArrayEquals(expected(PATCH, 1f, 1, 0.5f, 2, 0.5f, 5, 1f), weights(PATCH, new long[] { 4, 4 }, WeightScheme.LEGACY, 1, 2e5));
	}

	@Test
	void legacyLoneLesionGetsOneOverItsId() {
		// only global lesion #5 in the patch: n_pos / (5·n_pos) = 1/5, below the background weight
		final int[] l = { 0, 5, 5, 0, 5, 5, 0, 0 };
		assertArrayEquals(new float[] { 1f, 0.2f, 0.2f, 1f, 0.2f, 0.2f, 1f, 1f }, weights(l, new long[] { 2, 2, 2 }, WeightScheme.LEGACY, 1, 2e5));
	}

	@Test
	void legacyIsNotClipped() {
		// one voxel of label 1 among many background voxels: 1/(1·1) = 1; label 1 of 2 voxels + label 2 of 1 voxel: n_pos = 3, n_cc = 2
		final int[] l = { 1, 1, 2, 0 };
		assertArrayEquals(new float[] { 0.75f, 0.75f, 1.5f, 1f }, weights(l, new long[] { 2, 2 }, WeightScheme.LEGACY, 1, 1.2));
	}

	@Test
	void uniformIsAllOnes() {
		for (final float v : weights(PATCH, new long[] { 4, 4 }, WeightScheme.UNIFORM, 1, 2e5))
			assertEquals(1f, v);
	}

	@Test
	void largeLabelIdsUseTheHashAndGiveTheSameWeights() {
		final int[] l = PATCH.clone();
		for (int i = 0; i < l.length; i++)
			if (l[i] == 5) l[i] = 2_000_000_000;
		assertArrayEquals(expected(l, 1f, 1, 2f, 2, 2f, 2_000_000_000, 4f), weights(l, new long[] { 4, 4 }, WeightScheme.INVERSE_VOLUME, 1, 2e5));
		final Img< LongType > big = ArrayImgs.longs(new long[] { 0, 1L << 40, 1L << 40, 7 }, 2, 2);
		final Img< FloatType > w = WeightMaps.compute(big, WeightScheme.INVERSE_VOLUME);
		// values {0, 2^40, 7}: K + 1 = 3; 0 and 7: 4/(3·1); 2^40: 4/(3·2) -> clipped to 1
		final float[] expectedW = { (float) (4.0 / 3.0), 1f, 1f, (float) (4.0 / 3.0) };
		final float[] got = new float[4];
		int i = 0;
		for (final FloatType t : w)
			got[i++] = t.get();
		assertArrayEquals(expectedW, got);
	}

	private static Img< IntType > randomLabels(final Random r, final long... dims) {
		final Img< IntType > l = ArrayImgs.ints(dims);
		int run = 0, v = 0;
		for (final IntType t : l) {
			if (run-- <= 0) {
				run = r.nextInt(20);
				v = r.nextDouble() < 0.6 ? 0 : 1 + r.nextInt(r.nextBoolean() ? 50 : 5_000_000);
			}
			t.set(v);
		}
		return l;
	}

	private static float[] toArray(final RandomAccessibleInterval< FloatType > img) {
		final float[] a = new float[(int) net.imglib2.util.Intervals.numElements(img)];
		int i = 0;
		for (final FloatType t : Views.flatIterable(img))
			a[i++] = t.get();
		return a;
	}

	@Test
	void directAndGenericPathsAgreeWithOneAndTwoThreads() {
		final Random r = new Random(4);
		// > 4 million voxels: the counting and writing are split into tasks
		final Img< IntType > labels = randomLabels(r, 200, 160, 140);
		for (final WeightScheme s : WeightScheme.values()) {
			final Img< FloatType > a = ArrayImgs.floats(200, 160, 140);
			Parallelization.runSingleThreaded(() -> WeightMaps.compute(labels, a, s, 1, 2e5));
			final Img< FloatType > b = ArrayImgs.floats(200, 160, 140);
			Parallelization.runMultiThreaded(() -> WeightMaps.compute(labels, b, s, 1, 2e5));
			assertArrayEquals(toArray(a), toArray(b), s.toString());
			if (s != WeightScheme.INVERSE_VOLUME) continue;
			final Img< IntType > cells = new CellImgFactory<>(new IntType(), 32).create(200, 160, 140);
			net.imglib2.loops.LoopBuilder.setImages(labels, cells).forEachPixel((x, y) -> y.set(x));
			final Img< FloatType > c = new CellImgFactory<>(new FloatType(), 32).create(200, 160, 140);
			Parallelization.runMultiThreaded(() -> WeightMaps.compute(Views.translate(cells, 3, 4, 5), Views.translate(c, 3, 4, 5), s, 1, 2e5));
			assertArrayEquals(toArray(a), toArray(c), s + " generic");
		}
	}

	@Test
	void patchSizeTilesApplyTheFormulaPerTile() {
		final Random r = new Random(6);
		final Img< IntType > labels = randomLabels(r, 30, 20, 9);
		final Img< FloatType > tiled = ArrayImgs.floats(30, 20, 9);
		WeightMaps.compute(labels, tiled, WeightScheme.INVERSE_VOLUME, 1, 2e5, 16, 8, 4);
		// reference: each tile computed on its own
		final Img< FloatType > ref = ArrayImgs.floats(30, 20, 9);
		for (long z = 0; z < 9; z += 4)
			for (long y = 0; y < 20; y += 8)
				for (long x = 0; x < 30; x += 16) {
					final long[] lo = { x, y, z }, hi = { Math.min(29, x + 15), Math.min(19, y + 7), Math.min(8, z + 3) };
					WeightMaps.compute(Views.interval(labels, lo, hi), Views.interval(ref, lo, hi), WeightScheme.INVERSE_VOLUME, 1, 2e5);
				}
		assertArrayEquals(toArray(ref), toArray(tiled));
		// one value = the same size on every axis; a tile as large as the image = the whole-image map
		final Img< FloatType > whole = ArrayImgs.floats(30, 20, 9);
		WeightMaps.compute(labels, whole, WeightScheme.INVERSE_VOLUME, 1, 2e5, 1000);
		assertArrayEquals(toArray(WeightMaps.compute(labels, WeightScheme.INVERSE_VOLUME)), toArray(whole));
	}

	@Test
	void fromMaskEqualsLabelThenCompute() {
		final Random r = new Random(10);
		final Img< UnsignedByteType > mask = ArrayImgs.unsignedBytes(40, 30, 20);
		for (final UnsignedByteType t : mask)
			t.set(r.nextDouble() < 0.2 ? 1 : 0);
		for (final WeightScheme s : WeightScheme.values()) {
			final Img< FloatType > a = ArrayImgs.floats(40, 30, 20);
			WeightMaps.fromMask(mask, a, s, Connectivity.TWENTY_SIX, 1, 2e5);
			final Img< FloatType > b = ArrayImgs.floats(40, 30, 20);
			WeightMaps.compute(LesionLabeling.label(mask, Connectivity.TWENTY_SIX), b, s, 1, 2e5);
			assertArrayEquals(toArray(b), toArray(a), s.toString());
		}
	}

	@Test
	void weightTableFromCounts() {
		// counts of PATCH
		final long[] counts = { 11, 2, 2, 0, 0, 1 };
		assertArrayEquals(new float[] { 1f, 2f, 2f, 0f, 0f, 4f }, WeightMaps.weightTable(counts, WeightScheme.INVERSE_VOLUME, 1, 2e5));
		assertArrayEquals(new float[] { 1f, 0.5f, 0.5f, 0f, 0f, 1f }, WeightMaps.weightTable(counts, WeightScheme.LEGACY, 1, 2e5));
	}

	@Test
	void badInputIsRejected() {
		final Img< IntType > l = ArrayImgs.ints(new int[] { 0, -3, 1, 1 }, 2, 2);
		final IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> WeightMaps.compute(l, WeightScheme.INVERSE_VOLUME));
		assertTrue(neg.getMessage().contains("-3") && neg.getMessage().contains("(1, 0)"), neg.getMessage());
		final Img< IntType > ok = ArrayImgs.ints(2, 2);
		assertThrows(IllegalArgumentException.class, () -> WeightMaps.compute(ok, ArrayImgs.floats(2, 3), WeightScheme.INVERSE_VOLUME, 1, 2));
		final IllegalArgumentException clip = assertThrows(IllegalArgumentException.class,
				() -> WeightMaps.compute(ok, ArrayImgs.floats(2, 2), WeightScheme.INVERSE_VOLUME, 3, 2));
		assertTrue(clip.getMessage().contains("wMax"), clip.getMessage());
		assertThrows(IllegalArgumentException.class, () -> WeightMaps.compute(ok, ArrayImgs.floats(2, 2), WeightScheme.INVERSE_VOLUME, -1, 2));
		assertThrows(IllegalArgumentException.class, () -> WeightMaps.compute(ok, ArrayImgs.floats(2, 2), WeightScheme.INVERSE_VOLUME, Double.NaN, 2));
		assertThrows(IllegalArgumentException.class, () -> WeightMaps.compute(ok, ArrayImgs.floats(2, 2), null, 1, 2));
		assertThrows(IllegalArgumentException.class, () -> WeightMaps.compute(ok, ArrayImgs.floats(2, 2), WeightScheme.INVERSE_VOLUME, 1, 2, 0));
		assertThrows(IllegalArgumentException.class, () -> WeightMaps.compute(ok, ArrayImgs.floats(2, 2), WeightScheme.INVERSE_VOLUME, 1, 2, 2, 2, 2, 2));
		final Img< UnsignedShortType > us = ArrayImgs.unsignedShorts(new short[] { (short) 65535, 0, 0, 0 }, 2, 2);
		assertEquals(2f, WeightMaps.compute(us, WeightScheme.INVERSE_VOLUME).firstElement().get(), "unsigned 65535 is a label, not -1");
	}

	@Test
	void schemeKeysAndParsing() {
		assertArrayEquals(new String[] { "inverse_volume", "legacy", "uniform" }, WeightScheme.keys());
		assertEquals(WeightScheme.UNIFORM, WeightScheme.fromString("none"));
		assertEquals(WeightScheme.INVERSE_VOLUME, WeightScheme.fromString(" Inverse_Volume "));
		assertEquals(WeightScheme.LEGACY, WeightScheme.fromString("LEGACY"));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightScheme.fromString("inverse"));
		assertTrue(e.getMessage().contains("inverse_volume, legacy, uniform"), e.getMessage());
	}
}
