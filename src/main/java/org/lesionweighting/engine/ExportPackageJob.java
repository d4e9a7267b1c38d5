package org.lesionweighting.engine;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

import org.lesionweighting.tf.pkg.PackageJobs;

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
		final Map< String, Object > m = new LinkedHashMap<>();
		m.put("kind", KIND);
		m.put("model", model.toString());
		m.put("output", output == null ? null : output.toString());
		m.put("name", name);
		m.put("authors", authors);
		m.put("license", license);
		m.put("dataset", dataset == null ? null : dataset.toString());
		return m;
	}

	static ExportPackageJob fromJson(final Map< String, ? > json) {
		return new ExportPackageJob(EngineJob.path(json, "model"), optionalPath(json, "output"), text(json, "name"), text(json, "authors"),
				text(json, "license"), optionalPath(json, "dataset"));
	}

	private static Path optionalPath(final Map< String, ? > json, final String key) {
		final String v = text(json, key);
		return v == null ? null : Paths.get(v);
	}

	private static String text(final Map< String, ? > json, final String key) {
		final Object v = json.get(key);
		return v == null ? null : blankToNull(v.toString());
	}

	private static String blankToNull(final String s) {
		return s == null || s.isBlank() ? null : s;
	}
}
