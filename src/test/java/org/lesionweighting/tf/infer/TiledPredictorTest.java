package org.lesionweighting.tf.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lesionweighting.util.ProgressListener;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.cell.CellImg;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

class TiledPredictorTest {

	/** The whole volume as one window: padded = size exactly, no tiling. */
	private static TilingOptions untiled(final Img< ? > img) {
		final int[] d = new int[] { (int) img.dimension(0), (int) img.dimension(1), (int) img.dimension(2) };
		return new TilingOptions().patchSize(d).stride(d);
	}

	private static void assertImagesEqual(final Img< FloatType > expected, final Img< FloatType > actual, final double tol) {
		assertArrayEquals(Intervals.dimensionsAsLongArray(expected), Intervals.dimensionsAsLongArray(actual));
		final Cursor< FloatType > c = expected.localizingCursor();
		final RandomAccess< FloatType > ra = actual.randomAccess();
		while (c.hasNext()) {
			c.fwd();
			ra.setPosition(c);
			assertEquals(c.get().get(), ra.get().get(), tol, () -> "at " + c.getLongPosition(0) + "," + c.getLongPosition(1) + "," + c.getLongPosition(2));
		}
	}

	@ParameterizedTest
	@EnumSource(Blending.class)
	void tiledEqualsUntiledForPointwiseModel(final Blending blending) {
		final Img< FloatType > img = TestModels.randomVolume(1, 37, 29, 23); // several 12^3 windows per axis
		final WindowPredictor p = FakePredictors.pointwise(3, -0.5f, 0);
		final InferenceResult tiled = TiledPredictor.predict(img, p, new TilingOptions().patchSize(12).stride(9).blending(blending), null);
		final InferenceResult whole = TiledPredictor.predict(img, p, untiled(img).blending(blending), null);
		assertTrue(tiled.numWindows() > 20, "several windows: " + tiled.numWindows());
		assertEquals(1, whole.numWindows());
		assertImagesEqual(whole.probabilities(), tiled.probabilities(), 1e-6);
		assertImagesEqual(whole.logits(), tiled.logits(), 1e-5);
		// and both equal the model applied directly
		final Cursor< FloatType > c = img.cursor();
		final Cursor< FloatType > l = tiled.logits().cursor();
		while (c.hasNext())
			assertEquals(3 * c.next().get() - 0.5f, l.next().get(), 1e-5);
	}

	@ParameterizedTest
	@EnumSource(Blending.class)
	void tiledEqualsUntiledInTheInteriorForBoxFilter(final Blending blending) {
		final Img< FloatType > img = TestModels.randomVolume(2, 30, 26, 22);
		final int patch = 10, stride = 7;
		final InferenceResult tiled = TiledPredictor.predict(img, FakePredictors.box(), new TilingOptions().patchSize(patch).stride(stride).blending(blending),
				null);
		final InferenceResult whole = TiledPredictor.predict(img, FakePredictors.box(), untiled(img), null);
		// a voxel is unaffected by window borders if no window covering it has it on its first/last plane
		final AxisTiling[] axes = new AxisTiling[3];
		for (int a = 0; a < 3; a++)
			axes[a] = new AxisTiling(img.dimension(a), patch, stride, 1);
		final Cursor< FloatType > c = whole.logits().localizingCursor();
		final RandomAccess< FloatType > ra = tiled.logits().randomAccess();
		int compared = 0, differing = 0;
		while (c.hasNext()) {
			c.fwd();
			boolean interior = true;
			for (int a = 0; a < 3 && interior; a++) {
				final long x = c.getLongPosition(a);
				for (long k = 0; k < axes[a].numWindows(); k++) {
					final long u = x - axes[a].windowOrigin(k);
					if (u == 0 || u == patch - 1) interior = false;
				}
			}
			ra.setPosition(c);
			if (interior) {
				compared++;
				assertEquals(c.get().get(), ra.get().get(), 1e-4);
			}
			else if (Math.abs(c.get().get() - ra.get().get()) > 1e-4) differing++;
		}
		assertTrue(compared > 1000, "compared " + compared);
		assertTrue(differing > 0, "window borders do show the padding effect");
	}

