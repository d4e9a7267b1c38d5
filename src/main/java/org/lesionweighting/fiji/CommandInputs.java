package org.lesionweighting.fiji;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

import ij.ImagePlus;

/**
 * Input handling shared by the suite's commands: an image parameter (ImagePlus, for the GUI and macros)
 * or a file parameter (for headless use), exactly one of which is given; output paths checked before any
 * computation.
 */
public final class CommandInputs {

	private CommandInputs() {}

	/**
	 * Returns the volume read from {@code file} when one is given, else {@code image}. The file takes precedence:
	 * Fiji fills a command's single image parameter with the active image by itself (also in macros that name a
	 * file instead), so only the file is certainly the user's choice.
	 *
	 * @param operation the command title, for messages
	 * @param imageKey the name of the image parameter
	 * @param image the open image, or null
	 * @param fileKey the name of the file parameter
	 * @param file the file, or null
	 * @return the image to process
	 * @throws IllegalArgumentException if neither is given
	 * @throws IOException if the file cannot be read
	 */
	public static ImagePlus imageOrFile(final String operation, final String imageKey, final ImagePlus image, final String fileKey, final File file)
			throws IOException {
		if (!isEmpty(file)) return VolumeFiles.open(file.toPath());
		if (image != null) return image;
		throw new IllegalArgumentException(operation + ": no input; give '" + imageKey + "' (an open image) or '" + fileKey + "' (a file, "
				+ String.join(", ", VolumeFiles.extensions()) + ").");
	}

	/**
	 * The path of an optional volume output, checked to be writable.
	 *
	 * @return the path, or null when {@code file} is null or empty
	 * @throws IOException if the extension is unknown or the folder does not exist
	 */
	public static Path volumeOutput(final File file) throws IOException {
		if (isEmpty(file)) return null;
		final Path p = file.toPath();
		VolumeFiles.checkWritable(p);
		return p;
	}

	/**
	 * The path of an optional CSV output, checked to be writable.
	 *
	 * @return the path, or null when {@code file} is null or empty
	 * @throws IOException if the name does not end with .csv or the folder does not exist
	 */
	public static Path tableOutput(final File file) throws IOException {
		if (isEmpty(file)) return null;
		final Path p = file.toPath();
		VolumeFiles.checkTableWritable(p);
		return p;
	}

	/**
	 * With a display, makes {@code table} ImageJ's "Results" table and shows it (SciJava does not display
	 * ImageJ 1 tables returned as outputs), so that GUI users see it and macros read it with
	 * {@code nResults}/{@code getResult}. Headless, it does nothing: the macro bridge publishes table outputs
	 * and the launcher writes files.
	 */
	public static void showResults(final ij.measure.ResultsTable table) {
		if (table != null && !java.awt.GraphicsEnvironment.isHeadless()) table.show("Results");
	}

	/** Whether an optional file parameter is unset (null or an empty path). */
	public static boolean isEmpty(final File file) {
		return file == null || file.getPath().isEmpty();
	}

	/** {@code name} without a known volume or common image extension: {@code "case1.nii.gz"} gives {@code "case1"}. */
	public static String baseName(final String name) {
		if (name == null) return "image";
		final String lower = name.toLowerCase(java.util.Locale.ROOT);
		for (final String ext : VolumeFiles.extensions())
			if (lower.endsWith(ext)) return name.substring(0, name.length() - ext.length());
		return name;
	}
}
