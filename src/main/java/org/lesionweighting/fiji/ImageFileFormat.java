package org.lesionweighting.fiji;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import ij.ImagePlus;

/**
 * A volume file format that {@link VolumeFiles} can read and write, chosen by file name extension.
 * <p>
 * TIFF is built in. Further formats (NIfTI, MetaImage) are added without changing {@link VolumeFiles}:
 * implement this interface and list the class in
 * {@code META-INF/services/org.lesionweighting.fiji.ImageFileFormat} ({@link java.util.ServiceLoader}).
 */
public interface ImageFileFormat {

	/** Lower-case extensions including the dot, longest first where they overlap: {@code ".nii.gz", ".nii"}. */
	List< String > extensions();

	/**
	 * Reads a file into a new ImagePlus, with its calibration (voxel size, unit, origin).
	 *
	 * @throws IOException if the file cannot be read; the message names the file
	 */
	ImagePlus read(Path file) throws IOException;

	/**
	 * Checks, before any computation, that files with this extension can be written; by default all can.
	 *
	 * @param file the target
	 * @param extension the target's extension, one of {@link #extensions()}
	 * @throws IOException if this format only reads such files (the message says what to use instead)
	 */
	default void checkWritable(final Path file, final String extension) throws IOException {}

	/**
	 * Writes {@code imp} with its calibration to {@code file}. {@link VolumeFiles} passes a temporary path in
	 * the target folder (whose name may not end with the format's extension) and renames it afterwards.
	 *
	 * @param file where to write
	 * @param extension the extension of the final target, one of {@link #extensions()}
	 * @throws IOException if writing fails
	 */
	void write(ImagePlus imp, Path file, String extension) throws IOException;
}
