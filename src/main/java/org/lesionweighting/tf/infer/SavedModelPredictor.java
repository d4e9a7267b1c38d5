package org.lesionweighting.tf.infer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.lesionweighting.tf.graph.TensorNames;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.types.TFloat32;

/**
 * A {@link WindowPredictor} over a TensorFlow SavedModel exported with tag {@value TensorNames#TAG}, signature
 * {@value TensorNames#SIGNATURE_KEY}, input {@value TensorNames#INPUT_IMAGE} (float32 NDHWC) and output {@value TensorNames#OUTPUT_LOGITS} (float32
 * {@code [batch, z, y, x, 1]}): the contract of {@link TensorNames}.
 * <p>
 * Owns the loaded bundle: use in try-with-resources. Not thread-safe; {@link TiledPredictor} calls it from one
 * thread.
 *
 * <pre>{@code
 * try (SavedModelPredictor p = SavedModelPredictor.load(dir, Device.CPU, 1, new int[] { 8, 8, 8 })) {
 * 	InferenceResult r = TiledPredictor.predict(image, p, new TilingOptions(), null);
 * }
 * }</pre>
 */
public final class SavedModelPredictor implements WindowPredictor {

	private final SavedModelBundle bundle;
	private final SessionFunction function;
	private final int inputChannels;
	private final int[] sizeDivisor;
	private final Device device;

	private SavedModelPredictor(final SavedModelBundle bundle, final SessionFunction function, final int inputChannels, final int[] sizeDivisor, final Device device) {
		this.bundle = bundle;
		this.function = function;
		this.inputChannels = inputChannels;
		this.sizeDivisor = sizeDivisor.clone();
		this.device = device;
	}

	/**
	 * Loads a SavedModel folder.
	 *
	 * @param dir the folder containing {@code saved_model.pb}
	 * @param device where to run
	 * @param inputChannels channels the model expects (0 = unchecked)
	 * @param sizeDivisor the network's down-sampling factor per axis (x, y, z)
	 * @return the predictor; close it
	 * @throws IOException if the folder holds no SavedModel, or it lacks the {@value TensorNames#SIGNATURE_KEY} signature
	 */
	public static SavedModelPredictor load(final Path dir, final Device device, final int inputChannels, final int[] sizeDivisor) throws IOException {
		final String op = "SavedModelPredictor.load";
		if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) throw new IOException(op + ": " + dir + " is not a SavedModel folder (no saved_model.pb); give the model folder written by Train.");
		final ConfigProto.Builder config = ConfigProto.newBuilder().setAllowSoftPlacement(true);
		switch (device) {
		case CPU -> config.putDeviceCount("GPU", 0);
		case GPU, AUTO -> config.setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
		}
		final SavedModelBundle bundle;
		try {
			bundle = SavedModelBundle.loader(dir.toString()).withTags(TensorNames.TAG).withConfigProto(config.build()).load();
		} catch (final RuntimeException e) {
			throw new IOException(op + ": cannot load the SavedModel in " + dir + " (tag '" + TensorNames.TAG + "'): " + e.getMessage(), e);
		}
		try {
			final SessionFunction f = bundle.function(TensorNames.SIGNATURE_KEY);
			if (!f.signature().inputNames().contains(TensorNames.INPUT_IMAGE) || !f.signature().outputNames().contains(TensorNames.OUTPUT_LOGITS)) throw new IOException(op + ": the signature '" + TensorNames.SIGNATURE_KEY + "' of " + dir + " has inputs " + f.signature().inputNames() + " and outputs " + f.signature().outputNames() + "; expected input '" + TensorNames.INPUT_IMAGE + "' and output '" + TensorNames.OUTPUT_LOGITS + "'. Export the model with this project's trainer.");
			return new SavedModelPredictor(bundle, f, inputChannels, sizeDivisor, device);
		} catch (final IOException e) {
			bundle.close();
			throw e;
		} catch (final RuntimeException e) {
			bundle.close();
			throw new IOException(op + ": " + dir + " has no '" + TensorNames.SIGNATURE_KEY + "' signature: " + e.getMessage(), e);
		}
	}

	@Override
	public float[] predict(final float[] windows, final int batch, final int depth, final int height, final int width, final int channels) {
		final float[] out = new float[batch * depth * height * width];
		try (TFloat32 in = TFloat32.tensorOf(Shape.of(batch, depth, height, width, channels), DataBuffers.of(windows, true, false)); var result = function.call(Map.of(TensorNames.INPUT_IMAGE, in))) {
			final Tensor t = result.get(TensorNames.OUTPUT_LOGITS).orElseThrow(() -> new IllegalStateException("SavedModelPredictor.predict: the model returned no '" + TensorNames.OUTPUT_LOGITS + "' output."));
			if (!(t instanceof TFloat32 logits) || t.shape().size() != out.length) throw new IllegalStateException("SavedModelPredictor.predict: the '" + TensorNames.OUTPUT_LOGITS + "' output has shape " + t.shape() + " and type " + t.dataType() + "; expected float32 [" + batch + ", " + depth + ", " + height + ", " + width + ", 1].");
			logits.copyTo(DataBuffers.of(out, false, false));
		}
		return out;
	}

	@Override
	public int inputChannels() {
		return inputChannels;
	}

	@Override
	public int[] sizeDivisor() {
		return sizeDivisor.clone();
	}

	/** The device requested at load time. */
	public Device device() {
		return device;
	}

	@Override
	public void close() {
		bundle.close();
	}
}
