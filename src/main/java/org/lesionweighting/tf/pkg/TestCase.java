package org.lesionweighting.tf.pkg;

import java.util.List;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

/**
 * A case whose crop becomes a package's test input: raw intensities (before the model's preprocessing), one volume
 * per model channel in the training order, and optionally its lesion mask, which centres the crop.
 *
 * @param name the case name, for the documentation
 * @param channels 3D volumes (x, y, z) of equal size, raw intensities
 * @param label the lesion mask (non-zero = lesion), or null
 */
public record TestCase(String name, List< ? extends RandomAccessibleInterval< ? extends RealType< ? > > > channels,
		RandomAccessibleInterval< ? extends RealType< ? > > label) {

	/** Checks that there is at least one channel. */
	public TestCase {
		if (channels == null || channels.isEmpty()) throw new IllegalArgumentException("TestCase: give at least one channel for case '" + name + "'.");
		channels = List.copyOf(channels);
	}
}
