package org.lesionweighting.fiji;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;

/**
 * Opens and saves ImagePlus volumes by file extension, and checks CSV table outputs.
 * <p>
 * Built in: TIFF ({@code .tif}, {@code .tiff}) through ImageJ 1 ({@code IJ.openImage},
 * {@code FileSaver.saveAsTiffStack}), keeping the calibration (voxel size, unit, origin). Other formats
 * are plugged in as {@link ImageFileFormat} services. Every write goes to a temporary file in the target
 * folder that is renamed at the end ({@link OutputFiles}), so a failure leaves no partial file.
 * <p>
 * Thread-safe: the methods keep no state apart from the immutable list of formats.
 */
public final class VolumeFiles {

	private static final ImageFileFormat TIFF = new ImageFileFormat() {

		@Override
		public List< String > extensions() {
			return List.of(".tiff", ".tif");
		}

		@Override
		public ImagePlus read(final Path file) throws IOException {
			final ImagePlus imp = IJ.openImage(file.toString());
			if (imp == null) throw new IOException("Cannot read " + file + ": ImageJ could not open it as TIFF (corrupt or unsupported TIFF).");
			return imp;
		}

		@Override
		public void write(final ImagePlus imp, final Path file, final String extension) throws IOException {
			final FileSaver saver = new FileSaver(imp);
			final boolean ok = imp.getStackSize() > 1 ? saver.saveAsTiffStack(file.toString()) : saver.saveAsTiff(file.toString());
			if (!ok) throw new IOException("Cannot write TIFF " + file + " (ImageJ's FileSaver failed; is the disk full?).");
		}
	};

	private static final List< ImageFileFormat > FORMATS = Stream
			.concat(Stream.of(TIFF), ServiceLoader.load(ImageFileFormat.class, VolumeFiles.class.getClassLoader()).stream().map(ServiceLoader.Provider::get))
			.toList();

	private VolumeFiles() {}

	/** All supported extensions, for messages and file dialogs: {@code .tiff, .tif, ...}. */
	public static List< String > extensions() {
		return FORMATS.stream().flatMap(f -> f.extensions().stream()).toList();
	}

	/**
	 * Opens a volume file.
	 *
	 * @param file an existing, readable file with a supported extension
	 * @return a new ImagePlus titled after the file name, with the file's calibration
	 * @throws IOException if the file does not exist, is not readable, has an unknown extension (the message
	 *           lists the supported ones), or cannot be decoded
	 */
	public static ImagePlus open(final Path file) throws IOException {
		if (file == null) throw new IOException("VolumeFiles.open: no file given.");
		if (!Files.exists(file)) throw new IOException("Cannot read " + file.toAbsolutePath() + ": the file does not exist.");
		if (Files.isDirectory(file)) throw new IOException("Cannot read " + file.toAbsolutePath() + ": it is a folder, not an image file.");
		if (!Files.isReadable(file)) throw new IOException("Cannot read " + file.toAbsolutePath() + ": permission denied.");
		final ImageFileFormat f = require(file);
		final ImagePlus imp = f.read(file);
		imp.setTitle(file.getFileName().toString());
		return imp;
	}

	/**
	 * Checks that {@code file} could be written: supported extension, existing folder, not a folder itself.
	 * Commands call this for every output before computing, so that bad paths fail early.
	 *
	 * @throws IOException naming the problem
	 */
	public static void checkWritable(final Path file) throws IOException {
		final ImageFileFormat f = require(file);
		f.checkWritable(file, extensionOf(f, file));
		checkTarget(file);
	}

	/**
	 * Saves {@code imp} (with its calibration) to {@code file}, in the format of the file's extension,
	 * through a temporary file renamed at the end.
	 *
	 * @throws IOException if the extension is unknown (listing the supported ones), the folder does not exist
	 *           or is not writable, or writing fails; {@code file} is then unchanged
	 */
	public static void save(final ImagePlus imp, final Path file) throws IOException {
		checkWritable(file);
		new OutputFiles().volume(imp, file).commit();
	}

	/**
	 * Writes {@code imp} to {@code temporary} in the format that the name of {@code target} selects. Used by
	 * {@link OutputFiles}, which renames the temporary file later.
	 *
	 * @throws IOException if the extension of {@code target} is unknown or writing fails
	 */
	static void saveTo(final ImagePlus imp, final Path target, final Path temporary) throws IOException {
		final ImageFileFormat f = require(target);
		f.write(imp, temporary, extensionOf(f, target));
	}

	/**
	 * Checks that a CSV table could be written to {@code file}: the name ends with {@code .csv} and the folder
	 * exists.
	 *
	 * @throws IOException naming the problem
	 */
	public static void checkTableWritable(final Path file) throws IOException {
		if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
			throw new IOException("Cannot write table " + file + ": the file name must end with .csv.");
		}
		checkTarget(file);
	}

	private static void checkTarget(final Path file) throws IOException {
		final Path abs = OutputFiles.requireFolder(file);
		final Path dir = abs.getParent();
		if (Files.isDirectory(abs)) throw new IOException("Cannot write " + abs + ": it is a folder. Give a file name.");
		if (!Files.isWritable(dir)) throw new IOException("Cannot write " + abs + ": the folder " + dir + " is not writable.");
	}

	private static ImageFileFormat require(final Path file) throws IOException {
		if (file == null) throw new IOException("No file given.");
		final ImageFileFormat f = file.getFileName() == null
				? null
				: FORMATS.stream().filter(e -> !extensionOf(e, file).isEmpty()).max(Comparator.comparingInt(e -> extensionOf(e, file).length())).orElse(null);
		if (f == null)
			throw new IOException("Unsupported file type: " + file.getFileName() + ". Supported extensions: " + String.join(", ", extensions()) + ".");
		return f;
	}

	private static String extensionOf(final ImageFileFormat f, final Path file) {
		final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
		return f.extensions().stream().filter(name::endsWith).max(Comparator.comparingInt(String::length)).orElse("");
	}
}
