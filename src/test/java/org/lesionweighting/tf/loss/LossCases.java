package org.lesionweighting.tf.loss;

import java.util.List;
import java.util.Random;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/** The loss configurations under test, their reference formulas, and graph evaluation helpers. */
final class LossCases {

	interface Reference {

		double eval(double[] x, double[] t, double[] w, int batch);
	}

	/** A loss configuration, its reference, and how it reacts to w → c·w (true: linear, false: invariant). */
	record Case(String name, WeightedLoss loss, Reference reference, boolean scalesWithWeights) {

		@Override
		public String toString() {
			return name;
		}
	}

	static List< Case > all() {
		return List.of(
				new Case("dice", Losses.create(LossKind.DICE), ReferenceLosses::dice, false),
				new Case("asl", Losses.create(LossKind.ASL), (x, t, w, b) -> ReferenceLosses.asl(x, t, w, b, 1.5, false), false),
				new Case("asl beta=0.7", Losses.create(LossKind.ASL, LossParameters.defaults().beta(0.7)),
						(x, t, w, b) -> ReferenceLosses.asl(x, t, w, b, 0.7, false), false),
				new Case("asl hashemi", Losses.create(LossKind.ASL, LossParameters.defaults().aslVariant(AslVariant.HASHEMI)),
						(x, t, w, b) -> ReferenceLosses.asl(x, t, w, b, 1.5, true), false),
				new Case("gdl", Losses.create(LossKind.GDL), ReferenceLosses::gdl, false),
				new Case("focal", Losses.create(LossKind.FOCAL), (x, t, w, b) -> ReferenceLosses.focal(x, t, w, 2, 0.75), true),
				new Case("focal gamma=0.5 alpha=0.25", Losses.create(LossKind.FOCAL, LossParameters.defaults().gamma(0.5).alpha(0.25)),
						(x, t, w, b) -> ReferenceLosses.focal(x, t, w, 0.5, 0.25), true),
				new Case("focal gamma=0", Losses.create(LossKind.FOCAL, LossParameters.defaults().gamma(0)),
						(x, t, w, b) -> ReferenceLosses.focal(x, t, w, 0, 0.75), true),
				new Case("focal gamma=3", Losses.create(LossKind.FOCAL, LossParameters.defaults().gamma(3)),
						(x, t, w, b) -> ReferenceLosses.focal(x, t, w, 3, 0.75), true),
				new Case("bce", Losses.create(LossKind.BCE), (x, t, w, b) -> ReferenceLosses.bce(x, t, w), true),
				new Case("wce", Losses.create(LossKind.WCE), (x, t, w, b) -> ReferenceLosses.wce(x, t, w, 1, false), true),
				new Case("wce alpha=2", Losses.create(LossKind.WCE, LossParameters.defaults().posWeightScale(2)),
						(x, t, w, b) -> ReferenceLosses.wce(x, t, w, 2, false), true),
				new Case("wce targets", Losses.create(LossKind.WCE, LossParameters.defaults().wcePosWeightSource(WcePosWeightSource.TARGETS)),
						(x, t, w, b) -> ReferenceLosses.wce(x, t, w, 1, true), true));
	}

	/** Random data of shape [batch, 3, 4, 5, 1]; with several samples, the first is all background and (batch 3) the last all lesion. */
	static final class Data {

		final long[] shape;

		final int batch;

		final double[] x, t, w;

		Data(final long seed, final int batch) {
			this.batch = batch;
			this.shape = new long[] { batch, 3, 4, 5, 1 };
			final int n = 60;
			final Random r = new Random(seed);
			x = new double[batch * n];
			t = new double[batch * n];
			w = new double[batch * n];
			for (int b = 0; b < batch; b++) {
				final int kind = batch == 1 ? 2 : b == 0 ? 0 : b == 2 ? 1 : 2;
				for (int i = b * n; i < (b + 1) * n; i++) {
					x[i] = 2.5 * r.nextGaussian();
					t[i] = kind == 0 ? 0 : kind == 1 ? 1 : r.nextDouble() < 0.3 ? 1 : 0;
					w[i] = 0.5 + 50 * r.nextDouble() * r.nextDouble();
				}
			}
		}
	}

	static float[] toFloat(final double[] a) {
		final float[] f = new float[a.length];
		for (int i = 0; i < a.length; i++)
			f[i] = (float) a[i];
		return f;
	}

	static double[] toDouble(final float[] a) {
		final double[] d = new double[a.length];
		for (int i = 0; i < a.length; i++)
			d[i] = a[i];
		return d;
	}

	/** A loss value and its gradient with respect to the logits. */
	record Evaluation(double loss, double[] gradient) {}

	/**
	 * One graph per loss with placeholders for logits, targets and (optionally) weights of shape
	 * [-1, 3, 4, 5, 1]-like (unknown batch), in float32 or float64, evaluated many times by feeding.
	 */
	static final class LossGraph implements AutoCloseable {

