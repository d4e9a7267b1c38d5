package org.lesionweighting.fiji.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.fiji.ImagePlusBridge;
import org.lesionweighting.fiji.VolumeFiles;
import org.lesionweighting.io.DataType;
import org.lesionweighting.io.Volume;
import org.lesionweighting.io.VolumeGeometry;
import org.lesionweighting.io.VolumeIO;
import org.lesionweighting.io.WriteOptions;
import org.scijava.Context;
import org.scijava.command.CommandService;

import ij.IJ;
import ij.ImagePlus;
import net.imglib2.RandomAccess;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.ShortArray;

/** NIfTI/MetaImage in the Fiji layer, headless. */
class MedicalVolumesTest {

	@TempDir
	Path dir;

	private static Context ctx;

	@BeforeAll
	static void context() {
		ctx = new Context();
	}

	@AfterAll
	static void dispose() {
		ctx.dispose();
	}

	static VolumeGeometry rotated() {
		final double c = Math.cos(0.4), s = Math.sin(0.4);
		return VolumeGeometry.of(new double[] { 0.8, 0.9, 2.5 }, new double[] { -100, 50.5, -20 }, new double[][] { { c, 0, s }, { 0, 1, 0 }, { -s, 0, c } });
	}

	/** A signed CT-like volume: values -1024 .. 1000. */
	static ArrayImg< ShortType, ShortArray > ct() {
		final short[] a = new short[6 * 5 * 4];
		for (int i = 0; i < a.length; i++)
			a[i] = (short) (-1024 + 17 * i);
		return ArrayImgs.shorts(a, 6, 5, 4);
	}

	@Test
	void openGivesCalibrationAndKeepsGeometryInInfo() throws IOException {
		final Path p = dir.resolve("ct.nii.gz");
		VolumeIO.write(p, ct(), rotated());
		final ImagePlus imp = VolumeFiles.open(p);
		assertEquals("ct.nii.gz", imp.getTitle());
		assertEquals(4, imp.getStackSize());
		assertEquals(32, imp.getBitDepth(), "signed values become 32-bit");
		assertArrayEquals(new double[] { 0.8, 0.9, 2.5 }, ImagePlusBridge.voxelSize(imp), 1e-6);
		assertEquals("mm", ImagePlusBridge.unit(imp));
		assertArrayEquals(rotated().origin(), ImagePlusBridge.origin(imp), 1e-4);
		assertEquals(-1024 + 17 * 7, imp.getStack().getProcessor(1).getf(1, 1));
		assertTrue(((String) imp.getProperty("Info")).contains("lw.file.datatype = int16"));
	}

