package org.lesionweighting.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.DeflaterOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.imglib2.type.numeric.integer.ShortType;

/** MetaImage headers written by hand, LUNA16 style. */
class MetaImageTest {

	@TempDir
	Path dir;

	static final short[] HU = { -1024, -1000, -500, 0, 40, 400, 1000, 3071, -2048, 12, 13, 14 };

	static byte[] shorts(final ByteOrder order) {
		final ByteBuffer b = ByteBuffer.allocate(HU.length * 2).order(order);
		for (final short s : HU)
			b.putShort(s);
		return b.array();
	}

	static final String LUNA = "ObjectType = Image\nNDims = 3\nBinaryData = True\nBinaryDataByteOrderMSB = False\nCompressedData = False\n" //
			+ "TransformMatrix = 1 0 0 0 1 0 0 0 1\nOffset = -198.100006 -195 -335.209991\nCenterOfRotation = 0 0 0\nAnatomicalOrientation = RAI\n" //
			+ "ElementSpacing = 0.7617189884 0.7617189884 2.5\nDimSize = 3 2 2\nElementType = MET_SHORT\nElementDataFile = c.raw\n";

	@Test
	void readsLunaStyleMhdWithSignedHounsfieldUnits() throws IOException {
		Files.writeString(dir.resolve("c.mhd"), LUNA);
		Files.write(dir.resolve("c.raw"), shorts(ByteOrder.LITTLE_ENDIAN));
		final Volume v = VolumeIO.read(dir.resolve("c.mhd"));
		assertEquals(ShortType.class, v.image().getType().getClass());
		assertEquals(-1024, NiftiHeaderTest.at(v, 0, 0, 0));
		assertEquals(-2048, NiftiHeaderTest.at(v, 2, 0, 1));
		assertArrayEquals(new double[] { 0.7617189884, 0.7617189884, 2.5 }, v.spacing());
		assertArrayEquals(new double[] { -198.100006, -195, -335.209991 }, v.geometry().origin());
		// a LUNA16 annotation in world mm maps to voxel (2, 1, 1)
		final double[] world = { -198.100006 + 2 * 0.7617189884, -195 + 0.7617189884, -335.209991 + 2.5 };
		assertArrayEquals(new double[] { 2, 1, 1 }, v.geometry().toVoxel(world), 1e-9);
	}

	@Test
	void transformMatrixListsAxisDirections() throws IOException {
		// voxel x runs along world -y, voxel y along world +x (ITK: row i of the matrix is axis i)
		Files.writeString(dir.resolve("r.mhd"), LUNA.replace("TransformMatrix = 1 0 0 0 1 0 0 0 1", "TransformMatrix = 0 -1 0 1 0 0 0 0 1")
				.replace("ElementDataFile = c.raw", "ElementDataFile = c.raw"));
		Files.write(dir.resolve("c.raw"), shorts(ByteOrder.LITTLE_ENDIAN));
		final Volume v = VolumeIO.read(dir.resolve("r.mhd"));
		final double[] o = v.geometry().origin();
		final double s = 0.7617189884;
		assertArrayEquals(new double[] { o[0], o[1] - s, o[2] }, v.geometry().toWorld(new double[] { 1, 0, 0 }), 1e-9);
		assertArrayEquals(new double[] { o[0] + s, o[1], o[2] }, v.geometry().toWorld(new double[] { 0, 1, 0 }), 1e-9);
		// and it is written back the same way
		VolumeIO.write(dir.resolve("w.mhd"), v);
		assertEquals(true, Files.readString(dir.resolve("w.mhd")).contains("TransformMatrix = 0 -1 0 1 0 0 0 0 1"));
	}

	@Test
	void bigEndianElementSizeAndPositionKeys() throws IOException {
		Files.writeString(dir.resolve("b.mhd"),
				"NDims = 3\nDimSize = 3 2 2\nElementType = MET_SHORT\nElementByteOrderMSB = True\nElementSize = 2 3 4\nPosition = 1 2 3\nElementDataFile = b.raw\n");
		Files.write(dir.resolve("b.raw"), shorts(ByteOrder.BIG_ENDIAN));
		final Volume v = VolumeIO.read(dir.resolve("b.mhd"));
		assertEquals(3071, NiftiHeaderTest.at(v, 1, 0, 1));
		assertArrayEquals(new double[] { 2, 3, 4 }, v.spacing());
		assertArrayEquals(new double[] { 1, 2, 3 }, v.geometry().origin());
	}

	@Test
	void headerSizeSkipsBytesAndMinusOneReadsFromTheEnd() throws IOException {
		final byte[] d = shorts(ByteOrder.LITTLE_ENDIAN);
		final byte[] padded = new byte[d.length + 10];
		System.arraycopy(d, 0, padded, 10, d.length);
		Files.write(dir.resolve("p.raw"), padded);
		Files.writeString(dir.resolve("h10.mhd"), "NDims = 3\nDimSize = 3 2 2\nElementType = MET_SHORT\nHeaderSize = 10\nElementDataFile = p.raw\n");
		Files.writeString(dir.resolve("hm1.mhd"), "NDims = 3\nDimSize = 3 2 2\nElementType = MET_SHORT\nHeaderSize = -1\nElementDataFile = p.raw\n");
		assertEquals(-1000, NiftiHeaderTest.at(VolumeIO.read(dir.resolve("h10.mhd")), 1, 0, 0));
		assertEquals(-1000, NiftiHeaderTest.at(VolumeIO.read(dir.resolve("hm1.mhd")), 1, 0, 0));
	}

