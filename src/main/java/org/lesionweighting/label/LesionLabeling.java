package org.lesionweighting.label;

import org.lesionweighting.util.Checks;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * Connected-component labeling of 3D lesion masks.
 * <p>
 * Components are numbered 1..K in raster order of each component's first voxel (x fastest, then y,
 * then z), the order of {@code scipy.ndimage.label} and {@code skimage.measure.label}; background is 0.
 */
public final class LesionLabeling {

	/** The paper's connectivity: full (26) connectivity in 3D. */
	public static final Connectivity CONNECTIVITY_DEFAULT = Connectivity.TWENTY_SIX;

	private LesionLabeling() {}

	/**
	 * Labels the non-zero voxels of {@code mask} into {@code out}.
	 *
	 * @param mask a 2D or 3D mask; every non-zero voxel is lesion (NaN is rejected)
	 * @param out caller-owned output on the same interval as {@code mask}; it is overwritten entirely
	 * @param connectivity which neighbours connect
	 * @return the number of components K
	 * @throws IllegalArgumentException if the intervals differ, the mask is not 2D/3D, or K does not fit
	 *           the output type
	 */
	public static < T extends RealType< T >, L extends IntegerType< L > > int label(final RandomAccessibleInterval< T > mask, final RandomAccessibleInterval< L > out, final Connectivity connectivity) {
		final String op = "LesionLabeling.label";
		Checks.requireVolume(op, "mask", mask);
		Checks.requireSameInterval(op, "mask", mask, "out", out);
		final long size = Intervals.numElements(mask);
		if (size > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(op + ": mask has " + size + " voxels; at most 2^31 are supported.");
		final int nx = (int) mask.dimension(0), ny = (int) mask.dimension(1);
		final int nz = mask.numDimensions() > 2 ? (int) mask.dimension(2) : 1;
		final int[] lab = new int[(int) size];
		int i = 0;
		for (final T t : Views.flatIterable(mask)) {
			final double v = t.getRealDouble();
			if (Double.isNaN(v)) throw new IllegalArgumentException(op + ": mask contains NaN at voxel index " + i + "; replace NaN by 0 before labeling.");
			lab[i++] = v != 0 ? -1 : 0;
		}
		final int[] stack = new int[(int) Math.min(size, 1 << 20) + 1];
		int[] st = stack;
		int next = 0;
		for (int p = 0; p < lab.length; p++) {
			if (lab[p] != -1) continue;
			final int id = ++next;
			lab[p] = id;
			int sp = 0;
			st[sp++] = p;
			while (sp > 0) {
				final int q = st[--sp];
				final int x = q % nx, y = (q / nx) % ny, z = q / (nx * ny);
				for (int dz = -1; dz <= 1; dz++) {
					final int zz = z + dz;
					if (zz < 0 || zz >= nz) continue;
					for (int dy = -1; dy <= 1; dy++) {
						final int yy = y + dy;
						if (yy < 0 || yy >= ny) continue;
						for (int dx = -1; dx <= 1; dx++) {
							final int xx = x + dx;
							if (xx < 0 || xx >= nx || !connectivity.connects(dx, dy, dz)) continue;
							final int r = (zz * ny + yy) * nx + xx;
							if (lab[r] == -1) {
								lab[r] = id;
								if (sp == st.length) st = java.util.Arrays.copyOf(st, st.length * 2);
								st[sp++] = r;
							}
						}
					}
				}
			}
		}
		final L probe = Views.flatIterable(out).firstElement();
		if (next > probe.getMaxValue()) throw new IllegalArgumentException(op + ": " + next + " components do not fit the output type " + probe.getClass().getSimpleName() + " (max " + (long) probe.getMaxValue() + "); use a 32-bit label image.");
		final Cursor< L > c = Views.flatIterable(out).cursor();
		for (int k = 0; k < lab.length; k++)
			c.next().setInteger(lab[k]);
		return next;
	}

	/** Labels {@code mask} into a new 32-bit label image on the same interval. */
	public static < T extends RealType< T > > Img< IntType > label(final RandomAccessibleInterval< T > mask, final Connectivity connectivity) {
		final Img< IntType > out = ArrayImgs.ints(Intervals.dimensionsAsLongArray(mask));
		label(mask, Views.translate(out, Intervals.minAsLongArray(mask)), connectivity);
		return out;
	}
}
