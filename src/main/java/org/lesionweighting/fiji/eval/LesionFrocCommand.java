package org.lesionweighting.fiji.eval;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.lesionweighting.fiji.CommandException;
import org.lesionweighting.fiji.CommandInputs;
import org.lesionweighting.fiji.DistinctPaths;
import org.lesionweighting.fiji.OutputFiles;
import org.lesionweighting.fiji.StatusProgress;
import org.lesionweighting.metrics.Froc;
import org.lesionweighting.metrics.FrocFiles;
import org.lesionweighting.metrics.FrocOptions;
import org.lesionweighting.metrics.FrocSummary;
import org.lesionweighting.metrics.LesionRecord;
import org.lesionweighting.metrics.RecordsCsv;
import org.lesionweighting.metrics.SegmentationQuality;
import org.lesionweighting.util.ProgressListener;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.measure.ResultsTable;

/**
 * <b>Plugins &gt; Lesion Weighting &gt; Lesion FROC</b>: pools lesion records of many images (a records
 * CSV or a folder of them) and computes the FROC, average recall over 0–5 false positives per image,
 * object Dice and the bootstrap of doc/method.md §5.2–5.3; saves the summary JSON, the curve CSV and a PNG
 * plot; shows the plot and the curve table.
 * <p>
 * Macro: {@code run("Lesion FROC", "records=[/out/records] summary=[/out/summary.json] small_diameter=8 paper_divisor");}
 */
@Plugin(type = Command.class, menuPath = "Plugins>Lesion Weighting>Lesion FROC", label = "Lesion FROC",
		description = "FROC, average recall, object Dice and bootstrap from pooled lesion records")
public class LesionFrocCommand extends ContextCommand {

	/** Menu leaf title. */
	public static final String TITLE = "Lesion FROC";

	@Parameter
	private StatusService statusService;

	@Parameter(label = "Records (CSV file or folder)", description = "A lesion records CSV, or a folder whose .csv files are all records (pooled).",
			persist = false, style = "open")
	private File records;

	@Parameter(label = "Summary JSON", description = "Save the summary here (.json; optional).", required = false, persist = false, style = "save")
	private File summary;

	@Parameter(label = "Curve CSV", description = "Save the FROC (one row per threshold) here (.csv; optional).", required = false, persist = false,
			style = "save")
	private File curve;

	@Parameter(label = "Plot PNG", description = "Save the FROC plot here (.png; optional).", required = false, persist = false, style = "save")
	private File plot;

	@Parameter(label = "Quality CSV", description = "Save the per-image segmentation quality here (.csv; optional): one-to-one lesion F1, "
			+ "predicted ÷ true volume, merging components, and whether the image is flagged as "
			+ "degenerate.", required = false, persist = false, style = "save")
	private File quality;

	@Parameter(label = "Small-lesion diameter (voxels)",
			description = "Also summarise lesions with equivalent-sphere diameter below this many voxels (paper: 8 "
					+ "LUNA16, 5 metastases, 12 LiTS); 0 = none.",
			min = "0", max = "1000", required = false, persist = false)
	private double small_diameter = 0;

	@Parameter(label = "Bootstrap iterations", description = "Subsamples of 80% of the images (paper: 50).", min = "0", max = "100000", required = false,
			persist = false)
	private int bootstrap = FrocOptions.BOOTSTRAP_DEFAULT;

	@Parameter(label = "Seed", description = "Seed of the bootstrap (numpy RandomState; paper: 42).", min = "0", max = "4294967295", required = false,
			persist = false)
	private long seed = FrocOptions.SEED_DEFAULT;

	@Parameter(label = "Paper's divisor", description = "Divide bootstrap false positives by the full set's image count, as the paper did "
			+ "(default: by the subsample's).", required = false, persist = false)
	private boolean paper_divisor = FrocOptions.PAPER_DIVISOR_DEFAULT;

	@Parameter(type = ItemIO.OUTPUT, label = "FROC")
	private ResultsTable froc_table;

	@Parameter(type = ItemIO.OUTPUT, label = "FROC plot")
	private ImagePlus plot_image;

