package org.lesionweighting.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.lesionweighting.util.Json;

/**
 * Opens dataset folders: the nnU-Net v2 raw layout ({@code imagesTr/<case>_0000.nii.gz} one file per
 * channel, {@code labelsTr/<case>.nii.gz}, {@code imagesTs/}, {@code labelsTs/}, {@code dataset.json} with
 * {@code channel_names}, {@code labels}, {@code file_ending}) and a plain layout ({@code images/<case>.<ext>},
 * {@code labels/<case>.<ext>}, matched by case name).
 * <p>
 * Opening reads headers only, never voxels: it checks that every case has all its channels and a label,
 * and that channels and label share one grid (same size; spacing equal within a relative tolerance).
 * Cases failing a check are listed in {@link Dataset#rejected()} with the reason instead of failing the
 * whole dataset. TIFF files cannot be checked in the core and are accepted unchecked. Example:
 * <pre>{@code
 * Dataset ds = Datasets.open(Paths.get("Dataset001_MS"));
 * for (RejectedCase r : ds.rejected()) System.err.println(r.name() + ": " + r.reason());
 * }</pre>
 */
public final class Datasets {

	/** Relative tolerance for equal spacing of channels and label. */
	public static final double SPACING_TOLERANCE_DEFAULT = 1e-3;

	private static final Pattern CHANNEL = Pattern.compile("(.+)_(\\d{4})");

	private static final List< String > PLAIN_EXTENSIONS = List.of(".nii.gz", ".nii", ".mhd", ".mha", ".hdr", ".tif", ".tiff");

	private Datasets() {}

	/**
	 * Opens a dataset folder with the default spacing tolerance.
	 *
	 * @throws IOException if the folder is not a dataset folder or dataset.json cannot be read
	 */
	public static Dataset open(final Path folder) throws IOException {
		return open(folder, SPACING_TOLERANCE_DEFAULT);
	}

	/**
	 * Opens a dataset folder.
	 *
	 * @param folder nnU-Net v2 raw folder ({@code imagesTr/}) or plain folder ({@code images/}, {@code labels/})
	 * @param spacingTolerance relative tolerance for equal spacing, e.g. 1e-3
	 * @throws IOException if the folder is not a dataset folder or dataset.json cannot be read
	 */
	public static Dataset open(final Path folder, final double spacingTolerance) throws IOException {
		if (!Files.isDirectory(folder)) throw new IOException(folder + ": dataset folder not found.");
		if (Files.isDirectory(folder.resolve("imagesTr")) || Files.isRegularFile(folder.resolve("dataset.json"))) return openNnUnet(folder, spacingTolerance);
		if (Files.isDirectory(folder.resolve("images"))) return openPlain(folder, spacingTolerance);
		throw new IOException(
				folder + ": not a dataset folder: expected imagesTr/ and dataset.json (nnU-Net v2 raw layout) or images/ and labels/ (plain layout).");
	}

