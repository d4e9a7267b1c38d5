package org.lesionweighting.tf.loss;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lesionweighting.tf.grad.Conv3dGradients;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A tiny Conv3D network (three conv layers) trained with each loss, unweighted and with an inverse-volume-like
 * weight map, on a generated 16³ phantom of spheres: the loss must go down and the prediction must segment the
 * spheres. Uses the registered Conv3D gradients.
 */
class LossTrainingTest {

	static final int SIZE = 16;

	static final int BATCH = 2;

	static final int STEPS = 150;

	static final int CHANNELS = 6;

	/** The phantom: per sample, image (sphere = 1 plus noise), mask, and weight (background 1, lesion N/((K+1)·V_k)). */
	record Phantom(float[] image, float[] mask, float[] weights) {}

	static Phantom phantom(final long seed) {
		final int n = SIZE * SIZE * SIZE;
		final float[] image = new float[BATCH * n], mask = new float[BATCH * n], weights = new float[BATCH * n];
		final Random r = new Random(seed);
		final double[][][] spheres = { { { 5, 5, 6, 4 }, { 11, 11, 10, 2.2 }, { 12, 4, 12, 1.5 } }, { { 9, 8, 8, 5 }, { 3, 13, 3, 1.8 } } };
		for (int b = 0; b < BATCH; b++) {
			final int[] volumes = new int[spheres[b].length];
			final int[] label = new int[n];
			for (int z = 0; z < SIZE; z++) {
				for (int y = 0; y < SIZE; y++) {
					for (int x = 0; x < SIZE; x++) {
						final int i = (z * SIZE + y) * SIZE + x;
						for (int k = 0; k < spheres[b].length; k++) {
							final double[] s = spheres[b][k];
							final double dx = x - s[0], dy = y - s[1], dz = z - s[2];
							if (dx * dx + dy * dy + dz * dz <= s[3] * s[3]) {
								label[i] = k + 1;
								volumes[k]++;
							}
						}
					}
				}
			}
			for (int i = 0; i < n; i++) {
				final int j = b * n + i;
				mask[j] = label[i] > 0 ? 1 : 0;
				image[j] = (float) (mask[j] + 0.35 * r.nextGaussian());
				weights[j] = label[i] == 0 ? 1 : (float) Math.max(1, (double) n / (spheres[b].length + 1) / volumes[label[i] - 1]);
			}
		}
		return new Phantom(image, mask, weights);
	}

	static Stream< Arguments > runs() {
		final List< Arguments > a = new ArrayList<>();
		for (final LossKind k : LossKind.values()) {
			a.add(Arguments.of(k, false));
			a.add(Arguments.of(k, true));
		}
		return a.stream();
	}

	private static Variable< TFloat32 > heNormal(final Ops tf, final Random r, final long... shape) {
		final int fanIn = (int) (shape[0] * shape[1] * shape[2] * shape[3]);
		final int size = fanIn * (int) shape[4];
		final float[] v = new float[size];
		final double std = Math.sqrt(2.0 / fanIn);
		for (int i = 0; i < size; i++)
			v[i] = (float) (std * r.nextGaussian());
		return tf.variable(tf.constant(Shape.of(shape), DataBuffers.of(v, true, false)));
	}

	private static Operand< TFloat32 > conv(final Ops tf, final Operand< TFloat32 > x, final Variable< TFloat32 > kernel, final Variable< TFloat32 > bias) {
		return tf.nn.biasAdd(tf.nn.conv3d(x, kernel, List.of(1L, 1L, 1L, 1L, 1L), "SAME"), bias);
	}

	/** Builds the tiny network; returns its logits. */
	static Operand< TFloat32 > network(final Ops tf, final Operand< TFloat32 > input, final long seed) {
		final Random r = new Random(seed);
		final Operand< TFloat32 > h1 = tf.nn.relu(conv(tf, input, heNormal(tf, r, 3, 3, 3, 1, CHANNELS), tf.variable(tf.constant(new float[CHANNELS]))));
		final Operand< TFloat32 > h2 = tf.nn.relu(conv(tf, h1, heNormal(tf, r, 3, 3, 3, CHANNELS, CHANNELS), tf.variable(tf.constant(new float[CHANNELS]))));
		return conv(tf, h2, heNormal(tf, r, 1, 1, 1, CHANNELS, 1), tf.variable(tf.constant(new float[1])));
	}

	@ParameterizedTest(name = "{0}, weighted={1}")
	@MethodSource("runs")
	void trainingATinyConvNetDrivesTheLossDown(final LossKind kind, final boolean weighted) {
		Conv3dGradients.ensureRegistered();
		final Phantom ph = phantom(42);
		final Shape shape = Shape.of(BATCH, SIZE, SIZE, SIZE, 1);
		final double[] losses = new double[STEPS];
		final float[] logits = new float[BATCH * SIZE * SIZE * SIZE];
		try (Graph g = new Graph(); Session s = new Session(g, LossCases.SINGLE_THREAD)) {
			final Ops tf = Ops.create(g);
			final Operand< TFloat32 > image = tf.constant(shape, DataBuffers.of(ph.image(), true, false));
			final Operand< TFloat32 > mask = tf.constant(shape, DataBuffers.of(ph.mask(), true, false));
			final Operand< TFloat32 > w = weighted ? tf.constant(shape, DataBuffers.of(ph.weights(), true, false)) : null;
			final Operand< TFloat32 > out = network(tf, image, 7);
			final Operand< TFloat32 > loss = Losses.create(kind).call(tf, out, mask, w);
			s.initialize(); // the network's variables first: Adam's slot initialisers read their shapes
			final Op minimize = new Adam(g, 0.01f).minimize(loss);
			s.initialize();
			for (int step = 0; step < STEPS; step++) {
				try (Result r = s.runner().addTarget(minimize).fetch(loss).run()) {
					losses[step] = ((TFloat32) r.get(0)).getFloat();
				}
			}
			try (Result r = s.runner().fetch(out).run()) {
				((TFloat32) r.get(0)).copyTo(DataBuffers.of(logits, false, false));
			}
		}
		final double start = mean(losses, 0, 5), end = mean(losses, STEPS - 5, STEPS);
		double inter = 0, sum = 0;
		for (int i = 0; i < logits.length; i++) {
			final double p = logits[i] > 0 ? 1 : 0;
			inter += p * ph.mask()[i];
			sum += p + ph.mask()[i];
		}
		final double dice = 2 * inter / sum;
		System.out.printf(Locale.ROOT, "training %-5s %-10s loss %.5g -> %.5g (steps %d), hard Dice of the prediction %.3f%n", kind.key(),
				weighted ? "weighted" : "unweighted", start, end, STEPS, dice);
		for (final double l : losses)
			assertTrue(Double.isFinite(l), kind + ": non-finite loss");
		assertTrue(end < 0.5 * start, kind + (weighted ? " weighted" : "") + ": loss " + start + " -> " + end);
		assertTrue(dice > 0.8, kind + (weighted ? " weighted" : "") + ": hard Dice " + dice);
	}

	private static double mean(final double[] a, final int from, final int to) {
		double s = 0;
		for (int i = from; i < to; i++)
			s += a[i];
		return s / (to - from);
	}
}
