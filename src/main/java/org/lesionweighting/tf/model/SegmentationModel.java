package org.lesionweighting.tf.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.lesionweighting.tf.graph.TensorNames;
import org.lesionweighting.tf.graph.UNetConfig;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A trained segmentation network loaded from a model folder written by {@link SavedModels#export}: the SavedModel
 * (tag {@value TensorNames#TAG}, signature {@value TensorNames#SIGNATURE_KEY}) and {@code model.json}.
 * <pre>{@code
 * try (SegmentationModel m = SegmentationModel.load(folder)) {
 *   float[] logits = m.predictLogits(windows, 2, 64, 64, 64); // NDHWC in, [2, 64, 64, 64, 1] out
 * }
 * }</pre>
 * Inference needs no gradient registration. Feeds and fetches go through the signature's keys, never through
 * graph operation names. {@link #predictLogits} may be called from several threads (TensorFlow sessions are
 * thread-safe); {@link #close()} must not overlap with a prediction.
 */
public final class SegmentationModel implements AutoCloseable {

	private final Path folder;

	private final SavedModelBundle bundle;

	private final ModelMetadata metadata;

	private final Devices.Selection device;

	private final String inputName;

	private final String logitsName;

	private final String probabilitiesName;

	private SegmentationModel(final Path folder, final SavedModelBundle bundle, final ModelMetadata metadata, final Devices.Selection device) {
		this.folder = folder;
		this.bundle = bundle;
		this.metadata = metadata;
		this.device = device;
		final Signature sig = bundle.signatures().stream().filter(s -> s.key().equals(TensorNames.SIGNATURE_KEY)).findFirst()
				.orElseThrow(() -> new IllegalArgumentException("SegmentationModel.load: " + folder + " has no signature '" + TensorNames.SIGNATURE_KEY
						+ "'; it was not exported by Lesion Weighting."));
		if (!sig.getInputs().containsKey(TensorNames.INPUT_IMAGE) || !sig.getOutputs().containsKey(TensorNames.OUTPUT_LOGITS))
			throw new IllegalArgumentException("SegmentationModel.load: the signature of " + folder + " has inputs " + sig.inputNames() + " and outputs "
					+ sig.outputNames() + " but needs input '" + TensorNames.INPUT_IMAGE + "' and output '" + TensorNames.OUTPUT_LOGITS + "'.");
		this.inputName = sig.getInputs().get(TensorNames.INPUT_IMAGE).name;
		this.logitsName = sig.getOutputs().get(TensorNames.OUTPUT_LOGITS).name;
		this.probabilitiesName = sig.getOutputs().containsKey(TensorNames.OUTPUT_PROBABILITIES)
				? sig.getOutputs().get(TensorNames.OUTPUT_PROBABILITIES).name
				: null;
	}

	/** Loads a model on {@link Device#AUTO}; see {@link #load(Path, Device)}. */
	public static SegmentationModel load(final Path folder) throws IOException {
		return load(folder, Device.DEVICE_DEFAULT);
	}

	/**
	 * Loads a model folder.
	 *
	 * @param folder the SavedModel folder with {@code model.json}, or a trainer's model folder holding it as
	 *        {@value SavedModels#FOLDER_DEFAULT}
	 * @param device where to run
	 * @throws IOException if the folder or its files are missing or unreadable (the message names the folder)
	 * @throws IllegalStateException for {@link Device#GPU} without a usable GPU (see {@link Devices#select})
	 */
	public static SegmentationModel load(final Path folder, final Device device) throws IOException {
		final Path dir = ModelInfo.savedModelFolder(folder);
		if (!Files.isDirectory(dir) || !SavedModels.isSavedModel(dir))
			throw new IOException("SegmentationModel.load: " + folder + " is not a model folder (no saved_model.pb in it or in its '"
					+ SavedModels.FOLDER_DEFAULT + "' sub-folder). Choose the folder written by Train Lesion Segmenter.");
		final ModelMetadata metadata = ModelMetadata.read(dir);
		final Devices.Selection selection = Devices.select(device);
		final SavedModelBundle bundle;
		try {
			bundle = SavedModelBundle.loader(dir.toString()).withTags(TensorNames.TAG).withConfigProto(selection.config()).load();
		}
		catch (final TensorFlowException e) {
			throw new IOException("SegmentationModel.load: TensorFlow could not load the SavedModel in " + dir + ": " + e.getMessage(), e);
		}
		try {
			return new SegmentationModel(dir, bundle, metadata, selection);
		}
		catch (final RuntimeException e) {
			bundle.close();
			throw e;
		}
	}

	/** The model metadata ({@code model.json}). */
	public ModelMetadata metadata() {
		return metadata;
	}

	public UNetConfig config() {
		return metadata.architecture();
	}

	/** The device selection of the session, including {@link Devices.Selection#used()} for the log. */
	public Devices.Selection device() {
		return device;
	}

	/**
	 * Runs the network on a batch of windows.
	 *
	 * @param ndhwc {@code batch·z·y·x·C} values in NDHWC order (channels fastest, then x, y, z, batch), preprocessed as
	 *        {@link ModelMetadata#preprocessing()} says
	 * @param batch number of windows, at least 1
	 * @param z depth, a multiple of {@link UNetConfig#sizeMultiple()}
	 * @param y height, likewise
	 * @param x width, likewise
	 * @return {@code batch·z·y·x} logits in the same order (one channel)
	 * @throws IllegalArgumentException if sizes or the array length do not fit
	 */
	public float[] predictLogits(final float[] ndhwc, final int batch, final int z, final int y, final int x) {
		return predict("SegmentationModel.predictLogits", ndhwc, batch, z, y, x, logitsName);
	}

	/** As {@link #predictLogits(float[], int, int, int, int)} but returns sigmoid probabilities. */
	public float[] predictProbabilities(final float[] ndhwc, final int batch, final int z, final int y, final int x) {
		if (probabilitiesName == null)
			throw new IllegalStateException("SegmentationModel.predictProbabilities: the model in " + folder + " has no '" + TensorNames.OUTPUT_PROBABILITIES
					+ "' output; apply a sigmoid to predictLogits instead.");
		return predict("SegmentationModel.predictProbabilities", ndhwc, batch, z, y, x, probabilitiesName);
	}

	private float[] predict(final String op, final float[] ndhwc, final int batch, final int z, final int y, final int x, final String output) {
		if (batch < 1) throw new IllegalArgumentException(op + ": batch must be at least 1, but was " + batch + ".");
		config().requireInputSize(op, z, y, x);
		final long voxels = (long) batch * z * y * x;
		final int channels = config().inputChannels();
		final long expected = voxels * channels;
		if (ndhwc == null || ndhwc.length != expected)
			throw new IllegalArgumentException(op + ": the input must hold batch·z·y·x·channels = " + batch + "·" + z + "·" + y + "·" + x + "·"
					+ channels + " = " + expected + " values, but has " + (ndhwc == null ? "null" : ndhwc.length) + ".");
		if (voxels > Integer.MAX_VALUE)
			throw new IllegalArgumentException(op + ": " + voxels + " output voxels do not fit in a Java array; use smaller windows or batches.");
		try (TFloat32 in = TFloat32.tensorOf(Shape.of(batch, z, y, x, channels), DataBuffers.of(ndhwc, true, false));
				TFloat32 out = (TFloat32) bundle.session().runner().feed(inputName, in).fetch(output).run().get(0)) {
			final float[] result = new float[(int) voxels];
			out.copyTo(DataBuffers.of(result, false, false));
			return result;
		}
	}

	/** Releases the session and graph. */
	@Override
	public void close() {
		bundle.close();
	}
}
