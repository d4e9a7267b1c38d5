package org.lesionweighting.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.real.FloatType;

/** NIfTI files built byte by byte, following the NIfTI-1 and NIfTI-2 header layouts. */
class NiftiHeaderTest {

	@TempDir
	Path dir;

	/** A NIfTI-1 header (348 bytes + 4 extension bytes) of a 3×2×2 int16 volume, little or big endian. */
	static ByteBuffer nifti1(final ByteOrder order, final String magic) {
		final ByteBuffer b = ByteBuffer.allocate(352).order(order);
		b.putInt(0, 348);
		final short[] dim = { 3, 3, 2, 2, 1, 1, 1, 1 };
		for (int i = 0; i < 8; i++)
			b.putShort(40 + 2 * i, dim[i]);
		b.putShort(70, (short) 4); // int16
		b.putShort(72, (short) 16);
		final float[] pixdim = { 1, 0.5f, 0.75f, 3f, 1, 1, 1, 1 };
		for (int i = 0; i < 8; i++)
			b.putFloat(76 + 4 * i, pixdim[i]);
		b.putFloat(108, magic.equals("ni1") ? 0 : 352);
		b.put(123, (byte) 2); // mm
		b.put(344, (magic + "\0").getBytes(StandardCharsets.US_ASCII));
		return b;
	}

	static final short[] DATA = { -32768, -1, 0, 1, 2, 32767, 100, -100, 7, 8, 9, 10 };

	static byte[] file(final ByteBuffer header, final ByteOrder order) {
		final ByteBuffer d = ByteBuffer.allocate(DATA.length * 2).order(order);
		for (final short s : DATA)
			d.putShort(s);
		final byte[] r = new byte[header.capacity() + d.capacity()];
		System.arraycopy(header.array(), 0, r, 0, header.capacity());
		System.arraycopy(d.array(), 0, r, header.capacity(), d.capacity());
		return r;
	}

	static double at(final Volume v, final long... pos) {
		final RandomAccess< ? extends RealType< ? > > ra = v.image().randomAccess();
		ra.setPosition(pos);
		return ra.get().getRealDouble();
	}

	@Test
	void readsHandBuiltLittleEndianNifti1() throws IOException {
		final Path p = dir.resolve("tiny.nii");
		Files.write(p, file(nifti1(ByteOrder.LITTLE_ENDIAN, "n+1"), ByteOrder.LITTLE_ENDIAN));
		final Volume v = VolumeIO.read(p);
		assertEquals(ShortType.class, v.image().getType().getClass());
		assertArrayEquals(new long[] { 3, 2, 2 }, v.dimensions());
		assertEquals(-32768, at(v, 0, 0, 0));
		assertEquals(32767, at(v, 2, 1, 0));
		assertEquals(10, at(v, 2, 1, 1));
		assertArrayEquals(new double[] { 0.5, 0.75, 3 }, v.spacing());
		assertEquals("mm", v.unit());
		// no qform/sform: method 1, RAS diag(pixdim) = LPS diag(-0.5, -0.75, 3)
		TestVolumes.assertAffineEquals(new double[][] { { -0.5, 0, 0, 0 }, { 0, -0.75, 0, 0 }, { 0, 0, 3, 0 }, { 0, 0, 0, 1 } }, v.affine(), 1e-12);
	}

	@Test
	void readsHandBuiltBigEndianNifti1() throws IOException {
		final Path p = dir.resolve("tiny-be.nii");
		Files.write(p, file(nifti1(ByteOrder.BIG_ENDIAN, "n+1"), ByteOrder.BIG_ENDIAN));
		final Volume v = VolumeIO.read(p);
		assertEquals(-32768, at(v, 0, 0, 0));
		assertEquals(-100, at(v, 1, 0, 1));
	}

