package org.lesionweighting.fiji;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.NativeType;
import net.imglib2.type.logic.BitType;
import net.imglib2.type.logic.BoolType;
import net.imglib2.type.logic.NativeBoolType;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Fraction;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * Converts between ImageJ 1 {@link ImagePlus} images and ImgLib2 volumes, and between IJ1
 * {@link Calibration} and voxel sizes.
 * <p>
 * <b>ImagePlus to volume.</b> {@link #wrap(ImagePlus)} returns a 3D {@code (x, y, z)} image whose planes
 * are the stack's own pixel arrays (a {@link PlanarImg}, one plane per slice): 8-bit images become
 * {@link UnsignedByteType}, 16-bit {@link UnsignedShortType} and 32-bit {@link FloatType}. Nothing is
 * copied, so writing into the volume changes the ImagePlus and vice versa. Virtual stacks are read into
 * memory (a copy). A 2D image is a volume of depth 1. RGB images and images with several channels or time
 * points are rejected with a message naming the dimensions found. {@link #channels} gives the channels of a
 * multi-channel hyperstack (one time point) as one such volume each, in channel order.
 * <p>
 * <b>Volume to ImagePlus.</b> {@link #toImagePlus(RandomAccessibleInterval, String)} copies into a new
 * stack whose type follows the pixel type: 8-bit for {@link UnsignedByteType} and boolean types, 16-bit for
 * {@link UnsignedShortType}, 32-bit for {@link FloatType} and other non-integer real types. For other
 * integer types (such as 32-bit label images) the values decide: 16-bit when every value is in
 * [0, 65535], otherwise 32-bit float when every value is in [-2^24, 2^24] (where float is exact),
 * otherwise an {@link IllegalArgumentException} naming the value found (ImageJ 1 has no exact 32-bit
 * integer type).
 * <p>
 * <b>Calibration.</b> The voxel size is {@code {pixelWidth, pixelHeight, pixelDepth}}, the unit is the
 * calibration unit ({@code "pixel"} when uncalibrated), the origin is the calibrated position of voxel
 * (0, 0, 0): {@code -xOrigin * pixelWidth} and so on.
 * <p>
 * Example (from {@code ImagePlusBridgeTest}):
 *
 * <pre>
 * final ImagePlus imp = IJ.createImage("mask", "8-bit black", 16, 16, 4);
 * final RandomAccessibleInterval&lt; ? extends RealType&lt; ? &gt; &gt; mask = ImagePlusBridge.wrap(imp);
 * final double[] voxelSize = ImagePlusBridge.voxelSize(imp);
 * </pre>
 */
public final class ImagePlusBridge {

	/** Largest integer magnitude a 32-bit float represents exactly: 2^24. */
	public static final long FLOAT_EXACT_MAX = 1L << 24;

	private ImagePlusBridge() {}

	/**
	 * Checks that {@code imp} is a single-channel, single-time-point, non-RGB image.
	 *
	 * @param operation the operation named in the message
	 * @param name the parameter named in the message
	 * @throws IllegalArgumentException if {@code imp} is null, RGB, or has several channels or frames
	 */
	public static void requireVolume(final String operation, final String name, final ImagePlus imp) {
		if (imp == null) throw new IllegalArgumentException(operation + ": no image given for '" + name + "'. Open an image or pass a file.");
		final int c = imp.getNChannels(), z = imp.getNSlices(), t = imp.getNFrames();
		if (imp.getType() == ImagePlus.COLOR_RGB) {
			throw new IllegalArgumentException(operation + ": " + name + " '" + imp.getTitle() + "' is an RGB image (c=3 colour components, z=" + z + ", t=" + t
					+ "); a single-channel 8-, 16- or 32-bit volume is required. Convert it first (Image > Type > 8-bit).");
		}
		if (c != 1 || t != 1) {
			throw new IllegalArgumentException(operation + ": " + name + " '" + imp.getTitle() + "' has c=" + c + " channels, z=" + z + " slices and t=" + t
					+ " time points; a single-channel 3D volume (c=1, t=1) is required. Split channels or "
					+ "extract one time point first (Image > Color > Split Channels, Image > Duplicate).");
		}
	}

	/**
	 * Wraps the pixels of {@code imp} as an {@code (x, y, z)} volume without copying (except for virtual
	 * stacks, which are read into memory).
	 *
	 * @param imp an 8-, 16- or 32-bit image with one channel and one time point; a 2D image gives depth 1
	 * @return a {@link PlanarImg} of {@link UnsignedByteType}, {@link UnsignedShortType} or {@link FloatType}
	 *         over the stack's arrays
	 * @throws IllegalArgumentException for RGB, multi-channel or time-series images (the message names c, z, t)
	 */
	public static RandomAccessibleInterval< ? extends RealType< ? > > wrap(final ImagePlus imp) {
		requireVolume("ImagePlusBridge.wrap", "image", imp);
		return planar(imp, IntStream.rangeClosed(1, imp.getStackSize()).toArray());
	}

	/**
	 * The planes {@code indices} (1-based stack indices) of {@code imp} as an {@code (x, y, z)} volume over the
	 * stack's own arrays (virtual stacks: read into memory).
	 */
	private static RandomAccessibleInterval< ? extends RealType< ? > > planar(final ImagePlus imp, final int[] indices) {
		final ImageStack stack = imp.getStack();
		final long[] dims = { imp.getWidth(), imp.getHeight(), indices.length };
		return switch (imp.getBitDepth()) {
			case 8 ->
				planar(stack, indices, dims, px -> new ByteArray((byte[]) px), (PlanarImg< UnsignedByteType, ByteArray > img) -> new UnsignedByteType(img));
			case 16 -> planar(stack, indices, dims, px -> new ShortArray((short[]) px),
					(PlanarImg< UnsignedShortType, ShortArray > img) -> new UnsignedShortType(img));
			case 32 -> planar(stack, indices, dims, px -> new FloatArray((float[]) px), (PlanarImg< FloatType, FloatArray > img) -> new FloatType(img));
			default -> throw new IllegalArgumentException("ImagePlusBridge.wrap: image '" + imp.getTitle() + "' has unsupported bit depth " + imp.getBitDepth()
					+ "; use an 8-, 16- or 32-bit image.");
		};
	}

	/** The stack planes {@code indices} as a {@link PlanarImg} over their arrays, {@code access} wrapping each plane's pixels. */
	private static < T extends NativeType< T >, A extends ArrayDataAccess< A > > PlanarImg< T, A > planar(final ImageStack stack, final int[] indices,
			final long[] dims, final Function< Object, A > access, final Function< PlanarImg< T, A >, T > linkedType) {
		final boolean virtual = stack.isVirtual();
		final List< A > planes = new ArrayList<>(indices.length);
		for (final int i : indices)
			planes.add(access.apply(virtual ? stack.getProcessor(i).getPixels() : stack.getPixels(i)));
		final PlanarImg< T, A > img = new PlanarImg<>(planes, dims, new Fraction());
		img.setLinkedType(linkedType.apply(img));
		return img;
	}

	/**
	 * Wraps {@code imp} as {@link #wrap} does and checks that a 32-bit image holds no NaN or infinite value.
	 *
	 * @param operation the operation named in the message
	 * @param name the parameter named in the message
	 * @throws IllegalArgumentException for bad images or non-finite values (naming the first position)
	 */
	public static RandomAccessibleInterval< ? extends RealType< ? > > wrapFinite(final String operation, final String name, final ImagePlus imp) {
		requireVolume(operation, name, imp);
		final RandomAccessibleInterval< ? extends RealType< ? > > rai = wrap(imp);
		requireFinite(operation, name + " '" + imp.getTitle() + "'", imp, rai);
		return rai;
	}

	/**
	 * The channels of {@code imp} as {@code (x, y, z)} volumes, in channel order, each checked as
	 * {@link #wrapFinite} does. A single-channel image gives {@code List.of(wrapFinite(operation, name, imp))};
	 * a hyperstack with C &gt; 1 channels gives C volumes whose planes are the stack's own arrays (no copy, except
	 * for virtual stacks, which are read into memory), so all channels have the same dimensions.
	 *
	 * @param operation the operation named in messages
	 * @param name the parameter named in messages
	 * @param imp an 8-, 16- or 32-bit image or hyperstack with one time point
	 * @return an unmodifiable list of C volumes
	 * @throws IllegalArgumentException if {@code imp} is null, RGB, has several time points or unsupported bit
	 *           depth, or a 32-bit channel holds NaN or an infinite value (the message names the channel and voxel)
	 */
	public static List< RandomAccessibleInterval< ? extends RealType< ? > > > channels(final String operation, final String name, final ImagePlus imp) {
		if (imp == null) throw new IllegalArgumentException(operation + ": no image given for '" + name + "'. Open an image or pass a file.");
		final int nc = imp.getNChannels(), nz = imp.getNSlices(), nt = imp.getNFrames();
		if (nt != 1 && imp.getType() != ImagePlus.COLOR_RGB) {
			throw new IllegalArgumentException(operation + ": " + name + " '" + imp.getTitle() + "' has t=" + nt + " time points (c=" + nc + " channels, z="
					+ nz
					+ " slices); one time point is required. Extract one first (Image > Duplicate... with one "
					+ "frame, or Image > Hyperstacks > Reduce Dimensionality).");
		}
		if (nc == 1 || imp.getType() == ImagePlus.COLOR_RGB) return List.of(wrapFinite(operation, name, imp));
		final List< RandomAccessibleInterval< ? extends RealType< ? > > > out = new ArrayList<>(nc);
		for (int c = 1; c <= nc; c++) {
			final int channel = c;
			final RandomAccessibleInterval< ? extends RealType< ? > > rai = planar(imp,
					IntStream.rangeClosed(1, nz).map(z -> imp.getStackIndex(channel, z, 1)).toArray());
			requireFinite(operation, name + " '" + imp.getTitle() + "' (channel " + c + " of " + nc + ")", imp, rai);
			out.add(rai);
		}
		return List.copyOf(out);
	}

	/** Throws if a 32-bit {@code rai} holds NaN or an infinite value, naming {@code what} and the voxel. */
	private static void requireFinite(final String operation, final String what, final ImagePlus imp,
			final RandomAccessibleInterval< ? extends RealType< ? > > rai) {
		if (imp.getBitDepth() != 32) return;
		final Cursor< ? extends RealType< ? > > c = Views.flatIterable(rai).localizingCursor();
		while (c.hasNext()) {
			final double v = c.next().getRealDouble();
			if (!Double.isFinite(v)) {
				throw new IllegalArgumentException(operation + ": " + what + " contains " + v + " at voxel (x, y, z) = "
						+ Arrays.toString(c.positionAsLongArray()) + "; replace NaN/infinite values (for example Process > Math > Remove NaNs) first.");
			}
		}
	}

	/** The voxel size {@code {pixelWidth, pixelHeight, pixelDepth}} of {@code imp} (1, 1, 1 when uncalibrated). */
	public static double[] voxelSize(final ImagePlus imp) {
		final Calibration cal = imp.getCalibration();
		return new double[] { cal.pixelWidth, cal.pixelHeight, cal.pixelDepth };
	}

	/** The calibration unit of {@code imp}, {@code "pixel"} when uncalibrated. */
	public static String unit(final ImagePlus imp) {
		return imp.getCalibration().getUnit();
	}

	/** The calibrated position of voxel (0, 0, 0): {@code {-xOrigin * pixelWidth, -yOrigin * pixelHeight, -zOrigin * pixelDepth}}. */
	public static double[] origin(final ImagePlus imp) {
		final Calibration cal = imp.getCalibration();
		return new double[] { -cal.xOrigin * cal.pixelWidth, -cal.yOrigin * cal.pixelHeight, -cal.zOrigin * cal.pixelDepth };
	}

	/**
	 * Sets the calibration of {@code imp}.
	 *
	 * @param imp the image to calibrate
	 * @param voxelSize 2 or 3 positive finite sizes (x, y[, z]); a missing z size is 1
	 * @param unit the unit, e.g. {@code "mm"}; null or empty means {@code "pixel"}
	 * @param origin calibrated position of voxel (0, 0, 0), or null for 0
	 * @throws IllegalArgumentException if a size is not positive and finite
	 */
	public static void setCalibration(final ImagePlus imp, final double[] voxelSize, final String unit, final double[] origin) {
		final String op = "ImagePlusBridge.setCalibration";
		if (voxelSize == null || voxelSize.length < 2 || voxelSize.length > 3)
			throw new IllegalArgumentException(op + ": voxelSize must have 2 or 3 entries, but was " + Arrays.toString(voxelSize) + ".");
		final double[] s = { voxelSize[0], voxelSize[1], voxelSize.length > 2 ? voxelSize[2] : 1 };
		for (int d = 0; d < 3; d++)
			org.lesionweighting.util.Checks.requirePositive(op, "voxelSize[" + d + "]", s[d]);
		final Calibration cal = imp.getCalibration().copy();
		cal.pixelWidth = s[0];
		cal.pixelHeight = s[1];
		cal.pixelDepth = s[2];
		cal.setUnit(unit == null || unit.isEmpty() ? "pixel" : unit);
		final double[] o = origin == null ? new double[3] : origin;
		cal.xOrigin = o.length > 0 ? -o[0] / s[0] : 0;
		cal.yOrigin = o.length > 1 ? -o[1] / s[1] : 0;
		cal.zOrigin = o.length > 2 ? -o[2] / s[2] : 0;
		imp.setCalibration(cal);
	}

	/**
	 * Copies {@code rai} into a new ImagePlus (one slice per z plane) whose type follows the class rules: see
	 * the class documentation.
	 *
	 * @param rai a 2D or 3D image; its min is ignored (the copy starts at 0)
	 * @param title the new image's title
	 * @return a new, uncalibrated ImagePlus
	 * @throws IllegalArgumentException if {@code rai} is not 2D/3D, is larger than ImageJ 1 allows, or holds
	 *           integer values no ImageJ 1 type represents exactly
	 */
	public static < T extends RealType< T > > ImagePlus toImagePlus(final RandomAccessibleInterval< T > rai, final String title) {
		final String op = "ImagePlusBridge.toImagePlus";
		org.lesionweighting.util.Checks.requireVolume(op, "image", rai);
		final long[] dims = Intervals.dimensionsAsLongArray(rai);
		if (dims[0] * dims[1] > Integer.MAX_VALUE - 8 || (dims.length > 2 && dims[2] > Integer.MAX_VALUE)) {
			throw new IllegalArgumentException(
					op + ": image of size " + Arrays.toString(dims) + " has planes larger than ImageJ 1 supports (2^31 pixels per slice).");
		}
		final T type = Views.flatIterable(rai).firstElement();
		final int depth = bitDepthFor(rai, type, op);
		final int w = (int) dims[0], h = (int) dims[1], nz = dims.length > 2 ? (int) dims[2] : 1;
		final RandomAccessibleInterval< T > src = dims.length > 2 ? Views.zeroMin(rai) : Views.addDimension(Views.zeroMin(rai), 0, 0);
		final ImageStack stack = new ImageStack(w, h);
		final int n = w * h;
		for (int z = 0; z < nz; z++) {
			final Cursor< T > c = Views.flatIterable(Views.hyperSlice(src, 2, z)).cursor();
			// setf narrows as (byte) (int) and (short) (int) do: 8- and 16-bit values are integers in 0..65535, exact in a float
			final ImageProcessor ip = depth == 8 ? new ByteProcessor(w, h) : depth == 16 ? new ShortProcessor(w, h) : new FloatProcessor(w, h);
			for (int i = 0; i < n; i++)
				ip.setf(i, c.next().getRealFloat());
			stack.addSlice(null, ip.getPixels());
		}
		final ImagePlus imp = new ImagePlus(title, stack);
		imp.resetDisplayRange();
		return imp;
	}

	/**
	 * Copies {@code rai} as {@link #toImagePlus(RandomAccessibleInterval, String)} does, with the calibration
	 * (voxel size, unit, origin) of {@code like}.
	 */
	public static < T extends RealType< T > > ImagePlus toImagePlus(final RandomAccessibleInterval< T > rai, final String title, final ImagePlus like) {
		final ImagePlus imp = toImagePlus(rai, title);
		copyCalibration(like, imp);
		return imp;
	}

	/** Copies the calibration (voxel size, unit, origin) of {@code from} to {@code to}. */
	public static void copyCalibration(final ImagePlus from, final ImagePlus to) {
		to.setCalibration(from.getCalibration().copy());
	}

	/** The bit depth {@link #toImagePlus} chooses, scanning integer values where the type does not decide. */
	private static < T extends RealType< T > > int bitDepthFor(final RandomAccessibleInterval< T > rai, final T type, final String op) {
		if (type instanceof UnsignedByteType || type instanceof BitType || type instanceof BoolType || type instanceof NativeBoolType) return 8;
		if (type instanceof UnsignedShortType) return 16;
		if (!(type instanceof IntegerType)) return 32;
		long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
		for (final T t : Views.iterable(rai)) {
			final long v = ((IntegerType< ? >) t).getIntegerLong();
			if (v < min) min = v;
			if (v > max) max = v;
		}
		if (min >= 0 && max <= 65535) return 16;
		if (min >= -FLOAT_EXACT_MAX && max <= FLOAT_EXACT_MAX) return 32;
		throw new IllegalArgumentException(
				op + ": integer values range over [" + min + ", " + max + "], which neither 16-bit (0..65535) nor 32-bit float (exact up to 2^24 = "
						+ FLOAT_EXACT_MAX + ") images represent exactly. Use a file format with 32-bit integers (NIfTI) or reduce the number of labels.");
	}
}
