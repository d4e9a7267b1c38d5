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
		assertTrue(r.out.contains("min_volume (number from 0 to 1000000000, default 0.0)"), r.out);
	}

	/** Regression: the example gave every file a .tif name, records='/data/records.tif' for a CSV. */
	@Test
	void helpExamplesUseTheExtensionsTheParametersExpect() {
		final Result r = launch("--help", "Evaluate Lesion Detection");
		assertEquals(0, r.code, r.err);
		assertTrue(r.out.contains("records='/data/records.csv'") && r.out.contains("summary='/data/summary.json'"), r.out);
		assertTrue(r.out.contains("truth_file='/data/truth_file.tif'"), r.out);
		final Result train = launch("--help", "Train Lesion Segmenter");
		assertTrue(train.out.contains("dataset='/data/dataset/'"), train.out);
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
	void imageParameterAcceptsAFilePathAndBooleans() throws Exception {
		final ImagePlus lab = ij.IJ.createImage("lab", "16-bit black", 4, 4, 2);
		TestImages.set(lab, 1, 1, 0, 9);
		final Path in = dir.resolve("lab.tif"), out = dir.resolve("w.tif");
		VolumeFiles.save(lab, in);
		final Result r = launch("--run", "Lesion Weight Map", "image='" + in + "',already_labeled=true,output='" + out + "'");
		assertEquals(0, r.code, r.err);
		// N = 32, K = 1, one voxel: 32 / 2 = 16
		assertEquals(16, TestImages.get(VolumeFiles.open(out), 1, 1, 0), 1e-6);
	}

	@Test
	void missingRequiredIsNotReportedForOptionalInputs() {
		final Result r = launch("--run", "Generate Lesion Phantom", "width=8,height=8,depth=4,lesions=1,min_radius=1,max_radius=2");
		assertEquals(0, r.code, r.err);
		assertTrue(r.out.contains("count="), r.out);
	}

	@Test
	void missingRequiredInputsAreListed() {
		final Result r = launch("--run", "Required Inputs Test", "offset=2");
		assertEquals(2, r.code);
		assertTrue(r.err.contains("missing required parameters source, factor"), r.err);
		final Result ok = launch("--run", "Required Inputs Test", "source='/tmp/a.tif',factor=2.5");
		assertEquals(0, ok.code, ok.err);
		assertTrue(ok.out.contains("summary=a.tif*2.5+1"), ok.out);
	}

	@Test
	void macroOptionRunsAMacroFileWithItsArgument() throws Exception {
		final Path mask = dir.resolve("mask.tif");
		VolumeFiles.save(TestImages.mask(), mask);
		final Path macro = dir.resolve("count.ijm");
		Files.writeString(macro, "open(getArgument()); run('Label Lesions 3D', ''); return '' + nResults;");
		final Result r = launch("--macro", macro.toString(), mask.toString());
		assertEquals(0, r.code, r.err);
		assertEquals("3", r.out.strip());
		final Result bad = launch("--macro", dir.resolve("none.ijm").toString());
		assertEquals(1, bad.code);
		assertTrue(bad.err.contains("none.ijm"), bad.err);
	}

	@Test
	void mainExitsWithTheCodeInASeparateHeadlessJvm() throws Exception {
		final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		final Process p = new ProcessBuilder(java, "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), Launcher.class.getName(), "--run",
				"No Such Command").redirectErrorStream(true).start();
		final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertEquals(2, p.waitFor(), output);
		assertTrue(output.startsWith("Error: unknown command 'No Such Command'"), output);
	}

	@Test
	void unknownKeyIsUsageErrorListingKeys() {
		final Result r = launch("--run", "Label Lesions 3D", "inptu='x.tif'");
		assertEquals(2, r.code);
		assertTrue(r.err.contains("unknown parameter 'inptu'. Did you mean 'input'? Parameters: ") && r.err.contains("connectivity"), r.err);
		assertFalse(r.err.contains("\tat "), "no stack trace without --debug");
	}

	@Test
	void anOutputNameGivenAsParameterIsNamedAndTheClosestParameterSuggested() {
		final Result r = launch("--run", "Segment Lesions", "model='/m',input='/x.nii.gz',probabilities='p.nii.gz'");
		assertEquals(2, r.code, r.err);
		assertTrue(r.err.contains(
				"Segment Lesions: unknown parameter 'probabilities'. 'probabilities' is an output of Segment Lesions, not a parameter. Did you mean 'probabilities_path'? Parameters: model, image, input, channel_files, "),
				r.err);
		for (final String p : new String[] { "probabilities_path", "logits_path", "mask_path", "labels_path", "patch_size", "device" })
			assertTrue(r.err.contains(p), "every parameter is listed: " + p);
		// far from every name: no suggestion
		final Result far = launch("--run", "Label Lesions 3D", "zzzzzz=1");
		assertFalse(far.err.contains("Did you mean"), far.err);
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

	/** Issue 15 items 9 and 10: text for a number or a boolean was 0 or false, and integers wrapped around. */
	@Test
	void unparsableAndOutOfRangeValuesAreUsageErrorsNamingKeyAndValue() throws Exception {
		final Path mask = dir.resolve("m.tif");
		VolumeFiles.save(TestImages.mask(), mask);
		final String[][] cases = { //
			{ "Label Lesions 3D", "input='" + mask + "',output='" + dir.resolve("l.tif")
					+ "',min_volume='1OO'", "parameter 'min_volume' needs a number from 0 to 1000000000, but got '1OO'" }, //
			{ "Lesion Weight Map", "input='" + mask + "',output='" + dir.resolve("l.tif")
					+ "',already_labeled='yes'", "parameter 'already_labeled' is true or false, but got 'yes'" }, //
			{ "Generate Lesion Phantom", "width=4294967336,height=8,depth=8,lesions=1,image_file='" + dir.resolve("l.tif")
					+ "'", "parameter 'width' must be from 1 to 4096, but got 4294967336" }, //
			{ "Generate Lesion Phantom", "width=8.5,image_file='" + dir.resolve("l.tif")
					+ "'", "parameter 'width' needs an integer from 1 to 4096, but got 8.5" }, //
			{ "Train Lesion Segmenter", "dataset='" + dir + "',model='" + dir.resolve("model")
					+ "',batch_size=99999999999", "parameter 'batch_size' must be from 1 to" } };
		for (final String[] c : cases) {
			final Result r = launch("--run", c[0], c[1]);
			assertEquals(Launcher.EXIT_USAGE, r.code, r.err);
			assertTrue(r.err.contains(c[2]), r.err);
			assertEquals(1, r.err.lines().filter(l -> l.startsWith("Error:")).count(), r.err);
			assertFalse(Files.exists(dir.resolve("l.tif")), "nothing was written");
		}
		// auto-or-number values are checked by the command before the dataset is read
		final Result epochs = launch("--run", "Train Lesion Segmenter", "dataset='" + dir + "',model='" + dir.resolve("model") + "',epochs=99999999999");
		assertTrue(epochs.err.contains("Train Lesion Segmenter: epochs must be a whole number or auto, but was '99999999999'."), epochs.err);
		assertEquals(1, epochs.err.lines().filter(l -> l.startsWith("Error:")).count(), epochs.err);
		assertFalse(Files.exists(dir.resolve("model")), "nothing was written");
		final Result ok = launch("--run", "Lesion Weight Map", "input='" + mask + "',output='" + dir.resolve("w.tif") + "',already_labeled='TRUE'");
		assertEquals(0, ok.code, ok.err);
	}

	/** Issue 15 (Also): a .nii.gz inflating to 1.5 GB ended in a bare "OutOfMemoryError: Java heap space". */
	@Test
	void runningOutOfHeapIsOneLineSayingWhatToDo() {
		final String m = Launcher.message(new java.util.concurrent.ExecutionException(new RuntimeException(new OutOfMemoryError("Java heap space"))));
		assertTrue(m.startsWith("out of Java heap memory (Java heap space; the heap may grow to ") && m.contains("-Xmx16g") && !m.contains("OutOfMemoryError"),
				m);
	}
}
