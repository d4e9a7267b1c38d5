package org.lesionweighting.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;

class VolumeFilesTest {

	@TempDir
	Path dir;

	@Test
	void tiffRoundTripKeepsPixelsAndCalibration() throws IOException {
		final ImagePlus imp = TestImages.mask();
		ImagePlusBridge.setCalibration(imp, new double[] { 0.5, 0.5, 2 }, "mm", new double[] { -3, 0, 4 });
		final Path file = dir.resolve("mask.tif");
		VolumeFiles.save(imp, file);
		final ImagePlus back = VolumeFiles.open(file);
		assertEquals("mask.tif", back.getTitle());
		assertEquals(4, back.getStackSize());
		assertArrayEquals(new double[] { 0.5, 0.5, 2 }, ImagePlusBridge.voxelSize(back));
		assertArrayEquals(new double[] { -3, 0, 4 }, ImagePlusBridge.origin(back), 1e-9);
		assertEquals("mm", ImagePlusBridge.unit(back));
		assertEquals(255, TestImages.get(back, 2, 2, 1));
		assertEquals(1, TestImages.get(back, 6, 7, 3));
		assertEquals(0, TestImages.get(back, 0, 0, 0));
	}

	@Test
	void singleSliceTiffRoundTrips() throws IOException {
		final ImagePlus imp = ij.IJ.createImage("flat", "16-bit black", 5, 5, 1);
		TestImages.set(imp, 4, 4, 0, 1234);
		final Path file = dir.resolve("flat.tiff");
		VolumeFiles.save(imp, file);
		assertEquals(1234, TestImages.get(VolumeFiles.open(file), 4, 4, 0));
	}

	@Test
	void unknownExtensionListsSupportedOnes() {
		final IOException e = assertThrows(IOException.class, () -> VolumeFiles.save(TestImages.mask(), dir.resolve("mask.png")));
		assertTrue(e.getMessage().contains(".tif") && e.getMessage().contains("mask.png"), e.getMessage());
		assertThrows(IOException.class, () -> VolumeFiles.checkWritable(dir.resolve("x.jpg")));
	}

	@Test
	void missingFileIsNamed() {
		final IOException e = assertThrows(IOException.class, () -> VolumeFiles.open(dir.resolve("none.tif")));
		assertTrue(e.getMessage().contains("none.tif") && e.getMessage().contains("does not exist"), e.getMessage());
	}

	@Test
	void missingFolderFailsAndWritesNothing() throws IOException {
		final Path target = dir.resolve("no/such/folder/mask.tif");
		final IOException e = assertThrows(IOException.class, () -> VolumeFiles.save(TestImages.mask(), target));
		assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
		assertEquals(0, count(dir));
	}

	@Test
	void failingWriteLeavesNoFiles() throws IOException {
		final Path good = dir.resolve("good.csv");
		final IOException e = assertThrows(IOException.class,
				() -> new OutputFiles().file(good, tmp -> Files.writeString(tmp, "a\n1\n")).file(dir.resolve("bad.txt"), tmp -> {
					throw new IOException("disk full");
				}).commit());
		assertEquals("disk full", e.getMessage());
		assertFalse(Files.exists(good));
		assertEquals(0, count(dir), "no temporary files remain");
	}

	@Test
	void outputsGetDefaultPermissionsNotOwnerOnly() throws IOException {
		final Path reference = Files.createFile(dir.resolve("reference"));
		final Path file = dir.resolve("m.tif");
		VolumeFiles.save(TestImages.mask(), file);
		if (Files.getFileStore(file).supportsFileAttributeView("posix"))
			assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(file));
	}

	private static long count(final Path dir) throws IOException {
		try (Stream< Path > s = Files.list(dir)) {
			return s.count();
		}
	}
}
