package org.lesionweighting.tf.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Builds the 3D residual U-Net of doc/method.md §3.1 (structure in {@link UNetConfig}) into a TensorFlow Java graph.
 * <p>
 * Usage (graph mode):
 * <pre>{@code
 * try (Graph g = new Graph(); Session s = new Session(g)) {
 *   Ops tf = Ops.create(g);
 *   Placeholder<TFloat32> image = UNet3D.imagePlaceholder(tf, 1);
 *   UNet3D.Network net = UNet3D.build(tf, UNetConfig.SMALL, image);
 *   s.initialize(); // runs the variable initialisers
 *   try (TFloat32 x = ...; TFloat32 logits = (TFloat32) s.runner().feed(image, x).fetch(net.logits()).run().get(0)) { ... }
 * }
 * }</pre>
 * Building blocks (dpipe): PreAct(i→o, k) = Norm(i) → ReLU → Conv(i→o, k, "same"); ResBlock(i→o, k) = PreAct(i→o,
 * no bias) → PreAct(o→o, no bias) plus the identity (i = o) or a 1³ convolution without bias.
 * <p>
 * Initialisation follows torch's default for {@code Conv3d} (Kaiming uniform with a = √5): kernel and bias uniform
 * in [−1/√fan_in, 1/√fan_in] with fan_in = in·k³, drawn with a stateless generator from the build seed and the
 * variable's index, so a seed gives the same initial weights on every run. Normalisation scales start at 1,
 * shifts at 0, moving means at 0 and moving variances at 1. The initialisers are registered with the graph:
 * {@code session.initialize()} runs them (a restored checkpoint or SavedModel replaces them).
 * <p>
 * Batch normalisation ({@link Normalization#BATCH}) is TensorFlow's fused kernel ({@code FusedBatchNormV3}, layout
 * NDHWC; in the training pass only for layers of at least {@link #FUSED_MIN_CHANNELS} channels, where it is not
 * slower than elementary ops), and the network is built twice over the same variables: {@link Network#trainingLogits()} normalise with
 * the batch mean and biased variance over (batch, z, y, x) (the loss of a training step), {@link Network#logits()}
 * with the moving statistics only (validation, export, inference), so that inference computes no batch statistics
 * and a training step no moving-statistics branch: TensorFlow runs only the pass a fetch needs. The moving
 * statistics change only when {@link Network#updateOp()} (or the ops of {@link Network#updateOps()}) runs, which a
 * trainer runs with each training step, feeding the image of the training pass: moving = (1 − momentum)·moving +
 * momentum·batch, with the unbiased batch variance, as torch (the kernel's {@code exponential_avg_factor} is the
 * momentum). The moving statistics are graph variables (saved in checkpoints and SavedModels) but not trainable; an
 * optimizer that differentiates every variable of the graph computes zero gradients for them. In the inference
 * pass, a batch norm that directly follows a convolution (after the init convolution, inside every residual block,
 * and on the logits) is folded into that convolution's kernel and bias; the others (after a residual or skip sum)
 * remain one {@code FusedBatchNormV3} each. With
 * {@link Normalization#INSTANCE} and {@link Normalization#NONE} both passes are one graph
 * ({@code trainingLogits() == logits()}).
 * <p>
 * Conv3D has no gradient in TensorFlow Java: a trainer registers one first ({@code tf.grad.Conv3dGradients});
 * {@code FusedBatchNormV3} has one in TensorFlow's C++ registry. Building and inference need no gradient.
 * <p>
 * SavedModels exported before the fused kernel (elementary-op batch norm chosen by a boolean {@code training}
 * placeholder) have the same variables and signature: they load and predict as before, and their variables restore
 * into this graph.
 * <p>
 * Variables get flat dotted names such as {@code unet.level0.down0.pre0.norm.gamma} (no '/'), so that TensorFlow
 * Java's own optimizers ({@code org.tensorflow.framework.optimizers}), which name their slots after the variable,
 * work when the network is built with a root-level {@code Ops}.
 * <p>
 * Threading: build a graph from one thread. One network per graph (the names of {@link TensorNames} are unique).
 */
public final class UNet3D {

	/** The layout of every tensor of the network: batch, z, y, x, channels. */
	private static final String DATA_FORMAT = "NDHWC";

	/**
	 * The narrowest layer whose training-pass batch norm is the fused kernel; narrower ones (the 8-channel level of
	 * {@link UNetConfig#SMALL}, the logits) use elementary ops. On this project's CPU (oneDNN, TensorFlow 2.18 native)
	 * {@code FusedBatchNormV3} with its gradient took 71.5 ms against 57.3 ms for the elementary ops on 2 × 64³ × 8
	 * and 69.0 ms against 71.9 ms on 2 × 64³ × 16 (doc/performance.md).
	 */
	static final int FUSED_MIN_CHANNELS = 16;

	/** Default seed of the weight initialisation (the paper's seed 0xBadCafe). */
	public static final long SEED_DEFAULT = 0xBadCafeL;

	private UNet3D() {}

	/**
	 * The built network.
	 *
	 * @param config the configuration it was built from
	 * @param logits {@code [batch, z, y, x, 1]} logits of the inference pass (moving statistics; graph name
	 *        {@link TensorNames#LOGITS_OP})
	 * @param probabilities sigmoid of the logits (graph name {@link TensorNames#PROBABILITIES_OP})
	 * @param trainingLogits logits of the training pass (batch statistics), the input of a training loss; the same
	 *        operand as {@code logits} unless the normalisation is {@link Normalization#BATCH}
	 * @param trainableVariables all trainable variables in creation order (kernels, biases, normalisation scales and shifts)
	 * @param movingStatistics the batch-normalisation moving means and variances (empty unless {@link Normalization#BATCH})
	 * @param updateOps the assignments that update the moving statistics from the batch of the training pass
	 * @param updateOp one op that runs all {@code updateOps} (a no-op when there are none)
	 */
	public record Network(UNetConfig config, Operand< TFloat32 > logits, Operand< TFloat32 > probabilities, Operand< TFloat32 > trainingLogits,
			List< Variable< TFloat32 > > trainableVariables, List< Variable< TFloat32 > > movingStatistics, List< Op > updateOps, Op updateOp) {

		/** The number of trainable scalars (sum of the trainable variables' sizes). */
		public long parameterCount() {
			return trainableVariables.stream().mapToLong(v -> v.shape().size()).sum();
		}
	}

	/**
	 * Creates the image placeholder {@code [batch, z, y, x, channels]} with unknown batch and spatial sizes, named
	 * {@link TensorNames#IMAGE_OP}.
	 *
	 * @param channels the number of input channels, at least 1
	 */
	public static Placeholder< TFloat32 > imagePlaceholder(final Ops tf, final int channels) {
		if (channels < 1) throw new IllegalArgumentException("UNet3D.imagePlaceholder: channels must be at least 1, but was " + channels + ".");
		return tf.withName(TensorNames.IMAGE_OP).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, -1, channels)));
	}

	/** Builds the network with the initialisation seed {@link #SEED_DEFAULT}; see {@link #build(Ops, UNetConfig, Operand, long)}. */
	public static Network build(final Ops tf, final UNetConfig config, final Operand< TFloat32 > image) {
		return build(tf, config, image, SEED_DEFAULT);
	}

	/**
	 * Builds the network.
	 *
	 * @param tf the ops of a graph (eager mode is not supported)
	 * @param config the architecture
	 * @param image {@code [batch, z, y, x, C]} float32 with C = {@code config.inputChannels()}; known spatial sizes
	 *        must be multiples of {@code config.sizeMultiple()} (unknown ones are the caller's responsibility)
	 * @param seed seed of the weight initialisation
	 * @return logits of both passes, variables and update ops
	 * @throws IllegalArgumentException if the image's known rank, channels or sizes do not fit the configuration
	 */
	public static Network build(final Ops tf, final UNetConfig config, final Operand< TFloat32 > image, final long seed) {
		return build(tf, config, image, seed, FUSED_MIN_CHANNELS);
	}

	/** As {@link #build(Ops, UNetConfig, Operand, long)} with the width from which the training pass uses the fused kernel (tests). */
	static Network build(final Ops tf, final UNetConfig config, final Operand< TFloat32 > image, final long seed, final int fusedMinChannels) {
		final String op = "UNet3D.build";
		if (config == null) throw new IllegalArgumentException(op + ": config must not be null; use UNetConfig.PAPER or UNetConfig.SMALL.");
		final Shape shape = image.shape();
		if (!shape.isUnknown()) {
			if (shape.numDimensions() != 5)
				throw new IllegalArgumentException(op + ": the image must have rank 5 [batch, z, y, x, channels], but its shape is " + shape + ".");
			final long c = shape.get(4);
			if (c != Shape.UNKNOWN_SIZE && c != config.inputChannels())
				throw new IllegalArgumentException(op + ": the image has " + c + " channels but the configuration expects " + config.inputChannels()
						+ "; use config.withInputChannels(" + c + ").");
			final long[] s = { shape.get(1), shape.get(2), shape.get(3) };
			if (s[0] > 0 && s[1] > 0 && s[2] > 0) config.requireInputSize(op, s[0], s[1], s[2]);
		}
		return new Builder(tf, config, seed, fusedMinChannels).build(image);
	}

	private static final class Builder {

		private final Ops outer;

		private final UNetConfig config;

		private final long seed;

		private final int fusedMinChannels;

		private final List< Variable< TFloat32 > > trainable = new ArrayList<>();

		private final List< Variable< TFloat32 > > moving = new ArrayList<>();

		/** All variables in creation order, which the inference pass repeats. */
		private final List< Variable< TFloat32 > > created = new ArrayList<>();

		private final List< Op > updates = new ArrayList<>();

		private long variableIndex;

		/**
		 * Whether the inference pass is built (moving statistics; reuses the variables in creation order), else the
		 * training pass (batch statistics; creates the variables and the moving-statistics updates).
		 */
		private boolean inference;

		private int reused;

		/** The last convolution of the inference pass applied the batch norm that follows it (see {@link #conv}). */
		private boolean folded;

		Builder(final Ops outer, final UNetConfig config, final long seed, final int fusedMinChannels) {
			this.outer = outer;
			this.config = config;
			this.seed = seed;
			this.fusedMinChannels = fusedMinChannels;
		}

		Network build(final Operand< TFloat32 > image) {
			final Operand< TFloat32 > trained = forward(outer.withSubScope(TensorNames.SCOPE), image);
			Operand< TFloat32 > inferred = trained;
			if (config.normalization() == Normalization.BATCH) {
				inference = true;
				inferred = forward(outer.withSubScope(TensorNames.INFERENCE_SCOPE), image);
			}
			final Operand< TFloat32 > logits = outer.withName(TensorNames.LOGITS_OP).identity(inferred);
			final Operand< TFloat32 > trainingLogits = inferred == trained ? logits : outer.withName(TensorNames.TRAINING_LOGITS_OP).identity(trained);
			final Operand< TFloat32 > probabilities = outer.withName(TensorNames.PROBABILITIES_OP).math.sigmoid(logits);
			final Op updateOp = updates.isEmpty()
					? outer.withName(TensorNames.UPDATE_OP).noOp()
					: outer.withControlDependencies(updates).withName(TensorNames.UPDATE_OP).noOp();
			return new Network(config, logits, probabilities, trainingLogits, Collections.unmodifiableList(trainable), Collections.unmodifiableList(moving),
					Collections.unmodifiableList(updates), updateOp);
		}

		/** One pass of the network under the name scope {@code root}: the logits before their identity. */
		private Operand< TFloat32 > forward(final Ops root, final Operand< TFloat32 > image) {
			final int[] w = config.widths();
			final int levels = config.levels();
			// init path: Conv(C -> w0, 3, no bias) -> PreAct(w0 -> w0, 3)
			final Ops init = root.withSubScope("init");
			Operand< TFloat32 > x = conv(init.withSubScope("conv"), image, config.inputChannels(), w[0], 3, false, true);
			x = preAct(init.withSubScope("preact"), x, w[0], w[0], 3, true, false);
			final List< Operand< TFloat32 > > skips = new ArrayList<>();
			for (int l = 0; l < levels; l++) {
				final int in = l == 0 ? w[0] : w[l - 1];
				final Ops lv = root.withSubScope("level" + l);
				x = resBlock(lv.withSubScope("down0"), x, in, w[l], 3);
				x = resBlock(lv.withSubScope("down1"), x, w[l], w[l], 3);
				skips.add(preAct(lv.withSubScope("skip"), x, w[l], w[l], 1, true, false));
				x = lv.nn.maxPool3d(x, Arrays.asList(1L, 2L, 2L, 2L, 1L), Arrays.asList(1L, 2L, 2L, 2L, 1L), "VALID");
			}
			final Ops br = root.withSubScope("bridge");
			final int last = w[levels - 1];
			final int bridge = w[levels];
			x = resBlock(br.withSubScope("res0"), x, last, bridge, 3);
			x = resBlock(br.withSubScope("res1"), x, bridge, bridge, 3);
			x = resBlock(br.withSubScope("res2"), x, bridge, last, 3);
			for (int l = levels - 1; l >= 0; l--) {
				final int in = l == 0 ? w[0] : w[l - 1];
				final Ops lv = root.withSubScope("level" + l);
				x = lv.math.add(skips.get(l), Resampling.upsampleTrilinear2x(lv, x));
				x = resBlock(lv.withSubScope("up0"), x, w[l], w[l], 3);
				x = resBlock(lv.withSubScope("up1"), x, w[l], in, 3);
			}
			// out path: ResBlock(w0 -> w0, 1) -> PreAct(w0 -> 1, 1, no bias) -> Norm(1)
			final Ops out = root.withSubScope("out");
			x = resBlock(out.withSubScope("res"), x, w[0], w[0], 1);
			x = preAct(out.withSubScope("preact"), x, w[0], 1, 1, false, true);
			return normalize(out.withSubScope("norm"), x, 1, true);
		}

		private Operand< TFloat32 > resBlock(final Ops tf, final Operand< TFloat32 > x, final int in, final int out, final int k) {
			Operand< TFloat32 > y = preAct(tf.withSubScope("pre0"), x, in, out, k, false, true);
			y = preAct(tf.withSubScope("pre1"), y, out, out, k, false, false);
			final Operand< TFloat32 > shortcut = in == out ? x : conv(tf.withSubScope("shortcut"), x, in, out, 1, false, false);
			return tf.math.add(y, shortcut);
		}

		/** @param foldNext whether a normalisation follows the convolution directly (see {@link #conv}) */
		private Operand< TFloat32 > preAct(final Ops tf, final Operand< TFloat32 > x, final int in, final int out, final int k, final boolean bias,
				final boolean foldNext) {
			final Operand< TFloat32 > n = normalize(tf.withSubScope("norm"), x, in, false);
			return conv(tf.withSubScope("conv"), tf.nn.relu(n), in, out, k, bias, foldNext);
		}

		/**
		 * A convolution with an optional bias. When the caller's next op is a normalisation of exactly this output
		 * ({@code foldNext}), the inference pass folds that batch norm into the convolution: with s = γ/√(v + ε) and
		 * t = β − m·s from the moving statistics, BN(conv(x, K) + b) = conv(x, K·s) + (b·s + t), one convolution with
		 * a fused bias instead of a convolution and a normalisation pass over the volume. The normalisation's
		 * variables are taken here, and the caller's {@link #normalize} then returns its input unchanged.
		 */
		private Operand< TFloat32 > conv(final Ops tf, final Operand< TFloat32 > x, final int in, final int out, final int k, final boolean bias,
				final boolean foldNext) {
			final double bound = 1.0 / Math.sqrt((double) in * k * k * k);
			final Variable< TFloat32 > kernel = uniformVariable(tf, "kernel", new long[] { k, k, k, in, out }, bound);
			final Variable< TFloat32 > b = bias ? uniformVariable(tf, "bias", new long[] { out }, bound) : null;
			final List< Long > strides = Arrays.asList(1L, 1L, 1L, 1L, 1L);
			if (inference && foldNext) {
				final Ops f = tf.withSubScope("folded_norm");
				final Variable< TFloat32 > gamma = reuse(), beta = reuse(), mean = reuse(), variance = reuse();
				final Operand< TFloat32 > scale = f.math.mul(gamma, f.math.rsqrt(f.math.add(variance, f.constant((float) config.epsilon()))));
				final Operand< TFloat32 > shift = f.math.sub(beta, f.math.mul(mean, scale));
				folded = true;
				return tf.nn.biasAdd(tf.nn.conv3d(x, f.math.mul(kernel, scale), strides, "SAME"), b == null ? shift : f.math.add(f.math.mul(b, scale), shift));
			}
			final Operand< TFloat32 > y = tf.nn.conv3d(x, kernel, strides, "SAME");
			// BiasAdd rather than Add: grappler fuses it into the convolution, and its gradient is one BiasAddGrad
			return b == null ? y : tf.nn.biasAdd(y, b);
		}

		private Operand< TFloat32 > normalize(final Ops tf, final Operand< TFloat32 > x, final int channels, final boolean logits) {
			if (folded) {
				folded = false;
				return x;
			}
			final Normalization n = config.normalization();
			if (n == Normalization.NONE) {
				if (!logits) return x;
				return tf.math.add(tf.math.mul(x, constantVariable(tf, "gamma", channels, 1f, true)),
						constantVariable(tf, "beta", channels, (float) config.outputBias(), true));
			}
			final Variable< TFloat32 > gamma = constantVariable(tf, "gamma", channels, 1f, true);
			final Variable< TFloat32 > beta = constantVariable(tf, "beta", channels, logits ? (float) config.outputBias() : 0f, true);
			if (n == Normalization.INSTANCE) {
				final Operand< TFloat32 > eps = tf.constant((float) config.epsilon());
				final Operand< TInt32 > axes = tf.constant(new int[] { 1, 2, 3 });
				final Operand< TFloat32 > mean = tf.math.mean(x, axes, Mean.keepDims(true));
				final Operand< TFloat32 > centered = tf.math.sub(x, mean);
				final Operand< TFloat32 > var = tf.math.mean(tf.math.square(centered), axes, Mean.keepDims(true));
				final Operand< TFloat32 > scale = tf.math.mul(tf.math.rsqrt(tf.math.add(var, eps)), gamma);
				return tf.math.add(tf.math.mul(centered, scale), beta);
			}
			final Variable< TFloat32 > movingMean = constantVariable(tf, "moving_mean", channels, 0f, false);
			final Variable< TFloat32 > movingVar = constantVariable(tf, "moving_variance", channels, 1f, false);
			final FusedBatchNorm.Options epsilon = FusedBatchNorm.epsilon((float) config.epsilon());
			final FusedBatchNorm.Options layout = FusedBatchNorm.dataFormat(DATA_FORMAT);
			if (inference) return tf.nn.fusedBatchNorm(x, gamma, beta, movingMean, movingVar, epsilon, layout, FusedBatchNorm.isTraining(false)).y();
			// batch statistics; moving statistics m <- (1 - momentum) m + momentum batch, the variance unbiased (torch)
			final Ops u = tf.withSubScope("update");
			if (channels < fusedMinChannels) return elementaryBatchNorm(tf, u, x, channels, gamma, beta, movingMean, movingVar);
			// the fused kernel also returns the updated moving statistics
			final FusedBatchNorm< TFloat32, TFloat32 > bn = tf.nn.fusedBatchNorm(x, gamma, beta, movingMean, movingVar, epsilon, layout,
					FusedBatchNorm.isTraining(true), FusedBatchNorm.exponentialAvgFactor((float) config.momentum()));
			updates.add(u.assign(movingMean, bn.batchMean()));
			updates.add(u.assign(movingVar, bn.batchVariance()));
			return bn.y();
		}

		/** Training-pass batch norm from elementary ops, for layers narrower than {@link #fusedMinChannels}. */
		private Operand< TFloat32 > elementaryBatchNorm(final Ops tf, final Ops u, final Operand< TFloat32 > x, final int channels,
				final Variable< TFloat32 > gamma, final Variable< TFloat32 > beta,
				final Variable< TFloat32 > movingMean, final Variable< TFloat32 > movingVar) {
			final Operand< TInt32 > axes = tf.constant(new int[] { 0, 1, 2, 3 });
			final Operand< TFloat32 > batchMean = tf.math.mean(x, axes);
			final Operand< TFloat32 > batchVar = tf.math.mean(tf.math.square(tf.math.sub(x, batchMean)), axes);
			final Operand< TFloat32 > scale = tf.math.mul(tf.math.rsqrt(tf.math.add(batchVar, tf.constant((float) config.epsilon()))), gamma);
			// the moving statistics enter with a zero weight and no gradient, so that they are reachable from the loss as
			// in the fused kernel (TF Java's Optimizer.minimize differentiates every variable and rejects unreachable ones)
			final Operand< TFloat32 > unused = tf.math.mul(tf.stopGradient(tf.math.add(movingMean, movingVar)), tf.constant(0f));
			final Operand< TFloat32 > shift = tf.math.add(tf.math.sub(beta, tf.math.mul(batchMean, scale)), unused);
			final Operand< TFloat32 > count = u.math.div(u.dtypes.cast(u.size(x), TFloat32.class), u.constant((float) channels));
			final Operand< TFloat32 > unbiased = u.math.mul(batchVar, u.math.div(count, u.math.maximum(u.math.sub(count, u.constant(1f)), u.constant(1f))));
			final Operand< TFloat32 > keep = u.constant((float) (1 - config.momentum()));
			final Operand< TFloat32 > mom = u.constant((float) config.momentum());
			updates.add(u.assign(movingMean, u.math.add(u.math.mul(movingMean, keep), u.math.mul(batchMean, mom))));
			updates.add(u.assign(movingVar, u.math.add(u.math.mul(movingVar, keep), u.math.mul(unbiased, mom))));
			return tf.math.add(tf.math.mul(x, scale), shift);
		}

		/** The next variable of the training pass, in creation order (inference pass). */
		private Variable< TFloat32 > reuse() {
			return created.get(reused++);
		}

		private Variable< TFloat32 > constantVariable(final Ops tf, final String name, final int size, final float value, final boolean isTrainable) {
			if (inference) return reuse();
			final Ops init = tf.withInitScope();
			final Operand< TFloat32 > initial = init.fill(init.constant(new int[] { size }), init.constant(value));
			final Variable< TFloat32 > v = newVariable(tf, name, initial);
			variableIndex++;
			(isTrainable ? trainable : moving).add(v);
			return v;
		}

		private Variable< TFloat32 > uniformVariable(final Ops tf, final String name, final long[] dims, final double bound) {
			if (inference) return reuse();
			final Ops init = tf.withInitScope();
			final Operand< TInt64 > seedPair = init.constant(new long[] { seed, variableIndex++ });
			final Operand< TFloat32 > u = init.random.statelessRandomUniform(init.constant(dims), seedPair, TFloat32.class);
			final Operand< TFloat32 > initial = init.math.mul(init.math.sub(u, init.constant(0.5f)), init.constant((float) (2 * bound)));
			final Variable< TFloat32 > v = newVariable(tf, name, initial);
			trainable.add(v);
			return v;
		}

		/**
		 * Creates a variable in the caller's scope with a flat, dotted name ({@code unet.level0.down0.pre0.norm.gamma}):
		 * TensorFlow Java's optimizers name their slots after the variable and reject names with '/'.
		 */
		private Variable< TFloat32 > newVariable(final Ops tf, final String name, final Operand< TFloat32 > initial) {
			final String flat = tf.scope().withName(name).makeOpName(name).replace('/', '.');
			final Variable< TFloat32 > v = outer.withName(flat).variable(initial);
			created.add(v);
			return v;
		}
	}
}
