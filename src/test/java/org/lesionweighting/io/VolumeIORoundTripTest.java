package org.lesionweighting.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import net.imglib2.img.Img;
import net.imglib2.img.cell.CellImg;
import net.imglib2.type.numeric.RealType;

class VolumeIORoundTripTest {

	@TempDir
	Path dir;

	/** File name and options of each written variant. */
	static Stream< Arguments > variants() {
		final List< Arguments > a = new ArrayList<>();
		final String[][] formats = { //
			{ "v1.nii", "1", "LE", "0" }, { "v1.nii.gz", "1", "LE", "0" }, { "v1be.nii", "1", "BE", "0" }, { "v1be.nii.gz", "1", "BE", "0" }, //
			{ "v2.nii", "2", "LE", "0" }, { "v2.nii.gz", "2", "LE", "0" }, { "v2be.nii", "2", "BE", "0" }, //
			{ "m.mha", "1", "LE", "0" }, { "m.mhd", "1", "LE", "0" }, { "mbe.mhd", "1", "BE", "0" }, { "mz.mhd", "1", "LE", "1" }, { "mz.mha", "1", "BE", "1" } };
		for (final String[] f : formats)
			for (final DataType t : DataType.values())
				a.add(Arguments.of(f[0], Integer.parseInt(f[1]), f[2].equals("BE"), f[3].equals("1"), t));
		return a.stream();
	}

