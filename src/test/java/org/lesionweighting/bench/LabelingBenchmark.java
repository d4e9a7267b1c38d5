package org.lesionweighting.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesionweighting.label.Connectivity;
import org.lesionweighting.label.LesionLabeling;
import org.lesionweighting.label.LesionStatistics;
import org.lesionweighting.phantom.LesionPhantom;
import org.lesionweighting.phantom.Phantom;
import org.lesionweighting.phantom.PhantomSpec;
import org.lesionweighting.weights.WeightMaps;
import org.lesionweighting.weights.WeightScheme;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.view.Views;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.parallel.Parallelization;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Prints Mvox/s and peak heap for label + voxel counts + inverse weight map (doc/method.md §1.1–1.2) on
 * (a) a 512×512×256 phantom mask with about 200 lesions of radii 1–30 and (b) a 256³ random mask with
 * p = 0.3, for 6- and 26-connectivity and 1 and 2 threads. Prints figures, never asserts times.
 * <p>
 * Run: {@code mvn -B -o -Pbench test -Dtest=LabelingBenchmark}, or the {@code main} with
 * {@code -Xmx2g} and the argument {@code big} (512³ phantom) or {@code bigrandom} (512³ random mask,
 * p = 0.3) for the 512³ runs. System properties: {@code bench.repeats} (runs per figure, best kept;
 * default 5) and {@code bench.cases} ({@code a}, {@code b} or {@code ab}, the default).
 */
@Tag("bench")
public class LabelingBenchmark {

	private static final int REPEATS = Integer.getInteger("bench.repeats", 5);

	/** Which cases to run: {@code a}, {@code b} or {@code ab} (system property {@code bench.cases}). */
	private static final String CASES = System.getProperty("bench.cases", "ab");

	@Test
	void benchmark() {
		run();
	}

	public static void main(final String... args) {
		if (args.length > 0 && args[0].equals("big")) big();
		else if (args.length > 0 && args[0].equals("bigrandom")) bigRandom();
		else run();
	}

	static void run() {
		if (CASES.contains("a")) {
			final long t0 = System.nanoTime();
			final Phantom p = LesionPhantom.generate(new PhantomSpec().size(512, 512, 256).numLesions(200).minRadius(1).maxRadius(30).seed(1));
			System.out.printf(Locale.ROOT, "phantom 512x512x256, 200 lesions drawn, %d components (26-conn), generated in %.2f s%n", p.numLesions(), (System.nanoTime() - t0) * 1e-9);
			bench("(a) phantom 512x512x256", p.mask());
		}
		if (!CASES.contains("b")) return;
		final ArrayImg< UnsignedByteType, ByteArray > random = ArrayImgs.unsignedBytes(256, 256, 256);
		final byte[] b = random.update(null).getCurrentStorageArray();
		final SplittableRandom r = new SplittableRandom(7);
		for (int i = 0; i < b.length; i++)
			b[i] = (byte) (r.nextDouble() < 0.3 ? 1 : 0);
		bench("(b) random 256^3 p=0.3", random);
	}

