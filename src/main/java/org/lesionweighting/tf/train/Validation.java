package org.lesionweighting.tf.train;

import java.util.List;

import org.lesionweighting.tf.data.TrainingCase;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/**
 * Whole-volume validation Dice (METHOD.md §3.2: logged each epoch, no model selection). Each volume is
 * padded with its channel minimum to a multiple of the network's size multiple, predicted in one
 * session call in inference mode (moving statistics), cropped, thresholded at logit 0 (probability 0.5)
 * and compared with the target. Dice of an empty target and an empty prediction is 1 (dpipe's
 * {@code fraction}). Suited to validation volumes that fit in memory whole.
 */
final class Validation {

	private Validation() {}

	static double meanDice(final Session session, final Operand< TFloat32 > image, final Operand< TFloat32 > logits, final List< TrainingCase > cases, final int multiple) {
		double sum = 0;
		for (final TrainingCase c : cases)
			sum += dice(session, image, logits, c, multiple);
		return sum / cases.size();
	}

	static double dice(final Session session, final Operand< TFloat32 > image, final Operand< TFloat32 > logits, final TrainingCase c, final int multiple) {
		final int[] d = c.dims();
		final int[] p = new int[3];
		for (int i = 0; i < 3; i++)
			p[i] = (d[i] + multiple - 1) / multiple * multiple;
		final int nc = c.numChannels();
		final float[] x = new float[p[0] * p[1] * p[2] * nc];
		for (int ch = 0; ch < nc; ch++) {
			final float pad = c.channelMin(ch);
			final float[] src = c.channel(ch);
			for (int z = 0; z < p[2]; z++)
				for (int y = 0; y < p[1]; y++)
					for (int xx = 0; xx < p[0]; xx++)
						x[(((z * p[1] + y) * p[0]) + xx) * nc + ch] = z < d[2] && y < d[1] && xx < d[0] ? src[(z * d[1] + y) * d[0] + xx] : pad;
		}
		long inter = 0, pred = 0, truth = 0;
		try (TFloat32 in = TFloat32.tensorOf(Shape.of(1, p[2], p[1], p[0], nc), DataBuffers.of(x, true, false)); Result r = session.runner().feed(image, in).fetch(logits).run()) {
			final TFloat32 out = (TFloat32) r.get(0);
			final float[] l = new float[p[0] * p[1] * p[2]];
			final FloatDataBuffer buf = DataBuffers.of(l, false, false);
			out.copyTo(buf);
			final byte[] t = c.target();
			for (int z = 0; z < d[2]; z++)
				for (int y = 0; y < d[1]; y++)
					for (int xx = 0; xx < d[0]; xx++) {
						final boolean pr = l[(z * p[1] + y) * p[0] + xx] > 0;
						final boolean tr = t[(z * d[1] + y) * d[0] + xx] != 0;
						if (pr) pred++;
						if (tr) truth++;
						if (pr && tr) inter++;
					}
		}
		return pred + truth == 0 ? 1 : 2.0 * inter / (pred + truth);
	}
}
