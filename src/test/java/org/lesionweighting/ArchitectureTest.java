package org.lesionweighting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: the core (every package except {@code tf}, {@code engine}, {@code fiji} and
 * {@code app}) depends on ImgLib2 only; the TensorFlow layer does not know Fiji; the engine does not know Fiji,
 * SciJava, ImageJ or the launcher; Fiji does not know the launcher.
 */
class ArchitectureTest {

	private static final Path MAIN = Paths.get("src/main/java/org/lesionweighting");

	/** Longest line of the main sources, tabs counted as 4 columns (the formatter's lineSplit). */
	private static final int MAX_COLUMNS = 160;

	private static final Pattern FOREIGN = Pattern
			.compile("^import\\s+(static\\s+)?(ij\\.|org\\.scijava|org\\.tensorflow|net\\.imagej|java\\.awt|javax\\.swing)", Pattern.MULTILINE);

	private static final Pattern FIJI = Pattern.compile(
			"^import\\s+(static\\s+)?(ij\\.|org\\.scijava|net\\.imagej|java\\.awt|javax\\.swing|org\\.lesionweighting\\.fiji|org\\.lesionweighting\\.app)",
			Pattern.MULTILINE);

	private static final Pattern APP = Pattern.compile("^import\\s+(static\\s+)?org\\.lesionweighting\\.app\\.", Pattern.MULTILINE);

	@Test
	void coreImportsImgLib2Only() throws IOException {
		final List< String > offenders = filesMatching(p -> !under(p, "tf") && !under(p, "engine") && !under(p, "fiji") && !under(p, "app"), FOREIGN);
		assertEquals(List.of(), offenders, "core files must not import ImageJ, SciJava, TensorFlow or AWT");
	}

	@Test
	void tensorFlowLayerDoesNotKnowFiji() throws IOException {
		final List< String > offenders = filesMatching(p -> under(p, "tf"), FIJI);
		assertEquals(List.of(), offenders, "tf files must not import ImageJ, SciJava, AWT or the Fiji layer");
	}

	@Test
	void engineDoesNotKnowFijiOrTheLauncher() throws IOException {
		final List< String > offenders = filesMatching(p -> under(p, "engine"), FIJI);
		assertEquals(List.of(), offenders, "engine files must not import ImageJ, SciJava, AWT, the Fiji layer or the launcher");
	}

	@Test
	void fijiDoesNotKnowTheLauncher() throws IOException {
		final List< String > offenders = filesMatching(p -> under(p, "fiji"), APP);
		assertEquals(List.of(), offenders, "fiji files must not import the launcher (app)");
	}

	/** The formatter wraps code at 160 columns (tabs of 4) but never splits string literals or comments: keep those short by hand. */
	@Test
	void noLineOfTheMainSourcesIsLongerThan160Columns() throws IOException {
		try (Stream< Path > s = Files.walk(MAIN)) {
			final List< String > longLines = s.filter(p -> p.toString().endsWith(".java")).sorted().flatMap(p -> {
				try {
					final List< String > lines = Files.readAllLines(p);
					return java.util.stream.IntStream.range(0, lines.size()).filter(i -> lines.get(i).replace("\t", "    ").length() > MAX_COLUMNS)
							.mapToObj(i -> p + ":" + (i + 1));
				}
				catch (final IOException e) {
					throw new java.io.UncheckedIOException(e);
				}
			}).toList();
			assertEquals(List.of(), longLines, "lines longer than " + MAX_COLUMNS + " columns; run mvn spotless:apply and split long strings or comments");
		}
	}

	@Test
	void theCheckSeesTheSources() throws IOException {
		try (Stream< Path > s = Files.walk(MAIN)) {
			assertTrue(s.anyMatch(p -> p.toString().endsWith("LesionLabeling.java")), "run from the project root");
		}
	}

	private static boolean under(final Path p, final String pkg) {
		return MAIN.relativize(p).getName(0).toString().equals(pkg);
	}

	private static List< String > filesMatching(final java.util.function.Predicate< Path > which, final Pattern pattern) throws IOException {
		try (Stream< Path > s = Files.walk(MAIN)) {
			return s.filter(p -> p.toString().endsWith(".java")).filter(which).filter(p -> {
				try {
					return pattern.matcher(Files.readString(p)).find();
				}
				catch (final IOException e) {
					throw new java.io.UncheckedIOException(e);
				}
			}).map(Path::toString).sorted().collect(Collectors.toList());
		}
	}
}
