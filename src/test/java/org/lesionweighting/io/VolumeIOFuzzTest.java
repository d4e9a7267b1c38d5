package org.lesionweighting.io;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * Mutates header bytes of valid tiny files at random (fixed seeds) and checks that every read either
 * succeeds or throws an IOException: no other exception, no hang, no absurd allocation.
 */
class VolumeIOFuzzTest {

	@TempDir
	Path dir;

	private static final int CASES_PER_FILE = 60;

	@Test
	void mutatedHeadersGiveAVolumeOrAnIOException() throws IOException {
		final List< Path > seeds = new ArrayList<>();
		final VolumeGeometry g = TestVolumes.rotated();
		final String[] names = { "a.nii", "b.nii.gz", "c2.nii", "dbe.nii", "e.mha", "f.mhd", "gz.mhd", "h.mha" };
		for (final String n : names) {
			final Path p = dir.resolve("seed-" + n);
			final WriteOptions o = WriteOptions.DEFAULT.withNiftiVersion(n.startsWith("c2") ? 2 : 1)
					.withByteOrder(n.startsWith("dbe") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
					.withCompressedMetaImage(n.startsWith("gz") || n.startsWith("h"));
			VolumeIO.write(p, TestVolumes.image(n.startsWith("e") ? DataType.FLOAT32 : DataType.INT16, 5, 4, 3), g, o);
			seeds.add(p);
		}
		final int[] outcome = new int[2];
		assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
			for (int f = 0; f < seeds.size(); f++) {
				final Path seed = seeds.get(f);
				final String name = seed.getFileName().toString().substring(5);
				final boolean gz = name.endsWith(".gz");
				final boolean mhd = name.endsWith(".mhd");
				final byte[] original = Files.readAllBytes(mhd ? seed : seed);
				final byte[] plain = gz ? gunzip(original) : original;
				final int headerBytes = name.startsWith("c2") ? 544 : name.contains(".nii") ? 352 : mhd ? plain.length : Math.min(plain.length, 330);
				for (int i = 0; i < CASES_PER_FILE; i++) {
					final long s = 1000L * f + i;
					final Random r = new Random(s);
					byte[] bytes = plain.clone();
					final int kind = r.nextInt(4);
					if (kind == 3) bytes = java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length));
					else {
						final int n = 1 + r.nextInt(kind == 0 ? 1 : 4);
						for (int k = 0; k < n; k++) {
							final int pos = r.nextInt(headerBytes);
							bytes[pos] = kind == 2 ? (byte) "0123456789-. e\n=".charAt(r.nextInt(16)) : (byte) r.nextInt(256);
						}
					}
					if (gz) bytes = r.nextBoolean() ? gzip(bytes) : mutateRaw(original, r);
					final Path p = dir.resolve("case" + s + "-" + name);
					if (mhd) {
						// the .mhd header is mutated; its data file stays
						Files.write(p, bytes);
						final String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
						if (!text.contains("seed-")) continue;
					}
					else
						Files.write(p, bytes);
					try {
						final Volume v = VolumeIO.read(p);
						for (final RealType< ? > t : Views.flatIterable(v.image()))
							t.getRealDouble();
						outcome[0]++;
					}
					catch (final IOException e) {
						assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "seed " + s + ": empty message");
						outcome[1]++;
					}
					catch (final Throwable t) {
						fail("seed " + s + " (" + name + "): " + t, t);
					}
					finally {
						Files.deleteIfExists(p);
					}
				}
			}
		});
		assertTrue(outcome[0] > 0 && outcome[1] > 0, "both outcomes occur: " + outcome[0] + " reads, " + outcome[1] + " IOExceptions");
	}

	private static byte[] mutateRaw(final byte[] original, final Random r) {
		final byte[] b = original.clone();
		final int n = 1 + r.nextInt(3);
		for (int k = 0; k < n; k++)
			b[r.nextInt(b.length)] = (byte) r.nextInt(256);
		return b;
	}

	private static byte[] gunzip(final byte[] b) throws IOException {
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
			return in.readAllBytes();
		}
	}

	private static byte[] gzip(final byte[] b) throws IOException {
		final ByteArrayOutputStream bos = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(bos)) {
			out.write(b);
		}
		return bos.toByteArray();
	}
}
