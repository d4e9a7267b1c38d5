package org.lesionweighting.engine;

import java.util.Map;

import org.lesionweighting.tf.model.Device;
import org.lesionweighting.util.Json;

/**
 * The TensorFlow device report ({@link EngineJobs#deviceReport}).
 *
 * @param device the device choice
 */
public record DeviceReportJob(Device device) implements EngineJob {

	static final String KIND = "device_report";

	/** {@code null} = {@link Device#DEVICE_DEFAULT}. */
	public DeviceReportJob {
		if (device == null) device = Device.DEVICE_DEFAULT;
	}

	@Override
	public Map< String, Object > toJson() {
		return Json.object("kind", KIND, "device", device.key());
	}
}
