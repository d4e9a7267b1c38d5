package org.lesionweighting.fiji.train;

import java.io.File;
import java.io.IOException;
import java.util.Map;

import org.lesionweighting.fiji.CancelRequests;
import org.lesionweighting.fiji.CommandException;
import org.lesionweighting.fiji.StatusProgress;
import org.lesionweighting.engine.Engine;
import org.lesionweighting.engine.Engines;
import org.lesionweighting.engine.ExportPackageJob;
import org.lesionweighting.engine.TrainJob;
import org.lesionweighting.tf.data.TrainingDatasets;
import org.lesionweighting.tf.train.Trainer;
import org.lesionweighting.tf.train.TrainingChoices;
import org.lesionweighting.tf.train.TrainingConfig;
import org.lesionweighting.util.Json;
import org.lesionweighting.util.ProgressListener;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.log.LogService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * <b>Plugins &gt; Lesion Weighting &gt; Train Lesion Segmenter</b>: trains the 3D U-Net on a dataset folder
 * with the paper's sampling and a (weighted) loss, writes checkpoints and exports a SavedModel into the
 * model folder. A thin adapter over {@link Trainer}; see {@code doc/training.md}.
 * <p>
 * Every setting left at {@code auto} comes from the {@link org.lesionweighting.tf.train.DatasetPlan dataset plan},
 * computed from the training cases and written to {@code plan.json} in the model folder.
 * <p>
 * Macro: {@code run("Train Lesion Segmenter", "dataset=/data/Dataset001 model=/models/ms time_budget=30");}
 * Headless: {@code --run "Train Lesion Segmenter" "dataset='/data/Dataset001',model='/models/ms',preset='small'"}.
 * Cancelling stops between steps and leaves a resumable folder ({@code resume=true} continues it).
 * With {@code show_plot} (default) a {@link LossPlot} window shows the loss while training (not headless).
 * Parameters are not persisted between runs, so that a previous {@code resume=true} never leaks into a new run.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Lesion Weighting>Train Lesion Segmenter", label = "Train Lesion Segmenter",
		description = "Train a 3D lesion segmentation network (residual U-Net) with inverse lesion-volume "
				+ "weighting")
public class TrainLesionSegmenterCommand extends ContextCommand {

	/** Menu leaf title, used in macros and on the command line. */
	public static final String TITLE = "Train Lesion Segmenter";

	/** The value that leaves a setting to the dataset plan. */
	public static final String AUTO = TrainingChoices.AUTO;

	@Parameter
	private StatusService statusService;

	@Parameter(required = false)
	private LogService log;

	@Parameter(label = "Dataset folder", description = "nnU-Net raw layout (imagesTr/labelsTr) or images/labels with NIfTI or MetaImage files.",
			style = "directory", persist = false)
	private File dataset;

	@Parameter(label = "Model folder", description = "Output folder: checkpoints, history.csv, the SavedModel and model.json.", style = "directory",
			persist = false)
	private File model;

	@Parameter(persist = false, label = "Loss", choices = { "dice", "asl", "focal", "bce", "wce", "gdl" }, required = false)
	private String loss = TrainingConfig.LOSS_DEFAULT.key();

	@Parameter(persist = false, label = "Weighting", description = "inverse_volume (W1, the method), legacy (W0, the published numbers) or uniform (no "
			+ "weighting; none is accepted too).", choices = { "inverse_volume", "legacy", "uniform" }, required = false)
	private String weighting = TrainingConfig.WEIGHTING_DEFAULT.key();

	@Parameter(persist = false, label = "Network preset",
			description = "auto (the plan: small on a CPU, paper on a GPU), paper (widths 16/64/128/256) or small "
					+ "(8/16/32, for CPUs).",
			choices = { "auto", "paper", "small" }, required = false)
	private String preset = AUTO;

	@Parameter(persist = false, label = "Patch size", description = "auto (the plan: 64 on a CPU, grown for large lesions up to 96; 128 on a GPU; never larger "
			+ "than the images), one size (cube) or x,y,z; multiples of 8 (paper) or 4 (small).", required = false)
	private String patch_size = AUTO;

