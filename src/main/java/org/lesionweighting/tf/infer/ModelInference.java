package org.lesionweighting.tf.infer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;

import org.lesionweighting.io.VolumeResampling;
import org.lesionweighting.tf.data.Preprocessing;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.tf.model.ModelMetadata;
import org.lesionweighting.tf.model.SegmentationModel;
import org.lesionweighting.util.ProgressListener;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

/**
 * Segments a volume with a trained model: checks the input against the model's metadata ({@link ModelMetadata}),
 * applies the model's preprocessing to each whole channel, and runs {@link TiledPredictor}.
 * <ul>
 * <li>channel count differs from the model's: {@link IllegalArgumentException};</li>
 * <li>voxel spacing differs from the model's by more than {@value #SPACING_TOLERANCE} (relative) on any axis: a model
 * trained with a dataset plan ({@link ModelMetadata#targetSpacing()}) gets the input resampled to the plan's target
 * spacing ({@link VolumeResampling}, before the preprocessing, as in training) and the probabilities and logits
 * resampled back onto the input's grid, where the mask is thresholded and labelled; every map has the input's size.
 * A model without a plan gets a warning through the {@code warnings} callback, and inference goes on at the input's
 * spacing (the paper does not resample, doc/method.md appendix C.16).</li>
 * </ul>
 *
 * <pre>{@code
 * InferenceResult r = ModelInference.segment(modelDir, List.of(image), new double[] { 1, 1, 1 },
 * 		new TilingOptions().outputs(EnumSet.of(InferenceOutput.MASK)), Device.CPU, listener, log::warn);
 * }</pre>
 */
public final class ModelInference {

	/** Relative spacing difference above which a warning is issued. */
	public static final double SPACING_TOLERANCE = 0.01;

	private ModelInference() {}

	/**
	 * Loads a model folder (SavedModel + {@code model.json}) and segments the input with it.
	 *
	 * @param channels the input channels, in the order used for training; not modified
	 * @param spacing the input voxel spacing (x, y, z), or {@code null} to skip the spacing check
	 * @param options tiling options and requested outputs
	 * @param device where to run
	 * @param listener progress; may be {@code null}
	 * @param warnings receives warnings (spacing mismatch); may be {@code null}
	 * @return the requested maps
	 * @throws IOException if the model folder cannot be read
	 */
	public static InferenceResult segment(final Path modelDir, final List< ? extends RandomAccessibleInterval< ? extends RealType< ? > > > channels,
			final double[] spacing, final TilingOptions options, final Device device, final ProgressListener listener, final Consumer< String > warnings)
			throws IOException {
		ProgressListener.orNone(listener).status("Loading model " + modelDir + " (device " + device.key() + ")");
		try (SegmentationModel model = SegmentationModel.load(modelDir, device)) {
			ProgressListener.orNone(listener).status("Model " + model.config().preset() + " loaded; running on " + model.device().used());
			return segment(channels, spacing, model.metadata(), SavedModelPredictor.of(model), options, listener, warnings);
		}
	}

