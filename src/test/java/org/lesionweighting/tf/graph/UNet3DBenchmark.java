package org.lesionweighting.tf.graph;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Forward-pass timings of the presets (inference mode) at 64³, batch 2. Prints figures, asserts nothing.
 * Run: {@code mvn -B -o -Pbench test -Dtest=UNet3DBenchmark} (options: {@code -Dbench.presets=small,paper},
 * {@code -Dbench.norm=batch|instance|none}, {@code -Dbench.size=64}, {@code -Dbench.runs=3}).
 */
@Tag("bench")
class UNet3DBenchmark {

	@Test
	void forward64Batch2() {
		final int size = Integer.getInteger("bench.size", 64);
		final int runs = Integer.getInteger("bench.runs", 3);
		final Normalization norm = Normalization.fromString(System.getProperty("bench.norm", "batch"));
		for (final String preset : System.getProperty("bench.presets", "small,paper").split(","))
			time(UNetConfig.fromString(preset).withNormalization(norm), size, runs);
	}

	/** CPU time of the whole process (all TensorFlow threads), or 0 if the JVM does not report it. */
	private static long processCpuNanos() {
		final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		return os instanceof com.sun.management.OperatingSystemMXBean ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : 0;
	}

	private static void time(final UNetConfig config, final int size, final int runs) {
		final int batch = 2;
		final float[] data = new float[batch * size * size * size];
		final Random r = new Random(1);
		for (int i = 0; i < data.length; i++)
			data[i] = (float) r.nextGaussian();
		long t0 = System.nanoTime();
		try (Graph g = new Graph(); Session s = new Session(g)) {
			final Ops tf = Ops.create(g);
			final Placeholder< TFloat32 > image = UNet3D.imagePlaceholder(tf, 1);
			final UNet3D.Network net = UNet3D.build(tf, config, image);
			s.initialize();
			final double build = (System.nanoTime() - t0) / 1e9;
			final double[] secs = new double[runs + 1];
			final double[] cpu = new double[runs + 1];
			try (TFloat32 x = TFloat32.tensorOf(Shape.of(batch, size, size, size, 1), DataBuffers.of(data, true, false))) {
				for (int i = 0; i <= runs; i++) {
					t0 = System.nanoTime();
					final long c0 = processCpuNanos();
					try (TFloat32 y = (TFloat32) s.runner().feed(image, x).fetch(net.logits()).run().get(0)) {
						secs[i] = (System.nanoTime() - t0) / 1e9;
						cpu[i] = (processCpuNanos() - c0) / 1e9;
					}
				}
			}
			final double[] timed = Arrays.copyOfRange(secs, 1, secs.length);
			Arrays.sort(timed);
			final double median = timed[timed.length / 2];
			final double[] cpuTimed = Arrays.copyOfRange(cpu, 1, cpu.length);
			Arrays.sort(cpuTimed);
			System.out.printf(
					"BENCH %s %s (%d params): build+init %.2f s, first run %.2f s, median of %d forward runs %.2f s for batch %d x %d^3 = %.2f Mvox/s; process CPU per run %.2f s on %d cores (load average %.1f)%n",
					config.preset(), config.normalization().key(), net.parameterCount(), build, secs[0], runs, median, batch, size,
					batch * Math.pow(size, 3) / median / 1e6, cpuTimed[cpuTimed.length / 2], Runtime.getRuntime().availableProcessors(),
					ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		}
	}
}
