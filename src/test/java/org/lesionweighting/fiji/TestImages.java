package org.lesionweighting.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ImageProcessor;

/** Small synthetic images for the Fiji-layer tests. */
public final class TestImages {

	private TestImages() {}

	/**
	 * An 8-bit 12x10x4 mask with three lesions, numbered in raster order: a 2x2x2 cube at (1..2, 1..2, 0..1)
	 * (8 voxels, label 1), a single voxel at (8, 1, 0) (label 2), and two voxels touching only at a corner,
	 * (5, 6, 2) and (6, 7, 3) (one lesion with 26-connectivity, label 3; two with 6-connectivity, labels 3 and 4).
	 */
	public static ImagePlus mask() {
		final ImagePlus imp = IJ.createImage("mask", "8-bit black", 12, 10, 4);
		for (int z = 0; z < 2; z++)
			for (int y = 1; y <= 2; y++)
				for (int x = 1; x <= 2; x++)
					set(imp, x, y, z, 255);
		set(imp, 8, 1, 0, 255);
		set(imp, 5, 6, 2, 1);
		set(imp, 6, 7, 3, 1);
		return imp;
	}

	/** Sets voxel (x, y, z) of a stack (z from 0). */
	public static void set(final ImagePlus imp, final int x, final int y, final int z, final double v) {
		final ImageProcessor ip = imp.getStack().getProcessor(z + 1);
		ip.putPixelValue(x, y, v);
	}

	/** Voxel (x, y, z) of a stack (z from 0). */
	public static double get(final ImagePlus imp, final int x, final int y, final int z) {
		return imp.getStack().getProcessor(z + 1).getPixelValue(x, y);
	}
}
