package org.lesionweighting.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.Assumptions;
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
 * Run: {@code mvn -B -o -Pbench test -Dtest=LabelingBenchmark#benchmark}, or the {@code main} with
 * {@code -Xmx2g} and the argument {@code big} (512³ phantom) or {@code bigrandom} (512³ random mask,
 * p = 0.3) for the 512³ runs. System properties: {@code bench.repeats} (runs per figure, best kept;
 * default 5) and {@code bench.cases} ({@code a}, {@code b} or {@code ab}, the default).
 * <p>
 * {@link #versusScipy()} times the same volumes side by side with {@code scipy.ndimage.label} (+
 * {@code np.bincount}) in one interleaved run, single-threaded: see its javadoc.
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

	/**
	 * Labeling and label image + weights against scipy, one thread each, in one run: rounds alternate
	 * between this suite and a python process running {@code src/test/python/labeling_scipy.py} on the
	 * same masks (written to a temporary file), the order flipping every round; one warm-up round is
	 * discarded. Prints, per volume and connectivity, the median times and the median of the per-round
	 * ratios (scipy ÷ suite) of wall time and of process CPU time (the latter less disturbed by other
	 * processes on a shared machine), with the implied range against cc3d, for labeling
	 * ({@code ndimage.label} vs {@code LesionLabeling.label}) and for the full pipeline
	 * ({@code label + bincount} vs {@code WeightMaps.fromMaskWithLabels}, label image + voxel counts + W1
	 * weight map), the previous two-step way ({@code labelWithCounts} then {@code WeightMaps.compute}) and
	 * scipy with the weights gathered too, the load average, and whether the labels equal scipy's (count
	 * and checksum). The fused call is also compared with scipy's labeling
	 * alone, a lower bound of scipy's pipeline that does not depend on how long {@code bincount} takes to
	 * allocate its 64-bit copy of the labels on a busy machine. Pin both sides to one core:
	 * {@code taskset -c 1 mvn -B -o -Pbench test -Dtest=LabelingBenchmark#versusScipy}. Properties:
	 * {@code bench.rounds} (default 7), {@code bench.python} (default {@code python3}, needs numpy and scipy),
	 * {@code bench.steps} (default {@code label,fused,twostep}; leave out {@code fused} to time a build
	 * without it). Skipped when python, numpy or scipy is missing.
	 */
	@Test
	void versusScipy() throws IOException {
		final Process py;
		try {
			py = new ProcessBuilder(System.getProperty("bench.python", "python3"), "src/test/python/labeling_scipy.py")
					.redirectError(ProcessBuilder.Redirect.INHERIT).start();
		}
		catch (final IOException e) {
			Assumptions.abort("python not available: " + e.getMessage());
			return;
		}
		try (Scipy scipy = new Scipy(py)) {
			if (!scipy.ready())
				Assumptions
						.abort("numpy or scipy missing for " + System.getProperty("bench.python", "python3") + ": python3 -m pip install --user numpy scipy");
			versusScipy(scipy);
		}
	}

	/** The python process of {@code labeling_scipy.py}: one command per line, one answer per line. */
	private static final class Scipy implements AutoCloseable {

		private final Process process;

		private final Writer in;

		private final BufferedReader out;

		Scipy(final Process process) {
			this.process = process;
			in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
			out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		}

		/** Whether the script started, i.e. numpy and scipy imported. */
		boolean ready() {
			try {
				return ask("ping")[0].equals("ok");
			}
			catch (final IOException e) {
				return false;
			}
		}

		String[] ask(final String command) throws IOException {
			in.write(command + "\n");
			in.flush();
			final String line = out.readLine();
			if (line == null || line.startsWith("error"))
				throw new IOException("labeling_scipy.py: " + command + " -> " + line + " (is scipy installed? python3 -m pip install --user numpy scipy)");
			return line.trim().split(" ");
		}

		@Override
		public void close() throws IOException {
			try {
				in.write("quit\n");
				in.close();
				process.waitFor();
			}
			catch (final InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			finally {
				process.destroy();
			}
		}
	}

	private static void versusScipy(final Scipy scipy) throws IOException {
		final int rounds = Integer.getInteger("bench.rounds", 7);
		final String steps = System.getProperty("bench.steps", "label,fused,twostep");
		System.out.printf(Locale.ROOT, "labeling vs scipy, one thread each, %d rounds + 1 warm-up, medians; load average at start: %s%n", rounds,
				loadAverage());
		final Phantom p = LesionPhantom.generate(new PhantomSpec().size(512, 512, 256).numLesions(200).minRadius(1).maxRadius(30).seed(1));
		final Img< UnsignedByteType > random = ArrayImgs.unsignedBytes(256, 256, 256);
		final SplittableRandom r = new SplittableRandom(7);
		for (final UnsignedByteType t : random)
			t.set(r.nextDouble() < 0.3 ? 1 : 0);
		// cc3d measured 1.5-2.4x scipy on the random mask, 3.2-4.1x on the lesion volume (issue #16)
		versusScipy(scipy, "random 256^3 p=0.3", random, 1.5, 2.4, rounds, steps);
		versusScipy(scipy, "lesion phantom 512x512x256", p.mask(), 3.2, 4.1, rounds, steps);
		System.out.printf(Locale.ROOT, "load average at end: %s%n", loadAverage());
	}

	private static void versusScipy(final Scipy scipy, final String name, final Img< UnsignedByteType > mask, final double cc3dLo, final double cc3dHi,
			final int rounds, final String steps) throws IOException {
		final long[] d = mask.dimensionsAsLongArray();
		final long n = mask.size();
		final Path file = Files.createTempFile("labeling-bench", ".raw");
		try {
			final byte[] raw = new byte[(int) n];
			int i = 0;
			for (final UnsignedByteType t : mask)
				raw[i++] = (byte) t.get();
			Files.write(file, raw);
			scipy.ask("load " + file + " " + d[0] + " " + d[1] + " " + d[2]);
		}
		finally {
			Files.deleteIfExists(file);
		}
		final Img< IntType > labels = ArrayImgs.ints(d);
		final Img< FloatType > weights = ArrayImgs.floats(d);
		for (final Connectivity c : new Connectivity[] { Connectivity.SIX, Connectivity.TWENTY_SIX }) {
			final int k = LesionLabeling.label(mask, labels, c);
			final String[] check = scipy.ask("check " + c.key());
			final boolean same = Integer.parseInt(check[0]) == k && Long.parseLong(check[1]) == checksum(labels);
			// per round, wall then CPU seconds: suite label, fused, two-step; scipy label, label+bincount,
			// label+bincount+weights
			final double[][] wall = new double[6][rounds], cpu = new double[6][rounds];
			for (int round = -1; round < rounds; round++) {
				final double[] suite = new double[6];
				final String[] py;
				if ((round & 1) == 0) {
					py = scipy.ask("time " + c.key());
					timeSuite(mask, labels, weights, c, steps, suite);
				}
				else {
					timeSuite(mask, labels, weights, c, steps, suite);
					py = scipy.ask("time " + c.key());
				}
				if (round < 0) continue;
				for (int j = 0; j < 3; j++) {
					wall[j][round] = suite[j];
					cpu[j][round] = suite[3 + j];
					wall[3 + j][round] = Double.parseDouble(py[j]);
					cpu[3 + j][round] = Double.parseDouble(py[3 + j]);
				}
			}
			System.out.printf(Locale.ROOT, "%s, %s-connectivity: K = %d, labels identical to scipy's: %s; load average %s%n", name, c.key(), k,
					same ? "yes" : "NO", loadAverage());
			System.out.printf(Locale.ROOT, "  labeling: suite %.3f s (%.0f Mvox/s), scipy label %.3f s: ratio %.2f (CPU time %.2f), cc3d %.2f-%.2f%n",
					median(wall[0]), n / median(wall[0]) * 1e-6, median(wall[3]), medianRatio(wall[3], wall[0]), medianRatio(cpu[3], cpu[0]),
					medianRatio(wall[3], wall[0]) / cc3dHi, medianRatio(wall[3], wall[0]) / cc3dLo);
			System.out.printf(Locale.ROOT,
					"  label image + weights, fused: suite %.3f s (%.0f Mvox/s), scipy label + bincount %.3f s: ratio %.2f (CPU time %.2f), cc3d full %.2f-%.2f; against scipy label alone %.2f (CPU time %.2f)%n",
					median(wall[1]), n / median(wall[1]) * 1e-6, median(wall[4]), medianRatio(wall[4], wall[1]), medianRatio(cpu[4], cpu[1]),
					medianRatio(wall[4], wall[1]) / cc3dHi, medianRatio(wall[4], wall[1]) / cc3dLo, medianRatio(wall[3], wall[1]), medianRatio(cpu[3], cpu[1]));
			System.out.printf(Locale.ROOT,
					"  label image + weights, two steps (labelWithCounts, WeightMaps.compute): suite %.3f s (%.0f Mvox/s): ratio %.2f (CPU time %.2f) | scipy label + bincount + weights %.3f s%n",
					median(wall[2]), n / median(wall[2]) * 1e-6, medianRatio(wall[4], wall[2]), medianRatio(cpu[4], cpu[2]), median(wall[5]));
		}
	}

	/**
	 * Times label, fused label + weights, and the two-step way, single-threaded: wall seconds into
	 * {@code out[0..2]}, process CPU seconds into {@code out[3..5]}; NaN for a step not in {@code steps}.
	 */
	private static void timeSuite(final Img< UnsignedByteType > mask, final Img< IntType > labels, final Img< FloatType > weights, final Connectivity c,
			final String steps, final double[] out) {
		time(steps.contains("label"), () -> LesionLabeling.label(mask, labels, c), out, 0);
		time(steps.contains("fused"), () -> WeightMaps.fromMaskWithLabels(mask, labels, weights, WeightScheme.INVERSE_VOLUME, c, WeightMaps.W_MIN_DEFAULT,
				WeightMaps.W_MAX_DEFAULT).length, out, 1);
		time(steps.contains("twostep"), () -> {
			LesionLabeling.labelWithCounts(mask, labels, c);
			WeightMaps.compute(labels, weights, WeightScheme.INVERSE_VOLUME, WeightMaps.W_MIN_DEFAULT, WeightMaps.W_MAX_DEFAULT);
			return 0;
		}, out, 2);
	}

	private static void time(final boolean run, final LongSupplier work, final double[] out, final int i) {
		if (!run) {
			out[i] = out[i + 3] = Double.NaN;
			return;
		}
		final long c = cpuNanos(), a = System.nanoTime();
		Parallelization.runSingleThreaded(work::getAsLong);
		out[i] = (System.nanoTime() - a) * 1e-9;
		out[i + 3] = (cpuNanos() - c) * 1e-9;
	}

	/** Sum over voxels i in raster order of label[i]·(i mod 65521 + 1), wrapping like labeling_scipy.py. */
	private static long checksum(final Img< IntType > labels) {
		long s = 0, i = 0;
		for (final IntType t : Views.flatIterable(labels))
			s += t.get() * (i++ % 65521 + 1);
		return s;
	}

	private static double median(final double[] v) {
		final double[] s = v.clone();
		Arrays.sort(s);
		return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
	}

	/** The median over rounds of a[i] / b[i]. */
	private static double medianRatio(final double[] a, final double[] b) {
		final double[] q = new double[a.length];
		for (int i = 0; i < a.length; i++)
			q[i] = a[i] / b[i];
		return median(q);
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (final IOException e) {
			return "n/a";
		}
	}

	public static void main(final String... args) throws IOException {
		if (args.length > 0 && args[0].equals("scipy")) new LabelingBenchmark().versusScipy();
		else if (args.length > 0 && args[0].equals("big")) big();
		else if (args.length > 0 && args[0].equals("bigrandom")) bigRandom();
		else
			run();
	}

	static void run() {
		if (CASES.contains("a")) {
			final long t0 = System.nanoTime();
			final Phantom p = LesionPhantom.generate(new PhantomSpec().size(512, 512, 256).numLesions(200).minRadius(1).maxRadius(30).seed(1));
			System.out.printf(Locale.ROOT, "phantom 512x512x256, 200 lesions drawn, %d components (26-conn), generated in %.2f s%n", p.numLesions(),
					(System.nanoTime() - t0) * 1e-9);
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
					Parallelization.runWithNumThreads(threads,
							() -> WeightMaps.compute(labels, weights, WeightScheme.INVERSE_VOLUME, WeightMaps.W_MIN_DEFAULT, WeightMaps.W_MAX_DEFAULT));
					final long e = System.nanoTime();
					final long c1 = cpuNanos();
					Parallelization.runWithNumThreads(threads,
							() -> WeightMaps.fromMask(mask, weights, WeightScheme.INVERSE_VOLUME, c, WeightMaps.W_MIN_DEFAULT, WeightMaps.W_MAX_DEFAULT));
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
				System.out.printf(Locale.ROOT,
						"%s conn=%s threads=%d K=%d | label %.0f Mvox/s | counts %.0f | weights %.0f | label+counts+weights %.0f Mvox/s wall (%.3f s), %.0f Mvox/s per CPU-s/thread | labelWithCounts+weights %.0f per CPU-s/thread | fromMask %.0f Mvox/s wall, %.0f per CPU-s/thread | peak heap %d MB%n",
						name, c.key(), threads, k, n / best[0] * 1e-6, n / best[1] * 1e-6, n / best[2] * 1e-6, n / best[3] * 1e-6, best[3], n / best[5] * 1e-6,
						n / best[7] * 1e-6, n / best[4] * 1e-6, n / best[6] * 1e-6, peakHeapMb());
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
		System.out.printf(Locale.ROOT, "phantom 512^3 generated in %.2f s, %d components; peak heap %d MB%n", (System.nanoTime() - t0) * 1e-9, p.numLesions(),
				peakHeapMb());
		final Img< IntType > labels = p.labels();
		for (int rep = 0; rep < 3; rep++) {
			final long a = System.nanoTime();
			final int k = Parallelization.runWithNumThreads(2, () -> LesionLabeling.label(mask, labels, Connectivity.TWENTY_SIX));
			final long b = System.nanoTime();
			System.out.printf(Locale.ROOT, "512^3 label (26, 2 threads): K=%d, %.0f Mvox/s, max heap %d MB, peak heap %d MB%n", k,
					mask.size() / ((b - a) * 1e-9) * 1e-6, Runtime.getRuntime().maxMemory() >> 20, peakHeapMb());
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
		System.out.printf(Locale.ROOT, "512^3 random p=0.3 label (26, 2 threads): K=%d, %.0f Mvox/s, max heap %d MB, peak heap %d MB%n", k,
				mask.size() / ((e - a) * 1e-9) * 1e-6, Runtime.getRuntime().maxMemory() >> 20, peakHeapMb());
	}

	static long peakHeapMb() {
		long s = 0;
		for (final MemoryPoolMXBean m : ManagementFactory.getMemoryPoolMXBeans())
			if (m.getType() == MemoryType.HEAP) s += m.getPeakUsage().getUsed();
		return s >> 20;
	}
}
