package org.lesionweighting.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesionweighting.tf.graph.UNet3D;
import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.tf.grad.Conv3dGradients;
import org.lesionweighting.tf.loss.LossKind;
import org.lesionweighting.tf.loss.Losses;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyMomentum;
import org.tensorflow.types.TFloat32;

/**
 * Cost of the losses on a 2 × 64³ batch: (1) loss forward + backward alone (gradient with respect to the
 * logits), (2) one full training step of the {@code small} 3D U-Net ({@link UNetConfig#SMALL}, batch norm,
 * SGD with Nesterov momentum as doc/method.md §3.2), each unweighted and weighted; the weighted and unweighted steps are
 * interleaved so that load changes on a shared machine affect both alike. Prints figures; asserts nothing.
 * Run: {@code mvn -B -o -Pbench test -Dtest=LossBenchmark}, or {@code main}.
 */
@Tag("bench")
class LossBenchmark {

	static final long[] SHAPE = { 2, 64, 64, 64, 1 };

	static final int WARMUP = 2;

	static final int LOSS_REPEATS = 15;

	static final int STEP_REPEATS = 6;

	public static void main(final String[] args) {
		new LossBenchmark().benchmark();
	}

	/** One graph: placeholders image/targets/weights, something to run, fed with fixed random data. */
	private static final class Bench implements AutoCloseable {

		final Graph graph = new Graph();

		final Session session = new Session(graph);

		final Ops tf = Ops.create(graph);

