package org.lesionweighting.tf.train;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.lesionweighting.metrics.LesionRecords;
import org.lesionweighting.metrics.SegmentationQuality;
import org.lesionweighting.tf.data.TrainingCase;
import org.lesionweighting.tf.infer.InferenceOutput;
import org.lesionweighting.tf.infer.InferenceResult;
import org.lesionweighting.tf.infer.TiledPredictor;
import org.lesionweighting.tf.infer.TilingOptions;
import org.lesionweighting.tf.infer.WindowPredictor;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

import net.imglib2.Interval;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * Lesion-wise validation during training: each validation case is segmented exactly as <i>Segment Lesions</i>
 * would segment it (tiled inference with the default windows, moving statistics, probability &gt; 0.5) and scored
 * with {@link SegmentationQuality}: voxel Dice and the one-to-one lesion F1. The paper logs a whole-image Dice only
 * (doc/method.md §3.2); the score here selects the best checkpoint, so it must not reward a model that paints
 * everything, which the one-to-one F1 does not.
 * <p>
 * To save time each case is cropped to the box of its content (voxels that differ from the corner voxel in any
 * channel, and every lesion voxel) plus {@value #MARGIN} voxels, inference outside it would only see background,
 * and windows are no larger than the crop (rounded up to the network's size multiple).
 */
final class Validation {

	/** Margin (voxels) around the content box. */
	static final int MARGIN = 8;

	private Validation() {}

	/**
	 * The validation score of one pass.
	 *
	 * @param voxelDice mean voxel Dice over the cases
	 * @param f1 one-to-one lesion F1 pooled over the cases
	 */
	record Score(double voxelDice, double f1) {

		/** The model-selection score: the mean of voxel Dice and lesion F1. */
		double score() {
			return (voxelDice + f1) / 2;
		}
	}

	static Score evaluate(final Session session, final Operand< TFloat32 > image, final Operand< TFloat32 > logits, final List< TrainingCase > cases,
			final int multiple, final TilingOptions tiling) {
		final List< SegmentationQuality > q = new ArrayList<>();
		try (WindowPredictor predictor = new WindowPredictor() {

			@Override
			public float[] predict(final float[] windows, final int batch, final int depth, final int height, final int width, final int channels) {
				final float[] out = new float[batch * depth * height * width];
				try (TFloat32 in = TFloat32.tensorOf(Shape.of(batch, depth, height, width, channels), DataBuffers.of(windows, true, false));
						Result r = session.runner().feed(image, in).fetch(logits).run()) {
					((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
				}
				return out;
			}

			@Override
			public int[] sizeDivisor() {
				return new int[] { multiple, multiple, multiple };
			}
		}) {
			for (final TrainingCase c : cases)
				q.add(evaluate(c, predictor, tiling));
		}
		final SegmentationQuality pooled = SegmentationQuality.pooled("validation", q);
		return new Score(pooled.voxelDice(), pooled.f1());
	}

	private static SegmentationQuality evaluate(final TrainingCase c, final WindowPredictor predictor, final TilingOptions tiling) {
		final int[] box = contentBox(c, MARGIN);
		final int[] size = { box[3] - box[0], box[4] - box[1], box[5] - box[2] };
		final int[] d = c.dims();
		final Interval crop = Intervals.createMinMax(box[0], box[1], box[2], box[3] - 1, box[4] - 1, box[5] - 1);
		final List< RandomAccessibleInterval< FloatType > > channels = new ArrayList<>();
		for (int ch = 0; ch < c.numChannels(); ch++)
			channels.add(Views.interval(ArrayImgs.floats(c.channel(ch), d[0], d[1], d[2]), crop)); // TiledPredictor reads it from (0, 0, 0)
		final float[] truth = new float[size[0] * size[1] * size[2]];
		final byte[] t = c.target();
		int i = 0;
		for (int z = box[2]; z < box[5]; z++)
			for (int y = box[1]; y < box[4]; y++)
				for (int x = box[0]; x < box[3]; x++)
					truth[i++] = t[(z * d[1] + y) * d[0] + x];
		final int[] window = tiling.patchSize(), stride = tiling.stride();
		final int m = predictor.sizeDivisor()[0];
		for (int a = 0; a < 3; a++) {
			window[a] = Math.min(window[a], (size[a] + m - 1) / m * m);
			stride[a] = Math.min(stride[a], window[a]);
		}
		final TilingOptions o = tiling.copy().patchSize(window).stride(stride)
				.outputs(EnumSet.of(InferenceOutput.PROBABILITIES, InferenceOutput.LOGITS));
		final InferenceResult r = TiledPredictor.predict(channels, predictor, o, null);
		return SegmentationQuality
				.of(LesionRecords.evaluate(c.name(), ArrayImgs.floats(truth, size[0], size[1], size[2]), r.probabilities(), r.logits(), c.spacing()));
	}

	/**
	 * The box {x0, y0, z0, x1, y1, z1} (end exclusive) of the voxels that differ from voxel 0 in any channel or are
	 * lesion, grown by {@code margin} and clipped to the image; the whole image when nothing differs.
	 */
	static int[] contentBox(final TrainingCase c, final int margin) {
		final int[] d = c.dims();
		final int[] lo = { d[0], d[1], d[2] }, hi = { -1, -1, -1 };
		final byte[] t = c.target();
		final int nc = c.numChannels();
		final float[] corner = new float[nc];
		for (int ch = 0; ch < nc; ch++)
			corner[ch] = c.channel(ch)[0];
		int i = 0;
		for (int z = 0; z < d[2]; z++)
			for (int y = 0; y < d[1]; y++)
				for (int x = 0; x < d[0]; x++, i++) {
					boolean content = t[i] != 0;
					for (int ch = 0; ch < nc && !content; ch++)
						content = c.channel(ch)[i] != corner[ch];
					if (!content) continue;
					if (x < lo[0]) lo[0] = x;
					if (x > hi[0]) hi[0] = x;
					if (y < lo[1]) lo[1] = y;
					if (y > hi[1]) hi[1] = y;
					if (z < lo[2]) lo[2] = z;
					if (z > hi[2]) hi[2] = z;
				}
		if (hi[0] < 0) return new int[] { 0, 0, 0, d[0], d[1], d[2] };
		return new int[] { Math.max(0, lo[0] - margin), Math.max(0, lo[1] - margin), Math.max(0, lo[2] - margin), Math.min(d[0], hi[0] + 1 + margin), Math
				.min(d[1], hi[1] + 1 + margin), Math.min(d[2], hi[2] + 1 + margin) };
	}
}