	@ParameterizedTest(name = "{0} {4}")
	@MethodSource("variants")
	void roundTripKeepsValuesSpacingUnitAndAffine(final String file, final int version, final boolean bigEndian, final boolean zlib, final DataType type)
			throws IOException {
		final Img< ? extends RealType< ? > > img = TestVolumes.image(type, 7, 5, 3);
		final VolumeGeometry g = TestVolumes.rotated();
		final Path p = dir.resolve(file);
		final WriteOptions o = WriteOptions.DEFAULT.withNiftiVersion(version).withByteOrder(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
				.withCompressedMetaImage(zlib);
		VolumeIO.write(p, img, g, o);
		final Volume v = VolumeIO.read(p);
		assertSame(img.getType().getClass(), v.image().getType().getClass(), "in-memory type");
		assertEquals(type, v.fileDataType());
		TestVolumes.assertSameValues(img, v.image());
		assertArrayEquals(g.spacing(), v.spacing(), 1e-6);
		assertEquals("mm", v.unit());
		// NIfTI-1 stores the affine as float
		TestVolumes.assertAffineEquals(g.affine(), v.affine(), version == 1 && file.contains(".nii") ? 1e-6 : 1e-12);
		assertFalse(v.isScaled());
		try (Stream< Path > s = Files.list(dir)) {
			assertTrue(s.noneMatch(q -> q.getFileName().toString().endsWith(".part") || q.getFileName().toString().endsWith(".zpart")),
					"no temporary files left");
		}
	}

	@Test
	void niftiReadWriteKeepsRawOrientationFieldsBitForBit() throws IOException {
		final Path a = dir.resolve("a.nii");
		VolumeIO.write(a, TestVolumes.image(DataType.INT16, 4, 3, 2), TestVolumes.rotated());
		final Volume v = VolumeIO.read(a);
		final Path b = dir.resolve("b.nii");
		VolumeIO.write(b, v);
		final byte[] x = Files.readAllBytes(a), y = Files.readAllBytes(b);
		assertArrayEquals(x, y, "read → write reproduces the file");
	}

	@Test
	void unitsAndTimeStepRoundTrip() throws IOException {
		final VolumeGeometry g = VolumeGeometry.ofSpacing(0.5, 0.5, 1).withUnit("um").withTimeStep(2.5, "s");
		final Path p = dir.resolve("t.nii.gz");
		VolumeIO.write(p, TestVolumes.image(DataType.UINT8, 3, 3, 2, 4), g);
		final Volume v = VolumeIO.read(p);
		assertEquals("um", v.unit());
		assertEquals(2.5, v.geometry().timeStep());
		assertEquals("s", v.geometry().timeUnit());
		assertEquals(4, v.numTimePoints());
		assertArrayEquals(new long[] { 3, 3, 2, 4 }, v.dimensions());
	}

	@Test
	void fourDimensionalMetaImageRoundTrips() throws IOException {
		final Path p = dir.resolve("t.mha");
		final Img< ? extends RealType< ? > > img = TestVolumes.image(DataType.FLOAT32, 3, 2, 2, 3);
		VolumeIO.write(p, img, TestVolumes.rotated());
		final Volume v = VolumeIO.read(p);
		TestVolumes.assertSameValues(img, v.image());
		TestVolumes.assertAffineEquals(TestVolumes.rotated().affine(), v.affine(), 1e-12);
	}

	@Test
	void scaledNiftiKeepsScalingWhenWrittenRaw() throws IOException {
		final Path a = dir.resolve("ct.nii.gz");
		VolumeIO.write(a, TestVolumes.image(DataType.INT16, 4, 4, 2), VolumeGeometry.ofSpacing(0.8, 0.8, 5), WriteOptions.DEFAULT.withScaling(0.5, -1024));
		final Volume raw = VolumeIO.read(a, ReadOptions.RAW);
		assertFalse(raw.isScaled());
		assertEquals(0.5, raw.scaleSlope());
		assertEquals(-1024, raw.scaleIntercept());
		final Path b = dir.resolve("copy.nii.gz");
		VolumeIO.write(b, raw);
		final Volume scaled = VolumeIO.read(b);
		assertTrue(scaled.isScaled());
		assertEquals(net.imglib2.type.numeric.real.FloatType.class, scaled.image().getType().getClass());
		final var c = net.imglib2.view.Views.flatIterable(raw.image()).cursor();
		final var d = net.imglib2.view.Views.flatIterable(scaled.image()).cursor();
		while (c.hasNext())
			assertEquals(c.next().getRealDouble() * 0.5 - 1024, d.next().getRealDouble(), 1e-3);
	}

	@Test
	void writingAsAnotherDataTypeRoundsAndClamps() throws IOException {
		final Img< net.imglib2.type.numeric.real.FloatType > f = net.imglib2.img.array.ArrayImgs.floats(new float[] { -3.6f, 2.5f, 300.2f, Float.NaN }, 4, 1,
				1);
		final Path p = dir.resolve("u8.nii");
		VolumeIO.write(p, f, VolumeGeometry.ofSpacing(1, 1, 1), WriteOptions.DEFAULT.withDataType(DataType.UINT8));
		final Volume v = VolumeIO.read(p);
		final double[] got = new double[4];
		int i = 0;
		for (final RealType< ? > t : net.imglib2.view.Views.flatIterable(v.image()))
			got[i++] = t.getRealDouble();
		assertArrayEquals(new double[] { 0, 2, 255, 0 }, got);
	}

	@Test
	void largeVolumesAreReadIntoCellImages() throws IOException {
		final Img< ? extends RealType< ? > > img = TestVolumes.image(DataType.INT16, 9, 7, 13, 2);
		for (final String f : new String[] { "big.nii.gz", "big.nii", "big.mha" }) {
			final Path p = dir.resolve(f);
			VolumeIO.write(p, img, VolumeGeometry.ofSpacing(1, 1, 1));
			final Volume v = VolumeIO.read(p, ReadOptions.DEFAULT.withArrayLimit(200));
			assertTrue(v.image() instanceof CellImg, f + " read as cell image");
			TestVolumes.assertSameValues(img, v.image());
			final Volume s = VolumeIO.read(p, ReadOptions.DEFAULT.withArrayLimit(200));
			// a written cell image reads back equal
			final Path q = dir.resolve("again-" + f);
			VolumeIO.write(q, s);
			TestVolumes.assertSameValues(img, VolumeIO.read(q).image());
		}
	}
}