	@Test
	void readsGzippedHandBuiltNifti() throws IOException {
		final Path p = dir.resolve("tiny.nii.gz");
		final ByteArrayOutputStream bos = new ByteArrayOutputStream();
		try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
			gz.write(file(nifti1(ByteOrder.LITTLE_ENDIAN, "n+1"), ByteOrder.LITTLE_ENDIAN));
		}
		Files.write(p, bos.toByteArray());
		assertEquals(7, at(VolumeIO.read(p), 2, 0, 1));
	}

	@Test
	void readsMultiMemberGzip() throws IOException {
		// bgzip/pigz style: several gzip members back to back
		final byte[] all = file(nifti1(ByteOrder.LITTLE_ENDIAN, "n+1"), ByteOrder.LITTLE_ENDIAN);
		final ByteArrayOutputStream bos = new ByteArrayOutputStream();
		for (final int[] part : new int[][] { { 0, 100 }, { 100, 360 }, { 360, all.length } }) {
			try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
				gz.write(all, part[0], part[1] - part[0]);
			}
			catch (final IOException e) {
				throw e;
			}
		}
		final Path p = dir.resolve("multi.nii.gz");
		Files.write(p, bos.toByteArray());
		final Volume v = VolumeIO.read(p);
		assertEquals(10, at(v, 2, 1, 1));
		assertEquals(-32768, at(v, 0, 0, 0));
	}

	@Test
	void readsHeaderImagePair() throws IOException {
		final ByteBuffer h = nifti1(ByteOrder.LITTLE_ENDIAN, "ni1");
		Files.write(dir.resolve("pair.hdr"), java.util.Arrays.copyOf(h.array(), 348));
		final byte[] all = file(ByteBuffer.allocate(0), ByteOrder.LITTLE_ENDIAN);
		Files.write(dir.resolve("pair.img"), all);
		final Volume v = VolumeIO.read(dir.resolve("pair.hdr"));
		assertEquals(1, at(v, 0, 1, 0));
		assertEquals(32767, at(v, 2, 1, 0));
		assertEquals(32767, at(VolumeIO.read(dir.resolve("pair.img")), 2, 1, 0), "opening the .img half reads the pair");
	}

	@Test
	void appliesScalingToFloatOrKeepsRawValues() throws IOException {
		final ByteBuffer h = nifti1(ByteOrder.LITTLE_ENDIAN, "n+1");
		h.putFloat(112, 2f);
		h.putFloat(116, -1024f);
		final Path p = dir.resolve("scaled.nii");
		Files.write(p, file(h, ByteOrder.LITTLE_ENDIAN));
		final Volume v = VolumeIO.read(p);
		assertEquals(FloatType.class, v.image().getType().getClass());
		assertEquals(2 * 32767 - 1024, at(v, 2, 1, 0));
		assertEquals(2 * -100 - 1024, at(v, 1, 0, 1));
		final Volume raw = VolumeIO.read(p, ReadOptions.RAW);
		assertEquals(ShortType.class, raw.image().getType().getClass());
		assertEquals(-100, at(raw, 1, 0, 1));
		assertEquals(2, raw.scaleSlope());
	}

	@Test
	void zeroSlopeMeansNoScaling() throws IOException {
		final ByteBuffer h = nifti1(ByteOrder.LITTLE_ENDIAN, "n+1");
		h.putFloat(112, 0f);
		h.putFloat(116, 5f);
		final Path p = dir.resolve("noscale.nii");
		Files.write(p, file(h, ByteOrder.LITTLE_ENDIAN));
		assertEquals(ShortType.class, VolumeIO.read(p).image().getType().getClass());
	}

	@Test
	void qformQuaternionGivesRotatedAffine() throws IOException {
		final ByteBuffer h = nifti1(ByteOrder.LITTLE_ENDIAN, "n+1");
		// 90° about z: quaternion (a, b, c, d) = (cos 45°, 0, 0, sin 45°); qfac -1 flips z
		h.putShort(252, (short) 1);
		h.putFloat(264, (float) Math.sin(Math.PI / 4));
		h.putFloat(268, 10f);
		h.putFloat(272, 20f);
		h.putFloat(276, 30f);
		h.putFloat(76, -1f);
		final Path p = dir.resolve("q.nii");
		Files.write(p, file(h, ByteOrder.LITTLE_ENDIAN));
		final Volume v = VolumeIO.read(p);
		// RAS: x axis → +y (0.5), y axis → -x (0.75), z axis → -z (3); LPS negates rows x and y
		final double[][] ras = v.geometry().affineRas();
		TestVolumes.assertAffineEquals(new double[][] { { 0, -0.75, 0, 10 }, { 0.5, 0, 0, 20 }, { 0, 0, -3, 30 }, { 0, 0, 0, 1 } }, ras, 1e-6);
		assertArrayEquals(new double[] { -10, -20, 30 }, v.geometry().origin(), 1e-6);
		// the written file keeps qform code, quaternion and qfac
		final Path q = dir.resolve("q2.nii");
		VolumeIO.write(q, v);
		final ByteBuffer w = ByteBuffer.wrap(Files.readAllBytes(q)).order(ByteOrder.LITTLE_ENDIAN);
		assertEquals(1, w.getShort(252));
		assertEquals(0, w.getShort(254));
		assertEquals(-1f, w.getFloat(76));
		assertEquals((float) Math.sin(Math.PI / 4), w.getFloat(264));
	}

	@Test
	void sformIsPreferredOverQform() throws IOException {
		final ByteBuffer h = nifti1(ByteOrder.LITTLE_ENDIAN, "n+1");
		h.putShort(252, (short) 1);
		h.putFloat(268, 99f);
		h.putShort(254, (short) 2);
		final float[] srow = { 2, 0, 0, -5, 0, 3, 0, -6, 0, 0, 4, -7 };
		for (int i = 0; i < 12; i++)
			h.putFloat(280 + 4 * i, srow[i]);
		final Path p = dir.resolve("s.nii");
		Files.write(p, file(h, ByteOrder.LITTLE_ENDIAN));
		final Volume v = VolumeIO.read(p);
		TestVolumes.assertAffineEquals(new double[][] { { 2, 0, 0, -5 }, { 0, 3, 0, -6 }, { 0, 0, 4, -7 }, { 0, 0, 0, 1 } }, v.geometry().affineRas(), 1e-12);
		assertArrayEquals(new double[] { 5, 6, 7 }, v.geometry().toWorld(new double[] { 0, 0, 3.5 }), 1e-12);
	}

	@Test
	void readsHandBuiltNifti2() throws IOException {
		final ByteBuffer b = ByteBuffer.allocate(544).order(ByteOrder.LITTLE_ENDIAN);
		b.putInt(0, 540);
		b.put(4, new byte[] { 'n', '+', '2', 0, '\r', '\n', 0x1a, '\n' });
		b.putShort(12, (short) 4);
		b.putShort(14, (short) 16);
		final long[] dim = { 3, 3, 2, 2, 1, 1, 1, 1 };
		for (int i = 0; i < 8; i++)
			b.putLong(16 + 8 * i, dim[i]);
		final double[] pixdim = { 1, 1.5, 1.5, 2, 1, 1, 1, 1 };
		for (int i = 0; i < 8; i++)
			b.putDouble(104 + 8 * i, pixdim[i]);
		b.putLong(168, 544);
		b.putDouble(176, 1);
		b.putInt(348, 1);
		final double[] srow = { 1.5, 0, 0, 1, 0, 1.5, 0, 2, 0, 0, 2, 3 };
		for (int i = 0; i < 12; i++)
			b.putDouble(400 + 8 * i, srow[i]);
		b.putInt(500, 2);
		final Path p = dir.resolve("tiny2.nii");
		Files.write(p, file(b, ByteOrder.LITTLE_ENDIAN));
		final Volume v = VolumeIO.read(p);
		assertEquals(32767, at(v, 2, 1, 0));
		assertArrayEquals(new double[] { 1.5, 1.5, 2 }, v.spacing());
		assertArrayEquals(new double[] { -1, -2, 3 }, v.geometry().origin());
	}

	@Test
	void fourDimensionalFileNeedsExplicitTimePoint() throws IOException {
		final ByteBuffer h = nifti1(ByteOrder.LITTLE_ENDIAN, "n+1");
		h.putShort(40, (short) 4);
		h.putShort(46, (short) 1); // z = 1
		h.putShort(48, (short) 2); // t = 2
		final Path p = dir.resolve("4d.nii");
		Files.write(p, file(h, ByteOrder.LITTLE_ENDIAN));
		final Volume v = VolumeIO.read(p);
		assertArrayEquals(new long[] { 3, 2, 1, 2 }, v.dimensions());
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.requireSingle3D("Label Lesions 3D"));
		assertTrue(e.getMessage().contains("Label Lesions 3D") && e.getMessage().contains("3×2×1×2") && e.getMessage().contains("4d.nii"), e.getMessage());
		assertEquals(10, at(v.timePoint(1), 2, 1, 0));
		assertEquals(3, v.timePoint(1).requireSingle3D("x").numDimensions());
	}
}