	private static Dataset openNnUnet(final Path root, final double tol) throws IOException {
		final Path json = root.resolve("dataset.json");
		Map< String, Object > desc = Map.of();
		if (Files.isRegularFile(json)) {
			try {
				desc = Json.parseObject(Files.readString(json));
			}
			catch (final IllegalArgumentException e) {
				throw new IOException(json + ": not valid JSON: " + e.getMessage(), e);
			}
		}
		final String ending = desc.get("file_ending") instanceof String s ? s : guessEnding(root.resolve("imagesTr"));
		final List< String > channelNames = new ArrayList<>();
		final Object ch = desc.get("channel_names") != null ? desc.get("channel_names") : desc.get("modality");
		if (ch instanceof Map) {
			final TreeMap< Integer, String > byIndex = new TreeMap<>();
			for (final Map.Entry< ?, ? > e : ((Map< ?, ? >) ch).entrySet()) {
				try {
					byIndex.put(Integer.parseInt(String.valueOf(e.getKey()).trim()), String.valueOf(e.getValue()));
				}
				catch (final NumberFormatException ex) {
					throw new IOException(json + ": channel_names keys must be channel indices (\"0\", \"1\", ...), but one is '" + e.getKey() + "'.", ex);
				}
			}
			// distinct sorted indices are 0, 1, ..., n-1 exactly when the first is 0 and the last n-1
			if (!byIndex.isEmpty() && (byIndex.firstKey() != 0 || byIndex.lastKey() != byIndex.size() - 1))
				throw new IOException(json + ": channel_names must number channels 0, 1, 2, ... without gaps, but has " + byIndex.keySet() + ".");
			channelNames.addAll(byIndex.values());
		}
		@SuppressWarnings("unchecked")
		final Map< String, Object > labels = desc.get("labels") instanceof Map ? (Map< String, Object >) desc.get("labels") : Map.of();
		final List< DatasetCase > cases = new ArrayList<>();
		final List< RejectedCase > rejected = new ArrayList<>();
		final TreeMap< String, TreeMap< Integer, Path > > tr = scanChannels(root.resolve("imagesTr"), ending, rejected);
		final TreeMap< String, TreeMap< Integer, Path > > ts = scanChannels(root.resolve("imagesTs"), ending, rejected);
		if (channelNames.isEmpty()) {
			final int max = Stream.concat(tr.values().stream(), ts.values().stream()).mapToInt(TreeMap::lastKey).max().orElse(0);
			channelNames.addAll(IntStream.rangeClosed(0, max).mapToObj(String::valueOf).toList());
		}
		collect(root, "imagesTr", "labelsTr", tr, ending, channelNames.size(), false, tol, cases, rejected);
		collect(root, "imagesTs", "labelsTs", ts, ending, channelNames.size(), true, tol, cases, rejected);
		return new Dataset(root, Dataset.Layout.NNUNET, cases, rejected, channelNames, labels, ending);
	}

	private static String guessEnding(final Path dir) throws IOException {
		for (final Path p : list(dir)) {
			final String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
			for (final String e : PLAIN_EXTENSIONS)
				if (n.endsWith(e)) return p.getFileName().toString().substring(n.length() - e.length());
		}
		return ".nii.gz";
	}

	private static List< Path > list(final Path dir) throws IOException {
		if (!Files.isDirectory(dir)) return List.of();
		try (Stream< Path > s = Files.list(dir)) {
			return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
		}
	}

	private static TreeMap< String, TreeMap< Integer, Path > > scanChannels(final Path dir, final String ending, final List< RejectedCase > rejected)
			throws IOException {
		final TreeMap< String, TreeMap< Integer, Path > > m = new TreeMap<>();
		for (final Path p : list(dir)) {
			final String fn = p.getFileName().toString();
			if (!fn.endsWith(ending) || Files.isDirectory(p)) continue;
			final Matcher mt = CHANNEL.matcher(fn.substring(0, fn.length() - ending.length()));
			if (!mt.matches()) {
				rejected.add(new RejectedCase(fn, dir.getFileName() + "/" + fn + " does not end in _XXXX" + ending
						+ " (the 4-digit channel index of nnU-Net); rename it, e.g. to <case>_0000" + ending + "."));
				continue;
			}
			m.computeIfAbsent(mt.group(1), k -> new TreeMap<>()).put(Integer.parseInt(mt.group(2)), p);
		}
		return m;
	}

	private static void collect(final Path root, final String imagesDir, final String labelsDir, final TreeMap< String, TreeMap< Integer, Path > > images,
			final String ending, final int nc, final boolean test, final double tol, final List< DatasetCase > cases, final List< RejectedCase > rejected)
			throws IOException {
		for (final Map.Entry< String, TreeMap< Integer, Path > > e : images.entrySet()) {
			final String name = e.getKey();
			final TreeMap< Integer, Path > chans = e.getValue();
			final List< Path > channels = new ArrayList<>();
			String reason = null;
			for (int c = 0; c < nc && reason == null; c++) {
				final Path p = chans.get(c);
				if (p == null)
					reason = "missing channel " + String.format(Locale.ROOT, "%04d", c) + ": " + imagesDir + "/" + name + String.format(Locale.ROOT, "_%04d", c)
							+ ending + " does not exist (dataset.json lists " + nc + " channels).";
				channels.add(p);
			}
			if (reason == null && chans.lastKey() >= nc)
				reason = "unexpected channel " + String.format(Locale.ROOT, "%04d", chans.lastKey()) + " (dataset.json lists " + nc
						+ " channels); remove the file or add the channel to channel_names.";
			final Path label = root.resolve(labelsDir).resolve(name + ending);
			final boolean hasLabel = Files.isRegularFile(label);
			if (reason == null && !hasLabel && !test) reason = "no label " + labelsDir + "/" + name + ending + ".";
			if (reason == null) reason = checkGrid(channels, hasLabel ? label : null, tol);
			if (reason != null) rejected.add(new RejectedCase(name, reason));
			else
				cases.add(new DatasetCase(name, channels, hasLabel ? label : null, test));
		}
		for (final Path p : list(root.resolve(labelsDir))) {
			final String fn = p.getFileName().toString();
			if (!fn.endsWith(ending)) continue;
			final String name = fn.substring(0, fn.length() - ending.length());
			if (!images.containsKey(name))
				rejected.add(new RejectedCase(name, labelsDir + "/" + fn + " has no image " + imagesDir + "/" + name + "_0000" + ending + "."));
		}
	}

