package org.lesionweighting.tf.grad;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.EnsureShape;
import org.tensorflow.op.nn.Conv3d;
import org.tensorflow.op.nn.Conv3dBackpropFilter;
import org.tensorflow.op.nn.Conv3dBackpropInput;
import org.tensorflow.types.family.TNumber;

/**
 * Registers the graph gradients that TensorFlow Java 1.1.0 lacks for 3D networks (ECOSYSTEM.md §2):
 * <ul>
 * <li>{@code Conv3D}: with respect to the input, {@code Conv3DBackpropInputV2(shape(input), filter, dy)}; with
 * respect to the filter, {@code Conv3DBackpropFilterV2(input, shape(filter), dy)}; same strides, padding, data
 * format and dilations as the forward op.</li>
 * <li>{@code EnsureShape} (a static-shape assertion, also without a gradient in 1.1.0): the identity.</li>
 * <li>{@code Conv3DBackpropInputV2} (a transposed 3D convolution y = convᵀ(dy; filter), in case a network
 * upsamples with it): with respect to dy, {@code Conv3D(grad, filter)}; with respect to the filter,
 * {@code Conv3DBackpropFilterV2(grad, shape(filter), dy)}; with respect to the integer output size, zeros.</li>
 * </ul>
 * Not registered, because first-order training of our networks does not need them: {@code MaxPool3DGrad} and
 * {@code Conv3DBackpropFilterV2} (only for second derivatives), {@code FusedBatchNorm}/{@code FusedBatchNormV2}
 * ({@code tf.nn.fusedBatchNorm} builds {@code FusedBatchNormV3}, which has a gradient), {@code Where} (integer
 * output, not differentiable) and {@code RandomUniform} (a source op, never between a variable and the loss).
 *
 * <p>Registration is process-global and must happen before any graph asks for gradients
 * ({@code Graph.addGradients}, an optimizer's {@code minimize}). Call {@link #ensureRegistered()} at the start
 * of every training code path; inference never needs it. Thread-safe and idempotent.
 */
public final class Conv3dGradients {

	private static final Object LOCK = new Object();

	private static volatile boolean registered;

	private static volatile String failure;

	private Conv3dGradients() {}

	/**
	 * Registers the gradients once per process; later calls return immediately. Safe to call from several threads.
	 * If another library registered a gradient for one of these ops first, TensorFlow keeps that one.
	 *
	 * @throws IllegalStateException on platforms where TensorFlow Java cannot register Java gradients (Windows,
	 *         tensorflow/java#486) or when registration fails; the message says that training is unavailable there
	 *         while inference works. Repeated calls throw the same message again.
	 */
	public static void ensureRegistered() {
		if (registered) return;
		synchronized (LOCK) {
			if (registered) return;
			if (failure != null) throw new IllegalStateException(failure);
			failure = unsupportedReason(System.getProperty("os.name", ""));
			if (failure != null) throw new IllegalStateException(failure);
			try {
				TensorFlow.registerCustomGradient(Conv3d.Inputs.class, Conv3dGradients::conv3dGradient);
				TensorFlow.registerCustomGradient(Conv3dBackpropInput.Inputs.class, Conv3dGradients::conv3dTransposeGradient);
				TensorFlow.registerCustomGradient(EnsureShape.Inputs.class, (tf, op, grads) -> List.of(grads.get(0)));
			}
			catch (final RuntimeException | LinkageError e) {
				failure = "Registering the Conv3D gradients with TensorFlow Java failed (" + e + "), so training is unavailable in this process;"
						+ " inference still works.";
				throw new IllegalStateException(failure, e);
			}
			registered = true;
		}
	}

	/** The message why training is unavailable on the named operating system, or {@code null} where it works. */
	static String unsupportedReason(final String osName) {
		if (!osName.toLowerCase(Locale.ROOT).startsWith("windows")) return null;
		return "Training needs Java gradients for Conv3D, which TensorFlow Java 1.1.0 cannot register on " + osName
				+ " (tensorflow/java#486). Train on Linux or macOS; inference (prediction with a trained model) works on this platform.";
	}

	/** Whether {@link #ensureRegistered()} has succeeded in this process. */
	public static boolean isRegistered() {
		return registered;
	}

	@SuppressWarnings("unchecked")
	private static < T extends TNumber > List< Operand< ? > > conv3dGradient(final Ops tf, final Conv3d.Inputs< T > op, final List< Output< ? > > grads) {
		final Operand< T > dy = (Operand< T >) grads.get(0);
		final List< Long > strides = toList(op.strides);
		final Operand< T > dInput = tf.nn.conv3dBackpropInput(tf.shape(op.input), op.filter, dy, strides, op.padding,
				Conv3dBackpropInput.dataFormat(op.dataFormat), Conv3dBackpropInput.dilations(toList(op.dilations)));
		final Operand< T > dFilter = tf.nn.conv3dBackpropFilter(op.input, tf.shape(op.filter), dy, strides, op.padding,
				Conv3dBackpropFilter.dataFormat(op.dataFormat), Conv3dBackpropFilter.dilations(toList(op.dilations)));
		return List.of(dInput, dFilter);
	}

	@SuppressWarnings("unchecked")
	private static < U extends TNumber > List< Operand< ? > > conv3dTransposeGradient(final Ops tf, final Conv3dBackpropInput.Inputs< U > op,
			final List< Output< ? > > grads) {
		final Operand< U > g = (Operand< U >) grads.get(0);
		final List< Long > strides = toList(op.strides);
		final Operand< U > dDy = tf.nn.conv3d(g, op.filter, strides, op.padding, Conv3d.dataFormat(op.dataFormat), Conv3d.dilations(toList(op.dilations)));
		final Operand< U > dFilter = tf.nn.conv3dBackpropFilter(g, tf.shape(op.filter), op.outBackprop, strides, op.padding,
				Conv3dBackpropFilter.dataFormat(op.dataFormat), Conv3dBackpropFilter.dilations(toList(op.dilations)));
		return List.of(tf.zerosLike(op.inputSizes), dFilter, dDy);
	}

	private static List< Long > toList(final long[] values) {
		return Arrays.stream(values).boxed().toList();
	}
}
