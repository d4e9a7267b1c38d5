package org.lesionweighting.tf.grad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat64;

/**
 * The registered Conv3D and Conv3DBackpropInputV2 gradients against central finite differences in float64, for
 * SAME and VALID padding and strides 1 and 2, plus idempotent thread-safe registration.
 */
class Conv3dGradientsTest {

	private static final ConfigProto CONFIG = ConfigProto.newBuilder().setIntraOpParallelismThreads(1).setInterOpParallelismThreads(1)
			.setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true))
					.setOptimizerOptions(OptimizerOptions.newBuilder().setOptLevel(OptimizerOptions.Level.L0)))
			.build();

	@BeforeAll
	static void register() {
		Conv3dGradients.ensureRegistered();
	}

	private static double[] random(final Random r, final int n) {
		final double[] a = new double[n];
		for (int i = 0; i < n; i++)
			a[i] = r.nextGaussian();
		return a;
	}

	private static int size(final long[] shape) {
		int n = 1;
		for (final long s : shape)
			n *= (int) s;
		return n;
	}

	/**
	 * A graph L = Σ y ⊙ R for y = op(a, b) with a fixed random R (so L is linear in each argument and the
	 * derivative is exact up to rounding), the analytic gradients from {@code addGradients}, and a checker.
	 */
	private static final class Check implements AutoCloseable {

		final Graph graph = new Graph();

		final Session session = new Session(graph, CONFIG);

		final Placeholder< TFloat64 > a, b;

		final Shape shapeA, shapeB;

		Operand< TFloat64 > loss;

		Output< ? >[] grads;

		Check(final long[] shapeA, final long[] shapeB) {
			this.shapeA = Shape.of(shapeA);
			this.shapeB = Shape.of(shapeB);
			final Ops tf = Ops.create(graph);
			a = tf.placeholder(TFloat64.class, Placeholder.shape(this.shapeA));
			b = tf.placeholder(TFloat64.class, Placeholder.shape(this.shapeB));
		}

		void build(final Ops tf, final Operand< TFloat64 > y, final long seed) {
			final long[] dims = y.shape().asArray();
			final double[] r = random(new Random(seed), size(dims));
			loss = tf.reduceSum(tf.math.mul(y, tf.constant(Shape.of(dims), DataBuffers.of(r, true, false))), tf.constant(range(dims.length)));
			grads = graph.addGradients(loss.asOutput(), new Output< ? >[] { a.asOutput(), b.asOutput() });
		}

		private static int[] range(final int n) {
			final int[] r = new int[n];
			for (int i = 0; i < n; i++)
				r[i] = i;
			return r;
		}

		double[][] run(final double[] va, final double[] vb, final boolean withGradients) {
			try (TFloat64 ta = TFloat64.tensorOf(shapeA, DataBuffers.of(va, true, false));
					TFloat64 tb = TFloat64.tensorOf(shapeB, DataBuffers.of(vb, true, false))) {
				final Session.Runner runner = session.runner().feed(a, ta).feed(b, tb).fetch(loss);
				if (withGradients) runner.fetch(grads[0]).fetch(grads[1]);
				try (Result res = runner.run()) {
					final double[][] out = new double[3][];
					out[0] = new double[] { ((TFloat64) res.get(0)).getDouble() };
					if (withGradients) {
						out[1] = new double[va.length];
						out[2] = new double[vb.length];
						((TFloat64) res.get(1)).copyTo(DataBuffers.of(out[1], false, false));
						((TFloat64) res.get(2)).copyTo(DataBuffers.of(out[2], false, false));
					}
					return out;
				}
			}
		}

		/** Compares both analytic gradients with central differences; returns the number of entries checked. */
		int verify(final double[] va, final double[] vb, final String what) {
			final double[][] at = run(va, vb, true);
			final double h = 1e-4;
			int checked = 0;
			for (int which = 0; which < 2; which++) {
				final double[] v = which == 0 ? va : vb;
				final double[] analytic = at[1 + which];
				double max = 0;
				for (final double g : analytic)
					max = Math.max(max, Math.abs(g));
				assertTrue(max > 0, what + ": gradient " + which + " vanished");
				for (int i = 0; i < v.length; i++) {
					final double keep = v[i];
					v[i] = keep + h;
					final double plus = run(va, vb, false)[0][0];
					v[i] = keep - h;
					final double minus = run(va, vb, false)[0][0];
					v[i] = keep;
					final double numeric = (plus - minus) / (2 * h);
					assertEquals(numeric, analytic[i], 1e-8 * (1 + Math.abs(numeric)) + 1e-9 * max, what + ", d/d" + (which == 0 ? "a" : "b") + "[" + i + "]");
					checked++;
				}
			}
			return checked;
		}

		@Override
		public void close() {
			session.close();
			graph.close();
		}
	}

	@ParameterizedTest(name = "{0}, stride {1}")
	@CsvSource({ "SAME, 1", "SAME, 2", "VALID, 1", "VALID, 2" })
	void conv3dGradientsMatchFiniteDifferences(final String padding, final long stride) {
		final long[] input = { 1, 5, 4, 6, 2 };
		final long[] filter = { 3, 2, 3, 2, 3 };
		try (Check c = new Check(input, filter)) {
			final Ops tf = Ops.create(c.graph);
			c.build(tf, tf.nn.conv3d(c.a, c.b, List.of(1L, stride, stride, stride, 1L), padding), 7 + stride);
			final Random r = new Random(3);
			final int checked = c.verify(random(r, size(input)), random(r, size(filter)), "Conv3D " + padding + " stride " + stride);
			assertEquals(size(input) + size(filter), checked);
		}
	}

	@ParameterizedTest(name = "{0}, stride {1}")
	@CsvSource({ "SAME, 1", "SAME, 2", "VALID, 1", "VALID, 2" })
	void transposedConv3dGradientsMatchFiniteDifferences(final String padding, final long stride) {
		// y = Conv3DBackpropInputV2(outputShape, filter, dy): a transposed convolution from dy's shape to outputShape
		final long[] filter = { 3, 2, 3, 2, 3 };
		final long[] dy = new long[] { 2, outSize(5, 3, stride, padding), outSize(4, 2, stride, padding), outSize(6, 3, stride, padding), 3 };
		try (Check c = new Check(dy, filter)) {
			final Ops tf = Ops.create(c.graph);
			final Operand< TFloat64 > y = tf.nn.conv3dBackpropInput(tf.constant(new int[] { 2, 5, 4, 6, 2 }), c.b, c.a,
					List.of(1L, stride, stride, stride, 1L), padding);
			c.build(tf, tf.reshape(y, tf.constant(new long[] { 2, 5, 4, 6, 2 })), 17 + stride);
			final Random r = new Random(5);
			c.verify(random(r, size(dy)), random(r, size(filter)), "Conv3DBackpropInputV2 " + padding + " stride " + stride);
		}
	}

	private static long outSize(final long in, final long k, final long stride, final String padding) {
		return padding.equals("SAME") ? (in + stride - 1) / stride : (in - k) / stride + 1;
	}

	@Test
	void registrationIsIdempotentAndThreadSafe() throws Exception {
		final ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			final List< Future< Boolean > > results = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				results.add(pool.submit((Callable< Boolean >) () -> {
					Conv3dGradients.ensureRegistered();
					return Conv3dGradients.isRegistered();
				}));
			}
			for (final Future< Boolean > f : results)
				assertTrue(f.get());
		}
		finally {
			pool.shutdown();
		}
	}

	@Test
	void windowsIsRefusedWithAMessageThatKeepsInference() {
		final String m = Conv3dGradients.unsupportedReason("Windows 11");
		assertTrue(m != null && m.contains("Windows 11") && m.contains("inference") && m.contains("Linux"), m);
		assertEquals(null, Conv3dGradients.unsupportedReason("Linux"));
		assertEquals(null, Conv3dGradients.unsupportedReason("Mac OS X"));
	}

	@Test
	void ensureShapeHasAnIdentityGradient() {
		try (Check c = new Check(new long[] { 2, 3 }, new long[] { 2, 3 })) {
			final Ops tf = Ops.create(c.graph);
			c.build(tf, tf.math.mul(tf.ensureShape(c.a, Shape.of(2, 3)), c.b), 1);
			final Random r = new Random(9);
			c.verify(random(r, 6), random(r, 6), "EnsureShape");
		}
	}
}
