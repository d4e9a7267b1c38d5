package org.lesionweighting.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class NpyTest {

	/** The exact bytes numpy writes for np.save(f, np.arange(6, dtype='<f4').reshape(1, 2, 3)). */
	@Test
	void writesNumpysVersion1Layout() {
		final byte[] b = Npy.toBytes(new long[] { 1, 2, 3 }, new float[] { 0, 1, 2, 3, 4, 5 });
		final String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3), }";
		assertEquals(128 + 24, b.length, "header padded so that the data starts at byte 128");
		assertArrayEquals(new byte[] { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0 }, java.util.Arrays.copyOf(b, 10));
		final String h = new String(b, 10, 118, StandardCharsets.US_ASCII);
		assertEquals(header, h.strip());
		assertTrue(h.endsWith(" \n"));
		assertEquals(5f, ByteBuffer.wrap(b, 128 + 20, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
		assertTrue(new String(Npy.toBytes(new long[] { 4 }, new float[4]), 10, 60, StandardCharsets.US_ASCII).contains("'shape': (4,)"),
				"a 1-tuple has its comma");
	}

	@Test
	void roundTripsAndReadsFloat64BigEndian() throws IOException {
		final float[] v = { -1.5f, 0f, Float.MIN_VALUE, 3e38f, 7f, 8f };
		final Npy.Array a = Npy.fromBytes(Npy.toBytes(new long[] { 2, 3 }, v), "x.npy");
		assertArrayEquals(new long[] { 2, 3 }, a.shape());
		assertArrayEquals(v, a.data());
		final String header = "{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }      \n";
		final ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 16);
		b.put(new byte[] { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0 }).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length())
				.put(header.getBytes(StandardCharsets.US_ASCII)).order(ByteOrder.BIG_ENDIAN).putDouble(0.25).putDouble(-2);
		assertArrayEquals(new float[] { 0.25f, -2f }, Npy.fromBytes(b.array(), "be.npy").data());
	}

	@Test
	void refusesOtherFilesNamingThem() {
		final IOException a = assertThrows(IOException.class, () -> Npy.fromBytes("not numpy".getBytes(StandardCharsets.US_ASCII), "a.npy"));
		assertTrue(a.getMessage().contains("a.npy"), a.getMessage());
		final byte[] ints = Npy.toBytes(new long[] { 1 }, new float[1]);
		final byte[] patched = new String(ints, StandardCharsets.ISO_8859_1).replace("'<f4'", "'<i4'").getBytes(StandardCharsets.ISO_8859_1);
		final IOException b = assertThrows(IOException.class, () -> Npy.fromBytes(patched, "i.npy"));
		assertTrue(b.getMessage().contains("'<i4'"), b.getMessage());
		assertThrows(IllegalArgumentException.class, () -> Npy.toBytes(new long[] { 2, 2 }, new float[3]));
	}
}
