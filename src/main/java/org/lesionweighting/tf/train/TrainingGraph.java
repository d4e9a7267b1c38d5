package org.lesionweighting.tf.train;

import java.util.List;

import org.lesionweighting.tf.data.Batch;
import org.lesionweighting.tf.grad.Conv3dGradients;
import org.lesionweighting.tf.graph.UNet3D;
import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.tf.loss.Losses;
import org.lesionweighting.tf.loss.WeightedLosses;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The training graph and its session: the network ({@code tf.graph.UNet3D}), the loss ({@code tf.loss})
 * with an optional weight-map placeholder, the learning rate as a placeholder, the optimizer update and
 * the batch-normalisation moving-statistics update grouped into one step op.
 * <p>
 * Used by {@link Trainer}; public so that benchmarks can time a bare step with pre-built tensors. Not
 * thread-safe; close it to release the graph and session.
 */
public final class TrainingGraph implements AutoCloseable {

	private final Graph graph;

	private final Session session;

	private final Placeholder< TFloat32 > image, targets, weights, learningRate;

	private final UNet3D.Network network;

	private final Operand< TFloat32 > loss;

	private final Op step;

	/**
	 * Builds the graph and opens a session (variables not yet initialised: call {@link #initialize()} or
	 * {@link #restore(String)}).
	 *
	 * @param config loss, weighting, optimizer, momentum, seed
	 * @param network the architecture with the right input channels
	 * @param channels input channels
	 * @param sessionConfig the device configuration
	 * @throws IllegalStateException where Conv3D gradients cannot be registered
	 */
	public TrainingGraph(final TrainingConfig config, final UNetConfig network, final int channels, final ConfigProto sessionConfig) {
		Conv3dGradients.ensureRegistered();
		graph = new Graph();
		try {
			final Ops tf = Ops.create(graph);
			image = UNet3D.imagePlaceholder(tf, channels);
			this.network = UNet3D.build(tf, network, image, config.seed());
			targets = tf.withName("targets").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, -1, 1)));
			weights = config.weighted() ? tf.withName("weights").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, -1, 1))) : null;
			final Operand< TFloat32 > chosen = Losses.create(config.loss(), config.lossParameters()).call(tf, this.network.trainingLogits(), targets, weights);
			loss = config.bceTerm() > 0
					? tf.withName("loss_with_bce").math.add(chosen,
							tf.math.mul(tf.constant((float) config.bceTerm()),
									WeightedLosses.binaryCrossEntropy(tf, this.network.trainingLogits(), targets, null)))
					: chosen;
			learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
			final Op apply = Optimizers.minimize(graph, config.optimizer(), loss, this.network.trainableVariables(), learningRate, (float) config.momentum());
			step = tf.withControlDependencies(List.of(apply, this.network.updateOp())).withName("train_step").noOp();
			session = new Session(graph, sessionConfig);
		}
		catch (final RuntimeException e) {
			graph.close();
			throw e;
		}
	}

	/** Runs the variable initialisers (a new run). */
	public void initialize() {
		session.initialize();
	}

	/** Restores all variables (network, moving statistics, optimizer slots) from a checkpoint prefix. */
	public void restore(final String prefix) {
		session.restore(prefix);
	}

	/** The session (for validation and export). */
	public Session session() {
		return session;
	}

	public Operand< TFloat32 > image() {
		return image;
	}

	/** The built network (logits, variables, update ops). */
	public UNet3D.Network network() {
		return network;
	}

	/** The logits of the inference pass (batch norm with the moving statistics), for validation and export. */
	public Operand< TFloat32 > logits() {
		return network.logits();
	}

	/**
	 * One optimisation step on a batch.
	 *
	 * @return the loss of the batch (before the update)
	 */
	public float step(final Batch b, final double rate) {
		try (TFloat32 x = TFloat32.tensorOf(Shape.of(b.imageShape()), DataBuffers.of(b.images(), true, false));
				TFloat32 y = TFloat32.tensorOf(Shape.of(b.targetShape()), DataBuffers.of(b.targets(), true, false));
				TFloat32 w = weights == null ? null : TFloat32.tensorOf(Shape.of(b.targetShape()), DataBuffers.of(b.weights(), true, false))) {
			return step(x, y, w, rate);
		}
	}

	/**
	 * One optimisation step on tensors.
	 *
	 * @param x images [B, z, y, x, C]
	 * @param y targets [B, z, y, x, 1]
	 * @param w weights like {@code y}, or {@code null} when unweighted
	 * @param rate the learning rate
	 * @return the loss (before the update)
	 */
	public float step(final TFloat32 x, final TFloat32 y, final TFloat32 w, final double rate) {
		try (TFloat32 r = TFloat32.scalarOf((float) rate)) {
			final Session.Runner runner = session.runner().feed(image, x).feed(targets, y).feed(learningRate, r).addTarget(step).fetch(loss);
			if (weights != null) {
				if (w == null) throw new IllegalArgumentException("TrainingGraph.step: the loss is weighted but no weight map was given.");
				runner.feed(weights, w);
			}
			try (Result res = runner.run()) {
				return ((TFloat32) res.get(0)).getFloat();
			}
		}
	}

	@Override
	public void close() {
		try {
			session.close();
		}
		finally {
			graph.close();
		}
	}
}
