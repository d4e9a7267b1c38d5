package org.lesionweighting.tf.graph;

import java.util.Arrays;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * Up-sampling built from operations that have gradients in TensorFlow Java (TensorFlow has no 3D resize op).
 */
public final class Resampling {

	private Resampling() {}

	/**
	 * Trilinear ×2 up-sampling of the spatial axes of an NDHWC tensor with aligned corners, as torch's
	 * {@code nn.Upsample(scale_factor=2, mode='trilinear', align_corners=True)} (doc/method.md §3.1).
	 * <p>
	 * Along an axis of length n, output index i ∈ [0, 2n) samples the input at s = i·(n−1)/(2n−1) (so the first and
	 * last samples coincide with the input corners; n = 1 replicates) and interpolates linearly between
	 * ⌊s⌋ and ⌊s⌋+1. Each axis is one matrix product with the interpolation matrix W[i][j] = max(0, 1 − |s_i − j|)
	 * built in the graph from the run-time size, so the op accepts any spatial size and differentiates through
	 * {@code MatMul}, {@code Transpose} and {@code Reshape}. Cost: about 2n multiply-adds per output value and axis.
	 *
	 * @param tf the ops of the graph
	 * @param x a rank-5 tensor {@code [batch, z, y, x, channels]} of a floating-point type; sizes may be dynamic
	 * @return a tensor {@code [batch, 2z, 2y, 2x, channels]} of the same type
	 * @throws IllegalArgumentException if {@code x} has a known rank other than 5
	 */
	public static < T extends TFloating > Operand< T > upsampleTrilinear2x(final Ops tf, final Operand< T > x) {
		final int rank = x.shape().numDimensions();
		if (rank >= 0 && rank != 5)
			throw new IllegalArgumentException(
					"Resampling.upsampleTrilinear2x: the input must have rank 5 [batch, z, y, x, channels], but its shape is " + x.shape() + ".");
		final Ops s = tf.withSubScope("upsample");
		// [b, z, y, x, c] -> [z, y, x, b, c]: the axis to interpolate goes first.
		Operand< T > t = s.linalg.transpose(x, s.constant(new int[] { 1, 2, 3, 0, 4 }));
		t = interpolateFirstAxis(s, t); // [2z, y, x, b, c]
		t = s.linalg.transpose(t, s.constant(new int[] { 1, 2, 3, 4, 0 })); // [y, x, b, c, 2z]
		t = interpolateFirstAxis(s, t); // [2y, x, b, c, 2z]
		t = s.linalg.transpose(t, s.constant(new int[] { 1, 2, 3, 4, 0 })); // [x, b, c, 2z, 2y]
		t = interpolateFirstAxis(s, t); // [2x, b, c, 2z, 2y]
		return s.linalg.transpose(t, s.constant(new int[] { 1, 3, 4, 0, 2 })); // [b, 2z, 2y, 2x, c]
	}

	/** Doubles the first axis of a rank-5 tensor by linear interpolation with aligned corners. */
	private static < T extends TFloating > Operand< T > interpolateFirstAxis(final Ops tf, final Operand< T > t) {
		final Operand< TInt32 > shape = tf.shape(t);
		final Operand< TInt32 > n = tf.reshape(tf.slice(shape, tf.constant(new int[] { 0 }), tf.constant(new int[] { 1 })), tf.constant(new int[0]));
		final Operand< TInt32 > rest = tf.slice(shape, tf.constant(new int[] { 1 }), tf.constant(new int[] { 4 }));
		final Operand< T > w = interpolationMatrix(tf, n, t.type());
		final Operand< T > m = tf.reshape(t, tf.stack(Arrays.asList(n, tf.constant(-1)))); // [n, rest]
		final Operand< T > up = tf.linalg.matMul(w, m);
		final Operand< TInt32 > outShape = tf.concat(Arrays.asList(tf.reshape(tf.math.mul(n, tf.constant(2)), tf.constant(new int[] { 1 })), rest),
				tf.constant(0));
		return tf.reshape(up, outShape);
	}

	/**
	 * The {@code [2n, n]} matrix W[i][j] = max(0, 1 − |i·(n−1)/(2n−1) − j|) of linear ×2 up-sampling with aligned
	 * corners, built in the graph for a run-time n ≥ 1.
	 */
	static < T extends TFloating > Operand< T > interpolationMatrix(final Ops tf, final Operand< TInt32 > n, final Class< T > type) {
		final Operand< TInt32 > one = tf.constant(1);
		final Operand< TInt32 > twoN = tf.math.mul(n, tf.constant(2));
		final Operand< T > i = tf.dtypes.cast(tf.range(tf.constant(0), twoN, one), type);
		final Operand< T > j = tf.dtypes.cast(tf.range(tf.constant(0), n, one), type);
		final Operand< T > num = tf.dtypes.cast(tf.math.sub(n, one), type);
		final Operand< T > den = tf.dtypes.cast(tf.math.sub(twoN, one), type);
		final Operand< T > src = tf.math.div(tf.math.mul(i, num), den); // [2n]
		final Operand< T > diff = tf.math.sub(tf.expandDims(src, tf.constant(1)), tf.expandDims(j, tf.constant(0))); // [2n, n]
		final Operand< T > oneT = tf.dtypes.cast(one, type);
		return tf.nn.relu(tf.math.sub(oneT, tf.math.abs(diff)));
	}
}
