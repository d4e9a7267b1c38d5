package org.lesionweighting.fiji.infer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.lesionweighting.fiji.CommandInputs;
import org.lesionweighting.fiji.ImagePlusBridge;
import org.lesionweighting.fiji.VolumeFiles;

import ij.ImagePlus;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.util.Intervals;

/**
 * The input channels of Segment Lesions, from what the user gave, checked against the number of channels the
 * model expects (from its {@code model.json}, read without TensorFlow). One of three sources:
 * <ul>
 * <li>{@code image}: an open image; a hyperstack with C channels (one time point) gives its C channels in order,
 * as views on its pixels ({@link ImagePlusBridge#channels});</li>
 * <li>{@code input}: a file (a multi-channel TIFF gives its channels as an image does). When the model expects
 * more channels than the file holds and its name follows the nnU-Net pattern {@code <case>_0000.<ext>}, the
 * sibling files {@code <case>_0001.<ext>}, {@code <case>_0002.<ext>}, ... of the same folder are the next
 * channels ({@link #siblings}), and {@link Channels#note()} says so;</li>
 * <li>{@code channel_files}: one file per channel, in the training order, separated by {@value #SEPARATOR}
 * (for files that do not follow the nnU-Net naming).</li>
 * </ul>
 * A file ({@code channel_files}, then {@code input}) takes precedence over {@code image}: Fiji fills a command's
 * single image parameter with the active image by itself, so only a file is certainly the user's choice
 * ({@link Channels#note()} says when an open image is not used).
 * <p>
 * All channels must have the same dimensions; outputs take the calibration of the first channel.
 * <p>
 * Not thread-safe with respect to the images it is given (it wraps their pixel arrays); otherwise stateless.
 */
public final class SegmentationInputs {

	/** Separator of the paths in {@code channel_files}. */
	public static final String SEPARATOR = ";";

	/** The nnU-Net name of a case's first channel file without its extension: {@code <case>_0000}. */
	private static final Pattern FIRST_CHANNEL = Pattern.compile("(.+)_0000");

	private SegmentationInputs() {}

	/**
	 * The channels to segment.
	 *
	 * @param volumes the channels, in the model's order, all with the same dimensions (views on {@link #first}'s
	 *        pixels when they come from an open image)
	 * @param first the image of the first channel: its calibration is the outputs' calibration
	 * @param baseName the name the output titles start with ({@code patient07} for
	 *        {@code patient07_0000.nii.gz} with its siblings)
	 * @param files the file of each channel, or {@code null} when the channels do not come one per file (an open
	 *        image, a multi-channel TIFF)
	 * @param note what was looked up, for the log (siblings found), or {@code null}
	 */
	public record Channels(List< RandomAccessibleInterval< ? extends RealType< ? > > > volumes, ImagePlus first, String baseName, List< Path > files,
			String note) {

		/** The voxel size of the first channel (x, y, z). */
		public double[] voxelSize() {
			return ImagePlusBridge.voxelSize(first);
		}
	}

