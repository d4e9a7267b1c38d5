package org.lesionweighting.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.engine.FijiPlatform;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The update site: a tiny site from test jars checked against an independent re-implementation of the
 * ImageJ updater's checksum, the exclusion list, and (when {@code target/lib} exists) the real dependency jars.
 */
class UpdateSiteBuilderTest {

	static final String TS = "20261127010203";

	/** A jar with the given entries (name → content); a manifest with a Main-Class when {@code manifest}. */
	private static Path jar(final Path file, final boolean manifest, final String... nameContent) throws Exception {
		final Manifest m = new Manifest();
		m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "org.example.Main");
		m.getMainAttributes().putValue("Built-By", "someone");
		try (OutputStream os = Files.newOutputStream(file); JarOutputStream j = manifest ? new JarOutputStream(os, m) : new JarOutputStream(os)) {
			for (int i = 0; i < nameContent.length; i += 2) {
				j.putNextEntry(new JarEntry(nameContent[i]));
				j.write(nameContent[i + 1].getBytes(StandardCharsets.UTF_8));
				j.closeEntry();
			}
		}
		return file;
	}

	/** Independent checksum: streams the jar with ZipInputStream, entries sorted in a TreeMap. */
	static String expectedChecksum(final String path, final Path file) throws Exception {
		final MessageDigest md = MessageDigest.getInstance("SHA-1");
		if (!path.endsWith(".jar")) {
			md.update(path.getBytes(StandardCharsets.US_ASCII));
			md.update(Files.readAllBytes(file));
			return HexFormat.of().formatHex(md.digest());
		}
		final TreeMap< String, byte[] > entries = new TreeMap<>();
		try (InputStream in = Files.newInputStream(file); ZipInputStream z = new ZipInputStream(in)) {
			for (ZipEntry e; (e = z.getNextEntry()) != null;)
				entries.put(e.getName(), z.readAllBytes());
		}
		for (final Map.Entry< String, byte[] > e : entries.entrySet()) {
			md.update(e.getKey().getBytes(StandardCharsets.US_ASCII));
			if (e.getKey().equals("META-INF/MANIFEST.MF")) continue; // the updater keeps no manifest line (see the builder)
			if (e.getKey().endsWith(".properties")) {
				final String text = new String(e.getValue(), StandardCharsets.ISO_8859_1);
				final StringBuilder sb = new StringBuilder();
				final String[] lines = text.split("\n", -1);
				for (int i = 0; i < lines.length; i++) {
					if (!lines[i].startsWith("#")) sb.append(lines[i]);
					if (i < lines.length - 1) sb.append('\n');
				}
				md.update(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
			}
			else
				md.update(e.getValue());
		}
		return HexFormat.of().formatHex(md.digest());
	}

	private static Path tinyInputs(final Path dir) throws Exception {
		final Path lib = Files.createDirectories(dir.resolve("lib"));
		for (final String n : new String[] { "tensorflow-core-api-1.1.0.jar", "tensorflow-framework-1.1.0.jar", "tensorflow-core-native-1.1.0.jar", "ndarray-1.0.0.jar", "tensorflow-core-native-1.1.0-linux-x86_64.jar", "tensorflow-core-native-1.1.0-linux-x86_64-gpu.jar", "imglib2-8.0.0.jar", "ij-1.54p.jar", "scijava-common-2.100.1.jar", "parsington-3.1.0.jar", "protobuf-java-4.32.0.jar", "javacpp-1.5.10.jar" })
			jar(lib.resolve(n), false, (n.startsWith("tensorflow-") ? "org/tensorflow/" : "org/example/") + n + ".txt", n);
		final Path natives = Files.createDirectories(dir.resolve("natives"));
		for (final String c : new String[] { "linux-x86_64", "linux-arm64", "macosx-arm64", "windows-x86_64" })
			jar(natives.resolve("tensorflow-core-native-1.1.0-" + c + ".jar"), false, "org/tensorflow/internal/c_api/" + c + "/libjnitensorflow", c + c + c);
		final Path macros = Files.createDirectories(dir.resolve("macros"));
		Files.writeString(macros.resolve("segment_folder.ijm"), "print('hi');\n");
		Files.writeString(macros.resolve("notes.txt"), "not a macro");
		jar(dir.resolve("lesion-weighting-0.1.0.jar"), true, "org/lesionweighting/A.class", "abc", "plugins.config", "Plugins, \"X\", Y", "a/b.properties",
				"#Generated Fri Nov 27\nkey=value\n# another\nx=#y\n");
		return lib;
	}

	/** The entries of the tiny inputs of {@link #tinyInputs} in {@code dir}. */
	private static List< UpdateSiteBuilder.Entry > tinyEntries(final Path dir) throws Exception {
		return UpdateSiteBuilder.entries(dir.resolve("lesion-weighting-0.1.0.jar"), dir.resolve("lib"), dir.resolve("natives"), dir.resolve("macros"));
	}

	/** The site of the tiny inputs, built with timestamp {@link #TS} into {@code dir/site}. */
	private static Path tinySite(final Path dir) throws Exception {
		tinyInputs(dir);
		final Path site = dir.resolve("site");
		UpdateSiteBuilder.build(tinyEntries(dir), site, TS, null);
		return site;
	}

	/** The paths of the four CPU natives in a site. */
	static final List< String > NATIVES = List.of("lib/linux-arm64/tensorflow-core-native-1.1.0-linux-arm64.jar",
			"lib/linux64/tensorflow-core-native-1.1.0-linux-x86_64.jar", "lib/macos-arm64/tensorflow-core-native-1.1.0-macosx-arm64.jar",
			"lib/win64/tensorflow-core-native-1.1.0-windows-x86_64.jar");

	@Test
	void tinySiteMatchesItsFilesAndTheIndependentChecksums(@TempDir final Path dir) throws Exception {
		final Path site = tinySite(dir);
		final Map< String, Element > records = read(site);
		final List< String > expected = new ArrayList<>(List.of("jars/lesion-weighting-0.1.0.jar", "lib/lesion-weighting/ndarray-1.0.0.jar",
				"lib/lesion-weighting/tensorflow-core-api-1.1.0.jar", "lib/lesion-weighting/tensorflow-core-native-1.1.0.jar",
				"lib/lesion-weighting/tensorflow-framework-1.1.0.jar", "scripts/Plugins/Lesion_Weighting/Segment_Folder.ijm"));
		expected.addAll(NATIVES);
		expected.sort(null);
		assertEquals(expected, new ArrayList<>(records.keySet()), "no Fiji-shipped jar, no GPU native, no non-macro file, one native per platform");
		checkAgainstFiles(site, records);
		assertNoTensorFlowOnFijisClassPath(site, records);
		// the suite's jar depends on every worker jar, with their timestamps, inside its version
		final Element version = child(records.get("jars/lesion-weighting-0.1.0.jar"), "version");
		final NodeList deps = version.getElementsByTagName("dependency");
		assertEquals(4, deps.getLength());
		for (int i = 0; i < deps.getLength(); i++) {
			assertEquals(TS, ((Element) deps.item(i)).getAttribute("timestamp"));
			assertTrue(((Element) deps.item(i)).getAttribute("filename").startsWith(UpdateSiteBuilder.WORKER_FOLDER));
		}
		assertEquals(List.of("Segmentation", "Deep Learning"), texts(records.get("jars/lesion-weighting-0.1.0.jar"), "category"));
		// each native is for its platform only (the updater's names = the folder); everything else for all
		for (final Map.Entry< String, Element > r : records.entrySet()) {
			final List< String > platforms = texts(r.getValue(), "platform");
			if (r.getKey().contains("tensorflow-core-native-1.1.0-")) assertEquals(List.of(r.getKey().split("/")[1]), platforms, r.getKey());
			else
				assertEquals(List.of(), platforms, r.getKey());
		}
		assertValidAgainstTheUpdatersDtd(site);
	}

	@Test
	void theDtdIsTheUpdatersAndEveryRecordIsValid(@TempDir final Path dir) throws Exception {
		// the two content models the updater's XMLFileWriter declares for records
		assertTrue(UpdateSiteBuilder.DTD.contains("<!ELEMENT plugin (platform*, category*, version?, previous-version*)>"));
		assertTrue(UpdateSiteBuilder.DTD.contains("<!ELEMENT version (description?, dependency*, link*, author*)>"));
		// the old layout (description and dependency directly under plugin) is invalid against it
		final String old = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + UpdateSiteBuilder.DTD
				+ "<pluginRecords><plugin filename=\"jars/a.jar\"><version timestamp=\"1\" checksum=\"c\" filesize=\"1\"/><description>x</description></plugin></pluginRecords>";
		assertThrows(SAXException.class, () -> validate(new ByteArrayInputStream(old.getBytes(StandardCharsets.UTF_8))));
		// a site with previous versions and an obsolete record is valid too
		final Path site = tinySite(dir);
		Files.writeString(dir.resolve("macros").resolve("segment_folder.ijm"), "print('changed');\n");
		Files.delete(dir.resolve("natives").resolve("tensorflow-core-native-1.1.0-windows-x86_64.jar"));
		UpdateSiteBuilder.build(tinyEntries(dir), site, "20261203000000", null);
		assertValidAgainstTheUpdatersDtd(site);
	}

	@Test
	void aChangedFileKeepsItsEarlierVersionsAndAnUnchangedOneItsTimestamp(@TempDir final Path dir) throws Exception {
		final Path site = tinySite(dir);
		final Map< String, Element > first = read(site);
		final String macro = "scripts/Plugins/Lesion_Weighting/Segment_Folder.ijm";
		final String oldChecksum = child(first.get(macro), "version").getAttribute("checksum");
		// second build: the macro changed, the suite jar got a new version number, the Windows native is gone
		Files.writeString(dir.resolve("macros").resolve("segment_folder.ijm"), "print('changed');\n");
		Files.move(dir.resolve("lesion-weighting-0.1.0.jar"), dir.resolve("lesion-weighting-0.2.0.jar"));
		Files.delete(dir.resolve("natives").resolve("tensorflow-core-native-1.1.0-windows-x86_64.jar"));
		final String ts2 = "20261203000000";
		UpdateSiteBuilder.build(
				UpdateSiteBuilder.entries(dir.resolve("lesion-weighting-0.2.0.jar"), dir.resolve("lib"), dir.resolve("natives"), dir.resolve("macros")), site,
				ts2, null);
		final Map< String, Element > second = read(site);
		// changed: new version, the old one as previous-version, obsolete since this build
		final Element m = second.get(macro);
		assertEquals(ts2, child(m, "version").getAttribute("timestamp"));
		assertEquals(1, m.getElementsByTagName("previous-version").getLength());
		final Element prev = (Element) m.getElementsByTagName("previous-version").item(0);
		assertEquals(List.of(TS, oldChecksum, ts2, macro),
				List.of(prev.getAttribute("timestamp"), prev.getAttribute("checksum"), prev.getAttribute("timestamp-obsolete"), prev.getAttribute("filename")));
		assertTrue(Files.isRegularFile(site.resolve(macro + "-" + ts2)));
		// unchanged: same version (timestamp, checksum), no previous-version, stored under its old timestamp
		final String api = "lib/lesion-weighting/tensorflow-core-api-1.1.0.jar";
		assertEquals(TS, child(second.get(api), "version").getAttribute("timestamp"));
		assertEquals(child(first.get(api), "version").getAttribute("checksum"), child(second.get(api), "version").getAttribute("checksum"));
		assertEquals(0, second.get(api).getElementsByTagName("previous-version").getLength());
		assertTrue(Files.isRegularFile(site.resolve(api + "-" + TS)));
		// a new version number of the same jar (here even with the same content) is the same file to the updater:
		// a new version, its 0.1.0 a previous version
		assertFalse(second.containsKey("jars/lesion-weighting-0.1.0.jar"));
		final Element suite = second.get("jars/lesion-weighting-0.2.0.jar");
		assertEquals("jars/lesion-weighting-0.1.0.jar", ((Element) suite.getElementsByTagName("previous-version").item(0)).getAttribute("filename"));
		// no longer built: a record without version (the updater offers to uninstall it), its platform kept
		final Element win = second.get("lib/win64/tensorflow-core-native-1.1.0-windows-x86_64.jar");
		assertEquals(0, win.getElementsByTagName("version").getLength());
		assertEquals(List.of("win64"), texts(win, "platform"));
		assertEquals(1, win.getElementsByTagName("previous-version").getLength());
		// a third build carries the whole chain
		Files.writeString(dir.resolve("macros").resolve("segment_folder.ijm"), "print('again');\n");
		UpdateSiteBuilder.build(
				UpdateSiteBuilder.entries(dir.resolve("lesion-weighting-0.2.0.jar"), dir.resolve("lib"), dir.resolve("natives"), dir.resolve("macros")), site,
				"20261204000000", null);
		assertEquals(2, read(site).get(macro).getElementsByTagName("previous-version").getLength());
	}

	@Test
	void anExplicitPreviousSiteIsReadAndAMissingOneNamed(@TempDir final Path dir) throws Exception {
		tinyInputs(dir);
		final Path published = dir.resolve("published");
		UpdateSiteBuilder.build(tinyEntries(dir), published, TS, null);
		Files.writeString(dir.resolve("macros").resolve("segment_folder.ijm"), "print('changed');\n");
		final Path site = dir.resolve("site");
		UpdateSiteBuilder.build(tinyEntries(dir), site, "20261203000000", published.resolve("db.xml.gz"));
		assertEquals(1, read(site).get("scripts/Plugins/Lesion_Weighting/Segment_Folder.ijm").getElementsByTagName("previous-version").getLength());
		final IOException e = assertThrows(IOException.class, () -> UpdateSiteBuilder.build(tinyEntries(dir), site, TS, dir.resolve("none.xml.gz")));
		assertTrue(e.getMessage().contains("none.xml.gz") && e.getMessage().contains("--previous"), e.getMessage());
	}

	@Test
	void eachUserDownloadsTheCommonFilesAndTheirOwnNative(@TempDir final Path dir) throws Exception {
		tinyInputs(dir);
		final List< UpdateSiteBuilder.Entry > entries = tinyEntries(dir);
		long common = 0;
		for (final UpdateSiteBuilder.Entry e : entries)
			if (e.platform() == null) common += Files.size(e.source());
		final Map< FijiPlatform, Long > sizes = UpdateSiteBuilder.downloadSizes(entries);
		assertEquals(FijiPlatform.withNative(), new ArrayList<>(sizes.keySet()));
		for (final FijiPlatform p : FijiPlatform.withNative())
			assertEquals(common + Files.size(dir.resolve("natives").resolve("tensorflow-core-native-1.1.0-" + p.classifier() + ".jar")), sizes.get(p),
					p.toString());
	}

	@Test
	void theGpuSiteHoldsTheGpuNativeForLinux64Only(@TempDir final Path dir) throws Exception {
		final Path gpu = jar(dir.resolve("tensorflow-core-native-1.1.0-linux-x86_64-gpu.jar"), false,
				"org/tensorflow/internal/c_api/linux-x86_64/libjnitensorflow", "gpu");
		final Path site = dir.resolve("gpu-site");
		UpdateSiteBuilder.build(List.of(UpdateSiteBuilder.gpuEntry(gpu)), site, TS, null);
		final Map< String, Element > records = read(site);
		assertEquals(List.of("lib/linux64/tensorflow-core-native-1.1.0-linux-x86_64-gpu.jar"), new ArrayList<>(records.keySet()));
		final Element r = records.values().iterator().next();
		assertEquals(List.of("linux64"), texts(r, "platform"));
		assertTrue(r.getElementsByTagName("description").item(0).getTextContent().contains("CUDA 12 and cuDNN 9"));
		checkAgainstFiles(site, records);
		assertValidAgainstTheUpdatersDtd(site);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> UpdateSiteBuilder.gpuEntry(jar(dir.resolve("tensorflow-core-native-1.1.0-linux-x86_64.jar"), false, "a", "b")));
		assertTrue(e.getMessage().contains("--gpu") && e.getMessage().contains("tensorflow-core-native-1.1.0-linux-x86_64.jar"), e.getMessage());
		assertThrows(IOException.class, () -> UpdateSiteBuilder.gpuEntry(dir.resolve("none-gpu.jar")));
	}

	@Test
	void manifestAndPropertiesCommentsDoNotChangeTheJarChecksum(@TempDir final Path dir) throws Exception {
		final Path a = jar(dir.resolve("a.jar"), true, "x.properties", "#Generated Mon\nk=v\n", "y.txt", "y");
		final Path b = jar(dir.resolve("b.jar"), false, "x.properties", "#Generated Tue, other date\nk=v\n", "y.txt", "y");
		final Path c = jar(dir.resolve("c.jar"), false, "x.properties", "#Generated Tue\nk=w\n", "y.txt", "y");
		// a has a manifest entry, b none: the manifest's name still counts, its content never does
		final Path a2 = jar(dir.resolve("a2.jar"), true, "x.properties", "# other comment\nk=v\n", "y.txt", "y");
		assertEquals(UpdateSiteBuilder.checksum("jars/a.jar", a), UpdateSiteBuilder.checksum("jars/a.jar", a2));
		assertNotEquals(UpdateSiteBuilder.checksum("jars/a.jar", a), UpdateSiteBuilder.checksum("jars/b.jar", b));
		assertNotEquals(UpdateSiteBuilder.checksum("jars/b.jar", b), UpdateSiteBuilder.checksum("jars/c.jar", c), "values count");
		assertEquals(expectedChecksum("jars/a.jar", a), UpdateSiteBuilder.checksum("jars/a.jar", a));
		// non-jar: the path is part of the digest
		final Path m = Files.writeString(dir.resolve("m.ijm"), "x");
		assertNotEquals(UpdateSiteBuilder.checksum("scripts/A_B.ijm", m), UpdateSiteBuilder.checksum("scripts/C_D.ijm", m));
		final MessageDigest md = MessageDigest.getInstance("SHA-1");
		assertEquals(HexFormat.of().formatHex(md.digest("scripts/A_B.ijmx".getBytes(StandardCharsets.US_ASCII))),
				UpdateSiteBuilder.checksum("scripts/A_B.ijm", m), "hand-computed: SHA-1 of path + content");
	}

	@Test
	void exclusionListIsExplicit(@TempDir final Path dir) throws Exception {
		for (final String shipped : new String[] { "ij-1.54p.jar", "imglib2-8.0.0.jar", "scijava-common-2.100.1.jar", "parsington-3.1.0.jar", "protobuf-java-4.32.0.jar", "javacpp-1.5.10.jar" })
			assertTrue(UpdateSiteBuilder.isFijiShipped(shipped), shipped);
		assertFalse(UpdateSiteBuilder.isFijiShipped("tensorflow-core-api-1.1.0.jar"));
		final Path lib = tinyInputs(dir);
		jar(lib.resolve("commons-math3-3.6.1.jar"), false, "a", "b");
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tinyEntries(dir));
		assertTrue(e.getMessage().contains("commons-math3-3.6.1.jar"), e.getMessage());
		Files.delete(lib.resolve("commons-math3-3.6.1.jar"));
		Files.delete(lib.resolve("ndarray-1.0.0.jar"));
		final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> tinyEntries(dir));
		assertTrue(missing.getMessage().contains("ndarray-"), missing.getMessage());
	}

	@Test
	void fijisClassPathIsJarsAndPluginsRecursivelyNeverLib() {
		assertTrue(UpdateSiteBuilder.onFijiClassPath("jars/lesion-weighting-0.1.0.jar"));
		assertTrue(UpdateSiteBuilder.onFijiClassPath("jars/linux64/x.jar"), "jars/ recursively, platform folders included");
		assertTrue(UpdateSiteBuilder.onFijiClassPath("jars/any/sub/folder/x.jar"));
		assertTrue(UpdateSiteBuilder.onFijiClassPath("plugins/x.jar"));
		assertTrue(UpdateSiteBuilder.onFijiClassPath("plugins/sub/x.jar"));
		assertFalse(UpdateSiteBuilder.onFijiClassPath(UpdateSiteBuilder.WORKER_FOLDER + "tensorflow-core-api-1.1.0.jar"));
		for (final String n : NATIVES)
			assertFalse(UpdateSiteBuilder.onFijiClassPath(n), "lib/<platform>/ is java.library.path only");
		assertFalse(UpdateSiteBuilder.onFijiClassPath("scripts/Plugins/Lesion_Weighting/Segment_Folder.ijm"));
	}

	@Test
	void aSuiteJarWithTensorFlowClassesIsRefused(@TempDir final Path dir) throws Exception {
		final Path lib = tinyInputs(dir);
		final Path shaded = jar(dir.resolve("lesion-weighting-0.2.0.jar"), true, "org/lesionweighting/A.class", "abc", "org/tensorflow/Graph.class", "shaded");
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> UpdateSiteBuilder.entries(shaded, lib, dir.resolve("natives"), dir.resolve("macros")));
		assertTrue(e.getMessage().contains("org/tensorflow/") && e.getMessage().contains("jars/lesion-weighting-0.2.0.jar"), e.getMessage());
	}

	@Test
	void macrosGetMenuNamesWithUnderscores() {
		assertEquals("Label_And_Weight_Folder.ijm", UpdateSiteBuilder.menuName("label_and_weight_folder.ijm"));
		assertEquals("Segment_Macro.ijm", UpdateSiteBuilder.menuName("segment.ijm"));
	}

	/** The first child element of {@code parent} named {@code name}. */
	static Element child(final Element parent, final String name) {
		for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling())
			if (n instanceof Element e && e.getTagName().equals(name)) return e;
		throw new AssertionError(parent.getAttribute("filename") + " has no " + name);
	}

	/** The texts of the child elements of {@code parent} named {@code name}, in order. */
	static List< String > texts(final Element parent, final String name) {
		final List< String > out = new ArrayList<>();
		for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling())
			if (n instanceof Element e && e.getTagName().equals(name)) out.add(e.getTextContent());
		return out;
	}

	/** Parses with a validating parser against the document's DTD; any error or warning fails. */
	static void validate(final InputStream in) throws Exception {
		final DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
		f.setValidating(true);
		final DocumentBuilder b = f.newDocumentBuilder();
		b.setErrorHandler(new ErrorHandler() {

			@Override
			public void warning(final SAXParseException e) throws SAXException {
				throw e;
			}

			@Override
			public void error(final SAXParseException e) throws SAXException {
				throw e;
			}

			@Override
			public void fatalError(final SAXParseException e) throws SAXException {
				throw e;
			}
		});
		b.parse(in);
	}

	/**
	 * The site's {@code db.xml.gz} is valid against the updater's DTD: its document type is exactly
	 * {@link UpdateSiteBuilder#DTD} (the updater's, see {@link #theDtdIsTheUpdatersAndEveryRecordIsValid}), and a
	 * validating parser accepts every element and attribute.
	 */
	static void assertValidAgainstTheUpdatersDtd(final Path site) throws Exception {
		final String xml;
		try (InputStream in = new GZIPInputStream(Files.newInputStream(site.resolve("db.xml.gz")))) {
			xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		assertTrue(xml.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + UpdateSiteBuilder.DTD + "<pluginRecords>"),
				xml.substring(0, Math.min(300, xml.length())));
		validate(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
	}

	static Map< String, Element > read(final Path site) throws Exception {
		final Document doc;
		try (InputStream in = new GZIPInputStream(Files.newInputStream(site.resolve("db.xml.gz")))) {
			doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
		}
		assertEquals("pluginRecords", doc.getDocumentElement().getTagName());
		final Map< String, Element > out = new TreeMap<>();
		final NodeList plugins = doc.getElementsByTagName("plugin");
		for (int i = 0; i < plugins.getLength(); i++) {
			final Element p = (Element) plugins.item(i);
			out.put(p.getAttribute("filename"), p);
		}
		return out;
	}

	/**
	 * No file the site puts on Fiji's class path ({@code .jar} under {@code jars/} or {@code plugins/}, any depth)
	 * holds an {@code org/tensorflow/} entry, and the TensorFlow Java jars, which do, are all off it.
	 */
	static void assertNoTensorFlowOnFijisClassPath(final Path site, final Map< String, Element > records) throws Exception {
		int tensorFlowJars = 0;
		for (final Map.Entry< String, Element > r : records.entrySet()) {
			if (!r.getKey().endsWith(".jar")) continue;
			final String ts = ((Element) r.getValue().getElementsByTagName("version").item(0)).getAttribute("timestamp");
			final boolean tf;
			try (InputStream in = Files.newInputStream(site.resolve(r.getKey() + "-" + ts)); ZipInputStream z = new ZipInputStream(in)) {
				boolean found = false;
				for (ZipEntry e; (e = z.getNextEntry()) != null;)
					found |= e.getName().startsWith("org/tensorflow/");
				tf = found;
			}
			final boolean classPath = r.getKey().startsWith("jars/") || r.getKey().startsWith("plugins/");
			assertFalse(classPath && tf, r.getKey() + " is on Fiji's class path and holds org/tensorflow/ classes");
			if (tf) tensorFlowJars++;
		}
		assertTrue(tensorFlowJars >= 4, "the TensorFlow Java jars are on the site, off Fiji's class path: " + tensorFlowJars);
	}

	static void checkAgainstFiles(final Path site, final Map< String, Element > records) throws Exception {
		for (final Map.Entry< String, Element > r : records.entrySet()) {
			final Element v = child(r.getValue(), "version");
			final String ts = v.getAttribute("timestamp");
			assertTrue(ts.matches("\\d{14}"), ts);
			final Path stored = site.resolve(r.getKey() + "-" + ts);
			assertTrue(Files.isRegularFile(stored), stored + " stored as <path>-<timestamp>");
			assertEquals(Files.size(stored), Long.parseLong(v.getAttribute("filesize")), r.getKey());
			assertEquals(expectedChecksum(r.getKey(), stored), v.getAttribute("checksum"), r.getKey());
			assertFalse(child(v, "description").getTextContent().isBlank(), "the description inside the version: " + r.getKey());
		}
	}
}
