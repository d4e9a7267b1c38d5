package org.lesionweighting.tf.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.tf.model.Device;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

/** Tiled inference through real TensorFlow SavedModels (a single convolution and tfnet's SMALL U-Net). */
class SavedModelPredictorTest {

	@TempDir
	static Path tmp;

	static Path conv, unet;

	/** One loaded U-Net shared by the tests (loading costs seconds). */
	static SavedModelPredictor unetPredictor;

	@BeforeAll
	static void export() throws IOException {
		conv = tmp.resolve("conv");
		unet = tmp.resolve("unet");
		TestModels.exportConv(conv, 1);
		TestModels.exportUNet(unet);
		unetPredictor = SavedModelPredictor.load(unet, Device.CPU);
	}

	@AfterAll
	static void close() {
		if (unetPredictor != null) unetPredictor.close();
	}

	@Test
	void convTiledEqualsUntiledAwayFromWindowBorders() throws IOException {
		final Img< FloatType > img = TestModels.randomVolume(1, 34, 30, 26);
		final int patch = 12, stride = 9;
		try (SavedModelPredictor p = SavedModelPredictor.load(conv, Device.CPU)) {
			final InferenceResult tiled = TiledPredictor.predict(img, p, new TilingOptions().patchSize(patch).stride(stride).batchSize(4), null);
			final InferenceResult whole = TiledPredictor.predict(img, p, new TilingOptions().patchSize(34, 30, 26).stride(34, 30, 26), null);
			assertTrue(tiled.numWindows() >= 27, "windows: " + tiled.numWindows());
			final AxisTiling[] axes = new AxisTiling[3];
			for (int a = 0; a < 3; a++)
				axes[a] = new AxisTiling(img.dimension(a), patch, stride, 2);
			final Cursor< FloatType > c = whole.logits().localizingCursor();
			final RandomAccess< FloatType > tl = tiled.logits().randomAccess(), tp = tiled.probabilities().randomAccess(),
					wp = whole.probabilities().randomAccess();
			int compared = 0;
			while (c.hasNext()) {
				c.fwd();
				boolean interior = true;
				for (int a = 0; a < 3 && interior; a++)
					for (long k = 0; k < axes[a].numWindows(); k++) {
						final long u = c.getLongPosition(a) - axes[a].windowOrigin(k);
						if (u == 0 || u == patch - 1) interior = false;
					}
				if (!interior) continue;
				tl.setPosition(c);
				tp.setPosition(c);
				wp.setPosition(c);
				assertEquals(c.get().get(), tl.get().get(), 1e-5);
				assertEquals(wp.get().get(), tp.get().get(), 1e-6);
				compared++;
			}
			assertTrue(compared > 10000, "compared " + compared);
		}
	}

	@Test
	void convMatchesAJavaReference() throws IOException {
		// a single window that covers the volume: the logits are the "same" convolution of the input
		final Img< FloatType > img = TestModels.randomVolume(2, 6, 4, 4);
		final float[] input = new float[6 * 4 * 4];
		int i = 0;
		for (final FloatType t : img)
			input[i++] = t.get();
		try (SavedModelPredictor p = SavedModelPredictor.load(conv, Device.AUTO)) {
			assertArrayEquals(new int[] { 2, 2, 2 }, p.sizeDivisor());
			final float[] out = p.predict(input, 1, 4, 4, 6, 1);
			// impulse response recovers the weights: predicting a delta at (2, 2, 2) gives the flipped kernel + bias
			final float[] delta = new float[64];
			delta[(2 * 4 + 2) * 4 + 2] = 1;
			final float[] k = p.predict(delta, 1, 4, 4, 4, 1);
			final float bias = -0.25f;
			// out(x) = bias + sum_d w(d) in(x + d), and the delta response at x is bias + w(c - x)
			final int x = 2, y = 2, z = 1;
			double expected = bias;
			for (int dz = -1; dz <= 1; dz++)
				for (int dy = -1; dy <= 1; dy++)
					for (int dx = -1; dx <= 1; dx++) {
						final double w = k[((2 - dz) * 4 + (2 - dy)) * 4 + (2 - dx)] - bias;
						expected += w * input[((z + dz) * 4 + (y + dy)) * 6 + (x + dx)];
					}
			assertEquals(expected, out[(z * 4 + y) * 6 + x], 1e-5);
		}
	}

