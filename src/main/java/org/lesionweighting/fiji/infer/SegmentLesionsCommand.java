package org.lesionweighting.fiji.infer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import org.lesionweighting.fiji.CancelRequests;
import org.lesionweighting.fiji.CommandException;
import org.lesionweighting.fiji.CommandInputs;
import org.lesionweighting.fiji.DistinctPaths;
import org.lesionweighting.fiji.ImagePlusBridge;
import org.lesionweighting.fiji.OutputFiles;
import org.lesionweighting.fiji.StatusProgress;
import org.lesionweighting.engine.Engine;
import org.lesionweighting.engine.Engines;
import org.lesionweighting.engine.VerifyPackageJob;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.tf.infer.InferenceOutput;
import org.lesionweighting.tf.infer.InferenceResult;
import org.lesionweighting.tf.infer.ModelInference;
import org.lesionweighting.tf.infer.TilingOptions;
import org.lesionweighting.tf.model.ModelInfo;
import org.lesionweighting.tf.pkg.ModelPackage;
import org.lesionweighting.util.Json;
import org.lesionweighting.util.ProgressListener;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

/**
 * <b>Plugins &gt; Lesion Weighting &gt; Segment Lesions</b>: tiled inference of a trained model over a whole
 * volume (doc/method.md §3.5), producing any of probabilities, logits, mask and labels.
 * <p>
 * Macro: {@code run("Segment Lesions", "model=/models/m1 image=ct.tif outputs=probabilities,mask");} Headless:
 * {@code --run "Segment Lesions" "model='/models/m1',input='ct.nii.gz',mask_path='mask.tif',logits_path='logits.tif'"}.
 * A model of several channels takes a hyperstack with that many channels, an nnU-Net file {@code <case>_0000.<ext>}
 * (its siblings {@code <case>_0001.<ext>}, ... are the next channels) or {@code channel_files} (see
 * {@link SegmentationInputs}). Thin: the work is {@link Engines#segment} (in this JVM {@link ModelInference#segment}).
 */
@Plugin(type = Command.class, menuPath = "Plugins>Lesion Weighting>Segment Lesions", label = "Segment Lesions",
		description = "Segment lesions in a 3D volume with a trained model (sliding window, 160^3 patches, "
				+ "stride 144)")
public class SegmentLesionsCommand extends ContextCommand {

	/** Menu leaf title, used in macros and on the command line. */
	public static final String TITLE = "Segment Lesions";

	/** The maps shown in the GUI when none is asked for. */
	public static final String OUTPUTS_DEFAULT = "probabilities,mask";

	@Parameter
	private LogService log;

	@Parameter
	private StatusService statusService;

	@Parameter(label = "Model folder", description = "Folder of a trained model (saved_model.pb and model.json), or a bioimage.io model package "
			+ "written by Export Model Package (.zip or its unpacked folder).", style = "directory", persist = false)
	private File model;

	@Parameter(label = "Image", description = "Open image to segment; for a model of several channels, a hyperstack with one channel per "
			+ "model channel. Not used when 'input' or 'channel_files' is given (a file wins).", required = false, persist = false)
	private ImagePlus image;

	@Parameter(label = "Input file", description = "Volume file to segment (headless use instead of 'image'). For a model of several "
			+ "channels, a file named <case>_0000.<ext> brings its nnU-Net siblings <case>_0001.<ext>, "
			+ "... along.", required = false, persist = false, style = "open")
	private File input;

	@Parameter(label = "Channel files", description = "Instead of 'image' or 'input': one file per model channel, in the training order, "
			+ "separated by ';' (e.g. flair.nii.gz;t2.nii.gz).", required = false, persist = false)
	private String channel_files;

	@Parameter(label = "Outputs", description = "Maps to produce, comma-separated: probabilities, logits, mask, labels. Maps with a *_path "
			+ "are always produced.", required = false, persist = false)
	private String outputs = OUTPUTS_DEFAULT;