	@Test
	void volumeSmallerThanWindowWorks() {
		final Img< FloatType > img = TestModels.randomVolume(3, 5, 7, 3);
		final FakePredictors.Recording p = new FakePredictors.Recording(FakePredictors.pointwise(1, 0, 0));
		final InferenceResult r = TiledPredictor.predict(img, p, new TilingOptions().patchSize(16).stride(12), null);
		assertEquals(1, r.numWindows());
		assertArrayEquals(new long[] { 5, 7, 3 }, Intervals.dimensionsAsLongArray(r.logits()));
		assertImagesEqual(img, r.logits(), 0);
		// the window is the volume centred in zeros: padBefore = (16 - 5) / 2 = 5 along x, 4 along y, 6 along z
		final float[] w = p.inputs.get(0);
		assertEquals(16 * 16 * 16, w.length);
		final RandomAccess< FloatType > ra = img.randomAccess();
		ra.setPosition(new long[] { 0, 0, 0 });
		assertEquals(ra.get().get(), w[(6 * 16 + 4) * 16 + 5]);
		assertEquals(0f, w[(6 * 16 + 4) * 16 + 4]);
	}

	@Test
	void twoDimensionalInputGivesDepthOne() {
		final Img< FloatType > img = TestModels.randomVolume(4, 20, 11);
		final InferenceResult r = TiledPredictor.predict(img, FakePredictors.pointwise(1, 0, 0), new TilingOptions().patchSize(8, 8, 1).stride(6, 6, 1), null);
		assertArrayEquals(new long[] { 20, 11, 1 }, Intervals.dimensionsAsLongArray(r.logits()));
	}

	@Test
	void windowsArePaddedToTheDivisorWithTheirMinimum() {
		final Img< FloatType > img = TestModels.randomVolume(5, 6, 6, 6);
		final FakePredictors.Recording p = new FakePredictors.Recording(FakePredictors.pointwise(1, 0, 0), 4, 4, 4);
		final InferenceResult r = TiledPredictor.predict(img, p, new TilingOptions().patchSize(6).stride(6), null);
		final float[] w = p.inputs.get(0);
		assertEquals(8 * 8 * 8, w.length); // 6 rounded up to a multiple of 4
		float min = Float.POSITIVE_INFINITY;
		for (final FloatType t : img)
			min = Math.min(min, t.get());
		assertEquals(min, w[0]); // corner of the margin
		assertEquals(min, w[7 * 64 + 7 * 8 + 7]);
		final RandomAccess< FloatType > ra = img.randomAccess();
		ra.setPosition(new long[] { 2, 1, 0 });
		assertEquals(ra.get().get(), w[(1 * 8 + 2) * 8 + 3]); // patch offset 1 in each axis
		assertImagesEqual(img, r.logits(), 0); // margin cropped off
	}

	@Test
	void multiChannelInputIsInterleaved() {
		final Img< FloatType > a = TestModels.randomVolume(6, 14, 9, 8), b = TestModels.randomVolume(7, 14, 9, 8);
		final InferenceResult r = TiledPredictor.predict(List.of(a, b), FakePredictors.pointwise(2, 1, -3), new TilingOptions().patchSize(6).stride(5), null);
		final Cursor< FloatType > ca = a.cursor(), cb = b.cursor(), cl = r.logits().cursor();
		while (ca.hasNext())
			assertEquals(2 * ca.next().get() + 1 - 3 * cb.next().get(), cl.next().get(), 1e-5);
	}

