package org.lesionweighting.tf.infer;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * The intensity transform a model expects for one input channel, applied to the whole volume before tiling
 * (whole-volume statistics such as min–max or z-score must not be computed per window; doc/method.md §4).
 * {@link ModelInference#preprocessor} builds these from the model metadata with {@link org.lesionweighting.tf.data.Preprocessing}.
 */
@FunctionalInterface
public interface ChannelPreprocessor {

	/** Intensities used as read (converted to float lazily, no copy). */
	ChannelPreprocessor NONE = channel -> net.imglib2.converter.Converters.convert(channel, (a, b) -> b.setReal(a.getRealDouble()), new FloatType());

	/**
	 * Transforms one channel.
	 *
	 * @param channel a 2D or 3D volume; not modified
	 * @return the transformed volume on the same interval (a view or a copy)
	 */
	RandomAccessibleInterval< FloatType > apply(RandomAccessibleInterval< ? extends RealType< ? > > channel);
}