	@Parameter(label = "Patch size", description = "Window side in voxels: one value or x,y,z (the paper: 160). Smaller patches need less "
			+ "memory.", required = false, persist = false)
	private String patch_size = Integer.toString(TilingOptions.PATCH_SIZE_DEFAULT);

	@Parameter(label = "Stride", description = "Distance between windows: one value or x,y,z, at most the patch size (the paper: 144).", required = false,
			persist = false)
	private String stride = Integer.toString(TilingOptions.STRIDE_DEFAULT);

	@Parameter(label = "Blending", description = "average (the paper) or gaussian (nnU-Net style, centre-weighted).", choices = { "average", "gaussian" },
			required = false, persist = false)
	private String blending = TilingOptions.BLENDING_DEFAULT.key();

	@Parameter(label = "Device", description = "auto, cpu or gpu.", choices = { "auto", "cpu", "gpu" }, required = false, persist = false)
	private String device = Device.DEVICE_DEFAULT.key();

	@Parameter(label = "Batch size", description = "Windows per network call; halved automatically when memory runs out.", min = "1", max = "1024",
			required = false, persist = false)
	private int batch_size = TilingOptions.BATCH_SIZE_DEFAULT;

	@Parameter(label = "Probabilities file", description = "Save the probability map here (optional).", required = false, persist = false, style = "save")
	private File probabilities_path;

	@Parameter(label = "Logits file", description = "Save the averaged logits here (optional).", required = false, persist = false, style = "save")
	private File logits_path;

	@Parameter(label = "Mask file", description = "Save the mask (probability > 0.5) here (optional).", required = false, persist = false, style = "save")
	private File mask_path;

	@Parameter(label = "Labels file", description = "Save the lesion labels (26-connectivity) here (optional).", required = false, persist = false,
			style = "save")
	private File labels_path;

	@Parameter(label = "Engine", description = "Where TensorFlow runs: auto (a separate worker JVM when Fiji has no TensorFlow Java 1.1.0 "
			+ "or has a foreign TensorFlow, else in-process), in_process or worker.", choices = { "auto", "in_process", "worker" }, required = false,
			persist = false)
	private String engine = Engine.ENGINE_DEFAULT.key();

	@Parameter(label = "Verify package", description = "For a model package: first segment its test input and compare with its test output (at "
			+ "most 1e-4 apart), and stop if they differ.", required = false, persist = false)
	private boolean verify;

	@Parameter(type = ItemIO.OUTPUT, label = "Probabilities")
	private ImagePlus probabilities;

	@Parameter(type = ItemIO.OUTPUT, label = "Logits")
	private ImagePlus logits;

	@Parameter(type = ItemIO.OUTPUT, label = "Mask")
	private ImagePlus mask;

	@Parameter(type = ItemIO.OUTPUT, label = "Labels")
	private ImagePlus labels;

	@Parameter(type = ItemIO.OUTPUT, label = "Number of lesions",
			description = "26-connected components of the mask; counted when the labels are produced (outputs=labels "
					+ "or labels_path), else -1.")
	private int count = -1;