	/**
	 * Collects the channels from {@code channel_files}, else {@code image}, else {@code input} (see the class
	 * documentation).
	 *
	 * @param operation the command title, for messages
	 * @param expected the number of channels the model expects (at least 1)
	 * @param image the open image, or {@code null}
	 * @param input the input file, or {@code null}/empty
	 * @param channelFiles paths separated by {@value #SEPARATOR}, or {@code null}/blank
	 * @return the channels, exactly {@code expected} of them
	 * @throws IllegalArgumentException if no source is given, or {@code input} with {@code image} or
	 *           {@code channel_files}, if the channel count differs from
	 *           {@code expected}, the channels differ in dimensions, or an image is unusable (RGB, several time
	 *           points, NaN values); each message names the parameter and what to do
	 * @throws IOException if a file cannot be read, or a sibling file {@code <case>_000N.<ext>} is missing (the
	 *           message names the expected file)
	 */
	public static Channels resolve(final String operation, final int expected, final ImagePlus image, final File input, final String channelFiles)
			throws IOException {
		final boolean hasInput = !CommandInputs.isEmpty(input), hasList = channelFiles != null && !channelFiles.isBlank();
		if (hasInput && hasList)
			throw new IllegalArgumentException(operation
					+ ": give either 'input' (the first channel's file; nnU-Net siblings are found) or 'channel_files' (every channel's file), not both.");
		final Channels c;
		if (hasList) {
			final List< Path > files = parseList(operation, channelFiles);
			c = open(operation, files, "channel_files", null,
					image == null ? null : operation + ": 'channel_files' is given, so the open image '" + image.getTitle() + "' is not used.");
			requireCount(operation, expected, c,
					"'channel_files' lists " + files.size() + " file(s). List one file per channel, in the training order, separated by '" + SEPARATOR + "'.");
		}
		else if (hasInput) {
			final Path file = input.toPath();
			final ImagePlus imp = VolumeFiles.open(file);
			final List< RandomAccessibleInterval< ? extends RealType< ? > > > own = ImagePlusBridge.channels(operation, "input", imp);
			final String caseName = caseName(file);
			if (own.size() == 1 && expected > 1 && caseName != null) {
				final List< Path > files = siblings(file, expected);
				return open(operation, files, "input", imp, operation + ": the model expects " + expected + " channels; using " + file.getFileName()
						+ " (channel 0000) and its nnU-Net sibling(s) "
						+ files.subList(1, files.size()).stream().map(p -> String.valueOf(p.getFileName())).collect(Collectors.joining(", "))
						+ (image == null ? "" : "; the open image '" + image.getTitle() + "' is not used"));
			}
			c = new Channels(own, imp, CommandInputs.baseName(imp.getTitle()), own.size() == 1 ? List.of(file) : null,
					image == null ? null : operation + ": 'input' is given, so the open image '" + image.getTitle() + "' is not used.");
			final String what = "input '" + file.getFileName() + "' has " + own.size() + " channel(s)";
			if (own.size() < expected && caseName == null)
				requireCount(operation, expected, c, what
						+ " and its name does not follow the nnU-Net pattern <case>_0000.<ext>, so no sibling "
						+ "channel files were looked for. Name the files <case>_0000.<ext>, <case>_0001.<ext>, ... "
						+ "(one per channel, in the training order) or list them in 'channel_files' (separated by '"
						+ SEPARATOR + "').");
			else
				requireCount(operation, expected, c,
						what + ". Give the channels the model was trained with: one file per channel in 'channel_files' (separated by '" + SEPARATOR
								+ "') or a hyperstack with " + expected + " channel(s).");
		}
		else if (image != null) {
			c = new Channels(ImagePlusBridge.channels(operation, "image", image), image, CommandInputs.baseName(image.getTitle()), null, null);
			requireCount(operation, expected, c,
					"image '" + image.getTitle() + "' has " + c.volumes().size() + " channel(s). Give a hyperstack with " + expected
							+ " channels in the training order (Image > Color > Merge Channels...), or the files with 'channel_files' (separated by '"
							+ SEPARATOR + "').");
		}
		else
			throw new IllegalArgumentException(operation + ": no input; give 'image' (an open image), 'input' (a file, "
					+ String.join(", ", VolumeFiles.extensions()) + ") or 'channel_files' (one file per channel, separated by '" + SEPARATOR + "').");
		return c;
	}