	@Test
	void unetSmallVolumeBelowOneWindowWorks() throws IOException {
		final Img< FloatType > img = TestModels.randomVolume(3, 11, 7, 5);
		final InferenceResult r = ModelInference.segment(unet, List.of(img), new double[] { 1, 1, 1 }, new TilingOptions().patchSize(16).stride(12), Device.CPU,
				null, null);
		assertEquals(1, r.numWindows());
		assertArrayEquals(new long[] { 11, 7, 5 }, Intervals.dimensionsAsLongArray(r.logits()));
		for (final FloatType t : r.logits())
			assertTrue(Float.isFinite(t.get()));
		assertNotNull(r.labels());
		assertTrue(r.numLesions() >= 0);
	}

	@Test
	void unetWindowsNotMultipleOfTheDivisorArePadded() throws IOException {
		// SMALL has 2 levels: windows must be multiples of 4; a 10-voxel patch becomes 12 with min padding
		final Img< FloatType > img = TestModels.randomVolume(4, 23, 19, 14);
		final List< Integer > shapes = new ArrayList<>();
		{
			final SavedModelPredictor p = unetPredictor;
			assertArrayEquals(new int[] { 4, 4, 4 }, p.sizeDivisor());
			final FakePredictors.Recording spy = new FakePredictors.Recording((in, b, d, h, w, c) -> {
				shapes.add(d);
				return p.predict(in, b, d, h, w, c);
			}, p.sizeDivisor());
			final InferenceResult r = TiledPredictor.predict(img, spy, new TilingOptions().patchSize(10).stride(8).outputs(EnumSet.of(InferenceOutput.LOGITS)),
					null);
			assertEquals(12, (int) shapes.get(0));
			assertArrayEquals(new long[] { 23, 19, 14 }, Intervals.dimensionsAsLongArray(r.logits()));
		}
	}

	@Test
	void unetBatchSizeDoesNotChangeResults() throws IOException {
		// inference uses moving statistics, so windows are independent of their batch
		final Img< FloatType > img = TestModels.randomVolume(5, 22, 18, 14);
		{
			final SavedModelPredictor p = unetPredictor;
			final TilingOptions o = new TilingOptions().patchSize(16).stride(12).outputs(EnumSet.of(InferenceOutput.LOGITS));
			final InferenceResult one = TiledPredictor.predict(img, p, o, null);
			final InferenceResult four = TiledPredictor.predict(img, p, o.copy().batchSize(4), null);
			final Cursor< FloatType > a = one.logits().cursor(), b = four.logits().cursor();
			while (a.hasNext())
				assertEquals(a.next().get(), b.next().get(), 1e-5);
		}
	}

	@Test
	void channelMismatchIsAClearError() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> ModelInference.segment(conv, List.of(TestModels.randomVolume(1, 4, 4, 4), TestModels.randomVolume(2, 4, 4, 4)), null,
						new TilingOptions().patchSize(4).stride(4), Device.CPU, null, null));
		assertTrue(e.getMessage().contains("expects 1 input channel(s), but 2"), e.getMessage());
	}

	@Test
	void spacingMismatchIsAWarningNotAnError() throws IOException {
		final List< String > warnings = new ArrayList<>();
		final InferenceResult r = ModelInference.segment(List.of(TestModels.randomVolume(6, 8, 8, 8)), new double[] { 1, 1, 2.5 },
				unetPredictor.model().metadata(), unetPredictor, new TilingOptions().patchSize(8).stride(8), null, warnings::add);
		assertNotNull(r.probabilities());
		assertEquals(1, warnings.size());
		assertTrue(warnings.get(0).contains("[1.0, 1.0, 2.5]"), warnings.get(0));
	}

	@Test
	void missingModelFolderIsAnIOException() {
		final IOException e = assertThrows(IOException.class, () -> SavedModelPredictor.load(tmp.resolve("nothing"), Device.CPU));
		assertTrue(e.getMessage().contains("saved_model.pb"), e.getMessage());
		assertTrue(Files.isRegularFile(conv.resolve("saved_model.pb")));
	}
}
