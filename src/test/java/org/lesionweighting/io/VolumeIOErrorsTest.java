package org.lesionweighting.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/** Every broken file gives an IOException that names the file and the problem. */
class VolumeIOErrorsTest {

	@TempDir
	Path dir;

	private IOException fails(final Path p, final String... expected) {
		final IOException e = assertThrows(IOException.class, () -> VolumeIO.read(p));
		assertTrue(e.getMessage().contains(p.getFileName().toString()), "names the file: " + e.getMessage());
		for (final String s : expected)
			assertTrue(e.getMessage().contains(s), "mentions '" + s + "': " + e.getMessage());
		return e;
	}

	private Path valid(final String name) throws IOException {
		final Path p = dir.resolve(name);
		VolumeIO.write(p, TestVolumes.image(DataType.INT16, 8, 6, 4), VolumeGeometry.ofSpacing(1, 1, 1));
		return p;
	}

	private Path patched(final String name, final int offset, final short value) throws IOException {
		final Path p = valid(name);
		final byte[] b = Files.readAllBytes(p);
		ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(offset, value);
		Files.write(p, b);
		return p;
	}

	@Test
	void truncatedNifti() throws IOException {
		final Path p = valid("t.nii");
		Files.write(p, Arrays.copyOf(Files.readAllBytes(p), 500));
		fails(p, "shorter than the header promises");
	}

	@Test
	void truncatedHeader() throws IOException {
		final Path p = valid("h.nii");
		Files.write(p, Arrays.copyOf(Files.readAllBytes(p), 100));
		fails(p, "truncated");
		Files.write(p, new byte[2]);
		fails(p, "too short");
	}

	@Test
	void badSizeofHdr() throws IOException {
		final Path p = valid("s.nii");
		final byte[] b = Files.readAllBytes(p);
		b[0] = 1;
		Files.write(p, b);
		fails(p, "sizeof_hdr");
	}

	@Test
	void unknownDatatype() throws IOException {
		fails(patched("d.nii", 70, (short) 1536), "unsupported NIfTI datatype code 1536");
	}

	@Test
	void dimensionsWhoseProductOverflows() throws IOException {
		final Path p = dir.resolve("o.nii");
		final ByteBuffer h = NiftiHeaderTest.nifti1(ByteOrder.LITTLE_ENDIAN, "n+1");
		// NIfTI-2 would be needed for a real overflow with 64-bit dims; NIfTI-1 shorts give 32767^4 · 2 bytes
		for (int i = 1; i <= 4; i++)
			h.putShort(40 + 2 * i, (short) 32767);
		h.putShort(40, (short) 4);
		Files.write(p, NiftiHeaderTest.file(h, ByteOrder.LITTLE_ENDIAN));
		fails(p, "shorter than the header promises");
		final ByteBuffer b = ByteBuffer.allocate(560).order(ByteOrder.LITTLE_ENDIAN);
		b.putInt(0, 540);
		b.put(4, new byte[] { 'n', '+', '2', 0, '\r', '\n', 0x1a, '\n' });
		b.putShort(12, (short) 4);
		final long[] dim = { 3, 1L << 40, 1L << 20, 1L << 10, 1, 1, 1, 1 };
		for (int i = 0; i < 8; i++)
			b.putLong(16 + 8 * i, dim[i]);
		b.putLong(168, 544);
		final Path q = dir.resolve("o2.nii");
		Files.write(q, b.array());
		fails(q, "overflow");
	}

	@Test
	void negativeDimension() throws IOException {
		fails(patched("n.nii", 42, (short) -5), "dim[1]");
	}

	@Test
	void voxOffsetPastTheEnd() throws IOException {
		final Path p = valid("v.nii");
		final byte[] b = Files.readAllBytes(p);
		ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(108, 1e9f);
		Files.write(p, b);
		fails(p, "vox_offset");
	}

	@Test
	void cutGzipStream() throws IOException {
		final Path p = valid("g.nii.gz");
		final byte[] b = Files.readAllBytes(p);
		Files.write(p, Arrays.copyOf(b, b.length / 2));
		fails(p, "truncated");
	}

	@Test
	void corruptGzipData() throws IOException {
		final Path p = valid("c.nii.gz");
		final byte[] b = Files.readAllBytes(p);
		for (int i = 30; i < b.length - 8; i++)
			b[i] = (byte) (b[i] ^ 0x5a);
		Files.write(p, b);
		assertThrows(IOException.class, () -> VolumeIO.read(p));
	}

