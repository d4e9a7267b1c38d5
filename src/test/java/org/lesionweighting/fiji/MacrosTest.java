package org.lesionweighting.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import ij.ImagePlus;

/**
 * Executes the user macros in {@code macros/} through ImageJ's macro interpreter, headless, and checks the
 * files they write.
 */
class MacrosTest extends CommandTestSupport {

	private static final Path MACROS = Paths.get("macros");

	@Test
	void labelAndWeightFolder() throws Exception {
		final ImagePlus a = TestImages.mask();
		ImagePlusBridge.setCalibration(a, new double[] { 0.5, 0.5, 2 }, "mm", null);
		VolumeFiles.save(a, dir.resolve("case_a.tif"));
		final ImagePlus b = ij.IJ.createImage("b", "8-bit black", 6, 5, 1); // 2D: one lesion of 2 voxels
		TestImages.set(b, 1, 1, 0, 1);
		TestImages.set(b, 2, 2, 0, 1);
		VolumeFiles.save(b, dir.resolve("case_b.tif"));
		Files.writeString(dir.resolve("notes.txt"), "not an image");

		MacroRunner.runFile(ctx, MACROS.resolve("label_and_weight_folder.ijm"), dir.toString());

		final Path out = dir.resolve("lesion_weighting");
		assertEquals(List.of("case_a-labels.tif", "case_a-lesions.csv", "case_a-weights.tif", "case_b-labels.tif", "case_b-lesions.csv", "case_b-weights.tif"),
				list(out));

		final ImagePlus labels = VolumeFiles.open(out.resolve("case_a-labels.tif"));
		assertEquals(1, TestImages.get(labels, 2, 2, 1));
		assertEquals(2, TestImages.get(labels, 8, 1, 0));
		assertEquals(3, TestImages.get(labels, 5, 6, 2));
		assertEquals(0.5, labels.getCalibration().pixelWidth, "calibration is kept");
		final List< String > rows = Files.readAllLines(out.resolve("case_a-lesions.csv"));
		assertEquals(4, rows.size());
		assertTrue(rows.get(1).startsWith("1,8,"), rows.get(1));

		// W1 on the whole image: N = 12*10*4 = 480, K = 3, w = clip(N / ((K+1) |c|), 1, 2e5)
		final ImagePlus w = VolumeFiles.open(out.resolve("case_a-weights.tif"));
		assertEquals(32, w.getBitDepth());
		assertEquals(480.0 / (4 * 8), TestImages.get(w, 1, 1, 0), 1e-4);
		assertEquals(480.0 / (4 * 1), TestImages.get(w, 8, 1, 0), 1e-4);
		assertEquals(480.0 / (4 * 2), TestImages.get(w, 6, 7, 3), 1e-4);
		assertEquals(1.0, TestImages.get(w, 0, 0, 0), "background 480 / (4 * 469) < 1 is clipped to w_min");

		// 2D case: N = 30, K = 1 (diagonal neighbours connect), lesion 2 voxels: 30 / (2 * 2) = 7.5
		final ImagePlus wb = VolumeFiles.open(out.resolve("case_b-weights.tif"));
		assertEquals(7.5, TestImages.get(wb, 2, 2, 0), 1e-5);
		assertEquals(1.0, TestImages.get(wb, 0, 0, 0), "background 30 / (2 * 28) < 1 is clipped to w_min");
	}

	@Test
	void everyMacroIsExecutedByATest() throws IOException {
		final List< String > untested = new ArrayList<>();
		final String tests = allTestSources();
		for (final String name : list(MACROS))
			if (name.endsWith(".ijm") && !tests.contains("\"" + name + "\"")) untested.add(name);
		assertEquals(List.of(), untested, "every macro in macros/ must be run by a test that names it");
	}

	private static String allTestSources() throws IOException {
		try (Stream< Path > s = Files.walk(Paths.get("src/test/java"))) {
			final StringBuilder sb = new StringBuilder();
			for (final Path p : s.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList()))
				sb.append(Files.readString(p));
			return sb.toString();
		}
	}

	private static List< String > list(final Path folder) throws IOException {
		assertTrue(Files.isDirectory(folder), folder + " exists");
		try (Stream< Path > s = Files.list(folder)) {
			final List< String > names = s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().collect(Collectors.toList());
			assertFalse(names.isEmpty());
			return names;
		}
	}
}
