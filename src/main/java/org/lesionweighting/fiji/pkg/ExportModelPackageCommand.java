package org.lesionweighting.fiji.pkg;

import java.io.File;
import java.nio.file.Path;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.lesionweighting.fiji.CancelRequests;
import org.lesionweighting.fiji.CommandException;
import org.lesionweighting.fiji.StatusProgress;
import org.lesionweighting.engine.Engine;
import org.lesionweighting.engine.Engines;
import org.lesionweighting.engine.ExportPackageJob;
import org.lesionweighting.tf.pkg.PackageJobs;
import org.lesionweighting.tf.pkg.PackageOptions;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * <b>Plugins &gt; Lesion Weighting &gt; Export Model Package</b>: writes a trained model folder as a bioimage.io
 * model package (zip) that deepImageJ, bioimage.io and {@code bioimageio.core} run and that <i>Segment Lesions</i>
 * takes as {@code model}. Thin: the work is the {@code export_package} engine job ({@link PackageJobs}), run where
 * TensorFlow runs (the export runs the model once on the test crop).
 * <p>
 * Macro: {@code run("Export Model Package", "model=[/models/ms] output=[/models/ms.zip] authors=[Jane Doe] dataset=[/data/ms]");}
 */
@Plugin(type = Command.class, menuPath = "Plugins>Lesion Weighting>Export Model Package", label = "Export Model Package",
		description = "Write a trained model as a bioimage.io model package (rdf.yaml, zipped SavedModel, test "
				+ "tensors, README, cover) for deepImageJ, bioimage.io and Python")
public class ExportModelPackageCommand extends ContextCommand {

	/** Menu leaf title. */
	public static final String TITLE = "Export Model Package";

	@Parameter
	private StatusService statusService;

	@Parameter(required = false)
	private LogService log;

	@Parameter(label = "Model folder", description = "Folder of a trained model (written by Train Lesion Segmenter).", style = "directory", persist = false)
	private File model;

	@Parameter(label = "Package file", description = "Path of the .zip to write (replaced if it exists); empty: bioimageio.zip in the model "
			+ "folder.", required = false, persist = false)
	private String output = "";

	@Parameter(label = "Name", description = "Package name: 5 to 128 letters, digits, spaces and _ + - ( ).", required = false, persist = false)
	private String name = PackageOptions.NAME_DEFAULT;

	@Parameter(label = "Authors", description = "Author names separated by ';' (empty: your user name).", required = false, persist = false)
	private String authors = "";

	@Parameter(label = "License", description = "SPDX licence identifier of the package, e.g. CC-BY-4.0, MIT, BSD-2-Clause.", required = false, persist = false)
	private String license = PackageOptions.LICENSE_DEFAULT;

	// output and dataset are paths as text: an optional File that is a command's only unresolved input makes
	// SciJava's FilePreprocessor open a file chooser, which cancels the command headless
	@Parameter(label = "Dataset folder", description = "The model's dataset folder (optional): its channel names and a validation case for the "
			+ "test input. Without it the test input is a crop of a generated phantom.", required = false, persist = false)
	private String dataset = "";

	@Parameter(label = "Engine", description = "Where TensorFlow runs: auto, in_process or worker (see Train Lesion Segmenter).",
			choices = { "auto", "in_process", "worker" }, required = false, persist = false)
	private String engine = Engine.ENGINE_DEFAULT.key();

	@Parameter(type = ItemIO.OUTPUT, label = "Package")
	private String package_path;

	@Override
	public void run() {
		try {
			if (model == null) throw new IllegalArgumentException(TITLE + ": no model; give 'model', the folder of a trained model.");
			final ExportPackageJob job = new ExportPackageJob(model.toPath().toAbsolutePath(), absolute(output), name, authors, license, absolute(dataset));
			final Map< String, Object > r = Engines.run(Engine.fromString(engine), job, StatusProgress.of(statusService), log == null ? null : log::info,
					CancelRequests.of(this), null);
			package_path = String.valueOf(r.get("output"));
			if (log != null) log.info(TITLE + ": wrote " + package_path + " (test input: a crop of " + r.get("test_case") + ")");
		}
		catch (final IOException e) {
			throw new CommandException(e.getMessage(), e);
		}
		catch (final CancellationException e) {
			cancel(TITLE + " was cancelled; nothing was written.");
		}
	}

	/** The absolute path of a text parameter, {@code null} when blank. */
	private static Path absolute(final String s) {
		return s == null || s.isBlank() ? null : new File(s.strip()).getAbsoluteFile().toPath();
	}
}
