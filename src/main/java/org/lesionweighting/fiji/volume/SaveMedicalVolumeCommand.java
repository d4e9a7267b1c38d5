package org.lesionweighting.fiji.volume;

import java.io.File;
import java.io.IOException;

import org.lesionweighting.fiji.CommandException;
import org.lesionweighting.io.WriteOptions;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;

/**
 * <b>File &gt; Save As &gt; Lesion Weighting &gt; Medical Volume (NIfTI, MetaImage)…</b>: saves a 3D image as {@code .nii},
 * {@code .nii.gz}, {@code .mhd} or {@code .mha} (by extension) with its calibration, or with the exact
 * geometry it was opened with when voxel size and origin are unchanged. Macro:
 * {@code run("Save Medical Volume", "image=ct.nii.gz file=/out/ct.nii.gz compression_level=1");}
 */
@Plugin(type = Command.class, menuPath = "File>Save As>Lesion Weighting>Medical Volume (NIfTI, MetaImage)...", label = "Save Medical Volume",
		description = "Save a 3D image as NIfTI or MetaImage with its voxel size, origin and orientation")
public class SaveMedicalVolumeCommand extends ContextCommand {

	/** Command title for macros and the launcher. */
	public static final String TITLE = "Save Medical Volume";

	@Parameter(label = "Image", persist = false)
	private ImagePlus image;

	@Parameter(label = "File", description = "Target .nii, .nii.gz, .mhd or .mha file.", style = "save", persist = false)
	private File file;

	@Parameter(label = "gzip level", description = "Compression level of .nii.gz, 1 (fast) to 9 (small).", min = "0", max = "9", required = false,
			persist = false)
	private int compression_level = WriteOptions.COMPRESSION_LEVEL_DEFAULT;

	@Override
	public void run() {
		if (image == null || file == null) throw new CommandException(TITLE + ": needs an image and a file (image=<title> file=<path>).");
		try {
			MedicalVolumes.save(image, file.toPath(), WriteOptions.DEFAULT.withCompressionLevel(compression_level));
		}
		catch (final IOException | IllegalArgumentException e) {
			throw new CommandException(TITLE + ": " + e.getMessage(), e);
		}
	}
}