	@Test
	void absurdSizeInSmallGzipFileIsRejectedBeforeAllocating() throws IOException {
		final ByteBuffer b = ByteBuffer.allocate(544).order(ByteOrder.LITTLE_ENDIAN);
		b.putInt(0, 540);
		b.put(4, new byte[] { 'n', '+', '2', 0, '\r', '\n', 0x1a, '\n' });
		b.putShort(12, (short) 16);
		final long[] dim = { 3, 4000, 4000, 4000, 1, 1, 1, 1 };
		for (int i = 0; i < 8; i++)
			b.putLong(16 + 8 * i, dim[i]);
		b.putLong(168, 544);
		final Path p = dir.resolve("absurd.nii.gz");
		try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(p))) {
			out.write(b.array());
		}
		fails(p, "more than this");
	}

	@Test
	void rawShorterThanPromised() throws IOException {
		Files.writeString(dir.resolve("r.mhd"), "NDims = 3\nDimSize = 10 10 10\nElementType = MET_SHORT\nElementDataFile = r.raw\n");
		Files.write(dir.resolve("r.raw"), new byte[1000]);
		final IOException e = assertThrows(IOException.class, () -> VolumeIO.read(dir.resolve("r.mhd")));
		assertTrue(e.getMessage().contains("r.raw") && e.getMessage().contains("shorter"), e.getMessage());
	}

	@Test
	void notAMetaImageHeader() throws IOException {
		final Path p = dir.resolve("x.mha");
		Files.write(p, new byte[] { 0, 1, 2, 3, 4, 5, 6, 7 });
		fails(p, "not a MetaImage header");
		Files.writeString(p, "hello world\nthis is text\n");
		fails(p, "not a MetaImage header");
		Files.writeString(p, "NDims = 3\nDimSize = 2 2 2\n");
		fails(p, "no ElementDataFile");
	}

	@Test
	void unknownMetaImageType() throws IOException {
		final Path p = dir.resolve("u.mha");
		Files.writeString(p, "NDims = 3\nDimSize = 2 2 2\nElementType = MET_LONG_LONG\nElementDataFile = LOCAL\n");
		fails(p, "MET_LONG_LONG");
	}

	@Test
	void missingMetaImageDataFile() throws IOException {
		final Path p = dir.resolve("m.mhd");
		Files.writeString(p, "NDims = 3\nDimSize = 2 2 2\nElementType = MET_UCHAR\nElementDataFile = nothere.raw\n");
		fails(p, "nothere.raw");
	}

	@Test
	void missingFileAndUnsupportedExtension() {
		fails(dir.resolve("none.nii"), "not found");
		fails(dir.resolve("none.png"), "unsupported");
	}

	@Test
	void failedWriteLeavesNothing() throws IOException {
		// an image whose values cannot be read half way through
		final Img< net.imglib2.type.numeric.real.FloatType > img = net.imglib2.img.array.ArrayImgs.floats(64, 64, 64);
		final var broken = net.imglib2.converter.Converters.convert((net.imglib2.RandomAccessibleInterval< net.imglib2.type.numeric.real.FloatType >) img,
				(a, b) -> {
					throw new IllegalStateException("boom");
				}, new net.imglib2.type.numeric.real.FloatType());
		for (final String name : List.of("f.nii", "f.nii.gz", "f.mha", "f.mhd")) {
			assertThrows(IllegalStateException.class, () -> VolumeIO.write(dir.resolve(name), broken, VolumeGeometry.ofSpacing(1, 1, 1)));
		}
		try (Stream< Path > s = Files.list(dir)) {
			assertEquals(List.of(), s.toList());
		}
		assertThrows(IOException.class, () -> VolumeIO.write(dir.resolve("no/such/folder/f.nii"), img, VolumeGeometry.ofSpacing(1, 1, 1)));
		assertThrows(IOException.class, () -> VolumeIO.write(dir.resolve("f.png"), img, VolumeGeometry.ofSpacing(1, 1, 1)));
	}

	@Test
	void requireSingle3DOnVolumeMadeInMemory() {
		final Img< ? extends RealType< ? > > img = TestVolumes.image(DataType.UINT8, 2, 2, 2, 3);
		final Volume v = new Volume(img, VolumeGeometry.ofSpacing(1, 1, 1));
		assertFalse(v.isSingle3D());
		assertThrows(IllegalArgumentException.class, () -> v.requireSingle3D("op"));
		assertEquals(3, Views.hyperSlice(img, 3, 0).numDimensions());
	}
}
