package org.lesionweighting.engine;

import java.io.File;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The class path of the TensorFlow worker, built without loading any {@code org.tensorflow} class in this JVM
 * (only resource look-ups and file names).
 * <p>
 * Entries: (1) the suite's own classes and ImgLib2, taken from where this JVM loads them; (2) protobuf-java and
 * JavaCPP from this JVM's class path (Fiji ships both) unless the TensorFlow folder has its own; (3) the
 * TensorFlow Java jars ({@link #TENSORFLOW_JARS}) from the first of: the configured folder
 * ({@link WorkerSettings#tensorFlowJars()}); {@code <Fiji>/lib/lesion-weighting/} when the suite's jar is in
 * {@code <Fiji>/jars/}; {@code lib/} next to the suite's jar (the launcher's layout); this JVM's
 * {@code java.class.path} (development and tests). The native jar {@code tensorflow-core-native-*-<classifier>.jar}
 * of this platform ({@link FijiPlatform}: {@code linux-x86_64}, {@code linux-arm64}, {@code macosx-arm64} or
 * {@code windows-x86_64}) is taken from that folder or from Fiji's platform folder next to it
 * ({@code <Fiji>/lib/linux64/}, {@code lib/linux-arm64/}, {@code lib/macos-arm64/} or {@code lib/win64/}, where
 * the update site installs it); natives of other platforms are ignored, and a {@code -gpu} native jar is
 * preferred over the CPU one when both are present. On a platform without a native (macOS on Intel, 32-bit)
 * the class path is refused with one line saying so ({@link FijiPlatform#missingNative}).
 * <p>
 * Why {@code lib/}: Fiji's launcher (Jaunch, configuration {@code configs/fiji.toml} of
 * github.com/apposed/jaunch) starts {@code net.imagej.launcher.ClassLauncher -ijjarpath jars -ijjarpath plugins
 * net.imagej.Main}. ClassLauncher (imagej-launcher, {@code ClassLoaderPlus.getRecursively}) puts every
 * {@code .jar} in every sub-folder of {@code jars/} and {@code plugins/} on Fiji's class path (so
 * {@code jars/linux64/} and any {@code jars/<sub>/} too), while {@code lib/<platform>/} only goes to
 * {@code -Djava.library.path}. So jars under {@code lib/lesion-weighting/} and {@code lib/<platform>/} are never on
 * Fiji's class path (checked against those two sources on 2026-11-27), and the TensorFlow Java jars live there.
 */
public final class WorkerClassPath {

	/** Sub-folder of Fiji's {@code lib/} with the worker's TensorFlow Java jars. */
	public static final String FIJI_FOLDER = "lesion-weighting";

	/** File-name prefixes of the TensorFlow Java jars the worker needs (besides the native classifier jar). */
	public static final List< String > TENSORFLOW_JARS = List.of("tensorflow-core-api-", "tensorflow-framework-", "tensorflow-core-native-", "ndarray-");

	/** File-name prefixes of jars Fiji ships that the worker needs too. */
	public static final List< String > SHARED_JARS = List.of("protobuf-java-", "javacpp-");

	/** File-name prefix of TensorFlow's native jars ({@code tensorflow-core-native-<version>-<classifier>.jar}). */
	public static final String NATIVE_PREFIX = "tensorflow-core-native-";

	/** The main class of the worker. */
	public static final String MAIN_CLASS = "org.lesionweighting.engine.EngineWorker";

	private WorkerClassPath() {}

	/**
	 * The worker's class path on a given platform (this JVM's {@code os.name} and {@code os.arch}; tests simulate other
	 * platforms).
	 *
	 * @param settings the worker settings (TensorFlow folder)
	 * @param loader the class loader of this side (Fiji's)
	 * @param osName the {@code os.name} of the platform
	 * @param osArch the {@code os.arch} of the platform
	 * @return the entries, in order
	 * @throws IllegalStateException if the platform has no TensorFlow native, or the TensorFlow Java jars cannot
	 *           be found, naming where it looked and how to fix it
	 */
	public static List< Path > build(final WorkerSettings settings, final ClassLoader loader, final String osName, final String osArch) {
		final FijiPlatform platform = FijiPlatform.of(osName, osArch);
		final String missing = FijiPlatform.missingNative(platform, osName, osArch);
		if (missing != null) throw new IllegalStateException(missing);
		final Set< Path > cp = new LinkedHashSet<>();
		final Path ours = location(loader, MAIN_CLASS.replace('.', '/') + ".class");
		if (ours == null) throw new IllegalStateException("TensorFlow worker: cannot locate the suite's own classes (" + MAIN_CLASS + ").");
		cp.add(ours);
		cp.add(location(loader, "net/imglib2/RandomAccessibleInterval.class"));
		final List< Path > tf = tensorFlowJars(settings, loader, ours, platform);
		if (tf.stream().noneMatch(p -> name(p).startsWith("protobuf-java-"))) cp.add(location(loader, "com/google/protobuf/Message.class"));
		if (tf.stream().noneMatch(p -> name(p).startsWith("javacpp-"))) cp.add(location(loader, "org/bytedeco/javacpp/Loader.class"));
		cp.addAll(tf);
		cp.remove(null); // a library this loader does not see
		return new ArrayList<>(cp);
	}

	/** The class path as one string with the given separator ({@code ;} on Windows, {@code :} elsewhere: {@link File#pathSeparator}). */
	static String toString(final List< Path > entries, final String separator) {
		return entries.stream().map(Path::toString).collect(Collectors.joining(separator));
	}

	/** The TensorFlow Java jars for the worker on a platform with a native (see the class documentation). */
	static List< Path > tensorFlowJars(final WorkerSettings settings, final ClassLoader loader, final Path ours, final FijiPlatform platform) {
		final List< String > looked = new ArrayList<>();
		final List< Path > candidates = new ArrayList<>();
		if (settings.tensorFlowJars() != null) candidates.add(settings.tensorFlowJars());
		else if (ours != null && Files.isRegularFile(ours)) {
			final Path dir = ours.getParent();
			if (dir != null && dir.getFileName() != null && dir.getFileName().toString().equals("jars") && dir.getParent() != null)
				candidates.add(dir.getParent().resolve("lib").resolve(FIJI_FOLDER));
			if (dir != null) candidates.add(dir.resolve("lib"));
		}
		for (final Path folder : candidates) {
			looked.add(folder.toString());
			if (!Files.isDirectory(folder)) continue;
			final List< Path > jars = jarsIn(folder);
			final Path platformDir = folder.getParent() == null ? null : folder.getParent().resolve(platform.fijiName());
			if (platformDir != null && Files.isDirectory(platformDir)) jars.addAll(jarsIn(platformDir));
			final List< Path > chosen = forPlatform(jars, platform);
			if (missing(chosen, platform).isEmpty()) return chosen;
			if (settings.tensorFlowJars() != null)
				throw new IllegalStateException("TensorFlow worker: the folder " + folder + " lacks " + missing(chosen, platform)
						+ ". Put the TensorFlow Java 1.1.0 jars there (see doc/distribution.md) or set " + WorkerSettings.TF_JARS_PROPERTY
						+ " to the right folder.");
		}
		looked.add("java.class.path");
		final List< Path > fromClassPath = Stream.of(System.getProperty("java.class.path", "").split(File.pathSeparator)).filter(e -> !e.isBlank())
				.map(Paths::get)
				.filter(p -> name(p).endsWith(".jar") && Stream.concat(TENSORFLOW_JARS.stream(), SHARED_JARS.stream()).anyMatch(name(p)::startsWith))
				.toList();
		final List< Path > chosen = forPlatform(fromClassPath, platform);
		if (missing(chosen, platform).isEmpty()) return chosen;
		throw new IllegalStateException("TensorFlow worker: the TensorFlow Java 1.1.0 jars were not found (looked in " + String.join(", ", looked)
				+ "; missing " + missing(chosen, platform) + "). Install the Lesion Weighting update site (it puts them into <Fiji>/lib/" + FIJI_FOLDER
				+ "/) or set the system property " + WorkerSettings.TF_JARS_PROPERTY + " (or LESION_WEIGHTING_TF_JARS) to their folder.");
	}

	private static List< Path > jarsIn(final Path folder) {
		try (Stream< Path > s = Files.list(folder)) {
			return new ArrayList<>(s.filter(p -> name(p).endsWith(".jar")).sorted().toList());
		}
		catch (final IOException e) {
			return new ArrayList<>();
		}
	}

	/**
	 * Drops the native jars of other platforms, and this platform's CPU native jar when its GPU native jar is
	 * present.
	 */
	private static List< Path > forPlatform(final List< Path > jars, final FijiPlatform platform) {
		final boolean gpu = jars.stream().anyMatch(p -> platform.isNativeJar(name(p)) && name(p).endsWith(FijiPlatform.GPU_SUFFIX + ".jar"));
		return jars.stream().filter(p -> !isNative(p) || platform.isNativeJar(name(p)) && (!gpu || name(p).endsWith(FijiPlatform.GPU_SUFFIX + ".jar")))
				.toList();
	}

	/** Whether {@code jar} is a native classifier jar ({@code tensorflow-core-native-<v>-<os>-<arch>[-gpu].jar}). */
	public static boolean isNative(final Path jar) {
		return name(jar).matches(NATIVE_PREFIX + "[^-]+-.+\\.jar");
	}

	private static List< String > missing(final List< Path > jars, final FijiPlatform platform) {
		final List< String > m = new ArrayList<>();
		for (final String prefix : TENSORFLOW_JARS)
			if (jars.stream().noneMatch(p -> name(p).startsWith(prefix) && !isNative(p))) m.add(prefix + "*.jar");
		if (jars.stream().noneMatch(WorkerClassPath::isNative))
			m.add(NATIVE_PREFIX + "*-" + platform.classifier() + ".jar (in lib/" + platform.fijiName() + "/)");
		return m;
	}

	private static String name(final Path p) {
		return p.getFileName() == null ? "" : p.getFileName().toString();
	}

	/**
	 * The jar or folder from which {@code loader} would load {@code resource}, without loading any class.
	 *
	 * @return the path, or {@code null} when the resource is absent or not in a file
	 */
	public static Path location(final ClassLoader loader, final String resource) {
		final URL url = loader.getResource(resource);
		return url == null ? null : location(url, resource);
	}

	/** The jar file or class folder of a resource URL ({@code jar:file:...!/...} or {@code file:...}). */
	static Path location(final URL url, final String resource) {
		try {
			if ("jar".equals(url.getProtocol())) return Paths.get(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
			if ("file".equals(url.getProtocol())) {
				Path p = Paths.get(url.toURI());
				for (int i = resource.split("/").length; i > 0 && p != null; i--)
					p = p.getParent();
				return p;
			}
		}
		catch (final IOException | URISyntaxException | RuntimeException e) {
			return null;
		}
		return null;
	}
}
