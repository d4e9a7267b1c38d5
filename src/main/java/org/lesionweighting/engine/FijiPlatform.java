package org.lesionweighting.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one table of platforms: Fiji's platform name (the ImageJ updater's, which is also the folder
 * {@code <Fiji>/lib/<name>/} the native library goes to) and the classifier of TensorFlow Java 1.1.0's native
 * jar for it ({@code tensorflow-core-native-1.1.0-<classifier>.jar}), or none. The worker's class path
 * ({@link WorkerClassPath}) and the update site ({@code app.UpdateSiteBuilder}) both read it.
 * <p>
 * Names: imagej-updater's {@code net.imagej.updater.util.Platforms} ({@code current()}, {@code known()}; read on
 * 2026-12-02): the operating system ({@code linux}, {@code macos}, {@code win}) followed by {@code 64} for
 * x86-64, {@code 32} for x86-32 and {@code -arm64} for AArch64. TensorFlow Java 1.1.0 publishes natives for
 * {@code linux-x86_64} (and its {@code -gpu} build), {@code linux-arm64}, {@code macosx-arm64} and
 * {@code windows-x86_64}; none for macOS on Intel, Windows on ARM or any 32-bit system.
 */
public enum FijiPlatform {

	LINUX64("linux64", "linux-x86_64", "Linux x86-64"), LINUX_ARM64("linux-arm64", "linux-arm64", "Linux ARM64"), MACOS_ARM64("macos-arm64", "macosx-arm64",
			"macOS on Apple silicon"), WIN64("win64", "windows-x86_64", "Windows x86-64"),
	// no TensorFlow Java 1.1.0 native for the following (no classifier)
	MACOS64("macos64", null, "macOS on Intel"), WIN_ARM64("win-arm64", null, "Windows on ARM"), LINUX32("linux32", null, "32-bit Linux"), WIN32("win32", null,
			"32-bit Windows");

	/** The classifier suffix of TensorFlow's GPU native build (Linux x86-64 only). */
	public static final String GPU_SUFFIX = "-gpu";

	private final String fiji;

	private final String classifier;

	private final String label;

	FijiPlatform(final String fiji, final String classifier, final String label) {
		this.fiji = fiji;
		this.classifier = classifier;
		this.label = label;
	}

	/** Fiji's (the updater's) platform name, also the folder {@code lib/<name>/} of the native jar. */
	public String fijiName() {
		return fiji;
	}

	/** The classifier of TensorFlow Java's native jar, or {@code null} when TensorFlow Java has none. */
	public String classifier() {
		return classifier;
	}

	/** A name for users ({@code "macOS on Apple silicon"}). */
	public String label() {
		return label;
	}

	/** Whether TensorFlow Java 1.1.0 has a native library for this platform. */
	public boolean hasNative() {
		return classifier != null;
	}

	/** The folder of the native jar relative to the Fiji folder: {@code lib/<fijiName>/}. */
	public String nativeFolder() {
		return "lib/" + fiji + "/";
	}

	/**
	 * Whether a jar file name is TensorFlow's native jar of this platform, CPU or GPU build
	 * ({@code tensorflow-core-native-<version>-<classifier>[-gpu].jar}).
	 */
	public boolean isNativeJar(final String fileName) {
		return classifier != null
				&& fileName.matches(Pattern.quote(WorkerClassPath.NATIVE_PREFIX) + "[^-]*-" + Pattern.quote(classifier) + "(" + GPU_SUFFIX + ")?\\.jar");
	}

	/** The platforms TensorFlow Java 1.1.0 has a native library for, in table order. */
	public static List< FijiPlatform > withNative() {
		return Arrays.stream(values()).filter(FijiPlatform::hasNative).toList();
	}

	/**
	 * The platform of an {@code os.name} and {@code os.arch} pair, named as the ImageJ updater does.
	 *
	 * @return the platform, or {@code null} for another system (FreeBSD, ...) or architecture (ppc64le, ...)
	 */
	public static FijiPlatform of(final String osName, final String osArch) {
		final String os = osName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
		final String arch = osArch.toLowerCase(Locale.ROOT);
		final String bits = switch (arch) {
			case "amd64", "x86_64", "x86-64", "x64" -> "64";
			case "x86", "i386", "i486", "i586", "i686", "x86_32", "x86-32" -> "32";
			case "aarch64", "arm64" -> "-arm64";
			default -> null;
		};
		if (bits == null) return null;
		final String name = (os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macos" : os.startsWith("win") ? "win" : os) + bits;
		return Arrays.stream(values()).filter(p -> p.fiji.equals(name)).findFirst().orElse(null);
	}

	/**
	 * One line for a platform without TensorFlow: what is missing and what to use instead, or {@code null} when
	 * the platform has a native library.
	 *
	 * @param platform the platform, {@code null} for one Fiji has no name for
	 * @param osName {@code os.name}, shown when {@code platform} is {@code null}
	 * @param osArch {@code os.arch}, shown when {@code platform} is {@code null}
	 */
	public static String missingNative(final FijiPlatform platform, final String osName, final String osArch) {
		if (platform != null && platform.hasNative()) return null;
		final List< String > supported = withNative().stream().map(p -> p.label).toList();
		return "TensorFlow Java 1.1.0 has no native library for " + (platform == null ? osName + " " + osArch : platform.label + " (" + platform.fiji + ")")
				+ ", so training, segmentation and the TensorFlow Device Report cannot run here; run them on "
				+ String.join(", ", supported.subList(0, supported.size() - 1)) + " or " + supported.get(supported.size() - 1)
				+ " (64-bit Java), e.g. headless with the launcher, and copy the model folder back; "
				+ "labeling, weight maps, phantoms, file IO and evaluation work here.";
	}

	/**
	 * Checks that this JVM's platform has TensorFlow's native library.
	 *
	 * @throws IllegalStateException with {@link #missingNative} when it has none
	 */
	public static void requireNative() {
		final String os = System.getProperty("os.name", ""), arch = System.getProperty("os.arch", "");
		final String missing = missingNative(of(os, arch), os, arch);
		if (missing != null) throw new IllegalStateException(missing);
	}
}
