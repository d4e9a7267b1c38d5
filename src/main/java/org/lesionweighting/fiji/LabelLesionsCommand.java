package org.lesionweighting.fiji;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.lesionweighting.label.Connectivity;
import org.lesionweighting.label.LesionLabeling;
import org.lesionweighting.label.LesionStatistics;
import org.lesionweighting.label.LesionTable;
import org.lesionweighting.util.ProgressListener;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.IntType;

/**
 * <b>Plugins &gt; Lesion Weighting &gt; Label Lesions 3D</b>: connected-component labeling of a lesion
 * mask (or re-measurement of an existing label image) into a label image and a lesion table.
 * <p>
 * Macro: {@code run("Label Lesions 3D", "image=mask.tif connectivity=26");} Headless:
 * {@code --run "Label Lesions 3D" "input='mask.tif',output='labels.tif',table='lesions.csv'"}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Lesion Weighting>Label Lesions 3D", label = "Label Lesions 3D",
		description = "Label the connected lesions of a 3D mask (raster order, 6/18/26-connectivity) and measure "
				+ "them")
public class LabelLesionsCommand extends ContextCommand {

	/** Menu leaf title, used in macros and on the command line. */
	public static final String TITLE = "Label Lesions 3D";

	@Parameter
	private LogService log;

	@Parameter
	private StatusService statusService;

	@Parameter(label = "Mask image", description = "Open image: a lesion mask (non-zero = lesion) or, with already_labeled, a label image. "
			+ "Not used when 'input' is given (the file wins).", required = false, persist = false)
	private ImagePlus image;

	@Parameter(label = "Input file", description = "Mask or label image file (headless use instead of 'image').", required = false, persist = false,
			style = "open")
	private File input;

	@Parameter(label = "Input is already labeled", description = "Treat the input as a label image (integers, 0 = background) and only measure and filter "
			+ "it.", required = false, persist = false)
	private boolean already_labeled = false;

	@Parameter(label = "Connectivity", description = "Neighbours that connect lesion voxels: 6 (faces), 18 (faces and edges) or 26 (faces, "
			+ "edges and corners, as the paper).", choices = { "6", "18", "26" }, required = false, persist = false)
	private String connectivity = LesionLabeling.CONNECTIVITY_DEFAULT.key();

	@Parameter(label = "Minimum lesion volume", description = "Remove lesions smaller than this volume in calibrated units (voxels if uncalibrated); 0 "
			+ "keeps all. Kept lesions are renumbered in raster order.", min = "0", max = "1000000000", required = false, persist = false)
	private double min_volume = 0;

	@Parameter(label = "Output label image file", description = "Save the label image here (.tif; optional).", required = false, persist = false,
			style = "save")
	private File output;

	@Parameter(label = "Output table file", description = "Save the lesion table here (.csv; optional).", required = false, persist = false, style = "save")
	private File table;

	@Parameter(type = ItemIO.OUTPUT, label = "Labels", description = "Label image '<title>-labels' (16-bit when at most 65535 lesions, else 32-bit).")
	private ImagePlus labels;

	@Parameter(type = ItemIO.OUTPUT, label = "Lesions",
			description = "Lesion table, one row per lesion: label, voxel_count, volume, diameter_voxels, diameter, "
					+ "centroid_x/y/z, centroid_x/y/z_cal, bbox_min_x/y/z, bbox_max_x/y/z, touches_border.")
	private ResultsTable lesions;

	@Parameter(type = ItemIO.OUTPUT, label = "Number of lesions")
	private int count;

	@Override
	public void run() {
		try {
			final ProgressListener progress = StatusProgress.of(statusService);
			final Connectivity conn = Connectivity.fromString(connectivity);
			if (!(min_volume >= 0 && Double.isFinite(min_volume)))
				throw new IllegalArgumentException(TITLE + ": min_volume must be >= 0 (0 = off), but was " + min_volume + ".");
			DistinctPaths.of(TITLE).input("input", input).output("output", output).output("table", table).check();
			final Path outPath = CommandInputs.volumeOutput(output);
			final Path tablePath = CommandInputs.tableOutput(table);
			final ImagePlus in = CommandInputs.imageOrFile(TITLE, "image", image, "input", input);
			final RandomAccessibleInterval< ? extends RealType< ? > > volume = ImagePlusBridge.wrapFinite(TITLE, "image", in);
			final double[] voxelSize = ImagePlusBridge.voxelSize(in);
			progress.status(TITLE + ": " + (already_labeled ? "reading labels" : "labeling") + " " + in.getTitle());
			final Img< IntType > lab = already_labeled ? LabelImages.copyLabels(TITLE, volume) : LabelImages.label(volume, conn);
			int k = LabelImages.maxLabel(lab);
			if (min_volume > 0) {
				final int before = k;
				k = LabelImages.removeSmall(lab, k, min_volume / (voxelSize[0] * voxelSize[1] * voxelSize[2]));
				log.debug(TITLE + ": min_volume " + min_volume + " removed " + (before - k) + " of " + before + " lesions");
			}
			if (isCanceled()) return;
			progress.progress(0.5);
			final LesionTable measured = LesionStatistics.measure(lab, voxelSize);
			lesions = LesionResults.toResultsTable(measured);
			labels = ImagePlusBridge.toImagePlus(lab, CommandInputs.baseName(in.getTitle()) + "-labels", in);
			count = lesions.size();
			new OutputFiles().volume(labels, outPath).file(tablePath, tmp -> Files.writeString(tmp, measured.toCsv())).commit();
			CommandInputs.showResults(lesions);
			progress.progress(1);
			progress.status(TITLE + ": " + count + " lesions");
		}
		catch (final java.io.IOException e) {
			throw new CommandException(e.getMessage(), e);
		}
	}
}