	@Test
	void saveAfterOpenWritesTheSameGeometryAndType() throws IOException {
		final Path p = dir.resolve("ct.nii");
		VolumeIO.write(p, ct(), rotated());
		final ImagePlus imp = VolumeFiles.open(p);
		for (final String name : List.of("again.nii", "again.nii.gz", "again.mha", "again.mhd")) {
			final Path q = dir.resolve(name);
			VolumeFiles.save(imp, q);
			final Volume v = VolumeIO.read(q);
			assertEquals(DataType.INT16, v.fileDataType(), name);
			final double[][] a = rotated().affine(), b = v.affine();
			for (int r = 0; r < 3; r++)
				assertArrayEquals(a[r], b[r], 1e-5, name + " affine row " + r);
			final RandomAccess< ? extends RealType< ? > > ra = v.image().randomAccess();
			ra.setPosition(new long[] { 1, 1, 0 });
			assertEquals(-1024 + 17 * 7, ra.get().getRealDouble(), name);
		}
		// the .mhd header names its final data file, not a temporary one
		assertTrue(Files.readString(dir.resolve("again.mhd")).contains("ElementDataFile = again.raw"));
		try (Stream< Path > s = Files.list(dir)) {
			assertTrue(s.noneMatch(f -> f.getFileName().toString().startsWith(".")), "no temporary files left");
		}
		// the NIfTI written through ImageJ keeps the raw qform/sform fields: same header bytes
		assertArrayEquals(java.util.Arrays.copyOf(Files.readAllBytes(p), 348), java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve("again.nii")), 348));
	}

	@Test
	void derivedImagesWithCopiedCalibrationKeepTheOrientation() throws IOException {
		// like Label Lesions 3D: a new image gets the input's calibration through ImagePlusBridge.copyCalibration
		final Path p = dir.resolve("in.nii.gz");
		VolumeIO.write(p, ct(), rotated());
		final ImagePlus in = VolumeFiles.open(p);
		final ImagePlus out = IJ.createImage("labels", "16-bit black", 6, 5, 4);
		ImagePlusBridge.copyCalibration(in, out);
		final Path q = dir.resolve("labels.nii.gz");
		VolumeFiles.save(out, q);
		final Volume v = VolumeIO.read(q);
		assertEquals(DataType.UINT16, v.fileDataType());
		final double[][] a = rotated().affine(), b = v.affine();
		for (int r = 0; r < 3; r++)
			assertArrayEquals(a[r], b[r], 1e-5, "affine row " + r);
	}

	@Test
	void changedCalibrationWinsOverTheStoredGeometry() throws IOException {
		final Path p = dir.resolve("a.nii");
		VolumeIO.write(p, ct(), rotated());
		final ImagePlus imp = VolumeFiles.open(p);
		ImagePlusBridge.setCalibration(imp, new double[] { 1, 1, 1 }, "mm", new double[] { 5, 6, 7 });
		final Path q = dir.resolve("b.nii.gz");
		VolumeFiles.save(imp, q);
		final Volume v = VolumeIO.read(q);
		assertArrayEquals(new double[] { 1, 1, 1 }, v.spacing(), 1e-9);
		assertArrayEquals(new double[] { 5, 6, 7 }, v.geometry().origin(), 1e-6);
	}

	@Test
	void plainImageJImageSavesWithCalibration() throws IOException {
		final ImagePlus imp = IJ.createImage("mask", "8-bit black", 8, 7, 3);
		imp.getStack().getProcessor(2).set(3, 4, 255);
		ImagePlusBridge.setCalibration(imp, new double[] { 0.5, 0.5, 2 }, "mm", new double[] { 1, 2, 3 });
		final Path q = dir.resolve("mask.mha");
		VolumeFiles.save(imp, q);
		final Volume v = VolumeIO.read(q);
		assertEquals(DataType.UINT8, v.fileDataType());
		assertArrayEquals(new double[] { 0.5, 0.5, 2 }, v.spacing());
		assertArrayEquals(new double[] { 1, 2, 3 }, v.geometry().origin(), 1e-12);
		final RandomAccess< ? extends RealType< ? > > ra = v.image().randomAccess();
		ra.setPosition(new long[] { 3, 4, 1 });
		assertEquals(255, ra.get().getRealDouble());
	}

	@Test
	void fourDimensionalFileOpensAsHyperstack() throws IOException {
		final Path p = dir.resolve("t.nii");
		VolumeIO.write(p, ArrayImgs.unsignedBytes(new byte[2 * 2 * 3 * 4], 2, 2, 3, 4), VolumeGeometry.ofSpacing(1, 1, 1));
		final ImagePlus imp = VolumeFiles.open(p);
		assertEquals(3, imp.getNSlices());
		assertEquals(4, imp.getNFrames());
	}

	@Test
	void commandsRunHeadless() throws Exception {
		final Path p = dir.resolve("c.nii.gz");
		VolumeIO.write(p, ct(), rotated(), WriteOptions.DEFAULT.withScaling(2, 10));
		final CommandService cs = ctx.service(CommandService.class);
		final ImagePlus imp = (ImagePlus) cs.run(OpenMedicalVolumeCommand.class, true, Map.of("file", p.toFile())).get().getOutput("image");
		assertEquals(2 * (-1024 + 17 * 7) + 10, imp.getStack().getProcessor(1).getf(1, 1));
		final ImagePlus raw = (ImagePlus) cs.run(OpenMedicalVolumeCommand.class, true, Map.of("file", p.toFile(), "raw_values", true)).get().getOutput("image");
		assertEquals(-1024 + 17 * 7, raw.getStack().getProcessor(1).getf(1, 1));
		final Path q = dir.resolve("saved.nii.gz");
		cs.run(SaveMedicalVolumeCommand.class, true, Map.of("image", imp, "file", q.toFile(), "compression_level", 9)).get();
		final Volume v = VolumeIO.read(q);
		assertEquals(DataType.FLOAT32, v.fileDataType(), "scaled values are saved as float");
		assertArrayEquals(new double[] { 0.8, 0.9, 2.5 }, v.spacing(), 1e-6);
	}

	@Test
	void temporaryNamesMapToTheTarget() {
		assertEquals("ct.mhd", MedicalVolumeFormat.finalName(".ct.mhd1234567.part", ".mhd"));
		assertEquals("ct.mhd", MedicalVolumeFormat.finalName("ct.mhd", ".mhd"));
	}
}
