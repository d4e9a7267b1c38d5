package org.lesionweighting.tf.infer;

import java.util.ArrayList;
import java.util.List;

/** Deterministic pure-Java window predictors for testing the tiling (no TensorFlow). */
final class FakePredictors {

	private FakePredictors() {}

	/** logit = a · channel0 + b (+ c · channel1 when there are two channels): exactly translation-equivariant. */
	static WindowPredictor pointwise(final float a, final float b, final float c) {
		return (in, batch, d, h, w, ch) -> {
			final float[] out = new float[batch * d * h * w];
			for (int i = 0; i < out.length; i++)
				out[i] = a * in[i * ch] + b + (ch > 1 ? c * in[i * ch + 1] : 0);
			return out;
		};
	}

	/** logit = sum of channel 0 over the 3×3×3 neighbourhood, zero outside the window: equivariant up to padding. */
	static WindowPredictor box() {
		return (in, batch, d, h, w, ch) -> {
			final float[] out = new float[batch * d * h * w];
			for (int b = 0; b < batch; b++)
				for (int z = 0; z < d; z++)
					for (int y = 0; y < h; y++)
						for (int x = 0; x < w; x++) {
							float s = 0;
							for (int dz = -1; dz <= 1; dz++)
								for (int dy = -1; dy <= 1; dy++)
									for (int dx = -1; dx <= 1; dx++) {
										final int zz = z + dz, yy = y + dy, xx = x + dx;
										if (zz < 0 || zz >= d || yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
										s += in[((((b * d + zz) * h + yy) * w + xx)) * ch];
									}
							out[((b * d + z) * h + y) * w + x] = s;
						}
			return out;
		};
	}

	/** Records every call (batch size and a copy of the input) and delegates. */
	static final class Recording implements WindowPredictor {

		final WindowPredictor delegate;

		final List< Integer > batches = new ArrayList<>();

		final List< float[] > inputs = new ArrayList<>();

		final int[] divisor;

		int closed;

		Recording(final WindowPredictor delegate, final int... divisor) {
			this.delegate = delegate;
			this.divisor = divisor.length == 3 ? divisor : new int[] { 1, 1, 1 };
		}

		@Override
		public float[] predict(final float[] windows, final int batch, final int depth, final int height, final int width, final int channels) {
			batches.add(batch);
			inputs.add(windows.clone());
			return delegate.predict(windows, batch, depth, height, width, channels);
		}

		@Override
		public int[] sizeDivisor() {
			return divisor;
		}

		@Override
		public void close() {
			closed++;
		}
	}
}
