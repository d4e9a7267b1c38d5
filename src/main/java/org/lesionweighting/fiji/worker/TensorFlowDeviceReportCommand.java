package org.lesionweighting.fiji.worker;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.lesionweighting.engine.Engine;
import org.lesionweighting.engine.DeviceReportJob;
import org.lesionweighting.engine.Engines;
import org.lesionweighting.engine.TensorFlowCheck;
import org.lesionweighting.fiji.CancelRequests;
import org.lesionweighting.fiji.CommandException;
import org.lesionweighting.fiji.CommandInputs;
import org.lesionweighting.fiji.StatusProgress;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.util.Json;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.measure.ResultsTable;

/**
 * <b>Plugins &gt; Lesion Weighting &gt; TensorFlow Device Report</b>: the TensorFlow version, the native library
 * (CPU or GPU build), the visible devices, whether the CUDA 12 and cuDNN 9 libraries were found, and the
 * device a tiny test op (a 2×2 matrix product) actually ran on; plus the engine used and any foreign
 * TensorFlow on Fiji's class path ({@link TensorFlowCheck}). In Fiji it runs where the {@code engine} choice
 * says (the worker by default there); in the launcher in-process.
 * <p>
 * Macro: {@code run("TensorFlow Device Report", "engine=worker device=auto");} Headless:
 * {@code --run "TensorFlow Device Report" "engine='worker'"}. Output {@code report}: one {@code key: value}
 * line per item; also logged and shown as a table when not headless.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Lesion Weighting>TensorFlow Device Report", label = "TensorFlow Device Report",
		description = "Report the TensorFlow version, native library, visible devices, CUDA/cuDNN libraries and "
				+ "the device a test op ran on")
public class TensorFlowDeviceReportCommand extends ContextCommand {

	/** Menu leaf title. */
	public static final String TITLE = "TensorFlow Device Report";

	@Parameter
	private StatusService statusService;

	@Parameter(required = false)
	private LogService log;

	@Parameter(label = "Engine", description = "auto, in_process or worker (see Train Lesion Segmenter).", choices = { "auto", "in_process", "worker" },
			required = false, persist = false)
	private String engine = Engine.ENGINE_DEFAULT.key();

	@Parameter(label = "Device", description = "The device choice to test: auto, cpu or gpu.", choices = { "auto", "cpu", "gpu" }, required = false,
			persist = false)
	private String device = "auto";

	@Parameter(type = ItemIO.OUTPUT, label = "Report")
	private String report;

	@Parameter(type = ItemIO.OUTPUT, label = "Test op device")
	private String test_op_device;

	@Override
	public void run() {
		try {
			final Engines.Decision route = Engines.resolve(Engine.fromString(engine));
			final TensorFlowCheck.Status fiji = TensorFlowCheck.inspect(getClass().getClassLoader());
			final Map< String, Object > r = Json.object("engine", route.engine().key() + " (" + route.reason() + ")", "fiji_class_path_tensorflow",
					fiji.foreign()
							? "FOREIGN: " + String.join(", ", fiji.foreignJars())
							: fiji.ours().isEmpty() ? "none (isolated)" : String.join(", ", fiji.ours()));
			r.putAll(Engines.run(route.engine(), new DeviceReportJob(Device.fromString(device)), StatusProgress.of(statusService),
					log == null ? null : log::info, CancelRequests.of(this), null));
			test_op_device = String.valueOf(r.get("test_op_device"));
			final List< String > lines = new ArrayList<>();
			final ResultsTable table = new ResultsTable();
			for (final Map.Entry< String, Object > e : r.entrySet()) {
				final String value = e.getValue() instanceof String s ? s : Json.write(e.getValue());
				lines.add(e.getKey() + ": " + value);
				table.incrementCounter();
				table.addValue("Item", e.getKey());
				table.addValue("Value", value);
			}
			report = String.join("\n", lines);
			if (log != null) log.info(TITLE + ":\n" + report);
			if (fiji.foreign() && log != null) log.warn(fiji.message());
			CommandInputs.showResults(table);
		}
		catch (final IOException e) {
			throw new CommandException(e.getMessage(), e);
		}
	}
}
