package org.lesionweighting.tf.train;

import java.util.ArrayList;
import java.util.List;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyMomentum;
import org.tensorflow.types.TFloat32;

/**
 * The optimizers of TensorFlow Java's framework take a constant learning rate; the paper's schedule
 * (×0.1 after epoch 80) needs a rate that changes between steps without rebuilding the graph. These
 * optimizers read the learning rate from an operand (a placeholder fed at every step) and differentiate
 * only the given trainable variables (not the batch-normalisation moving statistics). Slot variables are
 * named {@code optimizer/<variable>_momentum} (or {@code _m}, {@code _v}) and are saved in checkpoints.
 * (The framework's {@code Optimizer.createSlot} rejects scoped variable names, hence this small
 * re-implementation.)
 * <p>
 * SGD: TensorFlow's {@code ApplyMomentum} with Nesterov, accum = m·accum + g; var −= lr·(g + m·accum),
 * which is torch's {@code SGD(nesterov=True)} update. Adam: {@code ApplyAdam} with the bias-correction
 * powers β1^t, β2^t kept in two variables (saved with the checkpoint).
 */
final class Optimizers {

	static final float BETA1 = 0.9f, BETA2 = 0.999f, EPSILON = 1e-8f;

	private Optimizers() {}

	/**
	 * Builds the update op.
	 *
	 * @param graph the graph
	 * @param kind SGD (Nesterov) or Adam
	 * @param loss the scalar loss
	 * @param variables the trainable variables
	 * @param learningRate scalar float32 operand (a placeholder fed each step)
	 * @param momentum SGD momentum
	 * @return one op that applies one update to all variables
	 */
	static Op minimize(final Graph graph, final OptimizerKind kind, final Operand< TFloat32 > loss, final List< Variable< TFloat32 > > variables,
			final Operand< TFloat32 > learningRate, final float momentum) {
		final Output< ? >[] outs = new Output< ? >[variables.size()];
		for (int i = 0; i < outs.length; i++)
			outs[i] = variables.get(i).asOutput();
		final Output< ? >[] grads = graph.addGradients(loss.asOutput(), outs);
		// Every gradient is computed before any variable changes: ApplyMomentum/ApplyAdam update in place,
		// and without this barrier a backprop op could read a kernel that was already updated (a race that
		// makes runs irreproducible and the gradients slightly wrong).
		final Ops root = Ops.create(graph).withSubScope("optimizer");
		final List< Op > ready = new ArrayList<>();
		final List< Operand< TFloat32 > > gradients = new ArrayList<>();
		for (int i = 0; i < outs.length; i++) {
			if (grads[i] == null)
				throw new IllegalStateException(
						"Trainer: variable " + variables.get(i).op().name() + " receives no gradient from the loss; the network graph is inconsistent.");
			@SuppressWarnings("unchecked")
			final Operand< TFloat32 > g = root.identity((Operand< TFloat32 >) grads[i]);
			gradients.add(g);
			ready.add((Op) g);
		}
		final Ops tf = root.withControlDependencies(ready);
		final Ops init = root.withInitScope();
		final List< Op > updates = new ArrayList<>();
		Variable< TFloat32 > beta1Power = null, beta2Power = null;
		if (kind == OptimizerKind.ADAM) {
			beta1Power = init.withName("beta1_power").variable(init.constant(BETA1));
			beta2Power = init.withName("beta2_power").variable(init.constant(BETA2));
		}
		for (int i = 0; i < outs.length; i++) {
			final Variable< TFloat32 > v = variables.get(i);
			final Operand< TFloat32 > g = gradients.get(i);
			final String name = v.op().name().replaceAll("[^A-Za-z0-9_.\\-]", "_");
			if (kind == OptimizerKind.SGD) {
				final Variable< TFloat32 > accum = init.withName(name + "_momentum").variable(init.zeros(init.constant(v.shape()), TFloat32.class));
				updates.add(tf.train.applyMomentum(v, accum, learningRate, g, tf.constant(momentum), ApplyMomentum.useNesterov(true)));
			}
			else {
				final Variable< TFloat32 > m = init.withName(name + "_m").variable(init.zeros(init.constant(v.shape()), TFloat32.class));
				final Variable< TFloat32 > s = init.withName(name + "_v").variable(init.zeros(init.constant(v.shape()), TFloat32.class));
				updates.add(tf.train.applyAdam(v, m, s, beta1Power, beta2Power, learningRate, tf.constant(BETA1), tf.constant(BETA2), tf.constant(EPSILON), g));
			}
		}
		final List< Op > all = new ArrayList<>(updates);
		if (kind == OptimizerKind.ADAM) {
			final Ops after = tf.withControlDependencies(updates);
			all.add(after.assign(beta1Power, after.math.mul(beta1Power, after.constant(BETA1))));
			all.add(after.assign(beta2Power, after.math.mul(beta2Power, after.constant(BETA2))));
		}
		return tf.withControlDependencies(all).withName("apply").noOp();
	}
}
