package org.lesionweighting.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesionweighting.tf.data.Batch;
import org.lesionweighting.tf.data.BatchQueue;
import org.lesionweighting.tf.data.PatchSampler;
import org.lesionweighting.tf.data.TrainingCase;
import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.tf.model.Devices;
import org.lesionweighting.tf.train.TrainingConfig;
import org.lesionweighting.tf.train.TrainingGraph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Training throughput on this CPU: seconds per iteration and voxels per second for the {@code small} and
 * {@code paper} presets at patch 64³, batch 2 (Dice loss with W1 weights, SGD Nesterov), and the ratio of
 * a full iteration (batch from the background queue, tensors built, step) to a bare {@code session.run}
 * of the same step with pre-built tensors. Prints figures; asserts nothing about time.
 * <p>
 * Run: {@code mvn -B -o -Pbench test -Dtest=TrainingBenchmark}; iterations via
 * {@code -Dbench.iterations=N} (default 10 per measurement, after 3 warm-up steps), presets via
 * {@code -Dbench.presets=small,paper}. Full and bare iterations alternate and the medians are compared.
 */
@Tag("bench")
class TrainingBenchmark {

	private static List< TrainingCase > volumes(final int count, final int size) {
		final List< TrainingCase > l = new ArrayList<>();
		final SplittableRandom r = new SplittableRandom(5);
		for (int c = 0; c < count; c++) {
			final int n = size * size * size;
			final float[] img = new float[n];
			final byte[] t = new byte[n];
			for (int k = 0; k < 12; k++) {
				final int cx = 6 + r.nextInt(size - 12), cy = 6 + r.nextInt(size - 12), cz = 6 + r.nextInt(size - 12), rad = 1 + r.nextInt(5);
				for (int z = -rad; z <= rad; z++)
					for (int y = -rad; y <= rad; y++)
						for (int x = -rad; x <= rad; x++)
							if (x * x + y * y + z * z <= rad * rad) t[((cz + z) * size + cy + y) * size + cx + x] = 1;
			}
			for (int i = 0; i < n; i++)
				img[i] = (float) (t[i] + 0.4 * r.nextGaussian());
			l.add(TrainingCase.fromArrays("bench" + c, new int[] { size, size, size }, new float[][] { img }, t, null));
		}
		return l;
	}

	private static double median(final double[] values) {
		final double[] v = values.clone();
		Arrays.sort(v);
		return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
	}

	private static double mean(final double[] values) {
		double s = 0;
		for (final double v : values)
			s += v;
		return s / values.length;
	}

	@Test
	void throughput() throws Exception {
		final int iterations = Integer.getInteger("bench.iterations", 10);
		final int patch = 64, batch = 2;
		final List< TrainingCase > cases = volumes(4, 128);
		final Devices.Selection device = Devices.select(Device.AUTO);
		System.out.println("Training benchmark on " + device.used() + ", patch " + patch + "³, batch " + batch + ", " + iterations + " timed iterations");
		for (final String preset : System.getProperty("bench.presets", "small,paper").split(",")) {
			final UNetConfig net = preset.trim().equals("paper") ? UNetConfig.PAPER : UNetConfig.SMALL;
			final TrainingConfig config = new TrainingConfig().network(net).patchSize(patch).batchSize(batch);
			final PatchSampler sampler = new PatchSampler(cases, config.sampler(), config.seed());
			// data pipeline alone
			long t = System.nanoTime();
			for (int i = 0; i < 10; i++)
				sampler.batch(i, batch);
			final double sampling = (System.nanoTime() - t) * 1e-9 / 10;
			try (TrainingGraph g = new TrainingGraph(config, net, 1, device.config())) {
				g.initialize();
				for (int i = 0; i < 3; i++)
					g.step(sampler.batch(1000 + i, batch), 1e-2);
				// full iterations (batch from the background queue, tensors built, step) and bare session.run of
				// the same step with pre-built tensors, interleaved one by one so that drift of the machine
				// (frequency, other load) affects both alike; medians of the per-iteration times
				final Batch b = sampler.batch(0, batch);
				final double[] fullTimes = new double[iterations], bareTimes = new double[iterations];
				try (BatchQueue< Batch > q = new BatchQueue<>(it -> sampler.batch(it, batch), 0, iterations, 1, 3);
						TFloat32 x = TFloat32.tensorOf(Shape.of(b.imageShape()), DataBuffers.of(b.images(), true, false));
						TFloat32 y = TFloat32.tensorOf(Shape.of(b.targetShape()), DataBuffers.of(b.targets(), true, false));
						TFloat32 w = TFloat32.tensorOf(Shape.of(b.targetShape()), DataBuffers.of(b.weights(), true, false))) {
					for (int i = 0; i < iterations; i++) {
						t = System.nanoTime();
						g.step(q.take(), 1e-2);
						fullTimes[i] = (System.nanoTime() - t) * 1e-9;
						t = System.nanoTime();
						g.step(x, y, w, 1e-2);
						bareTimes[i] = (System.nanoTime() - t) * 1e-9;
					}
				}
				final double full = median(fullTimes), bare = median(bareTimes);
				final double voxels = (double) batch * patch * patch * patch;
				System.out.printf(Locale.ROOT,
						"%-6s full iteration %.3f s (%.0f voxels/s), bare session.run %.3f s, ratio %.3f (mean ratio %.3f); batch sampling alone %.4f s%n",
						net.preset(), full, voxels / full, bare, full / bare, mean(fullTimes) / mean(bareTimes), sampling);
			}
		}
		long heap = 0;
		for (final MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
			if (p.getType() == MemoryType.HEAP) heap += p.getPeakUsage().getUsed();
		String rss = "?";
		for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
			if (line.startsWith("VmHWM")) rss = line.replaceAll("\\s+", " ");
		System.out.printf(Locale.ROOT, "peak Java heap %.0f MB; peak resident memory (%s)%n", heap / 1e6, rss);
	}
}
