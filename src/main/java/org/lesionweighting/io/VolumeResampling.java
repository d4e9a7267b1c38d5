package org.lesionweighting.io;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.lesionweighting.util.Cancellation;
import org.lesionweighting.util.Checks;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * Resamples a volume to another voxel spacing with trilinear interpolation, separably (one 1D pass per axis), so a
 * dataset of mixed spacings trains on one grid and a new image is segmented on the grid its model was trained on.
 * <p>
 * <b>Geometry.</b> The volume's extent is kept: voxel centres sit at (i + ½)·spacing from the volume's first edge on
 * both grids, so output voxel i samples the input at s = (i + ½)·to/from − ½ (input voxels), clamped to the first and
 * last voxel (border replication). A size of n voxels becomes max(1, round(n·from/to)). Downsampling interpolates
 * without smoothing first, as nnU-Net does.
 * <p>
 * <b>Masks</b> ({@link #mask}) are interpolated as 0/1 values and thresholded at ½, which keeps a lesion's volume
 * (in mm³) close to the original on any grid, where nearest-neighbour sampling drops and duplicates slices.
 * <p>
 * A 2D volume (depth 1) is resampled in x and y only. Volumes must fit in a Java array (2³¹ − 1 voxels) on both grids.
 *
 * <pre>{@code
 * ArrayImg< FloatType, FloatArray > iso = VolumeResampling.linear(flair, new double[] { 0.9, 0.9, 3 }, new double[] { 1, 1, 1 });
 * }</pre>
 */
public final class VolumeResampling {

	/** Relative spacing difference (on any axis) from which two spacings count as different. */
	public static final double TOLERANCE = 0.01;

	private VolumeResampling() {}

	/**
	 * Whether two spacings differ by more than {@link #TOLERANCE} (relative) on any of their common axes.
	 *
	 * @param a a spacing, or {@code null} (unknown: never differs)
	 * @param b a spacing, or {@code null}
	 */
	public static boolean differ(final double[] a, final double[] b) {
		if (a == null || b == null) return false;
		return IntStream.range(0, Math.min(3, Math.min(a.length, b.length)))
				.anyMatch(d -> Math.abs(a[d] - b[d]) > TOLERANCE * Math.max(Math.abs(a[d]), Math.abs(b[d])));
	}

	/**
	 * The size of a volume of {@code dims} voxels at spacing {@code from} once resampled to {@code to}.
	 *
	 * @param dims (nx, ny[, nz])
	 * @param from the current spacing (x, y, z)
	 * @param to the new spacing
	 * @return max(1, round(n·from/to)) per axis; depth 1 stays 1
	 * @throws IllegalArgumentException for a spacing that is not finite and positive
	 */
	public static long[] resampledSize(final long[] dims, final double[] from, final double[] to) {
		final String op = "VolumeResampling";
		requireSpacing(op, "from", from);
		requireSpacing(op, "to", to);
		final long[] out = new long[dims.length];
		for (int d = 0; d < dims.length; d++)
			out[d] = d == 2 && dims[d] == 1 ? 1 : Math.max(1, Math.round(dims[d] * from[d] / to[d]));
		return out;
	}

	/**
	 * Resamples intensities to a new spacing.
	 *
	 * @param in a 2D or 3D volume; not modified
	 * @param from its spacing (x, y, z)
	 * @param to the new spacing
	 * @return a float volume of {@link #resampledSize} voxels
	 * @throws IllegalArgumentException for a spacing that is not finite and positive, or a volume beyond 2³¹ voxels
	 */
	public static ArrayImg< FloatType, FloatArray > linear(final RandomAccessibleInterval< ? extends RealType< ? > > in, final double[] from,
			final double[] to) {
		return linear(in, from, to, resampledSize(Intervals.dimensionsAsLongArray(in), from, to));
	}

	/**
	 * Resamples intensities to a new spacing and a given size: the inverse of {@link #linear(RandomAccessibleInterval, double[], double[])}
	 * onto the original grid (e.g. a probability map back onto the image it was predicted for).
	 *
	 * @param in a 2D or 3D volume; not modified
	 * @param from its spacing (x, y, z)
	 * @param to the new spacing
	 * @param size the output size, as many values as {@code in} has dimensions
	 * @return a float volume of {@code size} voxels
	 * @throws IllegalArgumentException for a spacing that is not finite and positive, a size that does not match, or a
	 *           volume beyond 2³¹ voxels
	 */
	public static ArrayImg< FloatType, FloatArray > linear(final RandomAccessibleInterval< ? extends RealType< ? > > in, final double[] from, final double[] to,
			final long[] size) {
		final String op = "VolumeResampling.linear";
		Checks.requireVolume(op, "input", in);
		requireSpacing(op, "from", from);
		requireSpacing(op, "to", to);
		if (size == null || size.length != in.numDimensions() || Arrays.stream(size).anyMatch(s -> s < 1))
			throw new IllegalArgumentException(op + ": size must be " + in.numDimensions() + " positive sizes, but was " + Arrays.toString(size) + ".");
		final int[] n = dims3(op, Intervals.dimensionsAsLongArray(in));
		final int[] m = dims3(op, size);
		float[] data = new float[n[0] * n[1] * n[2]];
		int i = 0;
		for (final RealType< ? > t : Views.flatIterable(in))
			data[i++] = t.getRealFloat();
		final int[] cur = n.clone();
		for (int axis = 0; axis < 3; axis++) {
			Cancellation.check(op);
			if (cur[axis] == m[axis] && from[axis] == to[axis]) continue;
			data = resampleAxis(data, cur, axis, m[axis], to[axis] / from[axis]);
			cur[axis] = m[axis];
		}
		return ArrayImgs.floats(data, size);
	}

	/**
	 * Resamples a mask (non-zero = inside) to a new spacing: trilinear interpolation of 0/1, then ≥ ½.
	 *
	 * @param in a 2D or 3D mask; not modified
	 * @param from its spacing (x, y, z)
	 * @param to the new spacing
	 * @return a 0/1 mask of {@link #resampledSize} voxels
	 */
	public static ArrayImg< UnsignedByteType, ByteArray > mask(final RandomAccessibleInterval< ? extends RealType< ? > > in, final double[] from,
			final double[] to) {
		final RandomAccessibleInterval< FloatType > binary = net.imglib2.converter.Converters.convert(in, (a, b) -> b.set(a.getRealDouble() != 0 ? 1 : 0),
				new FloatType());
		final float[] p = linear(binary, from, to).update(null).getCurrentStorageArray();
		final byte[] out = new byte[p.length];
		for (int i = 0; i < p.length; i++)
			out[i] = p[i] >= 0.5f ? (byte) 1 : 0;
		return ArrayImgs.unsignedBytes(out, resampledSize(Intervals.dimensionsAsLongArray(in), from, to));
	}

	/**
	 * One linear pass along {@code axis}: output index j samples the input at s = (j + ½)·scale − ½, clamped.
	 *
	 * @param data x-fastest values of size {@code dims}
	 * @param scale the output spacing in input voxels (to / from)
	 */
	private static float[] resampleAxis(final float[] data, final int[] dims, final int axis, final int outSize, final double scale) {
		final int n = dims[axis];
		final int[] lo = new int[outSize];
		final float[] w = new float[outSize];
		for (int j = 0; j < outSize; j++) {
			final double s = Math.min(n - 1, Math.max(0, (j + 0.5) * scale - 0.5));
			lo[j] = Math.min(n - 1, (int) Math.floor(s));
			w[j] = (float) (s - lo[j]);
		}
		final int[] od = dims.clone();
		od[axis] = outSize;
		final long total = (long) od[0] * od[1] * od[2];
		if (total > Integer.MAX_VALUE - 8)
			throw new IllegalArgumentException(
					"VolumeResampling: the resampled volume " + Arrays.toString(od) + " exceeds 2^31 voxels; resample to a coarser spacing or crop first.");
		final float[] out = new float[(int) total];
		// stride of the axis in the input and output; "inner" = product of the faster axes, "outer" = slower axes
		final int inner = axis == 0 ? 1 : axis == 1 ? dims[0] : dims[0] * dims[1];
		final int outer = axis == 0 ? dims[1] * dims[2] : axis == 1 ? dims[2] : 1;
		for (int o = 0; o < outer; o++) {
			final int inBase = o * n * inner, outBase = o * outSize * inner;
			for (int j = 0; j < outSize; j++) {
				final int a = inBase + lo[j] * inner, b = lo[j] + 1 < n ? a + inner : a, t = outBase + j * inner;
				final float wj = w[j], vj = 1 - wj;
				for (int k = 0; k < inner; k++)
					out[t + k] = vj * data[a + k] + wj * data[b + k];
			}
		}
		return out;
	}

	private static int[] dims3(final String op, final long[] dims) {
		final long total = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
		if (total > Integer.MAX_VALUE - 8)
			throw new IllegalArgumentException(op + ": a volume of " + Arrays.toString(dims) + " voxels exceeds 2^31 voxels; crop it or resample it in parts.");
		return new int[] { (int) dims[0], (int) dims[1], dims.length > 2 ? (int) dims[2] : 1 };
	}

	private static void requireSpacing(final String op, final String name, final double[] spacing) {
		if (spacing == null || spacing.length < 3)
			throw new IllegalArgumentException(op + ": " + name + " must be a spacing of 3 values (x, y, z), but was " + Arrays.toString(spacing) + ".");
		if (!Arrays.stream(spacing, 0, 3).allMatch(v -> v > 0 && Double.isFinite(v)))
			throw new IllegalArgumentException(
					op + ": " + name + " spacing must be finite and positive on every axis, but was " + Arrays.toString(spacing) + ".");
	}
}
