package org.lesionweighting.engine;

import java.nio.file.Path;
import java.util.Map;

import org.lesionweighting.tf.pkg.PackageJobs;
import org.lesionweighting.util.Json;

/**
 * Exports a model folder as a bioimage.io model package ({@link PackageJobs#export}).
 *
 * @param model the model folder
 * @param output the zip to write, or {@code null} for {@code <model>/bioimageio.zip}
 * @param name the package name, or {@code null} for the default
 * @param authors authors separated by ';', or {@code null}
 * @param license SPDX licence, or {@code null} for the default
 * @param dataset the model's dataset folder (test case and channel names), or {@code null} for a phantom
 */
public record ExportPackageJob(Path model, Path output, String name, String authors, String license, Path dataset) implements EngineJob {

	static final String KIND = "export_package";

	/** Blank texts are {@code null}. */
	public ExportPackageJob {
		if (model == null) throw new IllegalArgumentException("Export Model Package: 'model' is required (the folder of a trained model).");
		name = blankToNull(name);
		authors = blankToNull(authors);
		license = blankToNull(license);
	}

	@Override
	public Map< String, Object > toJson() {
		return Json.object("kind", KIND, "model", model.toString(), "output", output == null ? null : output.toString(), "name", name, "authors",
				authors, "license", license, "dataset", dataset == null ? null : dataset.toString());
	}

	private static String blankToNull(final String s) {
		return s == null || s.isBlank() ? null : s;
	}
}