	private static Dataset openPlain(final Path root, final double tol) throws IOException {
		final List< DatasetCase > cases = new ArrayList<>();
		final List< RejectedCase > rejected = new ArrayList<>();
		final TreeMap< String, List< Path > > images = scanPlain(root.resolve("images"));
		final TreeMap< String, List< Path > > labels = scanPlain(root.resolve("labels"));
		for (final Map.Entry< String, List< Path > > e : images.entrySet()) {
			final String name = e.getKey();
			final List< Path > lab = labels.get(name);
			String reason = null;
			if (e.getValue().size() > 1) reason = "several image files " + names(e.getValue()) + "; keep one per case.";
			else if (lab == null) reason = "no label labels/" + name + ".<ext> for images/" + e.getValue().get(0).getFileName() + ".";
			else if (lab.size() > 1) reason = "several label files " + names(lab) + "; keep one per case.";
			if (reason == null) reason = checkGrid(e.getValue(), lab.get(0), tol);
			if (reason != null) rejected.add(new RejectedCase(name, reason));
			else
				cases.add(new DatasetCase(name, e.getValue(), lab.get(0), false));
		}
		for (final Map.Entry< String, List< Path > > e : labels.entrySet())
			if (!images.containsKey(e.getKey()))
				rejected.add(new RejectedCase(e.getKey(), "labels/" + e.getValue().get(0).getFileName() + " has no image images/" + e.getKey() + ".<ext>."));
		return new Dataset(root, Dataset.Layout.PLAIN, cases, rejected, List.of("0"), Map.of(), null);
	}

	private static String names(final List< Path > ps) {
		return ps.stream().map(p -> p.getFileName().toString()).toList().toString();
	}

	private static TreeMap< String, List< Path > > scanPlain(final Path dir) throws IOException {
		final TreeMap< String, List< Path > > m = new TreeMap<>();
		for (final Path p : list(dir)) {
			final String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
			if (Files.isDirectory(p) || PLAIN_EXTENSIONS.stream().noneMatch(n::endsWith)) continue;
			m.computeIfAbsent(VolumeFormat.stripExtension(p.getFileName().toString()), k -> new ArrayList<>()).add(p);
		}
		return m;
	}

	/** Reads headers and compares grids; returns the reason for rejection or {@code null}. */
	private static String checkGrid(final List< Path > channels, final Path label, final double tol) {
		VolumeHeader ref = null;
		for (final Path p : Stream.concat(channels.stream(), Stream.ofNullable(label)).toList()) {
			if (!VolumeIO.isSupported(p)) continue;
			final VolumeHeader h;
			try {
				h = VolumeIO.readHeader(p);
			}
			catch (final IOException e) {
				return "unreadable header: " + e.getMessage();
			}
			final long[] d = h.dimensions();
			if (d.length > 3) return p.getFileName() + " has " + d.length + " dimensions " + Arrays.toString(d) + "; nnU-Net expects one 3D file per channel.";
			if (ref == null) {
				ref = h;
				continue;
			}
			if (!Arrays.equals(d, ref.dimensions()))
				return "grid mismatch: " + p.getFileName() + " has size " + Arrays.toString(d) + " but " + ref.path().getFileName() + " has "
						+ Arrays.toString(ref.dimensions()) + ".";
			if (!h.geometry().sameSpacing(ref.geometry(), tol))
				return "spacing mismatch: " + p.getFileName() + " has spacing " + Arrays.toString(h.geometry().spacing()) + " but " + ref.path().getFileName()
						+ " has " + Arrays.toString(ref.geometry().spacing()) + " (tolerance " + tol + " relative).";
		}
		return null;
	}
}