	/**
	 * The channel files of the nnU-Net case of {@code first}: {@code <case>_0000.<ext>} (that is {@code first}),
	 * {@code <case>_0001.<ext>}, ..., {@code <case>_<n-1>.<ext>} in the same folder, with the same extension.
	 *
	 * @param first a file named {@code <case>_0000.<ext>} ({@code ext} one of {@link VolumeFiles#extensions()})
	 * @param n the number of channels, at least 1
	 * @return {@code n} paths, {@code first} first
	 * @throws IllegalArgumentException if {@code first} does not follow the pattern
	 * @throws IOException if a sibling does not exist (the message names it)
	 */
	public static List< Path > siblings(final Path first, final int n) throws IOException {
		final String caseName = caseName(first);
		if (caseName == null)
			throw new IllegalArgumentException("SegmentationInputs.siblings: " + first.getFileName()
					+ " does not follow the nnU-Net pattern <case>_0000.<ext>; rename it or list the channel files explicitly.");
		final String name = first.getFileName().toString();
		final String ext = name.substring(CommandInputs.baseName(name).length());
		final List< Path > out = new ArrayList<>(n);
		out.add(first);
		for (int c = 1; c < n; c++) {
			final Path p = first.resolveSibling(caseName + String.format(Locale.ROOT, "_%04d", c) + ext);
			if (!Files.isRegularFile(p))
				throw new IOException("Segment Lesions: the model expects " + n + " channels, but channel " + String.format(Locale.ROOT, "%04d", c)
						+ " of case '" + caseName + "' is missing: " + p.toAbsolutePath() + " does not exist. Add it (nnU-Net naming <case>_000N" + ext
						+ ") or give all channel files with 'channel_files'.");
			out.add(p);
		}
		return List.copyOf(out);
	}

	/**
	 * The case name of an nnU-Net channel-0 file: {@code patient07} for {@code patient07_0000.nii.gz}, or
	 * {@code null} when the name does not end with {@code _0000} and a known extension.
	 */
	public static String caseName(final Path file) {
		final String name = file.getFileName().toString();
		final String base = CommandInputs.baseName(name);
		if (base.length() == name.length()) return null;
		final Matcher m = FIRST_CHANNEL.matcher(base);
		return m.matches() ? m.group(1) : null;
	}

	/**
	 * Splits a {@code channel_files} value at {@value #SEPARATOR}; entries are trimmed and empty ones skipped.
	 *
	 * @throws IllegalArgumentException if no path remains
	 */
	public static List< Path > parseList(final String operation, final String channelFiles) {
		final List< Path > out = channelFiles == null
				? List.of()
				: Arrays.stream(channelFiles.split(SEPARATOR)).filter(s -> !s.isBlank()).map(s -> Paths.get(s.trim())).toList();
		if (out.isEmpty())
			throw new IllegalArgumentException(
					operation + ": channel_files is '" + channelFiles + "', which names no file; give one file per channel separated by '" + SEPARATOR
							+ "', e.g. case_0000.nii.gz" + SEPARATOR + "case_0001.nii.gz.");
		return out;
	}

	/** Opens one single-channel volume per file (the first may be open already) and checks their dimensions; {@code note} as {@link Channels#note()}. */
	private static Channels open(final String operation, final List< Path > files, final String key, final ImagePlus firstOpen, final String note)
			throws IOException {
		final List< RandomAccessibleInterval< ? extends RealType< ? > > > volumes = new ArrayList<>();
		ImagePlus first = firstOpen;
		for (int i = 0; i < files.size(); i++) {
			final ImagePlus imp = i == 0 && firstOpen != null ? firstOpen : VolumeFiles.open(files.get(i));
			if (i == 0) first = imp;
			final RandomAccessibleInterval< ? extends RealType< ? > > v = ImagePlusBridge.wrapFinite(operation, key + " (channel " + i + ")", imp);
			if (i > 0 && !Intervals.equalDimensions(v, volumes.get(0))) {
				throw new IllegalArgumentException(operation + ": " + key + ": channel " + i + " (" + files.get(i).getFileName() + ") has dimensions "
						+ Arrays.toString(Intervals.dimensionsAsLongArray(v)) + " but channel 0 (" + files.get(0).getFileName() + ") has "
						+ Arrays.toString(Intervals.dimensionsAsLongArray(volumes.get(0)))
						+ "; all channels must have the same dimensions. Resample or crop them onto one grid first.");
			}
			volumes.add(v);
		}
		final String caseName = files.size() > 1 ? caseName(files.get(0)) : null;
		return new Channels(List.copyOf(volumes), first, caseName != null ? caseName : CommandInputs.baseName(first.getTitle()), files, note);
	}

	private static void requireCount(final String operation, final int expected, final Channels c, final String what) {
		if (c.volumes().size() != expected)
			throw new IllegalArgumentException(operation + ": the model expects " + expected + " input channel(s), but " + what);
	}
}
