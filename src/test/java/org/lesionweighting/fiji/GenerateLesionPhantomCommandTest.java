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

	/** Issue 15 item 12: lesions=100000000 on 32×32×16 ran for hours. */
	@Test
	void moreLesionsThanTheVolumeHoldsIsAnError() {
		final java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
				() -> run("width", 32, "height", 32, "depth", 16, "lesions", 100000));
		assertTrue(messages(e).contains("100000 lesions do not fit in 32×32×16 = 16384 voxels; at most 2048"), messages(e));
	}

	/** Issue 15 item 12: the phantom ignored the launcher's stop request (SIGTERM, Ctrl-C). */
	@Test
	void aStopRequestCancelsTheGenerationAndWritesNothing() throws Exception {
		final Path img = dir.resolve("p.tif");
		CancelRequests.requestAll("SIGTERM");
		try {
			final CommandModule m = run("width", 32, "height", 32, "depth", 16, "lesions", 2000, "image_file", img.toFile());
			assertTrue(m.isCanceled(), "cancelled");
			assertTrue(m.getCancelReason().contains("was cancelled; nothing was written"), m.getCancelReason());
			assertEquals(null, m.getOutput("phantom"));
			org.junit.jupiter.api.Assertions.assertFalse(java.nio.file.Files.exists(img));
		}
		finally {
			CancelRequests.clearAll();
		}
	}
}
