package org.lesionweighting.fiji.volume;

import java.io.File;
import java.io.IOException;

import org.lesionweighting.fiji.CommandException;
import org.lesionweighting.io.ReadOptions;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;

/**
 * <b>File &gt; Import &gt; Lesion Weighting &gt; Medical Volume (NIfTI, MetaImage)…</b>: opens {@code .nii}, {@code .nii.gz},
 * {@code .hdr}, {@code .mhd} or {@code .mha} with voxel size, unit and origin; the exact geometry is kept
 * in the image info for a later save. Macro:
 * {@code run("Open Medical Volume", "file=/data/ct.nii.gz");}
 */
@Plugin(type = Command.class, menuPath = "File>Import>Lesion Weighting>Medical Volume (NIfTI, MetaImage)...", label = "Open Medical Volume",
		description = "Open a NIfTI or MetaImage volume with its voxel size, origin and orientation")
public class OpenMedicalVolumeCommand extends ContextCommand {

	/** Command title for macros and the launcher. */
	public static final String TITLE = "Open Medical Volume";

	@Parameter(label = "File", description = "A .nii, .nii.gz, .hdr, .mhd or .mha file.", style = "open", persist = false)
	private File file;

	@Parameter(label = "Raw stored values", description = "Do not apply NIfTI scl_slope/scl_inter (for label images).", required = false, persist = false)
	private boolean raw_values = false;

	@Parameter(type = ItemIO.OUTPUT, label = "Volume")
	private ImagePlus image;

	@Override
	public void run() {
		if (file == null) throw new CommandException(TITLE + ": no file given; pass file=<path to .nii/.nii.gz/.mhd/.mha>.");
		try {
			image = MedicalVolumes.open(file.toPath(), raw_values ? ReadOptions.RAW : ReadOptions.DEFAULT);
		}
		catch (final IOException e) {
			throw new CommandException(TITLE + ": " + e.getMessage(), e);
		}
	}
}