	/**
	 * Segments the input with a given predictor and model description.
	 *
	 * @param channels the input channels; not modified
	 * @param spacing the input voxel spacing (x, y, z), or {@code null} to skip the spacing check
	 * @param metadata the model description (channels, preprocessing, training spacing)
	 * @param predictor the network; not closed here
	 * @param options tiling options and requested outputs
	 * @param listener progress; may be {@code null}
	 * @param warnings receives warnings; may be {@code null}
	 * @return the requested maps
	 * @throws IllegalArgumentException if the channel count differs from the model's
	 */
	public static InferenceResult segment(final List< ? extends RandomAccessibleInterval< ? extends RealType< ? > > > channels, final double[] spacing,
			final ModelMetadata metadata, final WindowPredictor predictor, final TilingOptions options, final ProgressListener listener,
			final Consumer< String > warnings) {
		final int expected = metadata.architecture().inputChannels();
		if (channels == null || channels.size() != expected)
			throw new IllegalArgumentException("Segment Lesions: the model expects " + expected + " input channel(s), but "
					+ (channels == null ? 0 : channels.size()) + " were given. Give the channels the model was trained with, in the same order.");
		final ProgressListener progress = ProgressListener.orNone(listener);
		final double[] target = metadata.targetSpacing();
		final double[] input = spacing == null || target == null ? spacing : spacing3(spacing, target, channels.get(0).numDimensions());
		final boolean resample = VolumeResampling.differ(input, target);
		if (!resample && target == null) {
			final double[] modelSpacing = metadata.voxelSpacing() == null ? null : metadata.voxelSpacing().stream().mapToDouble(Double::doubleValue).toArray();
			final String w = spacingWarning(modelSpacing, spacing);
			if (w != null && warnings != null) warnings.accept(w);
		}
		final List< RandomAccessibleInterval< FloatType > > prepared = new ArrayList<>();
		final ChannelPreprocessor pre = preprocessor(metadata.preprocessing());
		for (int c = 0; c < channels.size(); c++) {
			RandomAccessibleInterval< ? extends RealType< ? > > ch = channels.get(c);
			if (resample) {
				progress.status(String.format(Locale.ROOT, "Resampling channel %d of %d from spacing %s to the model's %s", c + 1, channels.size(),
						Arrays.toString(input), Arrays.toString(target)));
				ch = VolumeResampling.linear(ch, input, target);
			}
			progress.status("Preprocessing channel " + (c + 1) + " of " + channels.size() + " (" + Preprocessing.fromStored(metadata.preprocessing()) + ")");
			prepared.add(pre.apply(ch));
		}
		if (!resample) return TiledPredictor.predict(prepared, predictor, options, listener);
		final Set< InferenceOutput > wanted = options.outputs();
		final Set< InferenceOutput > onModelGrid = EnumSet.of(InferenceOutput.PROBABILITIES);
		if (wanted.contains(InferenceOutput.LOGITS)) onModelGrid.add(InferenceOutput.LOGITS);
		final InferenceResult r = TiledPredictor.predict(prepared, predictor, options.copy().outputs(onModelGrid), listener);
		final long[] size = Intervals.dimensionsAsLongArray(channels.get(0));
		final long[] size3 = size.length == 3 ? size : new long[] { size[0], size[1], 1 };
		progress.status("Resampling the prediction back to spacing " + Arrays.toString(input));
		final Img< FloatType > prob = VolumeResampling.linear(r.probabilities(), target, input, size3);
		final Img< FloatType > logit = r.logits() == null ? null : VolumeResampling.linear(r.logits(), target, input, size3);
		return TiledPredictor.result(prob, logit, wanted, r.numWindows(), r.batchSizes(), progress, TiledPredictor.ARRAY_LIMIT);
	}

	/** The input spacing as (x, y, z); a 2D input takes the model's z so that only x and y count. */
	private static double[] spacing3(final double[] spacing, final double[] target, final int numDimensions) {
		if (numDimensions == 2 || spacing.length < 3) return new double[] { spacing[0], spacing[1], target[2] };
		return Arrays.copyOf(spacing, 3);
	}

	/**
	 * The warning for a spacing mismatch, or {@code null} when either spacing is unknown or they agree within
	 * {@link #SPACING_TOLERANCE}.
	 */
	public static String spacingWarning(final double[] modelSpacing, final double[] inputSpacing) {
		if (modelSpacing == null || inputSpacing == null) return null;
		for (int a = 0; a < Math.min(3, Math.min(modelSpacing.length, inputSpacing.length)); a++) {
			final double m = modelSpacing[a], i = inputSpacing[a];
			if (Math.abs(m - i) > SPACING_TOLERANCE * Math.max(Math.abs(m), Math.abs(i)))
				return String.format(Locale.ROOT,
						"Segment Lesions: the input voxel spacing %s differs from the model's training spacing %s; "
								+ "lesions of a given physical size look %s to the network. Resample the input to the " + "training spacing for best results.",
						Arrays.toString(inputSpacing), Arrays.toString(modelSpacing), i > m ? "smaller" : "larger");
		}
		return null;
	}

	/**
	 * The preprocessor described by the model metadata's {@code preprocessing} entry, applied to every channel:
	 * {@link Preprocessing#fromStored} of the stored map (an empty map means none). {@code none} converts lazily
	 * (no copy); the others compute whole-volume statistics and return a float copy.
	 *
	 * @param stored the metadata's preprocessing map ({@link Preprocessing#toMap()}), or a String such as
	 *          {@code zscore}; {@code null} or empty means none
	 * @throws IllegalArgumentException for an unknown preprocessing
	 */
	public static ChannelPreprocessor preprocessor(final Object stored) {
		final Preprocessing pre = Preprocessing.fromStored(stored);
		if (pre.kind() == Preprocessing.Kind.NONE) return ChannelPreprocessor.NONE;
		return channel -> ArrayImgs.floats(pre.apply(channel), Intervals.dimensionsAsLongArray(channel));
	}
}
