package org.lesionweighting.engine;

import java.util.LinkedHashMap;
import java.util.Map;

import org.lesionweighting.tf.model.Device;

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
		final Map< String, Object > m = new LinkedHashMap<>();
		m.put("kind", KIND);
		m.put("device", device.key());
		return m;
	}

	static DeviceReportJob fromJson(final Map< String, ? > json) {
		final Object d = json.get("device");
		return new DeviceReportJob(d == null ? null : Device.fromString(d.toString()));
	}
}
