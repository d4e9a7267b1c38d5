package org.lesionweighting.fiji.demo;

import java.io.File;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.lesionweighting.fiji.CancelRequests;
import org.lesionweighting.fiji.CommandException;
import org.lesionweighting.fiji.LesionResults;
import org.lesionweighting.fiji.StatusProgress;
import org.lesionweighting.fiji.demo.DemoResults.LossOutcome;
import org.lesionweighting.engine.Engine;
import org.lesionweighting.engine.FijiPlatform;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.ui.UIService;

import ij.ImagePlus;
import ij.measure.ResultsTable;

/**
 * <b>Plugins &gt; Lesion Weighting &gt; Lesion Weighting Demo</b>: the whole pipeline on generated phantoms
 * (or a dataset folder): train with and without inverse weighting, segment, evaluate lesion-wise, report.
 * <p>
 * Headless: {@code --run "Lesion Weighting Demo" "output='demo-output'"}; macro:
 * {@code run("Lesion Weighting Demo", "output=[/tmp/demo] quick");}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Lesion Weighting>Lesion Weighting Demo", label = "Lesion Weighting Demo",
		description = "Train with and without inverse lesion-volume weighting on phantoms (or a dataset), "
				+ "segment, evaluate lesion-wise and write report.html")
public class LesionWeightingDemoCommand extends ContextCommand {

	/** Menu leaf title. */
	public static final String TITLE = "Lesion Weighting Demo";

	@Parameter
	private LogService log;

	@Parameter
	private StatusService statusService;

	@Parameter(required = false)
	private UIService uiService;

	@Parameter(label = "Output folder", description = "Folder for report.html, figures, results.csv, summary.json, records, models and the "
			+ "generated dataset (created if missing).", style = "directory", persist = false)
	private File output = new File(DemoOptions.OUTPUT_DEFAULT);

	@Parameter(label = "Quick run (about a minute)", description = "Smaller phantoms, fewer iterations: for a first look and for tests. The default run takes "
			+ "up to 10 minutes on a 2-core CPU.", required = false, persist = false)
	private boolean quick = false;

	@Parameter(label = "Losses", description = "Comma-separated: dice, asl, focal, bce, wce, gdl, each optionally with +iw "
			+ "(inverse-volume weighting) or +legacy, e.g. dice,dice+iw,focal,focal+iw.", required = false, persist = false)
	private String losses = DemoOptions.LOSSES_DEFAULT;

	@Parameter(label = "Dataset folder (optional)", description = "A dataset folder (nnU-Net raw or images/labels) to use instead of phantoms; its test "
			+ "split, or its last 30 % of cases, is the test set.", style = "directory", required = false, persist = false)
	private File dataset;

	@Parameter(label = "Iterations per loss (0 = automatic)",
			description = "Training iterations of each loss; 0 uses 300 (40 with quick) for phantoms, and the time "
					+ "budget for a dataset (40 iterations with quick).",
			min = "0", max = "1000000", required = false, persist = false)
	private int iterations = 0;

	@Parameter(label = "Time budget per loss (minutes, dataset)",
			description = "With a dataset folder: training minutes per loss; 0 shares 24 minutes among the losses, "
					+ "which keeps the whole run under 30 minutes on a 2-core CPU. Phantoms train a fixed number "
					+ "of iterations.",
			min = "0", max = "527040", required = false, persist = false)
	private double time_budget = 0;

	@Parameter(label = "Small lesion diameter (voxels)", description = "Lesions whose equivalent-sphere diameter is below this are 'small' in the report.",
			min = "0.1", max = "1000", required = false, persist = false)
	private double small_diameter = DemoOptions.SMALL_DIAMETER_DEFAULT;

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" }, description = "TensorFlow device.", required = false, persist = false)
	private String device = "auto";

	@Parameter(label = "Engine", description = "Where TensorFlow runs: auto (a separate worker JVM when Fiji has no TensorFlow Java 1.1.0 "
			+ "or has a foreign TensorFlow, else in-process), in_process or worker.", choices = { "auto", "in_process", "worker" }, required = false,
			persist = false)
	private String engine = Engine.ENGINE_DEFAULT.key();

	@Parameter(label = "Seed", required = false, persist = false, min = "0", max = "9223372036854775807")
	private long seed = DemoOptions.SEED_DEFAULT;

	@Parameter(label = "Skip bad cases", description = "With a dataset folder: leave out the cases its check rejects (wrong shape, unreadable, no "
			+ "label) and list them in the report. Without it a rejected case stops the demo.", required = false, persist = false)
	private boolean skip_bad_cases;

	@Parameter(type = ItemIO.OUTPUT, label = "Report", description = "Path of report.html.")
	private String report;

	@Parameter(type = ItemIO.OUTPUT, label = "Results", description = "One row per loss: average recall, object Dice, small-lesion average recall.")
	private ResultsTable results;

	@Override
	public void run() {
		try {
			FijiPlatform.requireNative();
			final DemoOptions o = new DemoOptions().output(output.toPath()).quick(quick).losses(losses)
					.dataset(dataset == null || dataset.getPath().isEmpty() ? null : dataset.toPath()).iterations(iterations).timeBudget(time_budget)
					.smallDiameter(small_diameter).device(device).engine(engine).seed(seed).skipBadCases(skip_bad_cases).cancelWhen(CancelRequests.of(this));
			final DemoResults r = DemoRunner.run(o, StatusProgress.of(statusService));
			report = o.output().toAbsolutePath().resolve(ReportWriter.REPORT_HTML).toString();
			results = table(r);
			log.info(TITLE + ": report written to " + report);
			final String stopped = r.parameters().get(DemoRunner.STATUS);
			if (stopped != null) {
				cancel(stopped + ": " + report);
				return;
			}
			if (uiService != null && !uiService.isHeadless()) {
				for (final Map.Entry< String, ImagePlus > e : ReportWriter.figures(r).entrySet())
					e.getValue().show();
				results.show(TITLE + " results");
			}
		}
		catch (final CancellationException e) {
			cancel(e.getMessage());
		}
		catch (final IOException e) {
			throw new CommandException(TITLE + ": " + e.getMessage(), e);
		}
	}

	/** The report's table as a ResultsTable (one row per loss). */
	static ResultsTable table(final DemoResults r) {
		final ResultsTable t = new ResultsTable();
		for (final LossOutcome o : r.outcomes()) {
			t.incrementCounter();
			t.addLabel(o.name());
			LesionResults.addValues(t, "avg_recall", o.overall().avgRecall(), "avg_recall_bootstrap_mean", o.overall().bootstrapMean(),
					"avg_recall_bootstrap_std", o.overall().bootstrapStd(), "object_dice", o.overall().objectDice(), "object_dice_std",
					o.overall().objectDiceStd(), "small_avg_recall", o.small() == null ? Double.NaN : o.small().avgRecall(), "small_bootstrap_mean",
					o.small() == null ? Double.NaN : o.small().bootstrapMean(), "small_bootstrap_std",
					o.small() == null ? Double.NaN : o.small().bootstrapStd(),
					"lesions", o.overall().nLesions(), "training_seconds", o.trainingSeconds(), "voxel_dice", o.pooled().voxelDice(), "lesion_f1",
					o.pooled().f1(), "volume_ratio", o.pooled().volumeRatio());
		}
		return t;
	}
}
