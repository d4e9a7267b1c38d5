package org.lesionweighting.tf.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/** Trilinear ×2 up-sampling against a direct computation in Java doubles, and its gradient. */
class ResamplingTest {

	/** Direct reference: separable linear interpolation with aligned corners, NDHWC, x fastest after c. */
	static double[] reference(final double[] in, final int b, final int z, final int y, final int x, final int c) {
		final int Z = 2 * z, Y = 2 * y, X = 2 * x;
		final double[] out = new double[b * Z * Y * X * c];
		for (int n = 0; n < b; n++)
			for (int k = 0; k < Z; k++)
				for (int j = 0; j < Y; j++)
					for (int i = 0; i < X; i++)
						for (int ch = 0; ch < c; ch++) {
							double sum = 0;
							for (int kk = 0; kk < z; kk++) {
								final double wz = weight(k, kk, z);
								if (wz == 0) continue;
								for (int jj = 0; jj < y; jj++) {
									final double wy = weight(j, jj, y);
									if (wy == 0) continue;
									for (int ii = 0; ii < x; ii++) {
										final double wx = weight(i, ii, x);
										if (wx == 0) continue;
										sum += wz * wy * wx * in[(((n * z + kk) * y + jj) * x + ii) * c + ch];
									}
								}
							}
							out[(((n * Z + k) * Y + j) * X + i) * c + ch] = sum;
						}
		return out;
	}

	/** Weight of input index {@code src} for output index {@code dst} along an axis of input length n. */
	static double weight(final int dst, final int src, final int n) {
		final double s = n == 1 ? 0 : dst * (n - 1) / (double) (2 * n - 1);
		final int lo = (int) Math.floor(s);
		final double f = s - lo;
		if (src == lo) return 1 - f;
		if (src == lo + 1) return f;
		return 0;
	}

	private static double[] random(final int size, final long seed) {
		final Random r = new Random(seed);
		final double[] a = new double[size];
		for (int i = 0; i < a.length; i++)
			a[i] = r.nextDouble() * 2 - 1;
		return a;
	}