	@Test
	void localDataAndZlibCompression() throws IOException {
		final ByteArrayOutputStream z = new ByteArrayOutputStream();
		try (DeflaterOutputStream out = new DeflaterOutputStream(z)) {
			out.write(shorts(ByteOrder.LITTLE_ENDIAN));
		}
		final ByteArrayOutputStream f = new ByteArrayOutputStream();
		f.write(("NDims = 3\nDimSize = 3 2 2\nElementType = MET_SHORT\nCompressedData = True\nCompressedDataSize = " + z.size() + "\nElementDataFile = LOCAL\n")
				.getBytes(StandardCharsets.US_ASCII));
		f.write(z.toByteArray());
		Files.write(dir.resolve("z.mha"), f.toByteArray());
		assertEquals(14, NiftiHeaderTest.at(VolumeIO.read(dir.resolve("z.mha")), 2, 1, 1));
		Files.write(dir.resolve("z.zraw"), z.toByteArray());
		Files.writeString(dir.resolve("z.mhd"), "NDims = 3\nDimSize = 3 2 2\nElementType = MET_SHORT\nCompressedData = True\nElementDataFile = z.zraw\n");
		assertEquals(14, NiftiHeaderTest.at(VolumeIO.read(dir.resolve("z.mhd")), 2, 1, 1));
	}

	@Test
	void crlfHeaderLines() throws IOException {
		final ByteArrayOutputStream f = new ByteArrayOutputStream();
		f.write("NDims = 3\r\nDimSize = 3 2 2\r\nElementType = MET_SHORT\r\nElementSpacing = 1 1 1\r\nElementDataFile = LOCAL\r\n"
				.getBytes(StandardCharsets.US_ASCII));
		f.write(shorts(ByteOrder.LITTLE_ENDIAN));
		Files.write(dir.resolve("crlf.mha"), f.toByteArray());
		assertEquals(-1024, NiftiHeaderTest.at(VolumeIO.read(dir.resolve("crlf.mha")), 0, 0, 0));
	}

	/** Issue 15 (Also): a .mhd saved as 'my scan.mhd' could not be read back ("a file list or pattern"). */
	@Test
	void namesWithSpacesAreWrittenAndReadBack() throws IOException {
		final Path f = dir.resolve("my scan.mhd");
		VolumeIO.write(f, new Volume(net.imglib2.img.array.ArrayImgs.shorts(HU, 3, 2, 2), VolumeGeometry.ofSpacing(1, 1, 2)));
		assertEquals(true, Files.readString(f).contains("ElementDataFile = my scan.raw"));
		final Volume v = VolumeIO.read(f);
		for (int k = 0; k < HU.length; k++)
			assertEquals(HU[k], NiftiHeaderTest.at(v, k % 3, k / 3 % 2, k / 6));
	}

	/** Issue 15 (Also): ElementDataFile could point anywhere, e.g. ../../etc/passwd. */
	@Test
	void dataFilesOutsideTheHeadersFolderAreRefusedUnlessAllowed() throws IOException {
		final Path sub = Files.createDirectories(dir.resolve("sub"));
		Files.write(dir.resolve("outside.raw"), shorts(ByteOrder.LITTLE_ENDIAN));
		Files.write(sub.resolve("inside.raw"), shorts(ByteOrder.LITTLE_ENDIAN));
		Files.createDirectories(sub.resolve("deeper"));
		Files.write(sub.resolve("deeper/below.raw"), shorts(ByteOrder.LITTLE_ENDIAN));
		Files.createSymbolicLink(sub.resolve("link.raw"), dir.resolve("outside.raw"));
		for (final String edf : new String[] { "../outside.raw", dir.resolve("outside.raw").toString(), "link.raw", "deeper/../../outside.raw" }) {
			final Path h = Files.writeString(sub.resolve("h.mhd"), LUNA.replace("ElementDataFile = c.raw", "ElementDataFile = " + edf));
			final IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> VolumeIO.read(h), edf);
			org.junit.jupiter.api.Assertions.assertTrue(
					e.getMessage().contains("the MetaImage data file '" + edf + "'") && e.getMessage().contains("is outside the header's folder"),
					e.getMessage());
			assertEquals(-1024, NiftiHeaderTest.at(VolumeIO.read(h, ReadOptions.DEFAULT.withDataFilesAnywhere(true)), 0, 0, 0), "allowed on request");
		}
		for (final String edf : new String[] { "inside.raw", "deeper/below.raw", "./deeper/../inside.raw" }) {
			final Path h = Files.writeString(sub.resolve("h.mhd"), LUNA.replace("ElementDataFile = c.raw", "ElementDataFile = " + edf));
			assertEquals(-1024, NiftiHeaderTest.at(VolumeIO.read(h), 0, 0, 0), edf);
		}
	}
}
