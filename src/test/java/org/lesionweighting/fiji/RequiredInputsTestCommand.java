package org.lesionweighting.fiji;

import java.io.File;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** A test-only command with required inputs, to check how launcher and macro bridge report missing ones. */
@Plugin(type = Command.class, menuPath = "Plugins>Lesion Weighting>Testing>Required Inputs Test", description = "Test command with two required inputs")
public class RequiredInputsTestCommand extends ContextCommand {

	@Parameter(label = "Source", style = "open")
	private File source;

	@Parameter(label = "Factor", min = "-1000", max = "1000")
	private Double factor;

	@Parameter(label = "Offset", required = false, min = "-1000", max = "1000")
	private int offset = 1;

	@Parameter(type = ItemIO.OUTPUT)
	private String summary;

	@Override
	public void run() {
		summary = source.getName() + "*" + factor + "+" + offset;
	}
}