	@Parameter(persist = false, label = "Batch size", min = "1", max = "1024", required = false)
	private int batch_size = TrainingConfig.BATCH_SIZE_DEFAULT;

	@Parameter(persist = false, label = "Epochs", description = "auto (the plan: as many as fit into the time budget on a CPU, the paper's 100 on a GPU) "
			+ "or a number.", required = false)
	private String epochs = AUTO;

	@Parameter(persist = false, label = "Time budget (minutes)",
			description = "Train for about this long on a CPU when epochs is auto (0 = the plan's 30 minutes); with "
					+ "a number of epochs, stop the schedule at what fits into it (0 = no limit).",
			min = "0", max = "527040", required = false)
	private double time_budget = 0;

	@Parameter(persist = false, label = "Iterations per epoch",
			description = "auto (the plan: 200 on a CPU, 100 on a GPU) or a number; each epoch ends with the "
					+ "lesion-wise validation.",
			required = false)
	private String iterations_per_epoch = AUTO;

	@Parameter(persist = false, label = "Learning rate",
			description = "auto (the plan: 1e-3 with Adam, 1e-2 with SGD) or a number; multiplied by 0.1 after 80 % "
					+ "of the epochs (after epoch 80 of 100, as the paper).",
			required = false)
	private String learning_rate = AUTO;

	@Parameter(persist = false, label = "Optimizer", choices = { "auto", "sgd", "adam" },
			description = "auto (the plan: adam on a CPU budget, sgd on a GPU), sgd = Nesterov momentum 0.9 (the "
					+ "paper), or adam.",
			required = false)
	private String optimizer = AUTO;

	@Parameter(persist = false, label = "Intensity preprocessing",
			description = "auto (the plan: zscore_nonzero for MR with a zero background, zscore for other MR, "
					+ "clip_zscore at the 0.5/99.5 percentiles for CT), zscore, zscore_nonzero, window:lo,hi, "
					+ "clip_zscore:lo,hi,mean,std or none.",
			required = false)
	private String preprocessing = AUTO;

	@Parameter(persist = false, label = "Augmentation",
			description = "Mirroring, small rotations and scaling, intensity jitter (deterministic under the seed); "
					+ "off trains exactly as the paper.",
			required = false)
	private boolean augmentation = true;

	@Parameter(persist = false, label = "Cross-entropy term",
			description = "auto (the plan: 1) or a weight (0 = the paper): an unweighted binary cross-entropy added "
					+ "to the loss, which keeps false positives costly under inverse weighting (a small lesion's "
					+ "voxels weigh thousands of background voxels).",
			required = false)
	private String bce_term = AUTO;

	@Parameter(persist = false, label = "Output bias",
			description = "auto (the plan: the logit of the lesion fraction of the training patches, so that the new "
					+ "network predicts the lesion prior) or a number (0 = the paper).",
			required = false)
	private String output_bias = AUTO;

	@Parameter(persist = false, label = "Validation cases", description = "-1 (auto): hold out a fifth of three or more labelled cases, else validate on the "
			+ "training cases; N: hold out the last N; 0: no validation. Each epoch ends with a "
			+ "lesion-wise validation (voxel Dice and one-to-one lesion F1) whose best epoch is exported "
			+ "(the last one goes to last/).", min = "-1", max = "100000", required = false)
	private int validation_cases = TrainingDatasets.VALIDATION_CASES_DEFAULT;

	@Parameter(persist = false, label = "Device", choices = { "auto", "cpu", "gpu" }, required = false)
	private String device = TrainingConfig.DEVICE_DEFAULT;

	@Parameter(persist = false, label = "Seed", required = false, min = "0", max = "9223372036854775807")
	private long seed = TrainingConfig.SEED_DEFAULT;

	@Parameter(persist = false, label = "Checkpoint every (iterations)", description = "auto (once per epoch) or a number of iterations.", required = false)
	private String checkpoint_every = AUTO;

	@Parameter(persist = false, label = "Resume", description = "Continue the run stored in the model folder (its stored settings are used).", required = false)
	private boolean resume = false;