		final Placeholder< TFloat32 > input = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(SHAPE)));

		final Placeholder< TFloat32 > targets = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(SHAPE)));

		final Placeholder< TFloat32 > weights = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(SHAPE)));

		Operand< ? > fetch;

		Op target;

		final boolean weighted;

		Bench(final boolean weighted) {
			this.weighted = weighted;
		}

		long run(final TFloat32 x, final TFloat32 t, final TFloat32 w) {
			final long t0 = System.nanoTime();
			final Session.Runner r = session.runner().feed(input, x).feed(targets, t);
			if (weighted) r.feed(weights, w);
			if (target != null) r.addTarget(target);
			try (Result res = r.fetch(fetch).run()) {
				return System.nanoTime() - t0;
			}
		}

		@Override
		public void close() {
			session.close();
			graph.close();
		}
	}

	private static Bench lossOnly(final LossKind kind, final boolean weighted) {
		final Bench b = new Bench(weighted);
		final Operand< TFloat32 > loss = Losses.create(kind).call(b.tf, b.input, b.targets, weighted ? b.weights : null);
		final Output< ? > grad = b.graph.addGradients(loss.asOutput(), new Output< ? >[] { b.input.asOutput() })[0];
		b.fetch = grad;
		return b;
	}

	private static Bench trainingStep(final LossKind kind, final boolean weighted) {
		final Bench b = new Bench(weighted);
		final UNet3D.Network net = UNet3D.build(b.tf, UNetConfig.SMALL, b.input);
		final Operand< TFloat32 > loss = Losses.create(kind).call(b.tf, net.trainingLogits(), b.targets, weighted ? b.weights : null);
		// SGD, lr 1e-2, Nesterov momentum 0.9 (doc/method.md §3.2), written out: the framework optimizers derive slot names
		// from variable names and reject the U-Net's scoped names ('unet/init/conv/kernel-momentum')
		final List< Variable< TFloat32 > > vars = net.trainableVariables();
		final Output< ? >[] grads = b.graph.addGradients(loss.asOutput(), vars.stream().map(Variable::asOutput).toArray(Output< ? >[]::new));
		final List< Op > updates = new ArrayList<>();
		final Operand< TFloat32 > lr = b.tf.constant(0.01f), momentum = b.tf.constant(0.9f);
		for (int i = 0; i < vars.size(); i++) {
			final Variable< TFloat32 > v = vars.get(i);
			final Variable< TFloat32 > accumulator = b.tf.withName("bench_momentum_" + i).variable(b.tf.zerosLike(v));
			@SuppressWarnings("unchecked")
			final Operand< TFloat32 > g = (Operand< TFloat32 >) grads[i];
			updates.add(b.tf.train.applyMomentum(v, accumulator, lr, g, momentum, ApplyMomentum.useNesterov(true)));
		}
		updates.add(net.updateOp());
		b.session.initialize();
		b.target = b.tf.withControlDependencies(updates).noOp();
		b.fetch = loss;
		return b;
	}

	private static double median(final long[] ns) {
		final long[] s = ns.clone();
		Arrays.sort(s);
		return s[s.length / 2] / 1e6;
	}

	/** Interleaves runs of the unweighted and weighted graphs; returns the median milliseconds of each. */
	private static double[] time(final Bench unweighted, final Bench weighted, final int repeats, final TFloat32 x, final TFloat32 t, final TFloat32 w) {
		for (int i = 0; i < WARMUP; i++) {
			unweighted.run(x, t, w);
			weighted.run(x, t, w);
		}
		final long[] u = new long[repeats], v = new long[repeats];
		for (int i = 0; i < repeats; i++) {
			if (i % 2 == 0) {
				u[i] = unweighted.run(x, t, w);
				v[i] = weighted.run(x, t, w);
			}
			else {
				v[i] = weighted.run(x, t, w);
				u[i] = unweighted.run(x, t, w);
			}
		}
		return new double[] { median(u), median(v) };
	}

	@Test
	void benchmark() {
		Conv3dGradients.ensureRegistered();
		final int n = (int) (SHAPE[0] * SHAPE[1] * SHAPE[2] * SHAPE[3] * SHAPE[4]);
		final Random r = new Random(1);
		final float[] image = new float[n], target = new float[n], weight = new float[n];
		for (int i = 0; i < n; i++) {
			target[i] = r.nextDouble() < 0.02 ? 1 : 0;
			image[i] = (float) (target[i] + r.nextGaussian());
			weight[i] = target[i] > 0 ? (float) (1 + 1000 * r.nextDouble()) : 1;
		}
		System.out.printf(Locale.ROOT, "LossBenchmark: batch %s, %d CPUs, TensorFlow native threads default, network UNetConfig.SMALL %s%n",
				Arrays.toString(SHAPE), Runtime.getRuntime().availableProcessors(), UNetConfig.SMALL);
		System.out.println("loss  | loss fwd+bwd ms (unweighted / weighted) | train step ms (unweighted / weighted) | loss share of step"
				+ " | weighting overhead: measured on the step / (loss_w - loss_u) / step_u");
		try (TFloat32 x = TFloat32.tensorOf(Shape.of(SHAPE), DataBuffers.of(image, true, false));
				TFloat32 t = TFloat32.tensorOf(Shape.of(SHAPE), DataBuffers.of(target, true, false));
				TFloat32 w = TFloat32.tensorOf(Shape.of(SHAPE), DataBuffers.of(weight, true, false));) {
			for (final LossKind kind : LossKind.values()) {
				final double[] lossMs, stepMs;
				try (Bench u = lossOnly(kind, false); Bench v = lossOnly(kind, true)) {
					lossMs = time(u, v, LOSS_REPEATS, x, t, w);
				}
				try (Bench u = trainingStep(kind, false); Bench v = trainingStep(kind, true)) {
					stepMs = time(u, v, STEP_REPEATS, x, t, w);
				}
				System.out.printf(Locale.ROOT, "%-5s | %8.1f / %8.1f | %8.1f / %8.1f | %5.2f%% / %5.2f%% | %+5.1f%% / %+6.3f%%%n", kind.key(), lossMs[0],
						lossMs[1],
						stepMs[0], stepMs[1], 100 * lossMs[0] / stepMs[0], 100 * lossMs[1] / stepMs[1], 100 * (stepMs[1] - stepMs[0]) / stepMs[0],
						100 * (lossMs[1] - lossMs[0]) / stepMs[0]);
			}
		}
	}
}
