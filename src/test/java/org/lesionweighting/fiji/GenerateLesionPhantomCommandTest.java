package org.lesionweighting.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.scijava.command.CommandModule;

import ij.ImagePlus;

class GenerateLesionPhantomCommandTest extends CommandTestSupport {

	private static CommandModule run(final Object... inputs) throws Exception {
		return runCommand(GenerateLesionPhantomCommand.class, inputs);
	}

	@Test
	void generatesImageAndMaskOfTheRequestedSize() throws Exception {
		final CommandModule m = run("width", 40, "height", 30, "depth", 20, "lesions", 5, "min_radius", 1.5, "max_radius", 5.0, "seed", 7L);
		final ImagePlus img = (ImagePlus) m.getOutput("phantom"), mask = (ImagePlus) m.getOutput("mask");
		assertEquals(32, img.getBitDepth());
		assertEquals(8, mask.getBitDepth());
		assertEquals(40, mask.getWidth());
		assertEquals(30, mask.getHeight());
		assertEquals(20, mask.getStackSize());
		assertEquals(1, new ij.process.StackStatistics(mask).max, "mask is 0/1 with lesion voxels");
		final int count = (Integer) m.getOutput("count");
		assertTrue(count >= 1 && count <= 5, "between 1 and 5 connected lesions: " + count);
	}

	@Test
	void sameSeedSamePhantomAndFilesAreWritten() throws Exception {
		final Path a = dir.resolve("a.tif"), am = dir.resolve("am.tif");
		run("width", 24, "height", 24, "depth", 8, "lesions", 3, "seed", 3L, "image_file", a.toFile(), "mask_file", am.toFile());
		final CommandModule m = run("width", 24, "height", 24, "depth", 8, "lesions", 3, "seed", 3L);
		final ImagePlus mask = (ImagePlus) m.getOutput("mask");
		final ImagePlus saved = VolumeFiles.open(am);
		for (int z = 0; z < 8; z++)
			for (int y = 0; y < 24; y++)
				for (int x = 0; x < 24; x++)
					assertEquals(TestImages.get(mask, x, y, z), TestImages.get(saved, x, y, z));
		assertEquals(TestImages.get((ImagePlus) m.getOutput("phantom"), 12, 12, 4), TestImages.get(VolumeFiles.open(a), 12, 12, 4));
	}
}
