package org.lesionweighting.phantom;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * A generated lesion phantom (see {@link LesionPhantom}).
 *
 * @param image the synthetic intensity image (FloatType, x fastest)
 * @param mask the lesion mask: 1 = lesion, 0 = background
 * @param labels the mask labeled with {@link PhantomSpec#connectivity()} (raster-order ids)
 * @param numLesions the number of connected lesions in {@code mask} (touching lesions may have merged,
 *          so this can be smaller than {@link PhantomSpec#numLesions()})
 * @param radii the nominal radius of every drawn lesion, in drawing order (log-uniform in
 *          [minRadius, maxRadius])
 * @param spec a copy of the specification it was generated from
 */
public record Phantom(Img< FloatType > image, Img< UnsignedByteType > mask, Img< IntType > labels, int numLesions, double[] radii, PhantomSpec spec) {

	/** Copies the mutable parts. */
	public Phantom {
		radii = radii.clone();
		spec = spec.copy();
	}

	/** A copy of the radii. */
	@Override
	public double[] radii() {
		return radii.clone();
	}

	/** A copy of the spec. */
	@Override
	public PhantomSpec spec() {
		return spec.copy();
	}
}
