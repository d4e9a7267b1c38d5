package org.lesionweighting.tf.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.lesionweighting.tf.data.TrainingCase;

/** Tiny generated training data: bright spheres of radius 1.5–4 in a noisy background (test only). */
final class Phantoms {

	private Phantoms() {}

	static TrainingCase sphereCase(final String name, final int size, final int lesions, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final int n = size * size * size;
		final float[] img = new float[n];
		final byte[] t = new byte[n];
		for (int k = 0; k < lesions; k++) {
			final double rad = 1.5 + 2.5 * r.nextDouble();
			final double cx = 4 + r.nextDouble() * (size - 8), cy = 4 + r.nextDouble() * (size - 8), cz = 4 + r.nextDouble() * (size - 8);
			for (int z = 0; z < size; z++)
				for (int y = 0; y < size; y++)
					for (int x = 0; x < size; x++) {
						final double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz);
						if (d2 <= rad * rad) t[(z * size + y) * size + x] = 1;
					}
		}
		for (int i = 0; i < n; i++)
			img[i] = (float) ((t[i] != 0 ? 1.0 : 0.0) + 0.35 * r.nextGaussian());
		return TrainingCase.fromArrays(name, new int[] { size, size, size }, new float[][] { img }, t, new double[] { 1, 1, 1 });
	}

	static List< TrainingCase > cases(final int count, final int size, final long seed) {
		final List< TrainingCase > l = new ArrayList<>();
		for (int i = 0; i < count; i++)
			l.add(sphereCase("phantom" + i, size, 2 + i % 3, seed + i));
		return l;
	}
}
