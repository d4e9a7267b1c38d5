package org.lesionweighting.fiji.eval;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.lesionweighting.fiji.CommandException;
import org.lesionweighting.fiji.CommandInputs;
import org.lesionweighting.fiji.DistinctPaths;
import org.lesionweighting.fiji.ImagePlusBridge;
import org.lesionweighting.fiji.OutputFiles;
import org.lesionweighting.fiji.StatusProgress;
import org.lesionweighting.metrics.Froc;
import org.lesionweighting.metrics.FrocOptions;
import org.lesionweighting.metrics.FrocSummary;
import org.lesionweighting.metrics.ImageEvaluation;
import org.lesionweighting.metrics.LesionRecord;
import org.lesionweighting.metrics.LesionRecords;
import org.lesionweighting.metrics.FrocFiles;
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
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

/**
 * <b>Plugins &gt; Lesion Weighting &gt; Evaluate Lesion Detection</b>: the per-image lesion records of
 * doc/method.md §5.1 (one row per ground-truth lesion and per predicted component) and the voxel-wise Dice
 * of one image, optionally saved as a records CSV (for pooling with Lesion FROC) and a summary JSON.
 * <p>
 * Macro: {@code run("Evaluate Lesion Detection", "probabilities=prob.tif truth=mask.tif records=[/out/case1.csv]");}
 */
@Plugin(type = Command.class, menuPath = "Plugins>Lesion Weighting>Evaluate Lesion Detection", label = "Evaluate Lesion Detection",
		description = "Lesion-wise records (best-overlap matching, peak logits) and voxel Dice of one image "
				+ "against its ground truth")
public class EvaluateLesionDetectionCommand extends ContextCommand {

	/** Menu leaf title. */
	public static final String TITLE = "Evaluate Lesion Detection";

	@Parameter
	private StatusService statusService;

	@Parameter(label = "Probabilities", description = "Open image of averaged probabilities (> 0.5 = predicted lesion). Not used when "
			+ "'probabilities_file' is given (the file wins).", required = false, persist = false)
	private ImagePlus probabilities;

	@Parameter(label = "Probabilities file", description = "Probability volume file (headless use).", required = false, persist = false, style = "open")
	private File probabilities_file;

	@Parameter(label = "Logits", description = "Open image of averaged logits for the operating points (optional: without it the "
			+ "probabilities stand in).", required = false, persist = false)
	private ImagePlus logits;

	@Parameter(label = "Logits file", description = "Logit volume file (optional).", required = false, persist = false, style = "open")
	private File logits_file;

	@Parameter(label = "Ground truth", description = "Open ground-truth mask (> 0.5 = lesion). Not used when 'truth_file' is given (the file "
			+ "wins).", required = false, persist = false)
	private ImagePlus truth;

	@Parameter(label = "Ground truth file", description = "Ground-truth mask file (headless use).", required = false, persist = false, style = "open")
	private File truth_file;

	@Parameter(label = "Image id", description = "Identifier written in the records' 'image' column (default: the ground truth file's "
			+ "folder and name without extension, e.g. p07/mask, so that cases in their own folders stay "
			+ "apart; for an open image its title).", required = false, persist = false)
	private String image_id;

	@Parameter(label = "Records CSV", description = "Save the records here (.csv; optional). Pool many with Lesion FROC.", required = false, persist = false,
			style = "save")
	private File records;

	@Parameter(label = "Summary JSON", description = "Save the FROC summary of this image here (.json; optional).", required = false, persist = false,
			style = "save")
	private File summary;

	@Parameter(label = "Small-lesion diameter (voxels)", description = "Also summarise lesions with equivalent-sphere diameter below this (voxels); 0 = no "
			+ "small-lesion subset.", min = "0", max = "1000", required = false, persist = false)
	private double small_diameter = 0;

	@Parameter(type = ItemIO.OUTPUT, label = "Lesion records")
	private ResultsTable records_table;

	@Parameter(type = ItemIO.OUTPUT, label = "Voxel Dice")
	private double voxel_dice;

	@Parameter(type = ItemIO.OUTPUT, label = "One-to-one lesion F1")
	private double lesion_f1;

	@Parameter(type = ItemIO.OUTPUT, label = "Predicted / true lesion volume")
	private double volume_ratio;