	@Parameter(persist = false, label = "Overwrite", description = "Train into a model folder that holds other files (e.g. an exported model); the run "
			+ "replaces saved_model/, history.csv and training/. Without it such a folder is refused.", required = false)
	private boolean overwrite;

	@Parameter(persist = false, label = "Skip bad cases",
			description = "Train without the cases the dataset check rejects (wrong shape, unreadable, no label), "
					+ "listing them in skipped_cases.csv of the model folder. Without it a rejected case stops " + "the run before training.",
			required = false)
	private boolean skip_bad_cases;

	@Parameter(persist = false, label = "Show live loss plot",
			description = "A plot window of the loss per iteration, its moving mean and the validation Dice, updated "
					+ "while training (never opened headless).",
			required = false)
	private boolean show_plot = true;

	@Parameter(type = ItemIO.OUTPUT, label = "Status", description = "finished, cancelled or stopped")
	private String training_status;

	@Parameter(type = ItemIO.OUTPUT, label = "Iterations done")
	private long iterations_done;

	@Parameter(type = ItemIO.OUTPUT, label = "Mean loss of the last epoch")
	private double loss_at_end;

	@Parameter(type = ItemIO.OUTPUT, label = "Skipped cases",
			description = "Rejected dataset cases left out with skip_bad_cases=true (listed in skipped_cases.csv).")
	private int skipped_cases;

	@Parameter(persist = false, label = "Engine", description = "Where TensorFlow runs: auto (a separate worker JVM when Fiji has no TensorFlow Java 1.1.0 "
			+ "or has a foreign TensorFlow, else in-process), in_process or worker.", choices = { "auto", "in_process", "worker" }, required = false)
	private String engine = Engine.ENGINE_DEFAULT.key();

	@Parameter(persist = false, label = "Export model package",
			description = "After training, write the model as a bioimage.io model package to bioimageio.zip in the "
					+ "model folder (see Export Model Package; the test input is a crop of a validation case).",
			required = false)
	private boolean export_package;

	@Override
	public void run() {
		final ProgressListener progress = StatusProgress.of(statusService);
		try {
			if (dataset == null || model == null) throw new IllegalArgumentException(TITLE + ": dataset and model folders are required.");
			final Map< String, Object > settings = Json.object("loss", loss, "weighting", weighting, "preset", preset, "output_bias", output_bias, "patch_size",
					patch_size, "batch_size", batch_size, "epochs", epochs, "time_budget", time_budget, "iterations_per_epoch", iterations_per_epoch,
					"learning_rate", learning_rate, "optimizer", optimizer, "preprocessing", preprocessing, "bce_term", bce_term, "checkpoint_every",
					checkpoint_every, "augmentation", augmentation, "device", device, "seed", seed);
			final TrainJob job = new TrainJob(dataset.toPath().toAbsolutePath(), model.toPath().toAbsolutePath(), TrainingChoices.parse(settings), resume,
					overwrite, skip_bad_cases, validation_cases, -1, 0, 0);
			final LossPlot plot = show_plot ? new LossPlot(TITLE + ": " + model.getName(), true) : null;
			final Map< String, Object > r;
			try {
				r = Engines.run(Engine.fromString(engine), job, progress, log == null ? null : log::info, CancelRequests.of(this), plot);
			}
			finally {
				if (plot != null) plot.finish();
			}
			training_status = String.valueOf(r.get("status"));
			iterations_done = ((Number) r.get("iterations")).longValue();
			loss_at_end = ((Number) r.get("loss_at_end")).doubleValue();
			skipped_cases = r.get("skipped_cases") instanceof Number n ? n.intValue() : 0;
			if (export_package && !"cancelled".equals(training_status)) {
				final Map< String, Object > p = Engines.run(Engine.fromString(engine),
						new ExportPackageJob(model.toPath().toAbsolutePath(), null, null, null, null, dataset.toPath().toAbsolutePath()), progress,
						log == null ? null : log::info, CancelRequests.of(this), null);
				if (log != null) log.info(TITLE + ": model package written to " + p.get("output"));
			}
		}
		catch (final IOException e) {
			throw new CommandException(e.getMessage(), e);
		}
	}
}
