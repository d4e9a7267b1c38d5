package org.lesionweighting.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Builds the Fiji update site of the suite into a folder ({@code mvn -Pupdate-site package} writes
 * {@code target/update-site/}; see {@code update-site/README.md} and {@code doc/distribution.md}).
 * <p>
 * Layout (paths relative to the Fiji folder):
 * <ul>
 * <li>{@code jars/lesion-weighting-<version>.jar}: the suite (commands, macros bridge, engine code);</li>
 * <li>{@code lib/lesion-weighting/}: the TensorFlow Java jars of the worker ({@link #WORKER_JARS}); Fiji
 * does not put {@code lib/} on its class path (see below), so they never clash with TensorFlow 1 of CSBDeep;</li>
 * <li>{@code lib/linux64/tensorflow-core-native-1.1.0-linux-x86_64.jar}: the CPU native library (the GPU
 * build {@code -linux-x86_64-gpu} is an optional manual extra, never uploaded);</li>
 * <li>{@code scripts/Plugins/Lesion_Weighting/<Name_With_Underscores>.ijm}: the macros of {@code macros/}.</li>
 * </ul>
 * Jars Fiji already ships ({@link #FIJI_SHIPPED}) are never uploaded; any other dependency jar is an error, so
 * every jar is a deliberate decision.
 * <p>
 * Fiji's class path: Fiji's launcher (Jaunch, configuration {@code configs/fiji.toml} of
 * github.com/apposed/jaunch) starts {@code net.imagej.launcher.ClassLauncher -ijjarpath jars -ijjarpath plugins
 * net.imagej.Main}; ClassLauncher (imagej-launcher, {@code ClassLoaderPlus.getRecursively}) adds every
 * {@code .jar} in every sub-folder of {@code jars/} and {@code plugins/} (so {@code jars/linux64/} and any
 * {@code jars/<sub>/} too), while {@code lib/<platform>/} only goes to {@code -Djava.library.path}. So the jars
 * under {@code lib/lesion-weighting/} and {@code lib/linux64/} are never on Fiji's class path (checked against
 * those two sources on 2026-11-27). {@link #entries} refuses to put a jar holding {@code org/tensorflow/}
 * classes where Fiji would load it ({@link #onFijiClassPath}).
 * <p>
 * {@code db.xml.gz}: gzip XML, root {@code pluginRecords}, one {@code plugin filename} per file with
 * {@code version timestamp checksum filesize}, a {@code description}, and {@code dependency} elements (the
 * suite's jar depends on the worker jars); each file is stored as {@code <path>-<timestamp>}. The checksum
 * is the ImageJ updater's ({@link #checksum}).
 */
public final class UpdateSiteBuilder {

	/** The update site's name. */
	public static final String SITE_NAME = "Lesion Weighting";

	/** Folder of the worker's TensorFlow Java jars (relative to Fiji). */
	public static final String WORKER_FOLDER = "lib/lesion-weighting/";

	/** Platform folder of the native jar (relative to Fiji). */
	public static final String NATIVE_FOLDER = "lib/linux64/";

	/** Folder of the macros (relative to Fiji): Fiji shows scripts there in Plugins › Lesion Weighting. */
	public static final String SCRIPTS_FOLDER = "scripts/Plugins/Lesion_Weighting/";

	/** File-name prefixes of the TensorFlow Java jars uploaded into {@link #WORKER_FOLDER}. */
	public static final List< String > WORKER_JARS = List.of("tensorflow-core-api-", "tensorflow-framework-", "tensorflow-core-native-", "ndarray-");

	/** The uploaded native jar: the CPU build for linux64. */
	public static final String NATIVE_JAR = "tensorflow-core-native-1.1.0-linux-x86_64.jar";

	/**
	 * File-name prefixes of jars Fiji already ships (never uploaded: a same-named jar on a site shadows Fiji's
	 * for every user of the site).
	 */
	public static final List< String > FIJI_SHIPPED = List.of("ij-", "imglib2-", "scijava-common-", "parsington-", "protobuf-java-", "javacpp-", "junit", "opentest4j-", "apiguardian-");

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

	private UpdateSiteBuilder() {}

	/** One uploaded file: its path relative to Fiji, the local source, and its description. */
	public record Entry(String path, Path source, String description) {}

	/**
	 * {@code java org.lesionweighting.app.UpdateSiteBuilder <suite.jar> <dependency-folder> <macros-folder> <output> [timestamp]}.
	 */
	public static void main(final String[] args) throws IOException {
		if (args.length < 4 || args.length > 5) {
			System.err.println("Usage: UpdateSiteBuilder <suite.jar> <dependency-folder> <macros-folder> <output-folder> [yyyyMMddHHmmss]");
			System.exit(2);
		}
		final List< Entry > entries = entries(Paths.get(args[0]), Paths.get(args[1]), Paths.get(args[2]));
		final Path out = Paths.get(args[3]);
		build(entries, out, args.length > 4 ? args[4] : null);
		System.out.println("Update site written to " + out.toAbsolutePath() + ":");
		for (final Entry e : entries)
			System.out.println("  " + e.path() + " (" + Files.size(e.source()) + " bytes)");
	}

	/**
	 * The files of the site.
	 *
	 * @param suiteJar the suite's jar (not the launcher's {@code -app} jar)
	 * @param dependencies folder of the runtime dependency jars ({@code target/lib})
	 * @param macros folder of {@code .ijm} macros
	 * @return the entries, sorted by path
	 * @throws IOException if a folder cannot be read
	 * @throws IllegalArgumentException if a dependency jar is neither a worker jar nor shipped by Fiji, a
	 *           worker jar is missing, or a jar for Fiji's class path holds {@code org/tensorflow/} classes
	 */
	public static List< Entry > entries(final Path suiteJar, final Path dependencies, final Path macros) throws IOException {
		if (!Files.isRegularFile(suiteJar)) throw new IOException("UpdateSiteBuilder: the suite jar " + suiteJar + " does not exist; run 'mvn package' first.");
		final List< Entry > out = new ArrayList<>();
		out.add(new Entry("jars/" + suiteJar.getFileName(), suiteJar, "Lesion Weighting: inverse lesion-volume weighting (Shirokikh et al., MICCAI 2020) for 3D lesion segmentation: labeling, weight maps, training, tiled inference and FROC evaluation. TensorFlow runs in a separate worker JVM."));
		final List< String > unknown = new ArrayList<>();
		final List< String > found = new ArrayList<>();
		for (final Path jar : list(dependencies, ".jar")) {
			final String n = jar.getFileName().toString();
			if (n.equals(NATIVE_JAR)) out.add(new Entry(NATIVE_FOLDER + n, jar, "TensorFlow 1.1.0 native library (CPU build, Linux x86-64) for the Lesion Weighting worker."));
			else if (isWorkerJar(n)) {
				out.add(new Entry(WORKER_FOLDER + n, jar, "TensorFlow Java 1.1.0 for the Lesion Weighting worker JVM (kept off Fiji's class path)."));
				found.add(WORKER_JARS.stream().filter(n::startsWith).findFirst().orElseThrow());
			}
			else if (isFijiShipped(n) || TensorFlowNatives.isOtherNative(n)) continue;
			else unknown.add(n);
		}
		if (!unknown.isEmpty()) throw new IllegalArgumentException("UpdateSiteBuilder: no decision for " + unknown + " in " + dependencies + ": add each to WORKER_JARS (uploaded into " + WORKER_FOLDER + ") or to FIJI_SHIPPED (never uploaded).");
		final List< String > missing = new ArrayList<>(WORKER_JARS);
		missing.removeAll(found);
		if (!missing.isEmpty() || out.stream().noneMatch(e -> e.path().equals(NATIVE_FOLDER + NATIVE_JAR))) throw new IllegalArgumentException("UpdateSiteBuilder: the worker jars " + missing + (out.stream().noneMatch(e -> e.path().equals(NATIVE_FOLDER + NATIVE_JAR)) ? " and " + NATIVE_JAR : "") + " are missing from " + dependencies + "; run 'mvn package' (copies them into target/lib).");
		for (final Path m : list(macros, ".ijm"))
			out.add(new Entry(SCRIPTS_FOLDER + menuName(m.getFileName().toString()), m, "Lesion Weighting macro: " + menuName(m.getFileName().toString()).replace(".ijm", "").replace('_', ' ') + "."));
		for (final Entry e : out)
			if (onFijiClassPath(e.path()) && holdsTensorFlow(e.source())) throw new IllegalArgumentException("UpdateSiteBuilder: " + e.source() + " holds org/tensorflow/ classes but would go to " + e.path() + ", on Fiji's class path, where they clash with the TensorFlow 1 of CSBDeep/StarDist; keep TensorFlow out of the suite's jar (it belongs in " + WORKER_FOLDER + ").");
		out.sort(Comparator.comparing(Entry::path));
		return out;
	}

	/**
	 * Whether Fiji's launcher puts a file of the site on Fiji's class path: a {@code .jar} anywhere under
	 * {@code jars/} or {@code plugins/}, in any sub-folder (see the class documentation); never under {@code lib/}.
	 *
	 * @param path the file's path relative to the Fiji folder, with {@code /}
	 */
	public static boolean onFijiClassPath(final String path) {
		return path.endsWith(".jar") && (path.startsWith("jars/") || path.startsWith("plugins/"));
	}

	/** Whether a jar has entries under {@code org/tensorflow/}. */
	static boolean holdsTensorFlow(final Path jar) throws IOException {
		try (JarFile j = new JarFile(jar.toFile())) {
			return Collections.list(j.entries()).stream().anyMatch(e -> e.getName().startsWith("org/tensorflow/"));
		}
	}

	/** Natives of other platforms or the GPU build: documented extras, never uploaded. */
	private static final class TensorFlowNatives {

		static boolean isOtherNative(final String n) {
			return n.startsWith("tensorflow-core-native-") && n.matches("tensorflow-core-native-[^-]+-.+\\.jar") && !n.equals(NATIVE_JAR);
		}
	}

	/** Whether a dependency jar is one of {@link #WORKER_JARS} (the classifier-less one for the native). */
	static boolean isWorkerJar(final String name) {
		if (name.matches("tensorflow-core-native-[^-]+-.+\\.jar")) return false;
		return WORKER_JARS.stream().anyMatch(name::startsWith);
	}

	/** Whether a dependency jar is one Fiji ships ({@link #FIJI_SHIPPED}). */
	static boolean isFijiShipped(final String name) {
		return FIJI_SHIPPED.stream().anyMatch(name::startsWith);
	}

	/**
	 * The script file name shown in Fiji's menu: words capitalised, joined by underscores (Fiji lists a script
	 * only if its name has an underscore; the underscores become spaces in the menu).
	 */
	public static String menuName(final String file) {
		final String base = file.endsWith(".ijm") ? file.substring(0, file.length() - 4) : file;
		final List< String > words = new ArrayList<>();
		for (final String w : base.split("[_\\s-]+"))
			if (!w.isEmpty()) words.add(Character.toUpperCase(w.charAt(0)) + w.substring(1));
		if (words.size() == 1) words.add("Macro");
		return String.join("_", words) + ".ijm";
	}

	/**
	 * Writes the site: each file as {@code <path>-<timestamp>} and {@code db.xml.gz}.
	 *
	 * @param entries the files ({@link #entries})
	 * @param output the site folder (created; if it already holds a site, i.e. a {@code db.xml.gz}, it is emptied first)
	 * @param timestamp {@code yyyyMMddHHmmss} for every file, or {@code null} for each file's last-modified time (UTC)
	 * @throws IOException if a file cannot be read or written
	 */
	public static void build(final List< Entry > entries, final Path output, final String timestamp) throws IOException {
		if (timestamp != null && !timestamp.matches("\\d{14}")) throw new IllegalArgumentException("UpdateSiteBuilder: timestamp must be yyyyMMddHHmmss, but was '" + timestamp + "'.");
		if (Files.isRegularFile(output.resolve("db.xml.gz"))) deleteTree(output); // an earlier site: no stale <path>-<timestamp> files
		Files.createDirectories(output);
		final List< String[] > records = new ArrayList<>(); // path, timestamp, checksum, size, description
		for (final Entry e : entries) {
			final String ts = timestamp != null ? timestamp : TIMESTAMP.format(Instant.ofEpochMilli(Files.getLastModifiedTime(e.source()).toMillis()));
			final Path target = output.resolve(e.path() + "-" + ts);
			Files.createDirectories(target.getParent());
			Files.copy(e.source(), target, StandardCopyOption.REPLACE_EXISTING);
			records.add(new String[] { e.path(), ts, checksum(e.path(), e.source()), Long.toString(Files.size(e.source())), e.description() });
		}
		final StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<pluginRecords>\n");
		for (final String[] r : records) {
			xml.append(" <plugin filename=\"").append(escape(r[0])).append("\">\n");
			xml.append("  <version timestamp=\"").append(r[1]).append("\" checksum=\"").append(r[2]).append("\" filesize=\"").append(r[3]).append("\" />\n");
			xml.append("  <description>").append(escape(r[4])).append("</description>\n");
			if (r[0].startsWith("jars/lesion-weighting")) for (final String[] d : records)
				if (d[0].startsWith(WORKER_FOLDER) || d[0].startsWith(NATIVE_FOLDER)) xml.append("  <dependency filename=\"").append(escape(d[0])).append("\" timestamp=\"").append(d[1]).append("\" />\n");
			xml.append(" </plugin>\n");
		}
		xml.append("</pluginRecords>\n");
		final Path db = output.resolve("db.xml.gz");
		final Path tmp = output.resolve("db.xml.gz.tmp");
		try (OutputStream os = Files.newOutputStream(tmp); GZIPOutputStream gz = new GZIPOutputStream(os); Writer w = new OutputStreamWriter(gz, StandardCharsets.UTF_8)) {
			w.write(xml.toString());
		}
		Files.move(tmp, db, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	private static void deleteTree(final Path folder) throws IOException {
		try (Stream< Path > s = Files.walk(folder)) {
			for (final Path p : (Iterable< Path >) s.sorted(Comparator.reverseOrder())::iterator)
				Files.delete(p);
		}
	}

	private static String escape(final String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

	private static List< Path > list(final Path folder, final String suffix) throws IOException {
		if (!Files.isDirectory(folder)) throw new IOException("UpdateSiteBuilder: " + folder + " is not a folder.");
		try (Stream< Path > s = Files.list(folder)) {
			return s.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p)).sorted().toList();
		}
	}

	/**
	 * The ImageJ updater's checksum of a file (imagej-updater {@code UpdaterUtil.getDigest}), hex SHA-1.
	 * <ul>
	 * <li>Not a {@code .jar}: SHA-1 over the path (ASCII) followed by the file's bytes.</li>
	 * <li>A {@code .jar}: SHA-1 over its entries sorted by name, each contributing its name (ASCII) and then its
	 * content, where a {@code .properties} entry has every line starting with {@code #} reduced to its newline,
	 * and {@code META-INF/MANIFEST.MF} keeps only lines whose upper-cased text starts with {@code "Main-Class:"}.
	 * An upper-cased line never contains the lower-case letters of {@code "Main-Class:"}, so (a quirk of the
	 * updater, replicated on purpose) the manifest contributes its name only, never its content.</li>
	 * </ul>
	 *
	 * @param path the file's path in Fiji (e.g. {@code scripts/Plugins/Lesion_Weighting/X_Y.ijm})
	 * @param file the local file
	 * @return 40 lower-case hex digits
	 * @throws IOException if the file cannot be read
	 */
	public static String checksum(final String path, final Path file) throws IOException {
		final MessageDigest sha1 = sha1();
		if (path.endsWith(".jar")) {
			try (JarFile jar = new JarFile(file.toFile())) {
				final List< JarEntry > list = Collections.list(jar.entries());
				list.sort(Comparator.comparing(JarEntry::getName));
				for (final JarEntry e : list) {
					sha1.update(e.getName().getBytes(StandardCharsets.US_ASCII));
					final byte[] content;
					try (InputStream in = jar.getInputStream(e)) {
						content = in.readAllBytes();
					}
					if (e.getName().endsWith(".properties")) sha1.update(skipHashedLines(content));
					else if (e.getName().equals("META-INF/MANIFEST.MF")) sha1.update(keepMainClassLines(content));
					else sha1.update(content);
				}
			}
		}
		else {
			sha1.update(path.getBytes(StandardCharsets.US_ASCII));
			sha1.update(Files.readAllBytes(file));
		}
		final StringBuilder hex = new StringBuilder();
		for (final byte b : sha1.digest())
			hex.append(String.format("%02x", b & 0xff));
		return hex.toString();
	}

	/** Every line starting with '#' reduced to its line break. */
	static byte[] skipHashedLines(final byte[] in) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
		boolean lineStart = true, skipping = false;
		for (final byte b : in) {
			if (lineStart && b == '#') skipping = true;
			if (!skipping || b == '\n') out.write(b);
			if (b == '\n') skipping = false;
			lineStart = b == '\n';
		}
		return out.toByteArray();
	}

	/** Lines whose upper-cased text starts with "Main-Class:" (none can), each with a line break. */
	static byte[] keepMainClassLines(final byte[] in) {
		final StringBuilder sb = new StringBuilder();
		for (final String line : new String(in, StandardCharsets.UTF_8).split("\r?\n"))
			if (line.toUpperCase(Locale.ROOT).startsWith("Main-Class:")) sb.append(line).append('\n');
		return sb.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static MessageDigest sha1() {
		try {
			return MessageDigest.getInstance("SHA-1");
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
		}
	}
}