	@Parameter(type = ItemIO.OUTPUT, label = "Warnings")
	private String warnings;

	@Parameter(type = ItemIO.OUTPUT, label = "Number of lesions")
	private int num_lesions;

	@Parameter(type = ItemIO.OUTPUT, label = "Number of predicted components")
	private int num_predictions;

	@Override
	public void run() {
		try {
			final ProgressListener progress = StatusProgress.of(statusService);
			DistinctPaths.of(TITLE).input("probabilities_file", probabilities_file).input("logits_file", logits_file).input("truth_file", truth_file)
					.output("records", records).output("summary", summary).check();
			final Path recordsPath = output(records, ".csv", "records");
			final Path summaryPath = output(summary, ".json", "summary");
			final FrocOptions options = FrocOptions.defaults().withBootstrap(0).withSmallDiameter(small_diameter > 0 ? small_diameter : Double.NaN);
			final ImagePlus prob = CommandInputs.imageOrFile(TITLE, "probabilities", probabilities, "probabilities_file", probabilities_file);
			final ImagePlus gt = CommandInputs.imageOrFile(TITLE, "truth", truth, "truth_file", truth_file);
			final ImagePlus lg = logits == null && CommandInputs.isEmpty(logits_file)
					? null
					: CommandInputs.imageOrFile(TITLE, "logits", logits, "logits_file", logits_file);
			final String id = image_id == null || image_id.isBlank() ? defaultImageId(truth_file, gt) : image_id.trim();
			final RandomAccessibleInterval< ? extends RealType< ? > > t = ImagePlusBridge.wrap(gt), p = ImagePlusBridge.wrap(prob);
			final RandomAccessibleInterval< ? extends RealType< ? > > l = lg == null ? null : ImagePlusBridge.wrap(lg);
			progress.status(TITLE + ": " + id);
			final ImageEvaluation e = LesionRecords.evaluate(id, t, p, l, ImagePlusBridge.voxelSize(gt));
			final List< LesionRecord > rows = e.records();
			final FrocSummary s = Froc.summarize(rows, options);
			records_table = EvalTables.records(rows);
			voxel_dice = e.voxelDice();
			num_lesions = e.numLesions();
			num_predictions = e.numPredictions();
			final SegmentationQuality q = SegmentationQuality.of(e);
			lesion_f1 = q.f1();
			volume_ratio = q.volumeRatio();
			warnings = String.join("\n", q.warnings());
			new OutputFiles().file(recordsPath, tmp -> RecordsCsv.write(tmp, rows))
					.file(summaryPath, tmp -> java.nio.file.Files.writeString(tmp, FrocFiles.summaryJson(s, List.of(q)))).commit();
			progress.progress(1);
			progress.status(String.format(Locale.ROOT,
					"%s: %d lesions, %d predicted components, voxel Dice %.3f, one-to-one lesion F1 %.3f, predicted/true volume %.2f", TITLE, num_lesions,
					num_predictions, voxel_dice, lesion_f1, volume_ratio));
			for (final String w : q.warnings())
				progress.status(TITLE + ": WARNING " + w);
		}
		catch (final IOException ex) {
			throw new CommandException(ex.getMessage(), ex);
		}
	}

	/**
	 * The image id when none is given: for a truth file {@code <case folder>/<name without extension>}
	 * ({@code p07/mask.nii.gz} gives {@code p07/mask}), so that cases in their own folders get distinct ids;
	 * for an open image its title without extension.
	 */
	static String defaultImageId(final File truthFile, final ImagePlus truth) {
		final String base = CommandInputs.baseName(truth.getTitle());
		if (CommandInputs.isEmpty(truthFile)) return base;
		final Path folder = truthFile.toPath().toAbsolutePath().normalize().getParent();
		return folder == null || folder.getFileName() == null ? base : folder.getFileName() + "/" + base;
	}

	/** An optional output path with the given extension whose folder exists. */
	static Path output(final File file, final String extension, final String key) throws IOException {
		if (CommandInputs.isEmpty(file)) return null;
		if (!file.getName().toLowerCase(Locale.ROOT).endsWith(extension))
			throw new IOException("'" + key + "' must end with " + extension + ", but was " + file + ".");
		return OutputFiles.requireFolder(file.toPath());
	}
}
