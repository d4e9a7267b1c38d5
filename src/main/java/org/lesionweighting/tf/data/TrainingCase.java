package org.lesionweighting.tf.data;

import java.util.Arrays;
import java.util.List;

import org.lesionweighting.io.VolumeResampling;
import org.lesionweighting.label.Connectivity;
import org.lesionweighting.label.LesionLabeling;
import org.lesionweighting.util.Checks;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * One training image prepared for patch sampling: its preprocessed channels as flat x-fastest float
 * arrays, its binary target, and the connected components of the target labelled <em>once on the full
 * volume</em> with 26-connectivity (doc/method.md §1.1, §1.3), with a compact per-lesion voxel index (the
 * voxel indices of all lesion voxels sorted by component, plus offsets; 4 bytes per lesion voxel).
 * <p>
 * A 2D volume is treated as a volume of depth 1. Instances are immutable after {@link #prepare} and safe
 * to read from several threads.
 */
public final class TrainingCase {

	private final String name;

	/** (nx, ny, nz); never changed. */
	private final int[] dims;

	private final float[][] channels;

	private final float[] channelMin;

	private final byte[] target;

	private final int[] components;

	private final int numLesions;

	/** offsets[k-1] .. offsets[k]-1 index lesionVoxels for component k (1-based). */
	private final int[] offsets;

	private final int[] lesionVoxels;

	private final double[] spacing;

	/** The spacing the case was read at (differs from {@link #spacing} once resampled). */
	private final double[] sourceSpacing;

	private TrainingCase(final String name, final int[] dims, final float[][] channels, final byte[] target, final int[] components, final int numLesions,
			final double[] spacing, final double[] sourceSpacing) {
		this.name = name;
		this.dims = dims;
		this.channels = channels;
		this.target = target;
		this.components = components;
		this.numLesions = numLesions;
		this.spacing = spacing;
		this.sourceSpacing = sourceSpacing;
		channelMin = new float[channels.length];
		for (int c = 0; c < channels.length; c++) {
			float m = Float.POSITIVE_INFINITY;
			for (final float v : channels[c])
				m = Math.min(m, v);
			channelMin[c] = m;
		}
		offsets = new int[numLesions + 1];
		for (final int l : components)
			if (l > 0) offsets[l]++;
		for (int k = 1; k <= numLesions; k++)
			offsets[k] += offsets[k - 1];
		lesionVoxels = new int[offsets[numLesions]];
		final int[] fill = Arrays.copyOf(offsets, numLesions);
		for (int i = 0; i < components.length; i++)
			if (components[i] > 0) lesionVoxels[fill[components[i] - 1]++] = i;
	}

	/**
	 * Preprocesses the channels and labels the lesions of one case.
	 *
	 * @param name case name used in messages and logs
	 * @param channels one volume per input channel, all on the same interval (2D or 3D)
	 * @param mask lesion mask on the same interval (non-zero = lesion), or {@code null} for an unlabelled
	 *          case (treated as lesion-free)
	 * @param preprocessing applied to each channel independently
	 * @param spacing voxel spacing (x, y, z) kept for the model metadata; {@code null} means unknown (1, 1, 1)
	 * @throws IllegalArgumentException on an empty channel list, differing intervals, NaN or volumes above
	 *           2^31 voxels
	 */
	public static TrainingCase prepare(final String name, final List< ? extends RandomAccessibleInterval< ? extends RealType< ? > > > channels,
			final RandomAccessibleInterval< ? extends RealType< ? > > mask, final Preprocessing preprocessing, final double[] spacing) {
		final String op = "TrainingCase.prepare(" + name + ")";
		if (channels == null || channels.isEmpty()) throw new IllegalArgumentException(op + ": no input channel was given; pass at least one image volume.");
		final RandomAccessibleInterval< ? extends RealType< ? > > first = channels.get(0);
		Checks.requireVolume(op, "channel 0", first);
		for (int c = 1; c < channels.size(); c++)
			if (!Arrays.equals(Intervals.dimensionsAsLongArray(first), Intervals.dimensionsAsLongArray(channels.get(c))))
				throw new IllegalArgumentException(op + ": channel " + c + " has size " + Arrays.toString(Intervals.dimensionsAsLongArray(channels.get(c)))
						+ " but channel 0 has " + Arrays.toString(Intervals.dimensionsAsLongArray(first)) + "; all channels must be on the same grid.");
		if (mask != null && !Arrays.equals(Intervals.dimensionsAsLongArray(first), Intervals.dimensionsAsLongArray(mask)))
			throw new IllegalArgumentException(op + ": the label has size " + Arrays.toString(Intervals.dimensionsAsLongArray(mask)) + " but the image has "
					+ Arrays.toString(Intervals.dimensionsAsLongArray(first)) + "; image and label must be on the same grid.");
		final int[] dims = { (int) first.dimension(0), (int) first.dimension(1), first.numDimensions() > 2 ? (int) first.dimension(2) : 1 };
		final float[][] data = new float[channels.size()][];
		for (int c = 0; c < data.length; c++)
			data[c] = preprocessing.apply(channels.get(c));
		final int n = data[0].length;
		final byte[] target = new byte[n];
		if (mask != null) {
			int i = 0;
			for (final RealType< ? > t : Views.flatIterable(mask)) {
				final double v = t.getRealDouble();
				if (Double.isNaN(v))
					throw new IllegalArgumentException(
							op + ": the label contains NaN at voxel index " + i + "; labels must be 0 (background) or non-zero (lesion).");
				target[i++] = v != 0 ? (byte) 1 : 0;
			}
		}
		return fromArrays(name, dims, data, target, spacing);
	}

	/**
	 * Builds a case from arrays that are already preprocessed (used by tests and by callers that
	 * preprocess themselves). The arrays are used as given, not copied.
	 *
	 * @param dims (nx, ny, nz)
	 * @param channels one x-fastest float array per channel, each of nx·ny·nz values
	 * @param target x-fastest binary target (non-zero = lesion), nx·ny·nz values
	 * @param spacing voxel spacing or {@code null}
	 */
	public static TrainingCase fromArrays(final String name, final int[] dims, final float[][] channels, final byte[] target, final double[] spacing) {
		final String op = "TrainingCase.fromArrays(" + name + ")";
		if (dims.length != 3 || dims[0] < 1 || dims[1] < 1 || dims[2] < 1)
			throw new IllegalArgumentException(op + ": dims must be three positive sizes (nx, ny, nz), but were " + Arrays.toString(dims) + ".");
		final long n = (long) dims[0] * dims[1] * dims[2];
		if (channels.length == 0) throw new IllegalArgumentException(op + ": no input channel was given.");
		for (int c = 0; c < channels.length; c++)
			if (channels[c].length != n)
				throw new IllegalArgumentException(
						op + ": channel " + c + " has " + channels[c].length + " values but dims " + Arrays.toString(dims) + " need " + n + ".");
		if (target.length != n)
			throw new IllegalArgumentException(op + ": the target has " + target.length + " values but dims " + Arrays.toString(dims) + " need " + n + ".");
		final byte[] bin = new byte[target.length];
		for (int i = 0; i < bin.length; i++)
			bin[i] = target[i] != 0 ? (byte) 1 : 0;
		final ArrayImg< UnsignedByteType, ByteArray > maskImg = ArrayImgs.unsignedBytes(bin, dims[0], dims[1], dims[2]);
		final int[] comp = new int[(int) n];
		final int k = LesionLabeling.label(maskImg, ArrayImgs.ints(comp, dims[0], dims[1], dims[2]), Connectivity.TWENTY_SIX);
		final double[] sp = spacing == null ? new double[] { 1, 1, 1 } : Arrays.copyOf(spacing, 3);
		if (spacing != null && spacing.length == 2) sp[2] = 1;
		return new TrainingCase(name, dims.clone(), channels, bin, comp, k, sp, sp);
	}

	/**
	 * This case with its channels transformed by {@code p}: the transform is applied <em>in place</em> to this case's
	 * channel arrays, which the returned case takes over (this instance must not be used afterwards); target and
	 * lesion labels are shared, not recomputed. For planning: read raw, plan, then preprocess without reading again.
	 */
	public TrainingCase preprocessedInPlace(final Preprocessing p) {
		for (final float[] c : channels)
			p.applyInPlace(c);
		return new TrainingCase(name, dims, channels, target, components, numLesions, spacing, sourceSpacing);
	}

	/**
	 * This case on a grid of spacing {@code to} ({@link VolumeResampling}: channels trilinear, the target as
	 * interpolated 0/1 at ≥ ½, lesions labelled again); this very case when the spacings agree within
	 * {@link VolumeResampling#TOLERANCE}. Resample before preprocessing: the channels are interpolated as they are.
	 *
	 * @param to the new spacing (x, y, z)
	 * @return the resampled case, which remembers its {@link #sourceSpacing}
	 */
	public TrainingCase resampledTo(final double[] to) {
		if (!VolumeResampling.differ(spacing, to)) return this;
		final long[] d = { dims[0], dims[1], dims[2] };
		final float[][] ch = new float[channels.length][];
		for (int c = 0; c < ch.length; c++)
			ch[c] = VolumeResampling.linear(ArrayImgs.floats(channels[c], d), spacing, to).update(null).getCurrentStorageArray();
		final ArrayImg< UnsignedByteType, ByteArray > mask = VolumeResampling.mask(ArrayImgs.unsignedBytes(target, d), spacing, to);
		final long[] nd = Intervals.dimensionsAsLongArray(mask);
		final TrainingCase r = fromArrays(name, new int[] { (int) nd[0], (int) nd[1], (int) nd[2] }, ch, mask.update(null).getCurrentStorageArray(), to);
		return new TrainingCase(name, r.dims, r.channels, r.target, r.components, r.numLesions, r.spacing, sourceSpacing);
	}

	/** The voxel spacing (x, y, z) the case was read at, before any {@link #resampledTo}. */
	public double[] sourceSpacing() {
		return sourceSpacing.clone();
	}

	public String name() {
		return name;
	}

	/** Size (nx, ny, nz). */
	public int[] dims() {
		return dims.clone();
	}

	public int numChannels() {
		return channels.length;
	}

	/** The preprocessed intensities of channel {@code c} (x fastest); the returned array must not be modified. */
	public float[] channel(final int c) {
		return channels[c];
	}

	/** The minimum of preprocessed channel {@code c}: the padding value of doc/method.md §3.4. */
	public float channelMin(final int c) {
		return channelMin[c];
	}

	/** The binary target (0/1, x fastest); must not be modified. */
	public byte[] target() {
		return target;
	}

	/** Global component labels 0..K of the target (26-connectivity, raster order); must not be modified. */
	public int[] components() {
		return components;
	}

	/** K, the number of lesions (connected components of the target). */
	public int numLesions() {
		return numLesions;
	}

	/** Voxel count of lesion {@code k} (1-based). */
	public int lesionSize(final int k) {
		return offsets[k] - offsets[k - 1];
	}

	/** The flat index of the {@code j}-th voxel (0-based, raster order) of lesion {@code k} (1-based). */
	public int lesionVoxel(final int k, final int j) {
		return lesionVoxels[offsets[k - 1] + j];
	}

	/** The voxel spacing (x, y, z). */
	public double[] spacing() {
		return spacing.clone();
	}
}
