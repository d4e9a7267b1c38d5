package org.lesionweighting.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

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
			else md.update(e.getValue());
		}
		return HexFormat.of().formatHex(md.digest());
	}

	private static Path tinyInputs(final Path dir) throws Exception {
		final Path lib = Files.createDirectories(dir.resolve("lib"));
		for (final String n : new String[] { "tensorflow-core-api-1.1.0.jar", "tensorflow-framework-1.1.0.jar", "tensorflow-core-native-1.1.0.jar", "ndarray-1.0.0.jar", "tensorflow-core-native-1.1.0-linux-x86_64.jar", "tensorflow-core-native-1.1.0-linux-x86_64-gpu.jar", "imglib2-8.0.0.jar", "ij-1.54p.jar", "scijava-common-2.100.1.jar", "parsington-3.1.0.jar", "protobuf-java-4.32.0.jar", "javacpp-1.5.10.jar" })
			jar(lib.resolve(n), false, (n.startsWith("tensorflow-") ? "org/tensorflow/" : "org/example/") + n + ".txt", n);
		final Path macros = Files.createDirectories(dir.resolve("macros"));
		Files.writeString(macros.resolve("segment_folder.ijm"), "print('hi');\n");
		Files.writeString(macros.resolve("notes.txt"), "not a macro");
		jar(dir.resolve("lesion-weighting-0.1.0.jar"), true, "org/lesionweighting/A.class", "abc", "plugins.config", "Plugins, \"X\", Y", "a/b.properties", "#Generated Fri Nov 27\nkey=value\n# another\nx=#y\n");
		return lib;
	}

	@Test
	void tinySiteMatchesItsFilesAndTheIndependentChecksums(@TempDir final Path dir) throws Exception {
		final Path lib = tinyInputs(dir);
		final Path site = dir.resolve("site");
		UpdateSiteBuilder.build(UpdateSiteBuilder.entries(dir.resolve("lesion-weighting-0.1.0.jar"), lib, dir.resolve("macros")), site, TS);
		final Map< String, Element > records = read(site);
		assertEquals(List.of("jars/lesion-weighting-0.1.0.jar", "lib/lesion-weighting/ndarray-1.0.0.jar", "lib/lesion-weighting/tensorflow-core-api-1.1.0.jar", "lib/lesion-weighting/tensorflow-core-native-1.1.0.jar", "lib/lesion-weighting/tensorflow-framework-1.1.0.jar", "lib/linux64/tensorflow-core-native-1.1.0-linux-x86_64.jar", "scripts/Plugins/Lesion_Weighting/Segment_Folder.ijm"), new ArrayList<>(records.keySet()), "no Fiji-shipped jar, no GPU native, no non-macro file");
		checkAgainstFiles(site, records);
		assertNoTensorFlowOnFijisClassPath(site, records);
		// the suite's jar depends on every worker jar, with their timestamps
		final NodeList deps = records.get("jars/lesion-weighting-0.1.0.jar").getElementsByTagName("dependency");
		assertEquals(5, deps.getLength());
		for (int i = 0; i < deps.getLength(); i++)
			assertEquals(TS, ((Element) deps.item(i)).getAttribute("timestamp"));
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
		assertEquals(HexFormat.of().formatHex(md.digest("scripts/A_B.ijmx".getBytes(StandardCharsets.US_ASCII))), UpdateSiteBuilder.checksum("scripts/A_B.ijm", m), "hand-computed: SHA-1 of path + content");
	}

	@Test
	void exclusionListIsExplicit(@TempDir final Path dir) throws Exception {
		for (final String shipped : new String[] { "ij-1.54p.jar", "imglib2-8.0.0.jar", "scijava-common-2.100.1.jar", "parsington-3.1.0.jar", "protobuf-java-4.32.0.jar", "javacpp-1.5.10.jar" })
			assertTrue(UpdateSiteBuilder.isFijiShipped(shipped), shipped);
		assertFalse(UpdateSiteBuilder.isFijiShipped("tensorflow-core-api-1.1.0.jar"));
		final Path lib = tinyInputs(dir);
		jar(lib.resolve("commons-math3-3.6.1.jar"), false, "a", "b");
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UpdateSiteBuilder.entries(dir.resolve("lesion-weighting-0.1.0.jar"), lib, dir.resolve("macros")));
		assertTrue(e.getMessage().contains("commons-math3-3.6.1.jar"), e.getMessage());
		Files.delete(lib.resolve("commons-math3-3.6.1.jar"));
		Files.delete(lib.resolve("ndarray-1.0.0.jar"));
		final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> UpdateSiteBuilder.entries(dir.resolve("lesion-weighting-0.1.0.jar"), lib, dir.resolve("macros")));
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
		assertFalse(UpdateSiteBuilder.onFijiClassPath(UpdateSiteBuilder.NATIVE_FOLDER + UpdateSiteBuilder.NATIVE_JAR), "lib/<platform>/ is java.library.path only");
		assertFalse(UpdateSiteBuilder.onFijiClassPath("scripts/Plugins/Lesion_Weighting/Segment_Folder.ijm"));
	}

	@Test
	void aSuiteJarWithTensorFlowClassesIsRefused(@TempDir final Path dir) throws Exception {
		final Path lib = tinyInputs(dir);
		final Path shaded = jar(dir.resolve("lesion-weighting-0.2.0.jar"), true, "org/lesionweighting/A.class", "abc", "org/tensorflow/Graph.class", "shaded");
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UpdateSiteBuilder.entries(shaded, lib, dir.resolve("macros")));
		assertTrue(e.getMessage().contains("org/tensorflow/") && e.getMessage().contains("jars/lesion-weighting-0.2.0.jar"), e.getMessage());
	}

	@Test
	void macrosGetMenuNamesWithUnderscores() {
		assertEquals("Label_And_Weight_Folder.ijm", UpdateSiteBuilder.menuName("label_and_weight_folder.ijm"));
		assertEquals("Segment_Macro.ijm", UpdateSiteBuilder.menuName("segment.ijm"));
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
			final Element v = (Element) r.getValue().getElementsByTagName("version").item(0);
			final String ts = v.getAttribute("timestamp");
			assertTrue(ts.matches("\\d{14}"), ts);
			final Path stored = site.resolve(r.getKey() + "-" + ts);
			assertTrue(Files.isRegularFile(stored), stored + " stored as <path>-<timestamp>");
			assertEquals(Files.size(stored), Long.parseLong(v.getAttribute("filesize")), r.getKey());
			assertEquals(expectedChecksum(r.getKey(), stored), v.getAttribute("checksum"), r.getKey());
			assertFalse(r.getValue().getElementsByTagName("description").item(0).getTextContent().isBlank());
		}
	}
}
