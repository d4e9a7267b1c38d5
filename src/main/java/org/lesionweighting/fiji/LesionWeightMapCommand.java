package org.lesionweighting.fiji;

import java.io.File;
import java.nio.file.Path;

import org.lesionweighting.label.Connectivity;
import org.lesionweighting.label.LesionLabeling;
import org.lesionweighting.util.ProgressListener;
import org.lesionweighting.weights.WeightMaps;
import org.lesionweighting.weights.WeightScheme;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Cast;
import net.imglib2.util.Intervals;

/**
 * <b>Plugins &gt; Lesion Weighting &gt; Lesion Weight Map</b>: the 32-bit weight map of a lesion mask or
 * label image (doc/method.md §1.2 W1 {@code inverse_volume}, §1.4 W0 {@code legacy}, or {@code uniform}).
 * <p>
 * Macro: {@code run("Lesion Weight Map", "image=mask.tif scheme=inverse_volume");} Headless:
 * {@code --run "Lesion Weight Map" "input='mask.tif',output='weights.tif'"}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Lesion Weighting>Lesion Weight Map", label = "Lesion Weight Map",
		description = "Inverse lesion-volume weight map (32-bit) of a mask or label image, as in Shirokikh et "
				+ "al. 2020")
public class LesionWeightMapCommand extends ContextCommand {

	/** Menu leaf title, used in macros and on the command line. */
	public static final String TITLE = "Lesion Weight Map";

	@Parameter
	private StatusService statusService;

	@Parameter(label = "Mask or label image", description = "Open image: a lesion mask (non-zero = lesion) or, with already_labeled, a label image. "
			+ "Not used when 'input' is given (the file wins).", required = false, persist = false)
	private ImagePlus image;

	@Parameter(label = "Input file", description = "Mask or label image file (headless use instead of 'image').", required = false, persist = false,
			style = "open")
	private File input;

	@Parameter(label = "Input is already labeled", description = "Use the input's values as lesion labels (0 = background) instead of labeling the mask.",
			required = false, persist = false)
	private boolean already_labeled = false;

	@Parameter(label = "Connectivity", description = "Neighbours that connect lesion voxels when labeling a mask: 6, 18 or 26 (the paper).",
			choices = { "6", "18", "26" }, required = false, persist = false)
	private String connectivity = LesionLabeling.CONNECTIVITY_DEFAULT.key();

	@Parameter(label = "Scheme", description = "inverse_volume: W1 = clip(N / ((K+1) |c|), w_min, w_max) (doc/method.md §1.2); legacy: W0 "
			+ "of the review-time code (doc/method.md §1.4); uniform: all 1.", choices = { "inverse_volume", "legacy", "uniform" }, required = false,
			persist = false)
	private String scheme = WeightMaps.SCHEME_DEFAULT.key();

	@Parameter(label = "Minimum weight", description = "Lower clip of inverse_volume weights.", min = "0", max = "1000000000", required = false,
			persist = false)
	private double w_min = WeightMaps.W_MIN_DEFAULT;

	@Parameter(label = "Maximum weight", description = "Upper clip of inverse_volume weights.", min = "0", max = "1000000000", required = false,
			persist = false)
	private double w_max = WeightMaps.W_MAX_DEFAULT;

	@Parameter(label = "Patch size", description = "Apply the formula to each tile of this many voxels per axis, as to a training patch (the "
			+ "paper: 128); 0 = the whole image as one patch.", min = "0", max = "4096", required = false, persist = false)
	private int patch_size = 0;

	@Parameter(label = "Output weight map file", description = "Save the 32-bit weight map here (.tif; optional).", required = false, persist = false,
			style = "save")
	private File output;

	@Parameter(label = "Label image file", description = "Also save the lesion label image here (optional). Labeling a mask, one labeling writes "
			+ "both images in one pass over the lesion voxels; the labels are those of Label Lesions 3D.", required = false, persist = false, style = "save")
	private File labels_file;

	@Parameter(type = ItemIO.OUTPUT, label = "Weights", description = "32-bit weight map '<title>-weights'.")
	private ImagePlus weights;

	@Parameter(type = ItemIO.OUTPUT, label = "Labels", description = "32-bit label image '<title>-labels', when labels_file is given.")
	private ImagePlus lesion_labels;

	@Override
	public void run() {
		try {
			final ProgressListener progress = StatusProgress.of(statusService);
			final WeightScheme ws = WeightScheme.fromString(scheme);
			final Connectivity conn = Connectivity.fromString(connectivity);
			DistinctPaths.of(TITLE).input("input", input).output("output", output).output("labels_file", labels_file).check();
			final Path outPath = CommandInputs.volumeOutput(output);
			final Path labelsPath = CommandInputs.volumeOutput(labels_file);
			final ImagePlus in = CommandInputs.imageOrFile(TITLE, "image", image, "input", input);
			final RandomAccessibleInterval< ? extends RealType< ? > > volume = ImagePlusBridge.wrapFinite(TITLE, "image", in);
			progress.status(TITLE + ": " + ws.key() + " weights of " + in.getTitle());
			final Img< FloatType > w = ArrayImgs.floats(Intervals.dimensionsAsLongArray(volume));
			Img< IntType > labels = null;
			if (patch_size == 0 && !already_labeled) {
				if (labelsPath == null) WeightMaps.fromMask(Cast.unchecked(volume), w, ws, conn, w_min, w_max);
				else
					WeightMaps.fromMaskWithLabels(Cast.unchecked(volume), labels = ArrayImgs.ints(Intervals.dimensionsAsLongArray(volume)), w, ws, conn, w_min,
							w_max);
			}
			else {
				labels = already_labeled ? LabelImages.copyLabels(TITLE, volume) : LabelImages.label(volume, conn);
				progress.progress(0.5);
				if (patch_size == 0) WeightMaps.compute(labels, w, ws, w_min, w_max);
				else
					WeightMaps.compute(labels, w, ws, w_min, w_max, patch_size);
			}
			final String base = CommandInputs.baseName(in.getTitle());
			weights = ImagePlusBridge.toImagePlus(w, base + "-weights", in);
			if (labelsPath != null) lesion_labels = ImagePlusBridge.toImagePlus(labels, base + "-labels", in);
			new OutputFiles().volume(weights, outPath).volume(lesion_labels, labelsPath).commit();
			progress.progress(1);
		}
		catch (final java.io.IOException e) {
			throw new CommandException(e.getMessage(), e);
		}
	}
}
