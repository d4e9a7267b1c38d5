package org.lesionweighting.fiji;

import java.util.Arrays;

import org.lesionweighting.label.Connectivity;
import org.lesionweighting.label.LesionLabeling;
import org.lesionweighting.util.Cancellation;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * Small label-image conversions used by the commands: reading an existing label image, removing
 * lesions below a size, and the weight map of a mask of unknown type. Kept here until the core offers them.
 */
public final class LabelImages {

	private LabelImages() {}

	/**
	 * Copies an existing label image into a 32-bit label image, checking that every value is a non-negative
	 * integer below 2^31.
	 *
	 * @return the copy; its largest value is the label count (labels need not be consecutive)
	 * @throws IllegalArgumentException naming the first bad value and its position
	 */
	static Img< IntType > copyLabels(final String operation, final RandomAccessibleInterval< ? extends RealType< ? > > labels) {
		final Img< IntType > out = ArrayImgs.ints(Intervals.dimensionsAsLongArray(labels));
		final Cursor< ? extends RealType< ? > > c = Views.flatIterable(labels).localizingCursor();
		final Cursor< IntType > o = Views.flatIterable(out).cursor();
		while (c.hasNext()) {
			final double v = c.next().getRealDouble();
			if (!(v >= 0 && v <= Integer.MAX_VALUE && v == Math.rint(v))) {
				throw new IllegalArgumentException(
						operation + ": the label image holds " + v + " at voxel (x, y, z) = " + Arrays.toString(c.positionAsLongArray())
								+ "; labels must be non-negative integers (0 = background). Use a mask and let the command label it instead.");
			}
			o.next().set((int) v);
		}
		return out;
	}

	/** Labels a mask of any real type with {@link LesionLabeling} into a new 32-bit label image. */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public static Img< IntType > label(final RandomAccessibleInterval< ? extends RealType< ? > > mask, final Connectivity connectivity) {
		return LesionLabeling.label((RandomAccessibleInterval) mask, connectivity);
	}

	/** The largest value of a label image (0 when empty). */
	static int maxLabel(final Img< IntType > labels) {
		int max = 0;
		for (final IntType t : labels)
			if (t.get() > max) max = t.get();
		return max;
	}

	/**
	 * Sets to 0 every label with fewer than {@code minVoxels} voxels and renumbers the others 1..K' keeping
	 * their order (so raster order of first voxels is preserved).
	 *
	 * @return K', the number of labels kept
	 */
	static int removeSmall(final Img< IntType > labels, final int numLabels, final double minVoxels) {
		final long[] n = new long[numLabels + 1]; // voxels per label
		for (final IntType t : labels)
			n[t.get()]++;
		final int[] map = new int[numLabels + 1];
		int next = 0;
		for (int l = 1; l <= numLabels; l++)
			map[l] = n[l] > 0 && n[l] >= minVoxels ? ++next : 0;
		Cancellation.check("remove small lesions");
		for (final IntType t : labels)
			t.set(map[t.get()]);
		return next;
	}
}
