package org.lesionweighting.tf.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lesionweighting.tf.grad.Conv3dGradients;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.framework.optimizers.Momentum;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Shapes, parameter counts, normalisation behaviour and gradients of {@link UNet3D}. */
class UNet3DTest {

	static float[] random(final int size, final long seed) {
		final Random r = new Random(seed);
		final float[] a = new float[size];
		for (int i = 0; i < a.length; i++)
			a[i] = (float) r.nextGaussian();
		return a;
	}

	static float[] toArray(final TFloat32 t) {
		final float[] a = new float[(int) t.shape().size()];
		t.copyTo(DataBuffers.of(a, false, false));
		return a;
	}

	static TFloat32 tensor(final float[] data, final long... shape) {
		return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
	}

	private static Shape forwardShape(final UNetConfig config, final long... shape) {
		try (Graph g = new Graph(); Session s = new Session(g)) {
			final Ops tf = Ops.create(g);
			final Placeholder< TFloat32 > image = UNet3D.imagePlaceholder(tf, config.inputChannels());
			final UNet3D.Network net = UNet3D.build(tf, config, image);
			s.initialize();
			try (TFloat32 x = tensor(random((int) Shape.of(shape).size(), 1), shape);
					TFloat32 y = (TFloat32) s.runner().feed(image, x).fetch(net.logits()).run().get(0)) {
				for (final float v : toArray(y))
					assertTrue(Float.isFinite(v));
				return y.shape();
			}
		}
	}

	@Test
	void testSmallOutputShape() {
		assertEquals(Shape.of(2, 8, 12, 4, 1), forwardShape(UNetConfig.SMALL, 2, 8, 12, 4, 1));
	}

	@Test
	void testInstanceAndNoneNormalizationWithTwoChannels() {
		final UNetConfig c = UNetConfig.SMALL.withInputChannels(2).withWidths(4, 8, 8);
		assertEquals(Shape.of(1, 4, 8, 4, 1), forwardShape(c.withNormalization(Normalization.INSTANCE), 1, 4, 8, 4, 2));
		assertEquals(Shape.of(1, 4, 4, 4, 1), forwardShape(c.withNormalization(Normalization.NONE), 1, 4, 4, 4, 2));
	}

	/** PreAct(i→o, k, bias) = Norm(i) [2i] + Conv [i·o·k³ (+o)]. */
	private static long preAct(final long i, final long o, final long k, final boolean bias) {
		return 2 * i + i * o * k * k * k + (bias ? o : 0);
	}

	/** ResBlock(i→o, k) = PreAct(i→o, no bias) + PreAct(o→o, no bias) + 1³ shortcut without bias when i ≠ o. */
	private static long resBlock(final long i, final long o, final long k) {
		return preAct(i, o, k, false) + preAct(o, o, k, false) + (i != o ? i * o : 0);
	}

	@Test
	void testPaperParameterCountMatchesMethod31AndForward16() {
		// doc/method.md §3.1, C_in = 1, batch-norm scale and shift counted, moving statistics not.
		final long init = 1 * 16 * 27 + preAct(16, 16, 3, true); // 432 + 6960
		final long l1 = resBlock(16, 16, 3) * 2 + preAct(16, 16, 1, true) + resBlock(16, 16, 3) * 2;
		final long l2 = resBlock(16, 64, 3) + resBlock(64, 64, 3) + preAct(64, 64, 1, true) + resBlock(64, 64, 3) + resBlock(64, 16, 3);
		final long l3 = resBlock(64, 128, 3) + resBlock(128, 128, 3) + preAct(128, 128, 1, true) + resBlock(128, 128, 3) + resBlock(128, 64, 3);
		final long bridge = resBlock(128, 256, 3) + resBlock(256, 256, 3) + resBlock(256, 128, 3);
		final long out = resBlock(16, 16, 1) + preAct(16, 1, 1, false) + 2;
		final long expected = init + l1 + l2 + l3 + bridge + out;
		// by hand: 7392 + 55856 + 622336 + 2799744 + 7588352 + 626
		assertEquals(11_074_306L, expected);
		// The same graph also runs a forward pass on 16³ (the smallest PAPER input is 8³).
		try (Graph g = new Graph(); Session s = new Session(g)) {
			final Ops tf = Ops.create(g);
			final Placeholder< TFloat32 > image = UNet3D.imagePlaceholder(tf, 1);
			final UNet3D.Network net = UNet3D.build(tf, UNetConfig.PAPER, image);
			assertEquals(expected, net.parameterCount());
			// one moving mean and variance per normalisation layer: 2 x (number of gamma variables)
			final long norms = net.trainableVariables().stream().filter(v -> v.op().name().endsWith(".gamma")).count();
			assertEquals(2 * norms, net.movingStatistics().size());
			s.initialize();
			try (TFloat32 x = tensor(random(4096, 2), 1, 16, 16, 16, 1); TFloat32 y = (TFloat32) s.runner().feed(image, x).fetch(net.logits()).run().get(0)) {
				assertEquals(Shape.of(1, 16, 16, 16, 1), y.shape());
				for (final float v : toArray(y))
					assertTrue(Float.isFinite(v));
			}
		}
	}

