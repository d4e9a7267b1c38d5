package org.lesionweighting.tf.infer;

/**
 * A network seen as a function from a batch of windows to logits: the unit that {@link TiledPredictor}
 * calls. Implementations: {@link SavedModelPredictor} (a TensorFlow SavedModel) and, in tests, pure Java
 * fakes.
 * <p>
 * Layout: input {@code [batch, z, y, x, channels]} (NDHWC) float32 flattened with channels fastest, then
 * x, y, z, batch; output {@code [batch, z, y, x, 1]} logits flattened the same way.
 * <p>
 * Threading: {@link TiledPredictor} calls {@link #predict} from one thread at a time.
 *
 * <pre>{@code
 * try (WindowPredictor p = (in, b, d, h, w, c) -> in.clone()) { ... }
 * }</pre>
 */
@FunctionalInterface
public interface WindowPredictor extends AutoCloseable {

	/**
	 * Predicts the logits of a batch of windows.
	 *
	 * @param windows {@code batch * depth * height * width * channels} values, NDHWC, channels fastest;
	 *          the caller may reuse the array after the call returns
	 * @param batch number of windows, at least 1
	 * @param depth window size along z
	 * @param height window size along y
	 * @param width window size along x
	 * @param channels input channels per voxel
	 * @return {@code batch * depth * height * width} logits, same order as the input without channels
	 * @throws OutOfMemoryError or a TensorFlow resource-exhausted exception when the batch does not fit;
	 *           {@link TiledPredictor} then retries with a smaller batch
	 */
	float[] predict(float[] windows, int batch, int depth, int height, int width, int channels);

	/**
	 * The number of input channels the network expects, or 0 when any number is accepted.
	 */
	default int inputChannels() {
		return 0;
	}

	/**
	 * The network's total down-sampling factor per axis (x, y, z): each window side given to
	 * {@link #predict} must be a multiple of it. {@code {1, 1, 1}} when there is no constraint.
	 */
	default int[] sizeDivisor() {
		return new int[] { 1, 1, 1 };
	}

	/** Releases native resources; the default does nothing. Never throws a checked exception. */
	@Override
	default void close() {}
}