	@Parameter(type = ItemIO.OUTPUT, label = "Average recall")
	private double avg_recall;

	@Parameter(type = ItemIO.OUTPUT, label = "Bootstrap mean of average recall")
	private double bootstrap_mean;

	@Parameter(type = ItemIO.OUTPUT, label = "Object Dice")
	private double object_dice;

	@Parameter(type = ItemIO.OUTPUT, label = "One-to-one lesion F1")
	private double lesion_f1;

	@Parameter(type = ItemIO.OUTPUT, label = "Warnings")
	private String warnings;

	@Override
	public void run() {
		try {
			final ProgressListener progress = StatusProgress.of(statusService);
			DistinctPaths.of(TITLE).input("records", records).output("summary", summary).output("curve", curve).output("plot", plot).output("quality", quality)
					.check();
			final Path summaryPath = EvaluateLesionDetectionCommand.output(summary, ".json", "summary");
			final Path curvePath = EvaluateLesionDetectionCommand.output(curve, ".csv", "curve");
			final Path plotPath = EvaluateLesionDetectionCommand.output(plot, ".png", "plot");
			final Path qualityPath = EvaluateLesionDetectionCommand.output(quality, ".csv", "quality");
			final FrocOptions options = new FrocOptions(small_diameter > 0 ? small_diameter : Double.NaN, bootstrap, seed, FrocOptions.SAMPLE_FRACTION_DEFAULT,
					paper_divisor, FrocOptions.MAX_FP_DEFAULT);
			if (CommandInputs.isEmpty(records)) throw new IllegalArgumentException(TITLE + ": 'records' is required: a records CSV or a folder of them.");
			progress.status(TITLE + ": reading " + records);
			final List< LesionRecord > rows = RecordsCsv.read(records.toPath());
			if (rows.stream().noneMatch(LesionRecord::isLesion))
				throw new IllegalArgumentException(TITLE + ": " + records + " holds " + rows.size()
						+ " records and no ground-truth lesion, so recall is undefined. Give the records that "
						+ "Evaluate Lesion Detection wrote for images with lesions.");
			progress.status(TITLE + ": FROC of " + Froc.numImages(rows) + " images");
			final FrocSummary s = Froc.summarize(rows, options);
			froc_table = EvalTables.curve(s.froc());
			plot_image = EvalTables.plot(s, "FROC " + records.getName()).getImagePlus();
			avg_recall = s.avgRecall();
			bootstrap_mean = s.bootstrap().mean();
			object_dice = s.objectDice();
			final List< SegmentationQuality > perImage = SegmentationQuality.ofRecords(rows);
			final SegmentationQuality pooled = SegmentationQuality.pooled("all images", perImage);
			lesion_f1 = pooled.f1();
			final List< String > flagged = SegmentationQuality.warnings(perImage);
			warnings = String.join("\n", flagged);
			final ImagePlus png = plot_image;
			new OutputFiles().file(summaryPath, tmp -> Files.writeString(tmp, FrocFiles.summaryJson(s, perImage)))
					.file(qualityPath, tmp -> Files.writeString(tmp, SegmentationQuality.csv(perImage)))
					.file(curvePath, tmp -> Files.writeString(tmp, FrocFiles.curveCsv(s.froc()))).file(plotPath, tmp -> {
						if (!ImageIO.write(png.getBufferedImage(), "png", tmp.toFile()))
							throw new IOException("Cannot write " + tmp + ": no PNG writer available.");
					}).commit();
			progress.progress(1);
			progress.status(String.format(Locale.ROOT,
					"%s: avg recall %.3f (bootstrap %.3f ± %.3f), object Dice %.3f; one-to-one lesion F1 %.3f, predicted/true volume %.2f", TITLE, avg_recall,
					bootstrap_mean, s.bootstrap().std(), object_dice, lesion_f1, pooled.volumeRatio()));
			for (final String w : flagged)
				progress.status(TITLE + ": WARNING " + w);
		}
		catch (final IOException ex) {
			throw new CommandException(ex.getMessage(), ex);
		}
	}
}
