package org.lesionweighting.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.lesionweighting.engine.FijiPlatform;
import org.lesionweighting.engine.WorkerClassPath;
import org.lesionweighting.util.AtomicFiles;
import org.scijava.util.FileUtils;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Builds the Fiji update site of the suite into a folder ({@code mvn -Pupdate-site package} writes
 * {@code target/update-site/}; see {@code update-site/README.md} and {@code doc/distribution.md}).
 * <p>
 * Layout (paths relative to the Fiji folder):
 * <ul>
 * <li>{@code jars/lesion-weighting-<version>.jar}: the suite (commands, macros bridge, engine code);</li>
 * <li>{@code lib/lesion-weighting/}: the TensorFlow Java jars of the worker ({@link #WORKER_JARS}); Fiji
 * does not put {@code lib/} on its class path (see below), so they never clash with TensorFlow 1 of CSBDeep;</li>
 * <li>{@code lib/<platform>/tensorflow-core-native-1.1.0-<classifier>.jar}: TensorFlow's CPU native library
 * for each platform TensorFlow Java has one for ({@link FijiPlatform}: {@code linux64}, {@code linux-arm64},
 * {@code macos-arm64}, {@code win64}), each record with its {@code <platform>}, so that the updater installs
 * only the user's own; the GPU build is a separate optional site ({@link #gpuEntry});</li>
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
 * under {@code lib/lesion-weighting/} and {@code lib/<platform>/} are never on Fiji's class path (checked
 * against those two sources on 2026-11-27). {@link #entries} refuses to put a jar holding
 * {@code org/tensorflow/} classes where Fiji would load it ({@link #onFijiClassPath}).
 * <p>
 * {@code db.xml.gz} follows the ImageJ updater's format (imagej-updater {@code XMLFileWriter} and
 * {@code XMLFileReader}, read on 2026-12-02): gzip XML with the updater's {@link #DTD} inline, root
 * {@code pluginRecords}, one {@code plugin filename} per file holding {@code platform} and {@code category}
 * elements, then {@code version timestamp checksum filesize} with the {@code description} and the
 * {@code dependency} elements inside it (the suite's jar depends on the worker jars), then the
 * {@code previous-version} elements of the file's earlier builds. Each file is stored as
 * {@code <path>-<timestamp>}. The checksum is the updater's ({@link #checksum}). A file unchanged (same path and
 * checksum) since the previous site ({@code --previous=<db.xml.gz>}, else the {@code db.xml.gz} already in the output folder)
 * keeps its timestamp, so that users do not download it again; a changed one gets a new version and its
 * earlier ones as {@code previous-version}; a file no longer built stays as a record without {@code version},
 * which the updater offers to uninstall.
 */
public final class UpdateSiteBuilder {

	/** Folder of the worker's TensorFlow Java jars (relative to Fiji). */
	public static final String WORKER_FOLDER = "lib/" + WorkerClassPath.FIJI_FOLDER + "/";

	/** Folder of the macros (relative to Fiji): Fiji shows scripts there in Plugins › Lesion Weighting. */
	public static final String SCRIPTS_FOLDER = "scripts/Plugins/Lesion_Weighting/";

	/** File-name prefixes of the TensorFlow Java jars uploaded into {@link #WORKER_FOLDER}. */
	public static final List< String > WORKER_JARS = WorkerClassPath.TENSORFLOW_JARS;

	/** Categories of the suite's jar and macros in the updater. */
	public static final List< String > CATEGORIES = List.of("Segmentation", "Deep Learning");

	/**
	 * File-name prefixes of jars Fiji already ships (never uploaded: a same-named jar on a site shadows Fiji's
	 * for every user of the site).
	 */
	public static final List< String > FIJI_SHIPPED = List.of("ij-", "imglib2-", "scijava-common-", "parsington-", "protobuf-java-", "javacpp-", "junit",
			"opentest4j-", "apiguardian-");

	/**
	 * The updater's document type of {@code db.xml.gz}: every {@code db.xml.gz} the updater writes carries it
	 * (imagej-updater {@code XMLFileWriter}); a site's records are valid against it.
	 */
	public static final String DTD = String.join("\n", //
			"<!DOCTYPE pluginRecords [", //
			"<!ELEMENT pluginRecords ((update-site | disabled-update-site)*, plugin*)>", //
			"<!ELEMENT update-site EMPTY>", //
			"<!ELEMENT disabled-update-site EMPTY>", //
			"<!ELEMENT plugin (platform*, category*, version?, previous-version*)>", //
			"<!ELEMENT version (description?, dependency*, link*, author*)>", //
			"<!ELEMENT previous-version EMPTY>", //
			"<!ELEMENT description (#PCDATA)>", //
			"<!ELEMENT dependency EMPTY>", //
			"<!ELEMENT link (#PCDATA)>", //
			"<!ELEMENT author (#PCDATA)>", //
			"<!ELEMENT platform (#PCDATA)>", //
			"<!ELEMENT category (#PCDATA)>", //
			"<!ATTLIST update-site name CDATA #REQUIRED>", //
			"<!ATTLIST update-site url CDATA #REQUIRED>", //
			"<!ATTLIST update-site ssh-host CDATA #IMPLIED>", //
			"<!ATTLIST update-site upload-directory CDATA #IMPLIED>", //
			"<!ATTLIST update-site description CDATA #IMPLIED>", //
			"<!ATTLIST update-site maintainer CDATA #IMPLIED>", //
			"<!ATTLIST update-site timestamp CDATA #REQUIRED>", //
			"<!ATTLIST disabled-update-site name CDATA #REQUIRED>", //
			"<!ATTLIST disabled-update-site url CDATA #REQUIRED>", //
			"<!ATTLIST disabled-update-site ssh-host CDATA #IMPLIED>", //
			"<!ATTLIST disabled-update-site upload-directory CDATA #IMPLIED>", //
			"<!ATTLIST disabled-update-site description CDATA #IMPLIED>", //
			"<!ATTLIST disabled-update-site maintainer CDATA #IMPLIED>", //
			"<!ATTLIST disabled-update-site timestamp CDATA #REQUIRED>", //
			"<!ATTLIST plugin update-site CDATA #IMPLIED>", //
			"<!ATTLIST plugin filename CDATA #REQUIRED>", //
			"<!ATTLIST plugin executable CDATA #IMPLIED>", //
			"<!ATTLIST dependency filename CDATA #REQUIRED>", //
			"<!ATTLIST dependency timestamp CDATA #IMPLIED>", //
			"<!ATTLIST dependency overrides CDATA #IMPLIED>", //
			"<!ATTLIST version timestamp CDATA #REQUIRED>", //
			"<!ATTLIST version checksum CDATA #REQUIRED>", //
			"<!ATTLIST version filesize CDATA #REQUIRED>", //
			"<!ATTLIST previous-version filename CDATA #IMPLIED>", //
			"<!ATTLIST previous-version timestamp CDATA #REQUIRED>", //
			"<!ATTLIST previous-version timestamp-obsolete CDATA #IMPLIED>", //
			"<!ATTLIST previous-version checksum CDATA #REQUIRED>]>") + "\n";

	/** The requirements of the GPU native, stated in its record and the documentation. */
	public static final String GPU_REQUIREMENTS = "an NVIDIA GPU with its driver, and the CUDA 12 and cuDNN 9 libraries on LD_LIBRARY_PATH";

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

	private UpdateSiteBuilder() {}

	/**
	 * One uploaded file.
	 *
	 * @param path its path relative to Fiji
	 * @param source the local file
	 * @param description the updater's description
	 * @param platform the updater's platform the file is for, or {@code null} for every platform
	 * @param categories the updater's categories
	 */
	public record Entry(String path, Path source, String description, FijiPlatform platform, List< String > categories) {}

	/** One version of a file in a {@code db.xml.gz}: {@code version} or {@code previous-version}. */
	record Version(String filename, String timestamp, String checksum, String obsolete) {}

	/** A record of an earlier {@code db.xml.gz}: the current version ({@code null} if obsolete) and the earlier ones. */
	record Previous(String filename, List< String > platforms, Version current, List< Version > earlier) {}

	/**
	 * {@code java org.lesionweighting.app.UpdateSiteBuilder <suite.jar> <dependency-folder> <natives-folder> <macros-folder> <output>
	 * [timestamp] [--previous=<db.xml.gz>]}
	 * builds the site (it must hold the natives of all {@link FijiPlatform#withNative() platforms});
	 * {@code ... --gpu <gpu-native.jar> <output> [timestamp]} builds the optional GPU site.
	 */
	public static void main(final String[] args) throws IOException {
		final List< String > a = new ArrayList<>(List.of(args));
		final Path previous = a.stream().filter(s -> s.startsWith("--previous=")).map(s -> s.substring(11)).filter(s -> !s.isBlank()).reduce((x, y) -> y)
				.map(Paths::get).orElse(null); // the last one given
		a.removeIf(s -> s.startsWith("--previous="));
		final boolean gpu = !a.isEmpty() && a.get(0).equals("--gpu");
		if (gpu ? a.size() < 3 || a.size() > 4 : a.size() < 5 || a.size() > 6) {
			System.err.println(
					"Usage: UpdateSiteBuilder <suite.jar> <dependency-folder> <natives-folder> <macros-folder> "
							+ "<output-folder> [yyyyMMddHHmmss] [--previous=<db.xml.gz>]");
			System.err.println(
					"       UpdateSiteBuilder --gpu <tensorflow-core-native-...-linux-x86_64-gpu.jar> "
							+ "<output-folder> [yyyyMMddHHmmss] [--previous=<db.xml.gz>]");
			System.exit(2);
		}
		final int output = gpu ? 2 : 4; // then the optional timestamp
		final Path out = Paths.get(a.get(output));
		final String timestamp = a.size() > output + 1 ? a.get(output + 1) : null;
		final List< Entry > entries;
		if (gpu) entries = List.of(gpuEntry(Paths.get(a.get(1))));
		else {
			entries = entries(Paths.get(a.get(0)), Paths.get(a.get(1)), Paths.get(a.get(2)), Paths.get(a.get(3)));
			final List< String > missing = FijiPlatform.withNative().stream().filter(p -> entries.stream().noneMatch(e -> e.platform() == p))
					.map(FijiPlatform::classifier).toList();
			if (!missing.isEmpty())
				throw new IllegalArgumentException("UpdateSiteBuilder: no TensorFlow native jar for " + missing + " in " + a.get(1) + " or " + a.get(2)
						+ "; build the site with 'mvn -Pupdate-site package', which downloads them.");
		}
		build(entries, out, timestamp, previous);
		System.out.println("Update site written to " + out.toAbsolutePath() + ":");
		for (final Entry e : entries)
			System.out.println(
					"  " + e.path() + " (" + Files.size(e.source()) + " bytes" + (e.platform() == null ? "" : ", " + e.platform().fijiName() + " only") + ")");
		System.out.println("What one user downloads:");
		for (final Map.Entry< FijiPlatform, Long > s : downloadSizes(entries).entrySet())
			System.out.println("  " + s.getKey().label() + " (" + s.getKey().fijiName() + "): " + s.getValue() + " bytes");
	}

	/**
	 * The files of the site.
	 *
	 * @param suiteJar the suite's jar (not the launcher's {@code -app} jar)
	 * @param dependencies folder of the runtime dependency jars ({@code target/lib})
	 * @param natives folder with TensorFlow's native jars of the platforms ({@code target/update-site-natives});
	 *        may be {@code dependencies}; each platform's CPU native is taken from it or from
	 *        {@code dependencies}, GPU natives never
	 * @param macros folder of {@code .ijm} macros
	 * @return the entries, sorted by path
	 * @throws IOException if a folder cannot be read
	 * @throws IllegalArgumentException if a dependency jar is neither a worker jar nor shipped by Fiji, a
	 *           worker jar is missing, no native jar is found at all, or a jar for Fiji's class path holds
	 *           {@code org/tensorflow/} classes
	 */
	public static List< Entry > entries(final Path suiteJar, final Path dependencies, final Path natives, final Path macros) throws IOException {
		if (!Files.isRegularFile(suiteJar)) throw new IOException("UpdateSiteBuilder: the suite jar " + suiteJar + " does not exist; run 'mvn package' first.");
		final List< Entry > out = new ArrayList<>();
		out.add(new Entry("jars/" + suiteJar.getFileName(), suiteJar,
				"Lesion Weighting: inverse lesion-volume weighting (Shirokikh et al., MICCAI 2020) for 3D "
						+ "lesion segmentation: labeling, weight maps, training, tiled inference and FROC "
						+ "evaluation. TensorFlow runs in a separate worker JVM.",
				null, CATEGORIES));
		final List< String > unknown = new ArrayList<>();
		for (final Path jar : list(dependencies, ".jar")) {
			final String n = jar.getFileName().toString();
			if (WorkerClassPath.isNative(jar) || isFijiShipped(n)) continue; // natives: below
			if (WORKER_JARS.stream().noneMatch(n::startsWith)) unknown.add(n);
			else
				out.add(new Entry(WORKER_FOLDER + n, jar, "TensorFlow Java 1.1.0 for the Lesion Weighting worker JVM (kept off Fiji's class path).", null,
						List.of()));
		}
		if (!unknown.isEmpty())
			throw new IllegalArgumentException("UpdateSiteBuilder: no decision for " + unknown + " in " + dependencies
					+ ": add each to WORKER_JARS (uploaded into " + WORKER_FOLDER + ") or to FIJI_SHIPPED (never uploaded).");
		final List< String > missing = WORKER_JARS.stream().filter(prefix -> out.stream().noneMatch(e -> e.path().startsWith(WORKER_FOLDER + prefix))).toList();
		if (!missing.isEmpty())
			throw new IllegalArgumentException("UpdateSiteBuilder: the worker jars " + missing + " are missing from " + dependencies
					+ "; run 'mvn package' (copies them into target/lib).");
		final List< Path > nativeJars = new ArrayList<>(list(natives, ".jar"));
		if (!natives.equals(dependencies)) nativeJars.addAll(list(dependencies, ".jar"));
		for (final FijiPlatform p : FijiPlatform.withNative())
			nativeJars.stream()
					.filter(j -> p.isNativeJar(j.getFileName().toString()) && !j.getFileName().toString().endsWith(FijiPlatform.GPU_SUFFIX + ".jar"))
					.findFirst().ifPresent(
							jar -> out.add(new Entry(p.nativeFolder() + jar.getFileName(), jar, "TensorFlow 1.1.0 native library (CPU build) for " + p.label()
									+ ", used by the Lesion Weighting worker; installed on " + p.label() + " only.", p, List.of())));
		if (out.stream().noneMatch(e -> e.platform() != null))
			throw new IllegalArgumentException("UpdateSiteBuilder: no TensorFlow native jar (tensorflow-core-native-*-<classifier>.jar) in " + natives + " or "
					+ dependencies + "; run 'mvn package' (copies the Linux x86-64 one into target/lib) or 'mvn -Pupdate-site package' (all platforms).");
		for (final Path m : list(macros, ".ijm"))
			out.add(new Entry(SCRIPTS_FOLDER + menuName(m.getFileName().toString()), m,
					"Lesion Weighting macro: " + menuName(m.getFileName().toString()).replace(".ijm", "").replace('_', ' ') + ".", null, CATEGORIES));
		for (final Entry e : out)
			if (onFijiClassPath(e.path()) && holdsTensorFlow(e.source()))
				throw new IllegalArgumentException("UpdateSiteBuilder: " + e.source() + " holds org/tensorflow/ classes but would go to " + e.path()
						+ ", on Fiji's class path, where they clash with the TensorFlow 1 of CSBDeep/StarDist; keep "
						+ "TensorFlow out of the suite's jar (it belongs in "
						+ WORKER_FOLDER + ").");
		out.sort(Comparator.comparing(Entry::path));
		return out;
	}

	/**
	 * The one file of the optional GPU site: TensorFlow's GPU native for Linux x86-64, into {@code lib/linux64/}
	 * next to the CPU native of the main site (the worker prefers it).
	 *
	 * @param gpuJar {@code tensorflow-core-native-1.1.0-linux-x86_64-gpu.jar}
	 * @throws IOException if the file does not exist
	 * @throws IllegalArgumentException if it is not the GPU native jar
	 */
	public static Entry gpuEntry(final Path gpuJar) throws IOException {
		if (!Files.isRegularFile(gpuJar))
			throw new IOException("UpdateSiteBuilder: the GPU native jar " + gpuJar
					+ " does not exist; build the GPU site with 'mvn -Pupdate-site-gpu package', which downloads it (526 MB).");
		final String n = gpuJar.getFileName().toString();
		if (!FijiPlatform.LINUX64.isNativeJar(n) || !n.endsWith(FijiPlatform.GPU_SUFFIX + ".jar"))
			throw new IllegalArgumentException(
					"UpdateSiteBuilder: --gpu takes TensorFlow's GPU native jar (tensorflow-core-native-<version>-linux-x86_64-gpu.jar), but got " + n + ".");
		return new Entry(FijiPlatform.LINUX64.nativeFolder() + n, gpuJar,
				"TensorFlow 1.1.0 native library, GPU build, for Linux x86-64; the Lesion Weighting worker prefers it over the CPU build. Needs "
						+ GPU_REQUIREMENTS + "; check with Plugins > Lesion Weighting > TensorFlow Device Report.",
				FijiPlatform.LINUX64, List.of());
	}

	/** What one user of each platform with a native downloads: every file for all platforms plus their own. */
	public static Map< FijiPlatform, Long > downloadSizes(final List< Entry > entries) throws IOException {
		final Map< FijiPlatform, Long > out = new LinkedHashMap<>();
		for (final FijiPlatform p : FijiPlatform.withNative()) {
			long sum = 0;
			for (final Entry e : entries)
				if (e.platform() == null || e.platform() == p) sum += Files.size(e.source());
			out.put(p, sum);
		}
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
		final List< String > words = new ArrayList<>(
				Stream.of(base.split("[_\\s-]+")).filter(w -> !w.isEmpty()).map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1)).toList());
		if (words.size() == 1) words.add("Macro");
		return String.join("_", words) + ".ijm";
	}

	/**
	 * Writes the site: each file as {@code <path>-<timestamp>} and {@code db.xml.gz}.
	 *
	 * @param entries the files ({@link #entries})
	 * @param output the site folder (created; if it already holds a site, i.e. a {@code db.xml.gz}, it is emptied first)
	 * @param timestamp {@code yyyyMMddHHmmss} for every new file version and as the time earlier versions became
	 *        obsolete, or {@code null} for each file's last-modified time and the current time (UTC)
	 * @param previous the {@code db.xml.gz} of the site as published (its versions are carried on), or
	 *        {@code null} for the one already in {@code output}, if any
	 * @throws IOException if a file cannot be read or written, or {@code previous} is not a readable {@code db.xml.gz}
	 */
	public static void build(final List< Entry > entries, final Path output, final String timestamp, final Path previous) throws IOException {
		if (timestamp != null && !timestamp.matches("\\d{14}"))
			throw new IllegalArgumentException("UpdateSiteBuilder: timestamp must be yyyyMMddHHmmss, but was '" + timestamp + "'.");
		if (previous != null && !Files.isRegularFile(previous))
			throw new IOException("UpdateSiteBuilder: the previous site's db.xml.gz " + previous
					+ " does not exist; download it from the site (<url>/db.xml.gz) or leave --previous out.");
		final Path db = output.resolve("db.xml.gz");
		final Map< String, Previous > earlier = previous != null ? readPrevious(previous) : Files.isRegularFile(db) ? readPrevious(db) : Map.of();
		if (Files.isRegularFile(db)) AtomicFiles.deleteTree(output); // an earlier site: no stale <path>-<timestamp> files
		Files.createDirectories(output);
		final String now = timestamp != null ? timestamp : TIMESTAMP.format(Instant.now());
		final Map< String, Version > versions = new TreeMap<>(); // path -> this build's version of it
		final List< String > unchangedPaths = new ArrayList<>();
		for (final Entry e : entries) {
			final String checksum = checksum(e.path(), e.source());
			final Previous old = earlier.get(unversioned(e.path()));
			final boolean unchanged = old != null && old.current() != null && old.current().checksum().equals(checksum) && old.filename().equals(e.path());
			final String ts = unchanged
					? old.current().timestamp()
					: timestamp != null ? timestamp : TIMESTAMP.format(Instant.ofEpochMilli(Files.getLastModifiedTime(e.source()).toMillis()));
			versions.put(e.path(), new Version(e.path(), ts, checksum, null));
			if (unchanged) unchangedPaths.add(e.path());
			final Path target = output.resolve(e.path() + "-" + ts);
			Files.createDirectories(target.getParent());
			Files.copy(e.source(), target, StandardCopyOption.REPLACE_EXISTING);
		}
		final Map< String, String > records = new TreeMap<>();
		for (final Entry e : entries) {
			final Version v = versions.get(e.path());
			final StringBuilder r = record(e.path(), e.platform() == null ? List.of() : List.of(e.platform().fijiName()), e.categories());
			r.append("  <version timestamp=\"").append(v.timestamp()).append("\" checksum=\"").append(v.checksum()).append("\" filesize=\"")
					.append(Files.size(e.source())).append("\">\n");
			r.append("   <description>").append(escape(e.description())).append("</description>\n");
			if (e.path().startsWith("jars/")) for (final Version d : versions.values()) // the suite's jar needs the worker jars
				if (d.filename().startsWith(WORKER_FOLDER))
					r.append("   <dependency filename=\"").append(escape(d.filename())).append("\" timestamp=\"").append(d.timestamp()).append("\"/>\n");
			r.append("  </version>\n");
			records.put(e.path(), previousVersions(r, earlier.get(unversioned(e.path())), unchangedPaths.contains(e.path()), now));
		}
		for (final Previous old : earlier.values())
			if (versions.keySet().stream().noneMatch(p -> unversioned(p).equals(unversioned(old.filename())))) // no longer built: obsolete
				records.put(old.filename(), previousVersions(record(old.filename(), old.platforms(), List.of()), old, false, now));
		final Path tmp = output.resolve("db.xml.gz.tmp");
		try (OutputStream os = Files.newOutputStream(tmp); Writer w = new OutputStreamWriter(new GZIPOutputStream(os), StandardCharsets.UTF_8)) {
			w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + DTD + "<pluginRecords>\n" + String.join("", records.values()) + "</pluginRecords>\n");
		}
		Files.move(tmp, db, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	/** Opens a {@code plugin} element with its {@code platform} and {@code category} elements. */
	private static StringBuilder record(final String filename, final List< String > platforms, final List< String > categories) {
		final StringBuilder r = new StringBuilder(" <plugin filename=\"").append(escape(filename)).append("\">\n");
		platforms.forEach(p -> r.append("  <platform>").append(escape(p)).append("</platform>\n"));
		categories.forEach(c -> r.append("  <category>").append(escape(c)).append("</category>\n"));
		return r;
	}

	/**
	 * Closes a {@code plugin} element after its {@code previous-version} elements: the earlier ones, and the old
	 * current one unless unchanged (then obsolete since {@code now}).
	 */
	private static String previousVersions(final StringBuilder r, final Previous old, final boolean unchanged, final String now) {
		if (old != null) {
			final List< Version > versions = new ArrayList<>(old.earlier());
			if (!unchanged && old.current() != null) versions.add(new Version(old.filename(), old.current().timestamp(), old.current().checksum(), now));
			for (final Version v : versions)
				r.append(
						"  <previous-version timestamp=\"" + v.timestamp() + "\"" + (v.obsolete() == null ? "" : " timestamp-obsolete=\"" + v.obsolete() + "\"")
								+ " checksum=\"" + v.checksum() + "\"" + (v.filename() == null ? "" : " filename=\"" + escape(v.filename()) + "\"") + "/>\n");
		}
		return r.append(" </plugin>\n").toString();
	}

	/** A file's name without its version, as the updater matches the versions of one file (scijava's rule). */
	static String unversioned(final String path) {
		return FileUtils.stripFilenameVersion(path);
	}

	/**
	 * The records of an earlier {@code db.xml.gz}, by {@linkplain #unversioned unversioned} file name.
	 *
	 * @throws IOException if it cannot be read or is not a site's {@code db.xml.gz}
	 */
	static Map< String, Previous > readPrevious(final Path db) throws IOException {
		final Document doc;
		try (InputStream in = new GZIPInputStream(Files.newInputStream(db))) {
			final DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
			f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
			doc = f.newDocumentBuilder().parse(in);
		}
		catch (final SAXException | ParserConfigurationException e) {
			throw new IOException("UpdateSiteBuilder: " + db + " is not a site's db.xml.gz (" + e.getMessage()
					+ "); give the db.xml.gz of the published site or leave --previous out.", e);
		}
		final Map< String, Previous > out = new LinkedHashMap<>();
		for (final Element p : children(doc.getDocumentElement(), "plugin")) {
			final String filename = p.getAttribute("filename");
			final List< String > platforms = children(p, "platform").stream().map(e -> e.getTextContent().strip()).toList();
			final Version current = children(p, "version").stream().reduce((a, b) -> b) // the last one
					.map(v -> new Version(filename, v.getAttribute("timestamp"), v.getAttribute("checksum"), null)).orElse(null);
			final List< Version > earlier = children(p, "previous-version").stream()
					.map(v -> new Version(v.hasAttribute("filename") ? v.getAttribute("filename") : null,
							v.getAttribute("timestamp"), v.getAttribute("checksum"),
							v.hasAttribute("timestamp-obsolete") ? v.getAttribute("timestamp-obsolete") : null))
					.toList();
			out.put(unversioned(filename), new Previous(filename, platforms, current, earlier));
		}
		return out;
	}

	private static List< Element > children(final Element parent, final String name) {
		final List< Element > out = new ArrayList<>();
		for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling())
			if (n instanceof Element e && e.getTagName().equals(name)) out.add(e);
		return out;
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
		final MessageDigest sha1;
		try {
			sha1 = MessageDigest.getInstance("SHA-1");
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
		}
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
					else if (!e.getName().equals("META-INF/MANIFEST.MF")) sha1.update(content); // the manifest: its name only (see above)
				}
			}
		}
		else {
			sha1.update(path.getBytes(StandardCharsets.US_ASCII));
			sha1.update(Files.readAllBytes(file));
		}
		return HexFormat.of().formatHex(sha1.digest());
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
}