	@Test
	void channelCountMismatchIsAClearError() {
		final WindowPredictor p = new WindowPredictor() {

			@Override
			public float[] predict(final float[] w, final int batch, final int d, final int h, final int x, final int c) {
				return new float[batch * d * h * x];
			}

			@Override
			public int inputChannels() {
				return 2;
			}
		};
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> TiledPredictor.predict(TestModels.randomVolume(1, 4, 4, 4), p, new TilingOptions().patchSize(4).stride(4), null));
		assertTrue(e.getMessage().contains("expects 2 input channel(s), but 1"), e.getMessage());
	}

	@Test
	void probabilitiesAndLogitsAreAveragedSeparately() {
		// each window predicts a constant: +4 for even calls, -2 for odd ones; overlap voxels see both
		final AtomicInteger call = new AtomicInteger();
		final WindowPredictor p = (in, batch, d, h, w, c) -> {
			final float[] out = new float[d * h * w];
			java.util.Arrays.fill(out, call.getAndIncrement() % 2 == 0 ? 4f : -2f);
			return out;
		};
		final Img< FloatType > img = ArrayImgs.floats(14, 1, 1);
		final InferenceResult r = TiledPredictor.predict(img, p, new TilingOptions().patchSize(8, 1, 1).stride(6, 1, 1), null);
		// padded = max(14, 8) = 14, (6 - 14 + 8) mod 6 = 0 -> 14; windows at 0 and 6 overlap on x = 6, 7
		assertEquals(2, r.numWindows());
		final RandomAccess< FloatType > pr = r.probabilities().randomAccess(), lr = r.logits().randomAccess();
		pr.setPosition(new long[] { 6, 0, 0 });
		lr.setPosition(new long[] { 6, 0, 0 });
		final double meanOfSigmoids = (1 / (1 + Math.exp(-4)) + 1 / (1 + Math.exp(2))) / 2; // 0.5536
		assertEquals(meanOfSigmoids, pr.get().get(), 1e-6);
		assertEquals(1.0, lr.get().get(), 1e-6); // (4 + -2) / 2
		assertTrue(Math.abs(1 / (1 + Math.exp(-1)) - meanOfSigmoids) > 0.1, "sigmoid of the mean logit (0.731) differs");
		pr.setPosition(new long[] { 0, 0, 0 });
		assertEquals(1 / (1 + Math.exp(-4)), pr.get().get(), 1e-6);
		pr.setPosition(new long[] { 13, 0, 0 });
		assertEquals(1 / (1 + Math.exp(2)), pr.get().get(), 1e-6);
	}

	@Test
	void gaussianWeightsAreNnUNetLike() {
		final double[] w = TiledPredictor.windowWeights(16, Blending.GAUSSIAN);
		assertEquals(1.0, w[8], 0); // centre = 16 / 2
		assertEquals(Math.exp(-64.0 / (2 * 4)), w[0], 1e-12); // sigma = 16 / 8 = 2
		assertArrayEquals(new double[] { 1, 1, 1 }, TiledPredictor.windowWeights(3, Blending.AVERAGE));
	}

	@Test
	void gaussianBlendingWeighsWindowCentresMore() {
		// windows of constant 4 then -2 as above; at x = 6 the first window is near its border (u = 6 of 8),
		// the second at its start (u = 0): Gaussian weights exp(-(6-4)^2/2) vs exp(-(0-4)^2/2)
		final AtomicInteger call = new AtomicInteger();
		final WindowPredictor p = (in, batch, d, h, w, c) -> {
			final float[] out = new float[d * h * w];
			java.util.Arrays.fill(out, call.getAndIncrement() % 2 == 0 ? 4f : -2f);
			return out;
		};
		final InferenceResult r = TiledPredictor.predict(ArrayImgs.floats(14, 1, 1), p,
				new TilingOptions().patchSize(8, 1, 1).stride(6, 1, 1).blending(Blending.GAUSSIAN).outputs(EnumSet.of(InferenceOutput.LOGITS)), null);
		final double w1 = Math.exp(-4.0 / 2), w2 = Math.exp(-16.0 / 2);
		final RandomAccess< FloatType > lr = r.logits().randomAccess();
		lr.setPosition(new long[] { 6, 0, 0 });
		assertEquals((4 * w1 - 2 * w2) / (w1 + w2), lr.get().get(), 1e-5);
		assertNull(r.probabilities());
		assertNull(r.mask());
	}

	@Test
	void maskAndLabelsFollowProbabilities() {
		// two separate blobs: logit = 10 * value - 5; blob voxels have value 1
		final Img< FloatType > img = ArrayImgs.floats(20, 12, 10);
		final RandomAccess< FloatType > ra = img.randomAccess();
		for (final long[] p : new long[][] { { 2, 2, 2 }, { 3, 3, 3 }, { 15, 8, 7 } }) {
			ra.setPosition(p);
			ra.get().set(1);
		}
		final InferenceResult r = TiledPredictor.predict(img, FakePredictors.pointwise(10, -5, 0),
				new TilingOptions().patchSize(8).stride(6).outputs(EnumSet.of(InferenceOutput.MASK, InferenceOutput.LABELS)), null);
		assertNull(r.probabilities());
		assertNull(r.logits());
		assertEquals(2, r.numLesions()); // (2,2,2) and (3,3,3) touch diagonally: one lesion with 26-connectivity
		long ones = 0;
		for (final UnsignedByteType t : r.mask())
			ones += t.get();
		assertEquals(3, ones);
		final RandomAccess< IntType > lr = r.labels().randomAccess();
		lr.setPosition(new long[] { 3, 3, 3 });
		assertEquals(1, lr.get().get());
		lr.setPosition(new long[] { 15, 8, 7 });
		assertEquals(2, lr.get().get());
	}

	@Test
	void outOfMemoryHalvesTheBatchAndKeepsResults() {
		final Img< FloatType > img = TestModels.randomVolume(8, 20, 20, 20);
		final WindowPredictor inner = FakePredictors.pointwise(2, 0.25f, 0);
		final FakePredictors.Recording p = new FakePredictors.Recording((in, batch, d, h, w, c) -> {
			if (batch > 1) throw new OutOfMemoryError("fake: no room for " + batch + " windows");
			return inner.predict(in, batch, d, h, w, c);
		});
		final TilingOptions options = new TilingOptions().patchSize(8).stride(7).batchSize(4);
		final InferenceResult r = TiledPredictor.predict(img, p, options, null);
		final InferenceResult reference = TiledPredictor.predict(img, inner, options.copy().batchSize(1), null);
		final List< Integer > expected = new ArrayList<>(List.of(4, 2));
		for (int i = 0; i < r.numWindows(); i++)
			expected.add(1);
		assertEquals(expected, p.batches);
		assertEquals(expected, r.batchSizes());
		assertImagesEqual(reference.logits(), r.logits(), 0);
		assertImagesEqual(reference.probabilities(), r.probabilities(), 0);
	}

	@Test
	void resourceExhaustedInTheCauseChainAlsoShrinks() {
		final Img< FloatType > img = TestModels.randomVolume(9, 10, 10, 10);
		final WindowPredictor inner = FakePredictors.pointwise(1, 0, 0);
		final WindowPredictor p = (in, batch, d, h, w, c) -> {
			if (batch > 2) throw new IllegalStateException("wrapped", new OutOfMemoryError("fake"));
			return inner.predict(in, batch, d, h, w, c);
		};
		final InferenceResult r = TiledPredictor.predict(img, p, new TilingOptions().patchSize(4).stride(4).batchSize(8), null);
		assertEquals(List.of(8, 4, 2), r.batchSizes().subList(0, 3));
		assertEquals(2, (int) r.batchSizes().get(r.batchSizes().size() - 2));
		assertImagesEqual(img, r.logits(), 0);
	}

	@Test
	void alwaysOutOfMemoryFailsWithAdvice() {
		final WindowPredictor p = (in, batch, d, h, w, c) -> {
			throw new OutOfMemoryError("fake");
		};
		final IllegalStateException e = assertThrows(IllegalStateException.class,
				() -> TiledPredictor.predict(TestModels.randomVolume(1, 10, 10, 10), p, new TilingOptions().patchSize(8).stride(6).batchSize(2), null));
		assertTrue(e.getMessage().contains("patch_size"), e.getMessage());
		assertTrue(e.getMessage().contains("device"), e.getMessage());
		assertTrue(e.getMessage().contains("-Xmx"), e.getMessage());
		assertTrue(e.getMessage().contains("[2, 1]"), e.getMessage());
		assertInstanceOf(OutOfMemoryError.class, e.getCause());
	}

	@Test
	void otherPredictorErrorsPropagateUnchanged() {
		final WindowPredictor p = (in, batch, d, h, w, c) -> {
			throw new IllegalArgumentException("bad model");
		};
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> TiledPredictor.predict(TestModels.randomVolume(1, 4, 4, 4), p, new TilingOptions().patchSize(4).stride(4), null));
		assertEquals("bad model", e.getMessage());
	}

	@Test
	void wrongOutputLengthIsReported() {
		final WindowPredictor p = (in, batch, d, h, w, c) -> new float[3];
		final IllegalStateException e = assertThrows(IllegalStateException.class,
				() -> TiledPredictor.predict(TestModels.randomVolume(1, 4, 4, 4), p, new TilingOptions().patchSize(4).stride(4), null));
		assertTrue(e.getMessage().contains("returned 3 values"), e.getMessage());
	}

	@Test
	void cancellationStopsBetweenBatches() {
		final AtomicInteger calls = new AtomicInteger();
		final WindowPredictor inner = FakePredictors.pointwise(1, 0, 0);
		final WindowPredictor p = (in, batch, d, h, w, c) -> {
			if (calls.incrementAndGet() == 2) Thread.currentThread().interrupt();
			return inner.predict(in, batch, d, h, w, c);
		};
		try {
			assertThrows(CancellationException.class,
					() -> TiledPredictor.predict(TestModels.randomVolume(1, 16, 16, 16), p, new TilingOptions().patchSize(4).stride(4), null));
			assertEquals(2, calls.get()); // the batch in progress finishes, the next one never starts
		}
		finally {
			Thread.interrupted();
		}
	}

	@Test
	void progressIsReportedPerBatch() {
		final List< Double > fractions = new ArrayList<>();
		final ProgressListener l = new ProgressListener() {

			@Override
			public void status(final String message) {}

			@Override
			public void progress(final double fraction) {
				fractions.add(fraction);
			}
		};
		// 8 windows (2 per axis), batch 3 -> 3 batches
		TiledPredictor.predict(TestModels.randomVolume(1, 8, 8, 8), FakePredictors.pointwise(1, 0, 0), new TilingOptions().patchSize(4).stride(4).batchSize(3),
				l);
		assertEquals(List.of(3 / 8.0, 6 / 8.0, 1.0), fractions);
	}

	@Test
	void bigVolumesUseCellAccumulatorsWithTheSameResult() {
		final Img< FloatType > img = TestModels.randomVolume(10, 21, 17, 13);
		final TilingOptions o = new TilingOptions().patchSize(8).stride(6).blending(Blending.GAUSSIAN);
		final InferenceResult cells = TiledPredictor.predict(List.of(img), FakePredictors.box(), o, null, 100);
		final InferenceResult arrays = TiledPredictor.predict(img, FakePredictors.box(), o, null);
		assertInstanceOf(CellImg.class, cells.logits());
		assertInstanceOf(CellImg.class, cells.probabilities());
		assertFalse(arrays.logits() instanceof CellImg);
		assertImagesEqual(arrays.logits(), cells.logits(), 0);
		assertNotNull(cells.labels());
	}

	@Test
	void nonZeroMinInputIsHandled() {
		final Img< FloatType > img = TestModels.randomVolume(11, 9, 9, 9);
		final InferenceResult r = TiledPredictor.predict(net.imglib2.view.Views.translate(img, 5, -3, 2), FakePredictors.pointwise(1, 0, 0),
				new TilingOptions().patchSize(4).stride(3), null);
		assertImagesEqual(img, r.logits(), 1e-6); // averaging 2 or 3 equal floats may round
	}

	@Test
	void optionsParseAndReject() {
		assertArrayEquals(new int[] { 160, 160, 96 }, TilingOptions.parseSize("patch_size", "160,160,96"));
		assertArrayEquals(new int[] { 64, 64, 64 }, TilingOptions.parseSize("patch_size", " 64 "));
		assertThrows(IllegalArgumentException.class, () -> TilingOptions.parseSize("patch_size", "a"));
		assertThrows(IllegalArgumentException.class, () -> new TilingOptions().patchSize(1, 2));
		assertEquals(Blending.GAUSSIAN, Blending.fromString("Gaussian"));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Blending.fromString("median"));
		assertTrue(e.getMessage().contains("average, gaussian"));
		assertEquals(EnumSet.of(InferenceOutput.MASK, InferenceOutput.LOGITS), InferenceOutput.parseSet("mask, logits"));
		final IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> TiledPredictor.predict(TestModels.randomVolume(1, 4, 4, 4),
				FakePredictors.pointwise(1, 0, 0), new TilingOptions().patchSize(4).stride(5), null));
		assertTrue(s.getMessage().contains("stride"), s.getMessage());
	}
}
