package org.lesionweighting.tf.infer;

import java.io.IOException;
import java.nio.file.Path;

import org.lesionweighting.tf.model.Device;
import org.lesionweighting.tf.model.SegmentationModel;

/**
 * A {@link WindowPredictor} over a loaded {@link SegmentationModel} (a SavedModel exported by this project):
 * channels and down-sampling factor come from the model's metadata.
 * <p>
 * Not thread-safe as a {@link WindowPredictor}; {@link TiledPredictor} calls it from one thread. Closing closes the
 * model only when this predictor loaded it ({@link #load}).
 *
 * <pre>{@code
 * try (SavedModelPredictor p = SavedModelPredictor.load(dir, Device.CPU)) {
 * 	InferenceResult r = TiledPredictor.predict(image, p, new TilingOptions(), null);
 * }
 * }</pre>
 */
public final class SavedModelPredictor implements WindowPredictor {

	private final SegmentationModel model;

	private final boolean owned;

	private SavedModelPredictor(final SegmentationModel model, final boolean owned) {
		this.model = model;
		this.owned = owned;
	}

	/**
	 * Loads a model folder; the predictor owns the model.
	 *
	 * @param dir the model folder (see {@link SegmentationModel#load(Path, Device)})
	 * @param device where to run
	 * @return the predictor; close it
	 * @throws IOException if the folder is not a model folder
	 */
	public static SavedModelPredictor load(final Path dir, final Device device) throws IOException {
		return new SavedModelPredictor(SegmentationModel.load(dir, device), true);
	}

	/** Wraps a model the caller keeps owning (closing the predictor leaves it open). */
	public static SavedModelPredictor of(final SegmentationModel model) {
		return new SavedModelPredictor(model, false);
	}

	/** The wrapped model (metadata, device actually used). */
	public SegmentationModel model() {
		return model;
	}

	@Override
	public float[] predict(final float[] windows, final int batch, final int depth, final int height, final int width, final int channels) {
		if (channels != model.config().inputChannels())
			throw new IllegalArgumentException(
					"SavedModelPredictor.predict: the model expects " + model.config().inputChannels() + " channel(s), but the windows have " + channels + ".");
		return model.predictLogits(windows, batch, depth, height, width);
	}

	@Override
	public int inputChannels() {
		return model.config().inputChannels();
	}

	@Override
	public int[] sizeDivisor() {
		final int m = model.config().sizeMultiple();
		return new int[] { m, m, m };
	}

	@Override
	public void close() {
		if (owned) model.close();
	}
}