		private final Graph graph = new Graph();

		private final Session session = new Session(graph, SINGLE_THREAD);

		private final boolean float64;

		private final Placeholder< ? > logits, targets, weights;

		private final Operand< ? > loss;

		private final Output< ? > gradient;

		LossGraph(final WeightedLoss l, final long[] spatial, final boolean weighted, final boolean float64) {
			this.float64 = float64;
			final Ops tf = Ops.create(graph);
			final long[] dims = new long[spatial.length + 1];
			dims[0] = -1;
			System.arraycopy(spatial, 0, dims, 1, spatial.length);
			final Shape shape = Shape.of(dims);
			if (float64) {
				final Placeholder< TFloat64 > x = tf.placeholder(TFloat64.class, Placeholder.shape(shape));
				final Placeholder< TFloat64 > t = tf.placeholder(TFloat64.class, Placeholder.shape(shape));
				final Placeholder< TFloat64 > w = weighted ? tf.placeholder(TFloat64.class, Placeholder.shape(shape)) : null;
				logits = x;
				targets = t;
				weights = w;
				loss = l.call(tf, x, t, w);
			}
			else {
				final Placeholder< TFloat32 > x = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
				final Placeholder< TFloat32 > t = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
				final Placeholder< TFloat32 > w = weighted ? tf.placeholder(TFloat32.class, Placeholder.shape(shape)) : null;
				logits = x;
				targets = t;
				weights = w;
				loss = l.call(tf, x, t, w);
			}
			gradient = graph.addGradients(loss.asOutput(), new Output< ? >[] { logits.asOutput() })[0];
		}

		private org.tensorflow.Tensor tensor(final long[] shape, final double[] values) {
			return float64
					? TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false))
					: TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(toFloat(values), true, false));
		}

		Evaluation run(final long[] shape, final double[] x, final double[] t, final double[] w) {
			try (org.tensorflow.Tensor xt = tensor(shape, x);
					org.tensorflow.Tensor tt = tensor(shape, t);
					org.tensorflow.Tensor wt = weights == null ? null : tensor(shape, w)) {
				final Session.Runner r = session.runner().feed(logits, xt).feed(targets, tt);
				if (weights != null) r.feed(weights, wt);
				try (Result res = r.fetch(loss).fetch(gradient).run()) {
					final double[] g = new double[x.length];
					if (float64) {
						((TFloat64) res.get(1)).copyTo(DataBuffers.of(g, false, false));
						return new Evaluation(((TFloat64) res.get(0)).getDouble(), g);
					}
					final float[] gf = new float[x.length];
					((TFloat32) res.get(1)).copyTo(DataBuffers.of(gf, false, false));
					return new Evaluation(((TFloat32) res.get(0)).getFloat(), toDouble(gf));
				}
			}
		}

		double loss(final long[] shape, final double[] x, final double[] t, final double[] w) {
			return run(shape, x, t, w).loss();
		}

		@Override
		public void close() {
			session.close();
			graph.close();
		}
	}

	static final long[] SPATIAL = { 3, 4, 5, 1 };

	/**
	 * Tiny test graphs: one thread (the test machine is shared) and no graph optimisation (Grappler and constant
	 * folding cost far more than running these graphs, and the ops then run exactly as built).
	 */
	static final org.tensorflow.proto.ConfigProto SINGLE_THREAD = org.tensorflow.proto.ConfigProto.newBuilder().setIntraOpParallelismThreads(1)
			.setInterOpParallelismThreads(1)
			.setGraphOptions(org.tensorflow.proto.GraphOptions.newBuilder()
					.setRewriteOptions(org.tensorflow.proto.RewriterConfig.newBuilder().setDisableMetaOptimizer(true))
					.setOptimizerOptions(org.tensorflow.proto.OptimizerOptions.newBuilder().setOptLevel(org.tensorflow.proto.OptimizerOptions.Level.L0)))
			.build();

	private static final java.util.Map< String, LossGraph > CACHE = new java.util.concurrent.ConcurrentHashMap<>();

	/** A float32 graph for the case, shared between tests (closed by {@link #closeAll()}); do not close it. */
	static LossGraph float32(final Case c, final boolean weighted) {
		return cached(c, weighted, false);
	}

	/** A float64 graph for the case, shared between tests; do not close it. */
	static LossGraph float64(final Case c, final boolean weighted) {
		return cached(c, weighted, true);
	}

	private static LossGraph cached(final Case c, final boolean weighted, final boolean float64) {
		return CACHE.computeIfAbsent(c.name() + "/" + weighted + "/" + float64, k -> new LossGraph(c.loss(), SPATIAL, weighted, float64));
	}

	static void closeAll() {
		CACHE.values().forEach(LossGraph::close);
		CACHE.clear();
	}

	static double value(final LossGraph g, final Data d) {
		return g.loss(d.shape, d.x, d.t, d.w);
	}
}
