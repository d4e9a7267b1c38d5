package org.lesionweighting.tf.data;

import java.io.IOException;
import java.nio.file.Path;

import org.lesionweighting.io.Volume;
import org.lesionweighting.io.VolumeIO;

/**
 * Reads one volume file. The TensorFlow layer reads NIfTI and MetaImage with {@link VolumeIO#read}; the
 * Fiji layer passes a reader that also opens TIFF through ImageJ.
 */
@FunctionalInterface
public interface VolumeReader {

	/** NIfTI (.nii, .nii.gz) and MetaImage (.mhd, .mha) through {@link VolumeIO#read(Path)}. */
	VolumeReader DEFAULT = VolumeIO::read;

	/**
	 * Reads a volume.
	 *
	 * @throws IOException if it cannot be read
	 */
	Volume read(Path path) throws IOException;
}