	@Test
	void testSmallParameterCount() {
		final long init = 8 * 27 + preAct(8, 8, 3, true);
		final long l1 = 4 * resBlock(8, 8, 3) + preAct(8, 8, 1, true);
		final long l2 = resBlock(8, 16, 3) + resBlock(16, 16, 3) + preAct(16, 16, 1, true) + resBlock(16, 16, 3) + resBlock(16, 8, 3);
		final long bridge = resBlock(16, 32, 3) + resBlock(32, 32, 3) + resBlock(32, 16, 3);
		final long out = resBlock(8, 8, 1) + preAct(8, 1, 1, false) + 2;
		try (Graph g = new Graph()) {
			final Ops tf = Ops.create(g);
			final UNet3D.Network net = UNet3D.build(tf, UNetConfig.SMALL, UNet3D.imagePlaceholder(tf, 1));
			assertEquals(179_026L, init + l1 + l2 + bridge + out);
			assertEquals(init + l1 + l2 + bridge + out, net.parameterCount());
		}
	}

	@Test
	void testInvalidStaticSizeRejected() {
		try (Graph g = new Graph()) {
			final Ops tf = Ops.create(g);
			final Placeholder< TFloat32 > p = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 16, 12, 16, 1)));
			final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UNet3D.build(tf, UNetConfig.PAPER, p));
			assertTrue(e.getMessage().contains("multiples of 2^3 = 8"), e.getMessage());
			assertTrue(e.getMessage().contains("[16, 12, 16]"), e.getMessage());
		}
	}

	@Test
	void testWrongChannelCountRejected() {
		try (Graph g = new Graph()) {
			final Ops tf = Ops.create(g);
			final Placeholder< TFloat32 > p = UNet3D.imagePlaceholder(tf, 2);
			final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UNet3D.build(tf, UNetConfig.SMALL, p));
			assertTrue(e.getMessage().contains("withInputChannels(2)"), e.getMessage());
		}
	}

	@Test
	void testSameSeedSameWeightsOtherSeedOtherWeights() {
		final float[] a = firstKernel(7), b = firstKernel(7), c = firstKernel(8);
		assertArrayEquals(a, b, 0);
		assertNotEquals(a[0], c[0]);
		// torch default init: |w| <= 1/sqrt(fan_in), fan_in = 1 * 27
		for (final float v : a)
			assertTrue(Math.abs(v) <= 1 / Math.sqrt(27) + 1e-7);
	}

	private static float[] firstKernel(final long seed) {
		try (Graph g = new Graph(); Session s = new Session(g)) {
			final Ops tf = Ops.create(g);
			final UNet3D.Network net = UNet3D.build(tf, UNetConfig.SMALL.withWidths(4, 4), UNet3D.imagePlaceholder(tf, 1), seed);
			s.initialize();
			try (TFloat32 k = (TFloat32) s.runner().fetch(net.trainableVariables().get(0)).run().get(0)) {
				assertEquals(Shape.of(3, 3, 3, 1, 4), k.shape());
				return toArray(k);
			}
		}
	}

	@Test
	void testBatchNormTrainingVersusInferenceAndMovingStatistics() {
		final long[] shape = { 2, 4, 4, 4, 1 };
		final float[] data = random(128, 5);
		final float[] other = random(128, 6);
		System.arraycopy(data, 0, other, 0, 64); // same first sample, different second sample
		try (Graph g = new Graph(); Session s = new Session(g)) {
			final Ops tf = Ops.create(g);
			final Placeholder< TFloat32 > image = UNet3D.imagePlaceholder(tf, 1);
			final UNet3D.Network net = UNet3D.build(tf, UNetConfig.SMALL, image);
			final Output< ? > preNorm = g.operation(TensorNames.SCOPE + "/out/preact/conv/Conv3d").output(0);
			// the inference pass folds the last batch norm into the 1³ convolution before it: check it by hand from
			// that convolution's input (the ReLU) and kernel
			final Output< ? > reluInference = g.operation(TensorNames.INFERENCE_SCOPE + "/out/preact/Relu").output(0);
			final Variable< TFloat32 > outKernel = net.trainableVariables().stream().filter(v -> v.op().name().equals("unet.out.preact.conv.kernel"))
					.findFirst().orElseThrow();
			s.initialize();
			try (TFloat32 x = tensor(data, shape); TFloat32 x2 = tensor(other, shape)) {
				// Inference: a sample's logits do not depend on the other samples of the batch.
				final float[] inf1 = run(s, net.logits(), image, x);
				final float[] inf2 = run(s, net.logits(), image, x2);
				assertArrayEquals(java.util.Arrays.copyOf(inf1, 64), java.util.Arrays.copyOf(inf2, 64), 0);
				// Training: the final batch norm (scale 1, shift 0) makes the logits mean 0 and variance 1 over the batch.
				final float[] tr = run(s, net.trainingLogits(), image, x);
				final double[] mv = meanVar(tr);
				assertEquals(0, mv[0], 1e-4);
				assertEquals(1, mv[1], 1e-3);
				final float[] tr2 = run(s, net.trainingLogits(), image, x2);
				assertNotEquals(tr[0], tr2[0]);
				// One update: moving = 0.9 * (0, 1) + 0.1 * (batch mean, unbiased batch variance).
				final float[] p = run(s, preNorm, image, x);
				final double[] pm = meanVar(p);
				s.runner().feed(image, x).addTarget(net.updateOp()).run();
				final Variable< TFloat32 > mm = net.movingStatistics().get(net.movingStatistics().size() - 2);
				final Variable< TFloat32 > mvar = net.movingStatistics().get(net.movingStatistics().size() - 1);
				final float movingMean = run(s, mm, null, null)[0];
				final float movingVar = run(s, mvar, null, null)[0];
				assertEquals(0.1 * pm[0], movingMean, 1e-5);
				assertEquals(0.9 + 0.1 * pm[1] * 128 / 127, movingVar, 1e-4);
				// Inference now uses the moving statistics: logits = (q - m) / sqrt(v + eps) elementwise, q = relu · kernel.
				final float[] relu = run(s, reluInference, image, x);
				final float[] kernel = run(s, outKernel, null, null);
				final float[] logits = run(s, net.logits(), image, x);
				for (int i = 0; i < logits.length; i++) {
					double preNormInference = 0;
					for (int c = 0; c < kernel.length; c++)
						preNormInference += relu[i * kernel.length + c] * kernel[c];
					assertEquals((preNormInference - movingMean) / Math.sqrt(movingVar + 1e-5), logits[i], 1e-4);
				}
			}
		}
	}

	private static double[] meanVar(final float[] a) {
		double m = 0;
		for (final float v : a)
			m += v;
		m /= a.length;
		double v2 = 0;
		for (final float v : a)
			v2 += (v - m) * (v - m);
		return new double[] { m, v2 / a.length };
	}

	private static float[] run(final Session s, final Operand< ? > fetch, final Operand< TFloat32 > image, final TFloat32 x) {
		final Session.Runner r = s.runner();
		if (image != null) r.feed(image, x);
		try (Tensor out = r.fetch(fetch).run().get(0)) {
			return toArray((TFloat32) out);
		}
	}

	@Test
	void testFrameworkNesterovOptimizerTrainsEveryVariableAndLeavesMovingStatisticsToTheUpdateOp() {
		Conv3dGradients.ensureRegistered();
		try (Graph g = new Graph(); Session s = new Session(g)) {
			final Ops tf = Ops.create(g);
			final Placeholder< TFloat32 > image = UNet3D.imagePlaceholder(tf, 1);
			final UNet3D.Network net = UNet3D.build(tf, UNetConfig.SMALL.withWidths(4, 4), image);
			final Placeholder< TFloat32 > target = tf.placeholder(TFloat32.class);
			final Operand< TFloat32 > loss = tf.math.mean(tf.math.square(tf.math.sub(net.trainingLogits(), target)), tf.constant(new int[] { 0, 1, 2, 3, 4 }));
			// Optimizer.minimize differentiates every VariableV2 of the graph, the moving statistics included.
			final Op step = new Momentum(g, 0.01f, 0.9f, true).minimize(loss);
			final Op train = tf.withControlDependencies(List.of(step, net.updateOp())).noOp();
			s.initialize();
			final float[] x = random(2 * 64, 11);
			final float[] y = new float[x.length];
			for (int i = 0; i < x.length; i++)
				y[i] = x[i] > 0 ? 1f : -1f;
			final Variable< TFloat32 > mm = net.movingStatistics().get(0);
			final List< float[] > before = values(s, net.trainableVariables());
			try (TFloat32 xt = tensor(x, 2, 4, 4, 4, 1); TFloat32 yt = tensor(y, 2, 4, 4, 4, 1)) {
				final float first = run(s, loss, image, xt, target, yt)[0];
				float last = first;
				float expectedMean = 0;
				for (int i = 0; i < 3; i++) {
					// the batch mean of the first normalisation's input (the init convolution) before this step
					final float[] conv = run(s, g.operation(TensorNames.SCOPE + "/init/conv/Conv3d").output(0), image, xt, target, yt);
					double sum = 0; // channel 0 of 4 (NDHWC: channels fastest)
					for (int j = 0; j < conv.length; j += 4)
						sum += conv[j];
					final float batchMean = (float) (sum / (conv.length / 4));
					s.runner().feed(image, xt).feed(target, yt).addTarget(train).run();
					expectedMean = 0.9f * expectedMean + 0.1f * batchMean;
					assertEquals(expectedMean, run(s, mm, null, null, null, null)[0], 1e-5);
					last = run(s, loss, image, xt, target, yt)[0];
				}
				assertTrue(last < first, first + " -> " + last);
			}
			// every kernel, scale and shift received a gradient and moved; a bias directly followed by batch norm (in
			// training mode) has an exactly zero gradient, as in torch, so biases are only checked for finiteness
			final List< float[] > after = values(s, net.trainableVariables());
			for (int i = 0; i < before.size(); i++) {
				final String name = net.trainableVariables().get(i).op().name();
				boolean changed = false;
				for (int j = 0; j < before.get(i).length; j++) {
					assertTrue(Float.isFinite(after.get(i)[j]));
					changed |= before.get(i)[j] != after.get(i)[j];
				}
				assertTrue(changed || name.endsWith(".bias"), name);
			}
		}
	}

	private static List< float[] > values(final Session s, final List< Variable< TFloat32 > > vars) {
		final List< float[] > out = new ArrayList<>();
		for (final Variable< TFloat32 > v : vars)
			out.add(run(s, v, null, null, null, null));
		return out;
	}

	private static float[] run(final Session s, final Operand< ? > fetch, final Operand< TFloat32 > image, final TFloat32 x, final Operand< TFloat32 > target,
			final TFloat32 y) {
		final Session.Runner r = s.runner();
		if (image != null) r.feed(image, x);
		if (target != null) r.feed(target, y);
		try (Tensor out = r.fetch(fetch).run().get(0)) {
			return toArray((TFloat32) out);
		}
	}
}