	private static long cpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	/**
	 * Prints, per connectivity and thread count, the best of {@link #REPEATS} runs: wall-clock Mvox/s of
	 * each step and of label + voxel counts + W1 weights, and the same pipeline's voxels per CPU-second
	 * divided by the thread count (what the wall-clock figure would be on otherwise idle cores; this
	 * machine is shared, so wall-clock figures are pessimistic). Also per CPU-second: labelWithCounts
	 * followed by the weights (labels, volumes and weights without the separate counting pass), and
	 * {@code WeightMaps.fromMask} (weights only, no label image).
	 */
	static void bench(final String name, final Img< UnsignedByteType > mask) {
		final long n = mask.size();
		final long[] dims = mask.dimensionsAsLongArray();
		final Img< IntType > labels = ArrayImgs.ints(dims);
		final Img< FloatType > weights = ArrayImgs.floats(dims);
		for (final Connectivity c : new Connectivity[] { Connectivity.SIX, Connectivity.TWENTY_SIX }) {
			for (final int threads : new int[] { 1, 2 }) {
				final double[] best = new double[8];
				java.util.Arrays.fill(best, Double.MAX_VALUE);
				int k = 0;
				for (int rep = 0; rep < REPEATS; rep++) {
					final long c0 = cpuNanos();
					final long a = System.nanoTime();
					k = Parallelization.runWithNumThreads(threads, () -> LesionLabeling.label(mask, labels, c));
					final long b = System.nanoTime();
					final int kk = k;
					final long[] counts = Parallelization.runWithNumThreads(threads, () -> LesionStatistics.voxelCounts(labels, kk));
					final long d = System.nanoTime();
					Parallelization.runWithNumThreads(threads, () -> WeightMaps.compute(labels, weights, WeightScheme.INVERSE_VOLUME, WeightMaps.W_MIN_DEFAULT, WeightMaps.W_MAX_DEFAULT));
					final long e = System.nanoTime();
					final long c1 = cpuNanos();
					Parallelization.runWithNumThreads(threads, () -> WeightMaps.fromMask(mask, weights, WeightScheme.INVERSE_VOLUME, c, WeightMaps.W_MIN_DEFAULT, WeightMaps.W_MAX_DEFAULT));
					final long f = System.nanoTime();
					final long c2 = cpuNanos();
					// labels with their counts in one call, then the weights
					Parallelization.runWithNumThreads(threads, () -> {
						LesionLabeling.labelWithCounts(mask, labels, c);
						WeightMaps.compute(labels, weights, WeightScheme.INVERSE_VOLUME, WeightMaps.W_MIN_DEFAULT, WeightMaps.W_MAX_DEFAULT);
					});
					final long c3 = cpuNanos();
					best[6] = Math.min(best[6], (c2 - c1) * 1e-9 / threads);
					best[7] = Math.min(best[7], (c3 - c2) * 1e-9 / threads);
					if (counts.length != k + 1) throw new IllegalStateException();
					best[0] = Math.min(best[0], (b - a) * 1e-9);
					best[1] = Math.min(best[1], (d - b) * 1e-9);
					best[2] = Math.min(best[2], (e - d) * 1e-9);
					best[3] = Math.min(best[3], (e - a) * 1e-9);
					best[4] = Math.min(best[4], (f - e) * 1e-9);
					best[5] = Math.min(best[5], (c1 - c0) * 1e-9 / threads);
				}
				System.out.printf(Locale.ROOT, "%s conn=%s threads=%d K=%d | label %.0f Mvox/s | counts %.0f | weights %.0f | label+counts+weights %.0f Mvox/s wall (%.3f s), %.0f Mvox/s per CPU-s/thread | labelWithCounts+weights %.0f per CPU-s/thread | fromMask %.0f Mvox/s wall, %.0f per CPU-s/thread | peak heap %d MB%n", name, c.key(), threads, k, n / best[0] * 1e-6, n / best[1] * 1e-6, n / best[2] * 1e-6, n / best[3] * 1e-6, best[3], n / best[5] * 1e-6, n / best[7] * 1e-6, n / best[4] * 1e-6, n / best[6] * 1e-6, peakHeapMb());
			}
		}
		// one 128^3 training patch, as the trainer computes it (single-threaded)
		if (dims[0] >= 128 && dims[1] >= 128 && dims[2] >= 128) {
			final RandomAccessibleInterval< IntType > patch = Views.interval(labels, new long[] { 0, 0, 0 }, new long[] { 127, 127, 127 });
			final Img< IntType > copy = ArrayImgs.ints(128, 128, 128);
			LoopBuilder.setImages(patch, copy).forEachPixel((x, y) -> y.set(x));
			final Img< FloatType > w = ArrayImgs.floats(128, 128, 128);
			double bestMs = Double.MAX_VALUE;
			for (int rep = 0; rep < 20; rep++) {
				final long a = System.nanoTime();
				WeightMaps.compute(copy, w, WeightScheme.INVERSE_VOLUME, WeightMaps.W_MIN_DEFAULT, WeightMaps.W_MAX_DEFAULT);
				bestMs = Math.min(bestMs, (System.nanoTime() - a) * 1e-6);
			}
			System.out.printf(Locale.ROOT, "%s: W1 weights of one 128^3 ArrayImg patch: %.1f ms%n", name, bestMs);
		}
	}

	/** A 512³ phantom mask labeled into 32-bit labels; meant for {@code -Xmx2g}. */
	static void big() {
		final long t0 = System.nanoTime();
		final Phantom p = LesionPhantom.generate(new PhantomSpec().size(512, 512, 512).numLesions(400).minRadius(1).maxRadius(30).noiseSigma(0).seed(2));
		final Img< UnsignedByteType > mask = p.mask();
		System.out.printf(Locale.ROOT, "phantom 512^3 generated in %.2f s, %d components; peak heap %d MB%n", (System.nanoTime() - t0) * 1e-9, p.numLesions(), peakHeapMb());
		final Img< IntType > labels = p.labels();
		for (int rep = 0; rep < 3; rep++) {
			final long a = System.nanoTime();
			final int k = Parallelization.runWithNumThreads(2, () -> LesionLabeling.label(mask, labels, Connectivity.TWENTY_SIX));
			final long b = System.nanoTime();
			System.out.printf(Locale.ROOT, "512^3 label (26, 2 threads): K=%d, %.0f Mvox/s, max heap %d MB, peak heap %d MB%n", k, mask.size() / ((b - a) * 1e-9) * 1e-6, Runtime.getRuntime().maxMemory() >> 20, peakHeapMb());
		}
	}

	/** A 512³ random mask (p = 0.3, the worst case for runs) labeled into 32-bit labels; for {@code -Xmx2g}. */
	static void bigRandom() {
		final ArrayImg< UnsignedByteType, ByteArray > mask = ArrayImgs.unsignedBytes(512, 512, 512);
		final byte[] b = mask.update(null).getCurrentStorageArray();
		final SplittableRandom r = new SplittableRandom(3);
		for (int i = 0; i < b.length; i++)
			b[i] = (byte) (r.nextDouble() < 0.3 ? 1 : 0);
		final Img< IntType > labels = ArrayImgs.ints(512, 512, 512);
		final long a = System.nanoTime();
		final int k = Parallelization.runWithNumThreads(2, () -> LesionLabeling.label(mask, labels, Connectivity.TWENTY_SIX));
		final long e = System.nanoTime();
		System.out.printf(Locale.ROOT, "512^3 random p=0.3 label (26, 2 threads): K=%d, %.0f Mvox/s, max heap %d MB, peak heap %d MB%n", k, mask.size() / ((e - a) * 1e-9) * 1e-6, Runtime.getRuntime().maxMemory() >> 20, peakHeapMb());
	}

	static long peakHeapMb() {
		long s = 0;
		for (final MemoryPoolMXBean m : ManagementFactory.getMemoryPoolMXBeans())
			if (m.getType() == MemoryType.HEAP) s += m.getPeakUsage().getUsed();
		return s >> 20;
	}
}
