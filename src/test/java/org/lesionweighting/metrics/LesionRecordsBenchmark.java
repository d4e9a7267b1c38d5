package org.lesionweighting.metrics;

import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesionweighting.label.LesionLabeling;

import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.parallel.Parallelization;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Evaluation of a 512×512×256 volume with about 200 lesions (issue 6: "under a second"). Prints
 * figures, asserts nothing. Run: {@code mvn -B -o -Pbench test -Dtest=LesionRecordsBenchmark}.
 */
@Tag("bench")
class LesionRecordsBenchmark {

	private static final int NX = 512, NY = 512, NZ = 256;

	private static void sphere(final float[] a, final int cx, final int cy, final int cz, final int r, final float v) {
		for (int z = Math.max(0, cz - r); z <= Math.min(NZ - 1, cz + r); z++)
			for (int y = Math.max(0, cy - r); y <= Math.min(NY - 1, cy + r); y++)
				for (int x = Math.max(0, cx - r); x <= Math.min(NX - 1, cx + r); x++)
					if ((x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz) <= r * r) a[(z * NY + y) * NX + x] = v;
	}

	@Test
	void evaluate512x512x256With200Lesions() {
		final Random rnd = new Random(1);
		final float[] t = new float[NX * NY * NZ], p = new float[t.length], l = new float[t.length];
		for (int i = 0; i < 200; i++) {
			final int cx = rnd.nextInt(NX), cy = rnd.nextInt(NY), cz = rnd.nextInt(NZ), r = 1 + rnd.nextInt(10);
			sphere(t, cx, cy, cz, r, 1);
			if (rnd.nextDouble() < 0.8) {
				sphere(p, cx + 1, cy, cz, Math.max(1, r - 1), 0.9f);
				sphere(l, cx + 1, cy, cz, Math.max(1, r - 1), 2 + rnd.nextInt(8));
			}
		}
		for (int i = 0; i < 40; i++) {
			final int cx = rnd.nextInt(NX), cy = rnd.nextInt(NY), cz = rnd.nextInt(NZ), r = 1 + rnd.nextInt(4);
			sphere(p, cx, cy, cz, r, 0.7f);
			sphere(l, cx, cy, cz, r, 1);
		}
		final Img< FloatType > truth = ArrayImgs.floats(t, NX, NY, NZ), prob = ArrayImgs.floats(p, NX, NY, NZ), logit = ArrayImgs.floats(l, NX, NY, NZ);
		for (int threads : new int[] { 1, 2 }) {
			for (int run = 0; run < 3; run++) {
				final long c0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
				final long t0 = System.nanoTime();
				final ImageEvaluation e = Parallelization.runWithNumThreads(threads, () -> LesionRecords.evaluate("bench", truth, prob, logit, null));
				final long t1 = System.nanoTime();
				final long c1 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
				System.out.printf(
						"LesionRecords.evaluate 512x512x256, %d thread(s), run %d: %.3f s wall, %.3f s CPU of the calling thread (%d lesions, %d predictions, %d records)%n",
						threads, run, (t1 - t0) / 1e9, (c1 - c0) / 1e9, e.numLesions(), e.numPredictions(), e.records().size());
			}
		}
		for (int run = 0; run < 2; run++) {
			final long t0 = System.nanoTime();
			LesionLabeling.label(truth, LesionRecords.CONNECTIVITY);
			System.out.printf("LesionLabeling.label alone (one mask): %.3f s%n", (System.nanoTime() - t0) / 1e9);
		}
		System.out.println("load average: " + java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() + " on "
				+ Runtime.getRuntime().availableProcessors() + " cores");
	}
}