	private static double[] runFloat64(final double[] in, final long... shape) {
		try (Graph g = new Graph(); Session s = new Session(g)) {
			final Ops tf = Ops.create(g);
			final Placeholder< TFloat64 > p = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, -1, -1, -1, -1)));
			final Operand< TFloat64 > up = Resampling.upsampleTrilinear2x(tf, p);
			try (TFloat64 t = TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(in, true, false));
					TFloat64 r = (TFloat64) s.runner().feed(p, t).fetch(up).run().get(0)) {
				assertEquals(Shape.of(shape[0], 2 * shape[1], 2 * shape[2], 2 * shape[3], shape[4]), r.shape());
				final double[] out = new double[(int) r.shape().size()];
				r.copyTo(DataBuffers.of(out, false, false));
				return out;
			}
		}
	}

	@Test
	void testEqualsDirectComputationAnisotropicFloat64() {
		final int b = 2, z = 3, y = 4, x = 5, c = 2;
		final double[] in = random(b * z * y * x * c, 1);
		assertArrayEquals(reference(in, b, z, y, x, c), runFloat64(in, b, z, y, x, c), 1e-12);
	}

	@Test
	void testAlignedCornersKeepCornerValues() {
		// 1D ramp along x: 0, 1, 2 -> 6 samples at s = i*2/5: 0, 0.4, 0.8, 1.2, 1.6, 2
		final double[] out = runFloat64(new double[] { 0, 1, 2 }, 1, 1, 1, 3, 1);
		final double[] row = { 0, 0.4, 0.8, 1.2, 1.6, 2.0 };
		final double[] expected = new double[24];
		for (int k = 0; k < 4; k++)
			System.arraycopy(row, 0, expected, k * 6, 6);
		assertArrayEquals(expected, out, 1e-12);
	}

	@Test
	void testLengthOneReplicates() {
		assertArrayEquals(new double[] { 7, 7, 7, 7, 7, 7, 7, 7 }, runFloat64(new double[] { 7 }, 1, 1, 1, 1, 1), 0);
	}

	@Test
	void testFloat32MatchesReference() {
		final int b = 1, z = 4, y = 2, x = 3, c = 3;
		final double[] in = random(b * z * y * x * c, 2);
		final float[] inF = new float[in.length];
		for (int i = 0; i < in.length; i++)
			inF[i] = (float) in[i];
		final double[] inD = new double[in.length];
		for (int i = 0; i < in.length; i++)
			inD[i] = inF[i];
		final double[] expected = reference(inD, b, z, y, x, c);
		try (Graph g = new Graph(); Session s = new Session(g)) {
			final Ops tf = Ops.create(g);
			final Placeholder< TFloat32 > p = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, -1, c)));
			final Operand< TFloat32 > up = Resampling.upsampleTrilinear2x(tf, p);
			try (TFloat32 t = TFloat32.tensorOf(Shape.of(b, z, y, x, c), DataBuffers.of(inF, true, false));
					TFloat32 r = (TFloat32) s.runner().feed(p, t).fetch(up).run().get(0)) {
				final float[] out = new float[(int) r.shape().size()];
				r.copyTo(DataBuffers.of(out, false, false));
				for (int i = 0; i < out.length; i++)
					assertEquals(expected[i], out[i], 1e-6, "index " + i);
			}
		}
	}

	@Test
	void testGradientMatchesFiniteDifferences() {
		final long[] shape = { 1, 2, 3, 2, 2 };
		final int size = 24;
		final double[] in = random(size, 3);
		final double[] r = random(size * 8, 4);
		final double h = 1e-6;
		try (Graph g = new Graph(); Session s = new Session(g)) {
			final Ops tf = Ops.create(g);
			final Placeholder< TFloat64 > p = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, -1, -1, -1, -1)));
			final Placeholder< TFloat64 > rp = tf.placeholder(TFloat64.class);
			final Operand< TFloat64 > up = Resampling.upsampleTrilinear2x(tf, p);
			final Operand< TFloat64 > loss = tf.reduceSum(tf.math.mul(tf.math.square(up), rp), tf.constant(new int[] { 0, 1, 2, 3, 4 }));
			final Output< ? >[] grad = g.addGradients(loss.asOutput(), new Output< ? >[] { p.asOutput() });
			final double[] analytic = new double[size];
			try (TFloat64 t = TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(in, true, false));
					TFloat64 rt = TFloat64.tensorOf(Shape.of(1, 4, 6, 4, 2), DataBuffers.of(r, true, false));
					TFloat64 gt = (TFloat64) s.runner().feed(p, t).feed(rp, rt).fetch(grad[0]).run().get(0)) {
				gt.copyTo(DataBuffers.of(analytic, false, false));
			}
			for (int i = 0; i < size; i++) {
				final double[] plus = in.clone();
				final double[] minus = in.clone();
				plus[i] += h;
				minus[i] -= h;
				final double fd = (eval(s, p, rp, loss, plus, shape, r) - eval(s, p, rp, loss, minus, shape, r)) / (2 * h);
				assertEquals(fd, analytic[i], 1e-6, "gradient element " + i);
			}
		}
	}

	private static double eval(final Session s, final Placeholder< TFloat64 > p, final Placeholder< TFloat64 > rp, final Operand< TFloat64 > loss,
			final double[] in, final long[] shape, final double[] r) {
		try (TFloat64 t = TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(in, true, false));
				TFloat64 rt = TFloat64.tensorOf(Shape.of(1, 4, 6, 4, 2), DataBuffers.of(r, true, false));
				TFloat64 v = (TFloat64) s.runner().feed(p, t).feed(rp, rt).fetch(loss).run().get(0)) {
			return v.getDouble();
		}
	}

	@Test
	void testRejectsWrongRank() {
		try (Graph g = new Graph()) {
			final Ops tf = Ops.create(g);
			final Placeholder< TFloat32 > p = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(2, 3, 4, 5)));
			assertThrows(IllegalArgumentException.class, () -> Resampling.upsampleTrilinear2x(tf, p));
		}
	}
}
