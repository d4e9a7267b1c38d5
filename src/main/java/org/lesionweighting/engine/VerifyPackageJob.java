package org.lesionweighting.engine;

import java.nio.file.Path;
import java.util.Map;

import org.lesionweighting.tf.model.Device;
import org.lesionweighting.tf.pkg.PackageJobs;
import org.lesionweighting.util.Json;

/**
 * Segments a model package's test input and compares the result with its test output ({@link PackageJobs#verify}).
 *
 * @param model the package zip or its unpacked folder
 * @param device where to run; {@code null} = {@link Device#DEVICE_DEFAULT}
 */
public record VerifyPackageJob(Path model, Device device) implements EngineJob {

	static final String KIND = "verify_package";

	/** {@code null} device = the default. */
	public VerifyPackageJob {
		if (model == null) throw new IllegalArgumentException("Segment Lesions (verify): 'model' is required (a model package .zip or folder).");
		if (device == null) device = Device.DEVICE_DEFAULT;
	}

	@Override
	public Map< String, Object > toJson() {
		return Json.object("kind", KIND, "model", model.toString(), "device", device.key());
	}
}
