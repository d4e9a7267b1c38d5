package org.lesionweighting.fiji.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;

/** The device report in-process (the launcher's default), headless through SciJava. */
class TensorFlowDeviceReportCommandTest {

	@Test
	void reportsVersionNativeLibraryDevicesAndTheTestOpDevice() throws Exception {
		try (Context ctx = new Context()) {
			ctx.service(LogService.class).setLevel("org.scijava", LogLevel.NONE);
			final CommandModule m = ctx.service(CommandService.class).run(TensorFlowDeviceReportCommand.class, true, "engine", "in_process", "device", "cpu")
					.get();
			final String report = (String) m.getOutput("report");
			assertTrue(report.startsWith("engine: in_process"), report);
			assertTrue(report.contains("fiji_class_path_tensorflow: ") && report.contains("tensorflow-core-api-1.1.0.jar"), report);
			assertTrue(report.contains("native_library: CPU build"), report);
			assertTrue(report.contains("\"type\": \"CPU\""), "devices listed: " + report);
			assertTrue(report.contains("cuda_runtime: ") && report.contains("cudnn: "), report);
			assertTrue(report.contains("test_op_result: [7.0, 10.0, 15.0, 22.0]"), report);
			assertEquals("/job:localhost/replica:0/task:0/device:CPU:0", m.getOutput("test_op_device"));
		}
	}
}
