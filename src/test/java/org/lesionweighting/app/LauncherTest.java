package org.lesionweighting.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.fiji.TestImages;
import org.lesionweighting.fiji.VolumeFiles;

import ij.ImagePlus;

/** The launcher end to end, in-process through {@link Launcher#run(String[], PrintStream, PrintStream)}. */
class LauncherTest {

	@TempDir
	Path dir;

	private record Result(int code, String out, String err) {}

	private static Result launch(final String... args) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		final int code = Launcher.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	@Test
	void helpListsCommandsWithDescriptions() {
		final Result r = launch("--help");
		assertEquals(0, r.code);
		assertTrue(r.out.contains("Label Lesions 3D") && r.out.contains("Label the connected lesions"), r.out);
	}

	@Test
	void helpOfCommandListsParametersWithTypesAndDefaults() {
		final Result r = launch("--help", "Label Lesions 3D");
		assertEquals(0, r.code, r.err);
		assertTrue(r.out.contains("connectivity (one of 6|18|26, default 26)"), r.out);
		assertTrue(r.out.contains("input (file, optional)"), r.out);
		assertTrue(r.out.contains("min_volume (number, default 0.0)"), r.out);
	}

	@Test
	void runsCommandOnFilesByTitle() throws Exception {
		final Path mask = dir.resolve("mask.tif");
		VolumeFiles.save(TestImages.mask(), mask);
		final Path labels = dir.resolve("labels.tif"), table = dir.resolve("lesions.csv");
		final Result r = launch("--run", "Label Lesions 3D", "input='" + mask + "', output='" + labels + "', table='" + table + "', connectivity=6");
		assertEquals(0, r.code, r.err);
		assertTrue(r.out.contains("count=4"), r.out);
		assertTrue(r.err.contains("Label Lesions 3D"), "progress goes to standard error: " + r.err);
		final ImagePlus lab = VolumeFiles.open(labels);
		assertEquals(4, TestImages.get(lab, 6, 7, 3));
		assertEquals(5, Files.readAllLines(table).size());
	}

	@Test
	void findsCommandByClassNameAndUnderscoreTitle() throws Exception {
		final Path mask = dir.resolve("mask.tif");
		VolumeFiles.save(TestImages.mask(), mask);
		assertEquals(0, launch("--run", "LabelLesionsCommand", "input='" + mask + "'").code);
		final Result r = launch("--run", "Label_Lesions_3D", "input='" + mask + "'");
		assertEquals(0, r.code, r.err);
		assertTrue(r.out.contains("count=3"), r.out);
	}

	@Test
	void unknownKeyIsUsageErrorListingKeys() {
		final Result r = launch("--run", "Label Lesions 3D", "inptu='x.tif'");
		assertEquals(2, r.code);
		assertTrue(r.err.contains("unknown parameter 'inptu'") && r.err.contains("connectivity"), r.err);
		assertFalse(r.err.contains("\tat "), "no stack trace without --debug");
	}

	@Test
	void missingFileFailsWithOneLine() {
		final Result r = launch("--run", "Label Lesions 3D", "input='" + dir.resolve("none.tif") + "'");
		assertEquals(1, r.code);
		assertTrue(r.err.contains("none.tif") && r.err.contains("does not exist"), r.err);
		assertEquals(1, r.err.strip().split("\n").length, r.err);
	}

	@Test
	void debugAddsStackTrace() {
		final Result r = launch("--debug", "--run", "Label Lesions 3D", "input='" + dir.resolve("none.tif") + "'");
		assertEquals(1, r.code);
		assertTrue(r.err.contains("\tat "), r.err);
	}

	@Test
	void unknownCommandListsCommands() {
		final Result r = launch("--run", "Label Lesions 4D", "");
		assertEquals(2, r.code);
		assertTrue(r.err.contains("unknown command 'Label Lesions 4D'") && r.err.contains("Label Lesions 3D"), r.err);
	}

	@Test
	void badValuesAndSyntaxAreUsageErrors() throws Exception {
		assertEquals(2, launch("--run", "Label Lesions 3D", "connectivity=7").code);
		final Result r = launch("--run", "Label Lesions 3D", "input=/no/quotes.tif");
		assertEquals(2, r.code);
		assertTrue(r.err.contains("single quotes"), r.err);
		assertEquals(2, launch("--frobnicate").code);
		assertEquals(2, launch().code);
	}

	@Test
	void commandInputErrorWritesNothing() throws Exception {
		final ImagePlus rgb = ij.IJ.createImage("rgb", "RGB black", 4, 4, 2);
		final Path in = dir.resolve("rgb.tif");
		VolumeFiles.save(rgb, in);
		final Result r = launch("--run", "Label Lesions 3D", "input='" + in + "',output='" + dir.resolve("l.tif") + "'");
		assertEquals(1, r.code);
		assertTrue(r.err.contains("RGB"), r.err);
		try (var s = Files.list(dir)) {
			assertEquals(1, s.count());
		}
	}
}
