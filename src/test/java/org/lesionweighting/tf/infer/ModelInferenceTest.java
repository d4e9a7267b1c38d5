package org.lesionweighting.tf.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lesionweighting.tf.data.Preprocessing;
import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.tf.model.ModelMetadata;

import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

/** Metadata checks and preprocessing of {@link ModelInference}, with a pure-Java predictor. */
class ModelInferenceTest {

	private static ModelMetadata metadata(final int channels, final Map< String, Object > preprocessing, final List< Double > spacing) {
		return new ModelMetadata(UNetConfig.SMALL.withInputChannels(channels), preprocessing, null, spacing, "", "", 0, "", Map.of(), null, null);
	}

	private static Img< FloatType > ramp() {
		final Img< FloatType > img = ArrayImgs.floats(10, 6, 4);
		int i = 0;
		for (final FloatType t : img)
			t.set(100 + 3 * (i++ % 17));
		return img;
	}

	@Test
	void modelPreprocessingIsAppliedToTheWholeVolume() {
		// identity network: the logits are the preprocessed input; z-score over the whole volume gives mean 0, std 1
		final TilingOptions o = new TilingOptions().patchSize(4).stride(4).outputs(EnumSet.of(InferenceOutput.LOGITS));
		final InferenceResult r = ModelInference.segment(List.of(ramp()), null, metadata(1, Preprocessing.ZSCORE.toMap(), null),
				FakePredictors.pointwise(1, 0, 0), o, null, null);
		double sum = 0, sq = 0;
		long n = 0;
		for (final FloatType t : r.logits()) {
			sum += t.get();
			sq += t.get() * t.get();
			n++;
		}
		assertEquals(0, sum / n, 1e-5);
		assertEquals(1, Math.sqrt(sq / n), 1e-4);
	}

	@Test
	void ctWindowUsesTheClippedVolumesMinAndMax() {
		final TilingOptions o = new TilingOptions().patchSize(4).stride(4).outputs(EnumSet.of(InferenceOutput.LOGITS));
		final InferenceResult r = ModelInference.segment(List.of(ramp()), null, metadata(1, Preprocessing.window(110, 130).toMap(), null),
				FakePredictors.pointwise(1, 0, 0), o, null, null);
		// values 100..148 clipped to [110, 130], then (x - 110) / 20
		final Img< FloatType > in = ramp();
		final var c = in.cursor();
		final var l = r.logits().cursor();
		while (c.hasNext()) {
			final double v = Math.min(Math.max(c.next().get(), 110), 130);
			assertEquals((v - 110) / 20, l.next().get(), 1e-6);
		}
	}

	@Test
	void emptyPreprocessingMeansNone() {
		assertSame(ChannelPreprocessor.NONE, ModelInference.preprocessor(Map.of()));
		assertSame(ChannelPreprocessor.NONE, ModelInference.preprocessor(null));
		assertSame(ChannelPreprocessor.NONE, ModelInference.preprocessor("none"));
		assertThrows(IllegalArgumentException.class, () -> ModelInference.preprocessor("median"));
	}

	@Test
	void channelMismatchIsAClearError() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelInference.segment(List.of(ramp()), null,
				metadata(2, Map.of(), null), FakePredictors.pointwise(1, 0, 0), new TilingOptions(), null, null));
		assertTrue(e.getMessage().contains("expects 2 input channel(s), but 1"), e.getMessage());
	}

	@Test
	void spacingMismatchWarnsAndContinues() {
		final List< String > warnings = new ArrayList<>();
		final InferenceResult r = ModelInference.segment(List.of(ramp()), new double[] { 0.5, 0.5, 3 }, metadata(1, Map.of(), List.of(1.0, 1.0, 1.0)),
				FakePredictors.pointwise(1, 0, 0), new TilingOptions().patchSize(4).stride(4), null, warnings::add);
		assertEquals(1, warnings.size());
		assertTrue(warnings.get(0).contains("[0.5, 0.5, 3.0]") && warnings.get(0).contains("[1.0, 1.0, 1.0]"), warnings.get(0));
		assertEquals(10, r.probabilities().dimension(0));
		assertNull(ModelInference.spacingWarning(new double[] { 1, 1, 1 }, new double[] { 1.005, 1, 1 }));
		assertNull(ModelInference.spacingWarning(null, new double[] { 1, 1, 1 }));
	}

	@Test
	void aPlannedModelSegmentsOnItsTargetGridAndAnswersOnTheInputs() {
		// the model trained at 1 mm; the input is 16 x 12 x 6 voxels of 0.5 x 0.5 x 2 mm: the network sees 8 x 6 x 12
		final Map< String, Object > plan = Map.of("plan", Map.of(ModelMetadata.TARGET_SPACING_KEY, List.of(1.0, 1.0, 1.0)));
		final ModelMetadata m = new ModelMetadata(UNetConfig.SMALL, Map.of(), null, List.of(1.0, 1.0, 1.0), "", "", 0, "", Map.of(), null,
				Map.of("plan", plan));
		assertArrayEquals(new double[] { 1, 1, 1 }, m.targetSpacing());
		final Img< FloatType > img = ArrayImgs.floats(16, 12, 6);
		final var c = img.localizingCursor();
		while (c.hasNext()) {
			c.fwd();
			c.get().set(c.getIntPosition(0) < 8 ? -4 : 4); // logits: lesion on the right half
		}
		final FakePredictors.Recording rec = new FakePredictors.Recording(FakePredictors.pointwise(1, 0, 0));
		final List< String > warnings = new ArrayList<>();
		final TilingOptions o = new TilingOptions().patchSize(8, 6, 12).stride(8, 6, 12)
				.outputs(EnumSet.of(InferenceOutput.PROBABILITIES, InferenceOutput.MASK, InferenceOutput.LABELS));
		final InferenceResult r = ModelInference.segment(List.of(img), new double[] { 0.5, 0.5, 2 }, m, rec, o, null, warnings::add);
		assertEquals(List.of(), warnings, "resampled, not warned");
		assertEquals(8 * 6 * 12, rec.inputs.get(0).length, "one window of the resampled 8 x 6 x 12 volume");
		assertArrayEquals(new long[] { 16, 12, 6 }, net.imglib2.util.Intervals.dimensionsAsLongArray(r.probabilities()));
		assertArrayEquals(new long[] { 16, 12, 6 }, net.imglib2.util.Intervals.dimensionsAsLongArray(r.mask()));
		assertEquals(1, r.numLesions());
		final var pc = r.probabilities().localizingCursor();
		final var mc = r.mask().randomAccess();
		while (pc.hasNext()) {
			pc.fwd();
			mc.setPosition(pc);
			final int x = pc.getIntPosition(0);
			assertEquals(x < 8 ? 0 : 1, mc.get().get(), "mask at x = " + x);
			if (x < 6 || x > 9)
				assertEquals(1 / (1 + Math.exp(x < 8 ? 4 : -4)), pc.get().get(), 1e-6, "away from the edge the probability is the sigmoid of the logit");
		}
	}
}
