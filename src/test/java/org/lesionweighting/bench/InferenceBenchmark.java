package org.lesionweighting.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesionweighting.tf.infer.AxisTiling;
import org.lesionweighting.tf.infer.InferenceResult;
import org.lesionweighting.tf.infer.ModelInference;
import org.lesionweighting.tf.infer.SavedModelPredictor;
import org.lesionweighting.tf.infer.TestModels;
import org.lesionweighting.tf.infer.TilingOptions;
import org.lesionweighting.tf.infer.WindowPredictor;
import org.lesionweighting.tf.model.Device;

import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Tiled inference on a 182×218×182 volume (the size of an MNI brain) with the SMALL U-Net (seeded initial
 * weights; speed does not depend on training): seconds, voxels per second, the ratio to bare forward passes over
 * the same windows (target ≤ 1.10), and peak memory (Java heap and process resident set).
 * <p>
 * Run: {@code mvn -B -o -Pbench test -Dtest=InferenceBenchmark}. System properties {@code bench.patch},
 * {@code bench.stride}, {@code bench.batch} override the paper's 160 / 144 / 1; {@code bench.bare=false} skips the separate bare
 * forward passes (the overhead ratio is also measured inside the run: total time / time in the network).
 * Prints figures; asserts nothing.
 */
@Tag("bench")
class InferenceBenchmark {

	@Test
	void segmentMniSizedVolume() throws Exception {
		final int patch = Integer.getInteger("bench.patch", TilingOptions.PATCH_SIZE_DEFAULT);
		final int stride = Integer.getInteger("bench.stride", TilingOptions.STRIDE_DEFAULT);
		final int batch = Integer.getInteger("bench.batch", 1);
		final long[] dims = { 182, 218, 182 };
		final Path dir = Files.createTempDirectory("inference-bench");
		final Path model = dir.resolve("small");
		TestModels.exportUNet(model);
		final Img< FloatType > img = ArrayImgs.floats(dims);
		final Random r = new Random(1);
		for (final FloatType t : img)
			t.set((float) r.nextGaussian());
		final TilingOptions options = new TilingOptions().patchSize(patch).stride(stride).batchSize(batch);

		try (SavedModelPredictor p = SavedModelPredictor.load(model, Device.AUTO)) {
			final int q = new AxisTiling(dims[0], patch, stride, p.sizeDivisor()[0]).networkSize();
			long windows = 1;
			for (int a = 0; a < 3; a++)
				windows *= new AxisTiling(dims[a], patch, stride, p.sizeDivisor()[a]).numWindows();
			System.out.printf(Locale.ROOT, "InferenceBenchmark: volume %dx%dx%d, patch %d, stride %d, batch %d, %d windows of %d^3, device %s, %d CPU(s)%n",
					dims[0], dims[1], dims[2], patch, stride, batch, windows, q, p.model().device().used(), Runtime.getRuntime().availableProcessors());
			// warm-up: one window (graph optimisation, allocator)
			final float[] one = new float[q * q * q];
			p.predict(one, 1, q, q, q, 1);

			// time spent inside the network during the tiled run: the overhead ratio is immune to load changes
			final long[] inNetwork = { 0 };
			final WindowPredictor timed = new WindowPredictor() {

				@Override
				public float[] predict(final float[] w, final int b, final int d, final int h, final int x, final int c) {
					final long s0 = System.nanoTime();
					final float[] out = p.predict(w, b, d, h, x, c);
					inNetwork[0] += System.nanoTime() - s0;
					return out;
				}

				@Override
				public int inputChannels() {
					return p.inputChannels();
				}

				@Override
				public int[] sizeDivisor() {
					return p.sizeDivisor();
				}
			};
			resetPeaks();
			final long t0 = System.nanoTime();
			final InferenceResult res = ModelInference.segment(List.of(img), new double[] { 1, 1, 1 }, p.model().metadata(), timed, options, null, null);
			final double tiled = (System.nanoTime() - t0) / 1e9;
			final long heapPeak = heapPeak();

			final double voxels = (double) dims[0] * dims[1] * dims[2];
			System.out.printf(Locale.ROOT,
					"InferenceBenchmark: tiled (probabilities, logits, mask, labels) %.2f s, %.3f Mvox/s; of which in forward passes %.2f s; overhead ratio %.3f (target <= 1.10); %d lesions%n",
					tiled, voxels / tiled / 1e6, inNetwork[0] / 1e9, tiled / (inNetwork[0] / 1e9), res.numLesions());
			System.out.printf(Locale.ROOT,
					"InferenceBenchmark: peak Java heap during tiled inference %.0f MB (volume %.0f MB as float); peak process RSS %s; max heap %.0f MB%n",
					heapPeak / 1e6, voxels * 4 / 1e6, vmHwm(), Runtime.getRuntime().maxMemory() / 1e6);
			if (!Boolean.parseBoolean(System.getProperty("bench.bare", "true"))) return;
			// bare forward passes over the same number of windows, same batch, inputs prepared beforehand
			final float[] in = new float[batch * q * q * q];
			for (int i = 0; i < in.length; i++)
				in[i] = (float) r.nextGaussian();
			final long t1 = System.nanoTime();
			for (long w = 0; w < windows; w += batch)
				p.predict(in, batch, q, q, q, 1);
			final double bare = (System.nanoTime() - t1) / 1e9;

			System.out.printf(Locale.ROOT,
					"InferenceBenchmark: separate bare forward passes over %d windows %.2f s; ratio tiled / bare %.3f (sensitive to machine load between the two runs)%n",
					windows, bare, tiled / bare);
		}
	}

	private static void resetPeaks() {
		System.gc();
		for (final MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans())
			if (b.getType() == MemoryType.HEAP) b.resetPeakUsage();
	}

	private static long heapPeak() {
		long sum = 0;
		for (final MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans())
			if (b.getType() == MemoryType.HEAP) sum += b.getPeakUsage().getUsed();
		return sum;
	}

	private static String vmHwm() {
		try {
			for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
				if (line.startsWith("VmHWM:")) return line.substring(6).trim();
		}
		catch (final Exception e) {
			// not Linux
		}
		return "n/a";
	}
}
