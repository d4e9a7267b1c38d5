package org.lesionweighting.fiji.volume;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import org.lesionweighting.fiji.ImagePlusBridge;
import org.lesionweighting.io.DataType;
import org.lesionweighting.io.ReadOptions;
import org.lesionweighting.io.Volume;
import org.lesionweighting.io.VolumeFormat;
import org.lesionweighting.io.VolumeGeometry;
import org.lesionweighting.io.VolumeIO;
import org.lesionweighting.io.WriteOptions;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.converter.Converters;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * NIfTI and MetaImage volumes as ImageJ images: calibration (voxel size, unit, origin) from the file, and
 * the exact geometry (affine, NIfTI qform/sform) in the image's {@code Info} property
 * ({@link VolumeGeometry#toText()}), so that saving the image again writes the same geometry as long as
 * the voxel size and origin were not changed. Thread-safe (no state).
 */
public final class MedicalVolumes {

	/** Info line recording the data type stored in the file, e.g. {@code lw.file.datatype = int16}. */
	public static final String INFO_DATATYPE = "lw.file.datatype";

	private MedicalVolumes() {}

	/**
	 * Opens a volume file as an ImagePlus (a hyperstack with frames for 4D files).
	 *
	 * @throws IOException if the file cannot be read; the message names the file and the problem
	 */
	public static ImagePlus open(final Path file, final ReadOptions options) throws IOException {
		return toImagePlus(VolumeIO.read(file, options), file.getFileName().toString());
	}

	/**
	 * Copies a volume into a new calibrated ImagePlus whose info holds the geometry. 8-bit for uint8, 16-bit
	 * for uint16 (and other integer data in [0, 65535]), 32-bit float otherwise.
	 */
	public static ImagePlus toImagePlus(final Volume v, final String title) {
		final VolumeGeometry g = v.geometry();
		final ImagePlus imp;
		if (v.isSingle3D()) imp = copy(v.requireSingle3D(title), title);
		else {
			ImagePlus[] parts = new ImagePlus[v.numTimePoints()];
			boolean same = true;
			for (int t = 0; t < parts.length; t++) {
				parts[t] = copy(v.timePoint(t).requireSingle3D(title), title);
				same &= parts[t].getBitDepth() == parts[0].getBitDepth();
			}
			if (!same) for (int t = 0; t < parts.length; t++)
				parts[t] = copy(asFloat(v.timePoint(t).requireSingle3D(title)), title);
			final ImageStack stack = new ImageStack(parts[0].getWidth(), parts[0].getHeight());
			for (final ImagePlus p : parts)
				for (int z = 1; z <= p.getStackSize(); z++)
					stack.addSlice(null, p.getStack().getPixels(z));
			imp = new ImagePlus(title, stack);
			imp.setDimensions(1, parts[0].getStackSize(), parts.length);
			imp.setOpenAsHyperStack(true);
			imp.resetDisplayRange();
		}
		final String unit = g.unit().isEmpty() ? "pixel" : g.unit().equals("um") ? "µm" : g.unit();
		ImagePlusBridge.setCalibration(imp, g.spacing(), unit, g.origin());
		if (g.timeStep() > 0) {
			imp.getCalibration().frameInterval = g.timeStep();
			if (!g.timeUnit().isEmpty()) imp.getCalibration().setTimeUnit(g.timeUnit().equals("us") ? "µs" : g.timeUnit());
		}
		final StringBuilder info = new StringBuilder();
		if (v.source() != null) info.append("lw.file.source = ").append(v.source()).append('\n');
		if (v.fileDataType() != null && !v.isScaled()) info.append(INFO_DATATYPE).append(" = ").append(v.fileDataType().key()).append('\n');
		info.append(g.toText());
		imp.setProperty("Info", info.toString());
		// the grid also travels in Calibration.info, which ImagePlusBridge.copyCalibration passes on to derived images
		final Calibration cal = imp.getCalibration().copy();
		cal.info = g.toText();
		imp.setCalibration(cal);
		return imp;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static ImagePlus copy(final RandomAccessibleInterval< ? extends RealType< ? > > rai, final String title) {
		return ImagePlusBridge.toImagePlus((RandomAccessibleInterval) rai, title);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static RandomAccessibleInterval< FloatType > asFloat(final RandomAccessibleInterval< ? extends RealType< ? > > rai) {
		return Converters.convert((RandomAccessibleInterval) rai, (a, b) -> ((FloatType) b).setReal(((RealType< ? >) a).getRealDouble()), new FloatType());
	}

	/**
	 * The geometry to save {@code imp} with: the one in its {@code Info} property or, for images derived
	 * with a copied calibration, in {@code Calibration.info}, if the calibration (voxel size, origin) still
	 * matches it; otherwise axis-aligned from the calibration.
	 */
	public static VolumeGeometry geometry(final ImagePlus imp) {
		final double[] s = ImagePlusBridge.voxelSize(imp);
		final double[] o = ImagePlusBridge.origin(imp);
		final Object info = imp.getProperty("Info");
		for (final String text : new String[] { info instanceof String infoText ? infoText : null, imp.getCalibration().info }) {
			final VolumeGeometry g = VolumeGeometry.fromText(text);
			if (g != null && close(g.spacing(), s) && close(g.origin(), o)) return g;
		}
		String unit = ImagePlusBridge.unit(imp);
		final String u = unit == null ? "" : unit.toLowerCase(Locale.ROOT);
		if (u.startsWith("pixel")) unit = "";
		else if (u.equals("µm") || u.equals("micron") || u.equals("microns")) unit = "um";
		return VolumeGeometry.of(s, o, null).withUnit(unit);
	}

	private static boolean close(final double[] a, final double[] b) {
		for (int i = 0; i < 3; i++)
			if (Math.abs(a[i] - b[i]) > 1e-6 * Math.max(1, Math.abs(a[i]))) return false;
		return true;
	}

	/**
	 * Saves a 3D image (one channel, one time point) by extension ({@code .nii}, {@code .nii.gz},
	 * {@code .mhd}, {@code .mha}). A 32-bit image opened from an integer file whose values are still
	 * integers in the file type's range is written in that type again.
	 *
	 * @throws IOException if the extension is not supported or writing fails (nothing is left behind)
	 * @throws IllegalArgumentException for RGB, multi-channel or time-series images
	 */
	public static void save(final ImagePlus imp, final Path file, final WriteOptions options) throws IOException {
		final VolumeFormat f = VolumeFormat.of(file);
		if (f == null || f == VolumeFormat.NIFTI_PAIR)
			throw new IOException(file + ": unsupported extension for a medical volume; use .nii, .nii.gz, .mhd or .mha.");
		VolumeIO.write(file, ImagePlusBridge.wrap(imp), geometry(imp), withFileType(imp, options));
	}

	/** Writes {@code imp} to {@code file} in {@code format}; MetaImage data go to {@code mhdDataName}. */
	static void saveAs(final ImagePlus imp, final Path file, final VolumeFormat format, final String mhdDataName, final WriteOptions options)
			throws IOException {
		final RandomAccessibleInterval< ? extends RealType< ? > > rai = ImagePlusBridge.wrap(imp);
		final WriteOptions o = withFileType(imp, options);
		if (format == VolumeFormat.METAIMAGE_MHD) VolumeIO.writeMetaImage(file, mhdDataName, rai, geometry(imp), o);
		else
			VolumeIO.write(file, format, rai, geometry(imp), o);
	}

	private static WriteOptions withFileType(final ImagePlus imp, final WriteOptions options) {
		final WriteOptions o = options == null ? WriteOptions.DEFAULT : options;
		if (o.dataType() != null || imp.getBitDepth() != 32) return o;
		final Object info = imp.getProperty("Info");
		if (!(info instanceof String text)) return o;
		DataType dt = null;
		for (final String line : text.split("\\R")) {
			if (line.trim().startsWith(INFO_DATATYPE)) {
				try {
					dt = DataType.fromString(line.substring(line.indexOf('=') + 1).trim());
				}
				catch (final IllegalArgumentException e) {
					return o;
				}
			}
		}
		if (dt == null || !dt.isInteger()) return o;
		final ImageStack stack = imp.getStack();
		for (int z = 1; z <= stack.getSize(); z++) {
			for (final float v : (float[]) stack.getProcessor(z).getPixels())
				if (v != Math.rint(v) || v < dt.min() || v > dt.max()) return o;
		}
		return o.withDataType(dt);
	}
}
