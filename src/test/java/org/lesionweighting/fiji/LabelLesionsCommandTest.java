package org.lesionweighting.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;
import org.scijava.command.CommandModule;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;

class LabelLesionsCommandTest extends CommandTestSupport {

	private static CommandModule run(final Object... inputs) throws Exception {
		return runCommand(LabelLesionsCommand.class, inputs);
	}

	@Test
	void labelsOpenImageWith26Connectivity() throws Exception {
		final CommandModule m = run("image", TestImages.mask());
		assertEquals(3, m.getOutput("count"));
		final ImagePlus labels = (ImagePlus) m.getOutput("labels");
		assertEquals("mask-labels", labels.getTitle());
		assertEquals(16, labels.getBitDepth());
		assertEquals(1, TestImages.get(labels, 1, 1, 0));
		assertEquals(2, TestImages.get(labels, 8, 1, 0));
		assertEquals(3, TestImages.get(labels, 6, 7, 3));
		final ResultsTable rt = (ResultsTable) m.getOutput("lesions");
		assertEquals(3, rt.size());
		assertEquals(8, rt.getValue("voxel_count", 0));
		assertEquals(2, rt.getValue("voxel_count", 2));
	}

	@Test
	void sixConnectivitySplitsCornerNeighbours() throws Exception {
		final CommandModule m = run("image", TestImages.mask(), "connectivity", "6");
		assertEquals(4, m.getOutput("count"));
	}

	@Test
	void calibratedVolumesAndMinVolumeFilter() throws Exception {
		final ImagePlus mask = TestImages.mask();
		ImagePlusBridge.setCalibration(mask, new double[] { 0.5, 0.5, 2 }, "mm", null); // 0.5 mm3 per voxel
		final CommandModule m = run("image", mask, "min_volume", 1.0);
		assertEquals(2, m.getOutput("count"), "the single voxel (0.5 mm3) is removed");
		final ResultsTable rt = (ResultsTable) m.getOutput("lesions");
		assertEquals(4.0, rt.getValue("volume", 0), 1e-12);
		final ImagePlus labels = (ImagePlus) m.getOutput("labels");
		assertEquals(0, TestImages.get(labels, 8, 1, 0));
		assertEquals(2, TestImages.get(labels, 6, 7, 3), "kept lesions are renumbered in raster order");
		assertArrayEquals(new double[] { 0.5, 0.5, 2 }, ImagePlusBridge.voxelSize(labels));
	}

	@Test
	void fileModeWritesLabelImageAndTable() throws Exception {
		final Path in = dir.resolve("mask.tif");
		VolumeFiles.save(TestImages.mask(), in);
		final Path out = dir.resolve("labels.tif");
		final Path table = dir.resolve("lesions.csv");
		run("input", in.toFile(), "output", out.toFile(), "table", table.toFile());
		final ImagePlus labels = VolumeFiles.open(out);
		assertEquals(3, TestImages.get(labels, 5, 6, 2));
		final String csv = Files.readString(table);
		assertTrue(csv.startsWith("label,voxel_count,volume"), csv);
		assertEquals(4, csv.split("\n").length);
	}

	/** Regression: Fiji fills 'image' with the active image; with 'input' given too the command refused ("not both"). */
	@Test
	void theInputFileWinsOverAnOpenImage() throws Exception {
		final Path in = dir.resolve("mask.tif");
		VolumeFiles.save(TestImages.mask(), in);
		final ImagePlus empty = IJ.createImage("active", "8-bit black", 4, 4, 2);
		assertEquals(3, run("image", empty, "input", in.toFile()).getOutput("count"), "the mask file's 3 lesions (26-connectivity), not the empty open image");
	}

	@Test
	void existingLabelImageIsMeasuredAsGiven() throws Exception {
		final ImagePlus lab = IJ.createImage("lab", "16-bit black", 4, 4, 2);
		TestImages.set(lab, 0, 0, 0, 7);
		TestImages.set(lab, 3, 3, 1, 7);
		TestImages.set(lab, 2, 2, 0, 2);
		final CommandModule m = run("image", lab, "already_labeled", true);
		final ResultsTable rt = (ResultsTable) m.getOutput("lesions");
		assertEquals(2, rt.size());
		assertEquals(2, rt.getValue("label", 0));
		assertEquals(7, rt.getValue("label", 1));
		assertEquals(2, rt.getValue("voxel_count", 1), "label 7 is two separate voxels, kept as one lesion");
	}

	@Test
	void moreThan65535LesionsGiveExactFloatLabels() throws Exception {
		// isolated voxels at even (x, y): 300 x 300 = 90,000 lesions, numbered in raster order
		final ImagePlus mask = IJ.createImage("dots", "8-bit black", 600, 600, 1);
		final byte[] px = (byte[]) mask.getProcessor().getPixels();
		for (int y = 0; y < 600; y += 2)
			for (int x = 0; x < 600; x += 2)
				px[y * 600 + x] = 1;
		final CommandModule m = run("image", mask);
		assertEquals(90000, m.getOutput("count"));
		final ImagePlus labels = (ImagePlus) m.getOutput("labels");
		assertEquals(32, labels.getBitDepth());
		assertEquals(90000, TestImages.get(labels, 598, 598, 0));
		assertEquals(300 + 2, TestImages.get(labels, 2, 2, 0), "second row starts at 301");
	}

	@Test
	void negativeLabelsAreRejected() {
		final ImagePlus lab = IJ.createImage("lab", "32-bit black", 4, 4, 2);
		TestImages.set(lab, 1, 1, 1, -3);
		final ExecutionException e = assertThrows(ExecutionException.class, () -> run("image", lab, "already_labeled", true));
		assertTrue(rootMessage(e).contains("-3.0"), rootMessage(e));
	}

	@Test
	void badInputWritesNothing() throws Exception {
		final Path out = dir.resolve("labels.tif");
		final Path table = dir.resolve("lesions.csv");
		final ImagePlus rgb = IJ.createImage("rgb", "RGB black", 4, 4, 2);
		assertThrows(ExecutionException.class, () -> run("image", rgb, "output", out.toFile(), "table", table.toFile()));
		final ImagePlus nan = IJ.createImage("nan", "32-bit black", 4, 4, 2);
		TestImages.set(nan, 1, 1, 1, Float.NaN);
		assertThrows(ExecutionException.class, () -> run("image", nan, "output", out.toFile(), "table", table.toFile()));
		assertThrows(ExecutionException.class, () -> run("image", TestImages.mask(), "connectivity", "7", "output", out.toFile()));
		assertThrows(ExecutionException.class,
				() -> run("image", TestImages.mask(), "output", out.toFile(), "table", new File(dir.toFile(), "missing/lesions.csv")));
		assertThrows(ExecutionException.class, () -> run("image", TestImages.mask(), "output", dir.resolve("labels.png").toFile()));
		try (var s = Files.list(dir)) {
			assertEquals(0, s.count());
		}
		assertFalse(Files.exists(out));
	}

	static String rootMessage(final Throwable t) {
		Throwable e = t;
		while (e.getCause() != null)
			e = e.getCause();
		return e.getMessage();
	}
}
