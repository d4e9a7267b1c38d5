package org.lesionweighting.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesionweighting.io.Volume;
import org.lesionweighting.io.VolumeGeometry;
import org.lesionweighting.io.VolumeIO;
import org.lesionweighting.io.WriteOptions;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.type.numeric.integer.ShortType;

/**
 * Prints read/write speeds of a 512×512×512 int16 volume (256 MiB): uncompressed {@code .nii} read,
 * {@code .nii.gz} read side by side with {@code gzip -dc file > /dev/null}, {@code .nii.gz} write at
 * levels 1 and 6. Run with {@code mvn -B -o -Pbench test -Dtest=VolumeIOBenchmark}, or as a main.
 * Prints figures, asserts nothing.
 */
@Tag("bench")
public class VolumeIOBenchmark {

	static final int N = Integer.getInteger("bench.size", 512);

	static final int REPEATS = 3;

	public static void main(final String[] args) throws Exception {
		new VolumeIOBenchmark().benchmark();
	}

	/** A CT-like volume: smooth structures plus a few bits of noise, so that gzip ratios are realistic. */
	static ArrayImg< ShortType, ShortArray > volume() {
		final short[] a = new short[N * N * N];
		long h = 12345;
		int i = 0;
		for (int z = 0; z < N; z++)
			for (int y = 0; y < N; y++)
				for (int x = 0; x < N; x++) {
					h = h * 6364136223846793005L + 1442695040888963407L;
					final double r = Math.hypot(x - N / 2.0, y - N / 2.0);
					final double body = r < N * 0.4 ? 40 + 300 * Math.sin(x / 17.0) * Math.cos(y / 23.0 + z / 31.0) : -1000;
					a[i++] = (short) (body + ((h >>> 60) - 8));
				}
		return ArrayImgs.shorts(a, N, N, N);
	}

	@Test
	void benchmark() throws Exception {
		final Path dir = Files.createTempDirectory("volumeio-bench");
		try {
			final ArrayImg< ShortType, ShortArray > img = volume();
			final double mb = 2.0 * N * N * N / (1 << 20);
			final VolumeGeometry g = VolumeGeometry.ofSpacing(0.7, 0.7, 1.0);
			final Path nii = dir.resolve("v.nii"), gz1 = dir.resolve("v1.nii.gz"), gz6 = dir.resolve("v6.nii.gz");
			System.out.printf("VolumeIOBenchmark: %d^3 int16 = %.0f MiB, %d repeats (best, median)%n", N, mb, REPEATS);
			time("write .nii", mb, () -> VolumeIO.write(nii, img, g));
			time("write .nii.gz level 1", mb, () -> VolumeIO.write(gz1, img, g, WriteOptions.DEFAULT.withCompressionLevel(1)));
			time("write .nii.gz level 6", mb, () -> VolumeIO.write(gz6, img, g, WriteOptions.DEFAULT.withCompressionLevel(6)));
			System.out.printf("  sizes: .nii %.1f MiB, .nii.gz level 1 %.1f MiB, level 6 %.1f MiB%n", Files.size(nii) / 1048576.0, Files.size(gz1) / 1048576.0,
					Files.size(gz6) / 1048576.0);
			time("read .nii (page cache)", mb, () -> check(VolumeIO.read(nii)));
			for (final Path gz : new Path[] { gz1, gz6 }) {
				final double[] ours = time("read " + gz.getFileName(), mb, () -> check(VolumeIO.read(gz)));
				final double[] gzip = time("gzip -dc " + gz.getFileName() + " > /dev/null", mb, () -> {
					final Process p = new ProcessBuilder("bash", "-c", "gzip -dc '" + gz + "' > /dev/null").inheritIO().start();
					if (p.waitFor() != 0) throw new IOException("gzip failed");
				});
				System.out.printf("  ratio read/gzip -dc for %s: best %.2f, median %.2f%n", gz.getFileName(), ours[0] / gzip[0], ours[1] / gzip[1]);
			}
		}
		finally {
			try (Stream< Path > s = Files.walk(dir)) {
				s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
			}
		}
	}

	interface Step {

		void run() throws Exception;
	}

	static void check(final Volume v) {
		if (v.dimensions()[0] != N) throw new IllegalStateException("wrong size");
	}

	/** Runs a step REPEATS times; prints and returns best and median seconds. */
	static double[] time(final String what, final double mb, final Step step) throws Exception {
		final double[] t = new double[REPEATS];
		for (int i = 0; i < REPEATS; i++) {
			final long t0 = System.nanoTime();
			step.run();
			t[i] = (System.nanoTime() - t0) / 1e9;
		}
		Arrays.sort(t);
		System.out.printf("  %-40s best %6.3f s (%6.0f MB/s), median %6.3f s (%6.0f MB/s)%n", what, t[0], mb / t[0], t[REPEATS / 2], mb / t[REPEATS / 2]);
		return new double[] { t[0], t[REPEATS / 2] };
	}
}
