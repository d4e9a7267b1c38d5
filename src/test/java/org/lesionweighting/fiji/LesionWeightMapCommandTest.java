package org.lesionweighting.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;
import org.scijava.command.CommandModule;

import ij.IJ;
import ij.ImagePlus;

class LesionWeightMapCommandTest extends CommandTestSupport {

	private static ImagePlus weights(final Object... inputs) throws Exception {
		final CommandModule m = runCommand(LesionWeightMapCommand.class, inputs);
		return (ImagePlus) m.getOutput("weights");
	}

	@Test
	void inverseVolumeOfMaskIsW1() throws Exception {
		// N = 480, K = 3 (26-connectivity), |c| = 8, 1, 2: w = 480 / (4 |c|)
		final ImagePlus w = weights("image", TestImages.mask());
		assertEquals("mask-weights", w.getTitle());
		assertEquals(32, w.getBitDepth());
		assertEquals(15, TestImages.get(w, 2, 2, 1), 1e-5);
		assertEquals(120, TestImages.get(w, 8, 1, 0), 1e-5);
		assertEquals(60, TestImages.get(w, 5, 6, 2), 1e-5);
		assertEquals(1, TestImages.get(w, 0, 9, 3), 1e-6);
	}

	@Test
	void sixConnectivityChangesKAndSizes() throws Exception {
		// K = 4, corner voxels are two lesions of 1 voxel: 480 / (5 * 1) = 96
		final ImagePlus w = weights("image", TestImages.mask(), "connectivity", "6");
		assertEquals(96, TestImages.get(w, 5, 6, 2), 1e-4);
		assertEquals(480.0 / (5 * 8), TestImages.get(w, 1, 1, 1), 1e-4);
	}

	@Test
	void clipBoundsApply() throws Exception {
		final ImagePlus w = weights("image", TestImages.mask(), "w_min", 20.0, "w_max", 100.0);
		assertEquals(20, TestImages.get(w, 2, 2, 1), 1e-5, "15 clipped up");
		assertEquals(100, TestImages.get(w, 8, 1, 0), 1e-5, "120 clipped down");
		assertEquals(20, TestImages.get(w, 0, 0, 0), 1e-5);
	}

	@Test
	void uniformIsAllOnes() throws Exception {
		final ImagePlus w = weights("image", TestImages.mask(), "scheme", "uniform");
		assertEquals(1, TestImages.get(w, 8, 1, 0));
		assertEquals(1, TestImages.get(w, 0, 0, 0));
	}

	@Test
	void existingLabelsAreUsedAsGiven() throws Exception {
		// label 5 in two separate voxels is one part of 2 voxels: N = 16, K = 1, w = 16 / (2 * 2) = 4
		final ImagePlus lab = IJ.createImage("lab", "16-bit black", 4, 4, 1);
		TestImages.set(lab, 0, 0, 0, 5);
		TestImages.set(lab, 3, 3, 0, 5);
		final ImagePlus w = weights("image", lab, "already_labeled", true);
		assertEquals(4, TestImages.get(w, 3, 3, 0), 1e-6);
	}

	@Test
	void patchSizeTilesTheImage() throws Exception {
		// 8x4x1 image, patches of 4: left tile holds one 1-voxel lesion (N = 16, K = 1): 16 / 2 = 8
		final ImagePlus m = IJ.createImage("m", "8-bit black", 8, 4, 1);
		TestImages.set(m, 1, 1, 0, 1);
		final ImagePlus w = weights("image", m, "patch_size", 4);
		assertEquals(8, TestImages.get(w, 1, 1, 0), 1e-6);
		assertEquals(1, TestImages.get(w, 6, 1, 0), 1e-6, "right tile has no lesion");
		final ImagePlus whole = weights("image", m);
		assertEquals(16, TestImages.get(whole, 1, 1, 0), 1e-6, "whole image: N = 32, K = 1");
	}

	@Test
	void theLabelImageComesFromTheSameLabelingAsTheWeights() throws Exception {
		// the fused call: labels as Label Lesions 3D numbers them (raster order), weights 480 / (4 |c|) of those labels
		final Path w = dir.resolve("w.tif"), l = dir.resolve("l.tif");
		final CommandModule m = runCommand(LesionWeightMapCommand.class, "image", TestImages.mask(), "output", w.toFile(), "labels_file", l.toFile());
		final ImagePlus labels = (ImagePlus) m.getOutput("lesion_labels");
		assertEquals("mask-labels", labels.getTitle());
		final ImagePlus expected = (ImagePlus) runCommand(LabelLesionsCommand.class, "image", TestImages.mask()).getOutput("labels");
		final ImagePlus saved = VolumeFiles.open(l);
		final ImagePlus weights = VolumeFiles.open(w);
		for (int z = 0; z < 4; z++)
			for (int y = 0; y < 10; y++)
				for (int x = 0; x < 12; x++) {
					final double k = TestImages.get(expected, x, y, z);
					assertEquals(k, TestImages.get(labels, x, y, z), "label at " + x + "," + y + "," + z);
					assertEquals(k, TestImages.get(saved, x, y, z), "saved label at " + x + "," + y + "," + z);
				}
		assertEquals(15, TestImages.get(weights, 2, 2, 1), 1e-5);
		// raster order: the 2 x 2 x 2 cube first, then the voxel at (8, 1, 0), then the diagonal pair (26-connected)
		assertEquals(1, TestImages.get(labels, 2, 2, 1));
		assertEquals(2, TestImages.get(labels, 8, 1, 0));
		assertEquals(3, TestImages.get(labels, 5, 6, 2));
		assertEquals(3, TestImages.get(labels, 6, 7, 3));
	}

	@Test
	void writesFileAndRejectsBadInputWithoutWriting() throws Exception {
		final Path out = dir.resolve("w.tif");
		weights("image", TestImages.mask(), "output", out.toFile());
		assertEquals(15, TestImages.get(VolumeFiles.open(out), 2, 2, 1), 1e-5);
		Files.delete(out);
		final ExecutionException e = assertThrows(ExecutionException.class,
				() -> weights("image", TestImages.mask(), "scheme", "cubic", "output", out.toFile()));
		assertTrue(LabelLesionsCommandTest.rootMessage(e).contains("cubic"));
		assertThrows(ExecutionException.class, () -> weights("image", TestImages.mask(), "connectivity", "4", "output", out.toFile()));
		assertThrows(ExecutionException.class, () -> weights("image", TestImages.mask(), "w_min", 5.0, "w_max", 2.0, "output", out.toFile()));
		final ImagePlus neg = IJ.createImage("neg", "32-bit black", 4, 4, 1);
		TestImages.set(neg, 1, 1, 0, -1);
		assertThrows(ExecutionException.class, () -> weights("image", neg, "already_labeled", true, "output", out.toFile()));
		try (var s = Files.list(dir)) {
			assertEquals(0, s.count());
		}
	}
}