	@Override
	public void run() {
		ModelPackage pkg = null;
		try {
			final Set< InferenceOutput > wanted = InferenceOutput.parseSet(outputs);
			final Path probPath = CommandInputs.volumeOutput(probabilities_path), logitPath = CommandInputs.volumeOutput(logits_path),
					maskPath = CommandInputs.volumeOutput(mask_path), labelPath = CommandInputs.volumeOutput(labels_path);
			if (probPath != null) wanted.add(InferenceOutput.PROBABILITIES);
			if (logitPath != null) wanted.add(InferenceOutput.LOGITS);
			if (maskPath != null) wanted.add(InferenceOutput.MASK);
			if (labelPath != null) wanted.add(InferenceOutput.LABELS);
			if (wanted.isEmpty()) wanted.addAll(InferenceOutput.parseSet(OUTPUTS_DEFAULT));
			final TilingOptions options = TilingOptions
					.parse(Json.object("patch_size", patch_size, "stride", stride, "blending", blending, "batch_size", batch_size))
					.outputs(EnumSet.copyOf(wanted));
			final Device dev = Device.fromString(device);
			if (model == null) throw new IllegalArgumentException(TITLE + ": no model; give 'model', the folder of a trained model.");
			pkg = ModelPackage.open(model.toPath());
			final Path modelDir = pkg.modelFolder();
			if (verify) verifyPackage(pkg);
			final SegmentationInputs.Channels ch = SegmentationInputs.resolve(TITLE, ModelInfo.inputChannels(modelDir), image, input, channel_files);
			final DistinctPaths paths = DistinctPaths.of(TITLE).input("input", input);
			if (ch.files() != null) for (final Path f : ch.files())
				paths.input(CommandInputs.isEmpty(input) ? "channel_files" : "input", f);
			paths.output("probabilities_path", probabilities_path).output("logits_path", logits_path).output("mask_path", mask_path)
					.output("labels_path", labels_path).check();
			final ImagePlus in = ch.first();
			final BooleanSupplier cancel = CancelRequests.of(this);
			final ProgressListener progress = ProgressListener.cancellable(StatusProgress.of(statusService), cancel, TITLE); // stops between window batches
			if (ch.note() != null) log.info(ch.note());
			log.info(TITLE + ": " + in.getTitle() + (ch.volumes().size() > 1 ? " (" + ch.volumes().size() + " channels)" : "") + " with " + model
					+ " on device " + dev.key() + " (" + options + ")");
			final InferenceResult r = Engines.segment(Engine.fromString(engine), modelDir, ch.volumes(), ch.voxelSize(), ch.files(), options, dev, progress,
					log::warn, cancel);
			final String base = ch.baseName();
			probabilities = image(r.probabilities(), base + "-probabilities", in);
			logits = image(r.logits(), base + "-logits", in);
			mask = image(r.mask(), base + "-mask", in);
			labels = image(r.labels(), base + "-labels", in);
			count = r.numLesions();
			new OutputFiles().volume(probabilities, probPath).volume(logits, logitPath).volume(mask, maskPath).volume(labels, labelPath).commit();
			progress.status(TITLE + ": done" + (count >= 0 ? ", " + count + " lesion(s)" : ""));
		}
		catch (final IOException e) {
			throw new CommandException(e.getMessage(), e);
		}
		catch (final CancellationException e) {
			cancel(TITLE + " was cancelled.");
		}
		finally {
			closeQuietly(pkg);
		}
	}

	/** Runs the {@code verify_package} job and stops with its numbers when the package fails its own test. */
	private void verifyPackage(final ModelPackage pkg) throws IOException {
		if (!pkg.isPackage())
			throw new IllegalArgumentException(TITLE + ": verify=true checks a model package against its test tensors, but " + model
					+ " is a model folder; give the package .zip or leave verify off.");
		final Map< String, Object > v = Engines.run(Engine.fromString(engine), new VerifyPackageJob(model.toPath().toAbsolutePath(), Device.fromString(device)),
				StatusProgress.of(statusService), log::info, CancelRequests.of(this), null);
		if (!Boolean.TRUE.equals(v.get("passed")))
			throw new CommandException(TITLE + ": the package " + model + " fails its own test: its test input gives probabilities up to "
					+ v.get("max_abs_difference") + " away from its test output (tolerance " + v.get("tolerance")
					+ "). The package is damaged or was made for other software versions; export it again.");
		log.info(TITLE + ": package verified: test output reproduced within " + v.get("max_abs_difference") + " (tolerance " + v.get("tolerance") + ")");
	}

	private void closeQuietly(final ModelPackage pkg) {
		if (pkg == null) return;
		try {
			pkg.close();
		}
		catch (final IOException e) {
			log.warn(TITLE + ": could not delete the unpacked package " + pkg.modelFolder() + ": " + e.getMessage());
		}
	}

	private static < T extends RealType< T > > ImagePlus image(final RandomAccessibleInterval< T > rai, final String title, final ImagePlus like) {
		return rai == null ? null : ImagePlusBridge.toImagePlus(rai, title, like);
	}
}
