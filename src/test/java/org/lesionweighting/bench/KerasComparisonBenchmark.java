package org.lesionweighting.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesionweighting.tf.graph.UNet3D;
import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.tf.model.Devices;
import org.lesionweighting.tf.train.TrainingConfig;
import org.lesionweighting.tf.train.TrainingGraph;
import org.lesionweighting.util.Json;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * The suite against TensorFlow for Python on the same work, side by side in one run (issue #16): a training step
 * (Dice with weights, SGD Nesterov) and a forward pass of the U-Net, rebuilt layer for layer in Keras from this
 * suite's {@link UNetConfig} by {@code src/test/python/keras_benchmark.py} (the parameter counts must agree), and a
 * single Conv3D forward, input backprop or filter backprop on the same shapes, which separates the native runtime
 * (TensorFlow Java's TensorFlow against the Python package's) from the graph. The Python process stays alive and
 * answers one timed round per request, so the rounds interleave (suite, Keras, Keras, suite, ...) and drift of the
 * shared machine hits both; it prints the median seconds of each, the median of the per-round ratios suite ÷ Keras,
 * and the load average before and after. Asserts nothing about time.
 * <p>
 * Run: {@code mvn -B -o -Pbench test -Dtest=KerasComparisonBenchmark} with Python 3, numpy and tensorflow-cpu
 * ({@code python3 -m pip install --user numpy tensorflow-cpu}); never part of {@code mvn verify}. Options:
 * {@code -Dbench.cases=train:small:2:64,forward:paper:1:160,conv-filter:16:2:64} (task:preset:batch:size for
 * {@code train}/{@code forward}, task:channels:batch:size for {@code conv-forward}/{@code conv-input}/
 * {@code conv-filter}; default: the table of doc/performance.md), {@code -Dbench.rounds=5},
 * {@code -Dbench.python=python3}, {@code -Dbench.threads=N} (intra- and inter-op threads of both sides; default:
 * TensorFlow's, all cores), {@code -Dbench.rewrites=off} (the suite's session without the grappler remapper and
 * layout optimizer), {@code -Dbench.profile=true} (after each forward case, the suite's kernel time per op type from
 * one traced call). oneDNN is switched by the environment for both sides: {@code TF_ENABLE_ONEDNN_OPTS=0}.
 */
@Tag("bench")
class KerasComparisonBenchmark {

	private static final String CASES_DEFAULT = "conv-forward:8:1:96,conv-forward:16:1:96,conv-input:16:2:64,conv-filter:16:2:64,"
			+ "train:small:2:64,train:paper:2:64,forward:small:1:96,forward:small:1:160,forward:paper:1:96,forward:paper:1:160";

	private static final String SCRIPT = "src/test/python/keras_benchmark.py";

	/** One side of a case: times one call. */
	private interface Side extends AutoCloseable {

		/** Trainable parameters of the network (0 for a single op). */
		long params();

		/** Runs one call and returns its wall-clock seconds. */
		double round() throws IOException;

		/** One traced call summarised per op type (kernel time, share), or {@code null} where not supported. */
		default String profile() {
			return null;
		}

		@Override
		void close() throws IOException;
	}

	@Test
	void sideBySide() throws Exception {
		// skipped, not failed, in a run of all benchmarks on a machine without TensorFlow for Python
		final Process check = new ProcessBuilder(python(), "-c", "import numpy, tensorflow, keras").redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
		Assumptions.assumeTrue(check.waitFor() == 0, "KerasComparisonBenchmark: " + python() + " cannot import numpy, tensorflow and keras; install them with: "
				+ python() + " -m pip install --user numpy tensorflow-cpu");
		final int rounds = Integer.getInteger("bench.rounds", 5);
		final String[] cases = System.getProperty("bench.cases", CASES_DEFAULT).split(",");
		System.out.println("case | suite s | Keras s | suite/Keras (median of rounds) | min-max ratio | load before/after");
		for (final String c : cases) {
			final String[] f = c.trim().split(":");
			if (f.length != 4)
				throw new IllegalArgumentException("KerasComparisonBenchmark: bench.cases entry '" + c
						+ "' must be task:preset-or-channels:batch:size, e.g. train:small:2:64 or conv-forward:8:1:96.");
			final String load0 = load();
			try (Side suite = suite(f); Side keras = python(f)) {
				if (suite.params() != keras.params())
					throw new IllegalStateException("KerasComparisonBenchmark: the Keras network has " + keras.params()
							+ " trainable parameters but the suite's has " + suite.params() + " for " + c + ".");
				suite.round(); // warm-up (Python warmed up before 'ready')
				final double[] s = new double[rounds], k = new double[rounds], ratio = new double[rounds];
				for (int r = 0; r < rounds; r++) {
					if (r % 2 == 0) {
						s[r] = suite.round();
						k[r] = keras.round();
					}
					else {
						k[r] = keras.round();
						s[r] = suite.round();
					}
					ratio[r] = s[r] / k[r];
				}
				final double[] sorted = ratio.clone();
				Arrays.sort(sorted);
				System.out.printf(Locale.ROOT, "%s | %.3f | %.3f | %.2f | %.2f-%.2f | %s / %s%n", c.trim(), median(s), median(k), median(ratio), sorted[0],
						sorted[rounds - 1], load0, load());
				final String profile = Boolean.getBoolean("bench.profile") ? suite.profile() : null;
				if (profile != null) System.out.println(profile);
			}
		}
	}

	private static double median(final double[] values) {
		final double[] v = values.clone();
		Arrays.sort(v);
		return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
	}

	/** The 1-minute load average, as {@code uptime} shows it. */
	private static String load() throws IOException {
		return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
	}

	private static ConfigProto sessionConfig() {
		final ConfigProto.Builder b = Devices.config(Device.CPU).toBuilder();
		final Integer threads = Integer.getInteger("bench.threads");
		if (threads != null) b.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
		if ("off".equals(System.getProperty("bench.rewrites"))) {
			b.setGraphOptions(GraphOptions.newBuilder()
					.setRewriteOptions(RewriterConfig.newBuilder().setRemapping(RewriterConfig.Toggle.OFF).setLayoutOptimizer(RewriterConfig.Toggle.OFF)));
		}
		return b.build();
	}

	/** A tensor of values drawn by {@code value} from {@code new SplittableRandom(seed)}. */
	private static TFloat32 random(final long seed, final ToDoubleFunction< SplittableRandom > value, final long... shape) {
		final float[] a = new float[(int) Shape.of(shape).size()];
		final SplittableRandom r = new SplittableRandom(seed);
		for (int i = 0; i < a.length; i++)
			a[i] = (float) value.applyAsDouble(r);
		return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(a, true, false));
	}

	private static Side suite(final String[] f) {
		final int batch = Integer.parseInt(f[2]);
		final int size = Integer.parseInt(f[3]);
		if (f[0].startsWith("conv-")) return conv(f[0], Integer.parseInt(f[1]), batch, size);
		final UNetConfig net = UNetConfig.fromString(f[1]);
		final TFloat32 x = random(1, SplittableRandom::nextGaussian, batch, size, size, size, 1);
		if (f[0].equals("train")) {
			final TFloat32 y = random(2, r -> r.nextDouble() < 0.05 ? 1 : 0, batch, size, size, size, 1);
			final TFloat32 w = random(3, r -> 0.5 + r.nextDouble(), batch, size, size, size, 1);
			final TrainingGraph g = new TrainingGraph(new TrainingConfig().network(net), net, 1, sessionConfig());
			g.initialize();
			return side(g.network().parameterCount(), () -> g.step(x, y, w, 1e-2), null, () -> {
				g.close();
				x.close();
				y.close();
				w.close();
			});
		}
		final Graph g = new Graph();
		final Ops tf = Ops.create(g);
		final Placeholder< TFloat32 > image = UNet3D.imagePlaceholder(tf, 1);
		final UNet3D.Network network = UNet3D.build(tf, net, image);
		final Session s = new Session(g, sessionConfig());
		s.initialize();
		return side(network.parameterCount(), () -> fetch(s.runner().feed(image, x), network.logits()),
				() -> opTypeProfile(s.runner().feed(image, x).fetch(network.logits())), () -> {
					s.close();
					g.close();
					x.close();
				});
	}

	/**
	 * Runs {@code r} once with a full trace and sums the kernel time (op start to op end) of each op type, largest
	 * first, with its share of the total.
	 */
	private static String opTypeProfile(final Session.Runner r) {
		final Map< String, Long > micros = new HashMap<>();
		long total = 0;
		r.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
		try (Result res = r.runAndFetchMetadata()) {
			for (final DeviceStepStats d : res.getMetadata().orElseThrow().getStepStats().getDevStatsList()) {
				for (final NodeExecStats n : d.getNodeStatsList()) {
					// the label reads "name = Type(inputs)"
					final String label = n.getTimelineLabel();
					final int eq = label.indexOf(" = "), paren = label.indexOf('(', Math.max(eq, 0));
					final String type = eq < 0 || paren < 0 ? n.getNodeName() : label.substring(eq + 3, paren);
					final long us = n.getOpEndRelMicros() - n.getOpStartRelMicros();
					micros.merge(type, us, Long::sum);
					total += us;
				}
			}
		}
		final StringBuilder b = new StringBuilder("  suite kernel time by op type (one traced call, " + total / 1000 + " ms summed over threads):");
		final long sum = Math.max(1, total);
		micros.entrySet().stream().sorted(Map.Entry.< String, Long >comparingByValue().reversed()).limit(10)
				.forEach(e -> b.append(String.format(Locale.ROOT, " %s %.0f ms (%.0f%%);", e.getKey(), e.getValue() / 1000.0, 100.0 * e.getValue() / sum)));
		return b.toString();
	}

	/** A single 3³ Conv3D ("SAME", NDHWC, channels → channels) or one of its backprops, reduced to a scalar. */
	private static Side conv(final String task, final int channels, final int batch, final int size) {
		final Graph g = new Graph();
		final Ops tf = Ops.create(g);
		final long[] shape = { batch, size, size, size, channels };
		final TFloat32 xt = random(1, SplittableRandom::nextGaussian, shape), dyt = random(2, SplittableRandom::nextGaussian, shape),
				kt = random(3, r -> 0.1 * r.nextGaussian(), 3, 3, 3, channels, channels);
		// placeholders, not constants, which grappler would fold before the timed run
		final Placeholder< TFloat32 > x = tf.placeholder(TFloat32.class), dy = tf.placeholder(TFloat32.class), k = tf.placeholder(TFloat32.class);
		final List< Long > strides = List.of(1L, 1L, 1L, 1L, 1L);
		final Operand< TFloat32 > out = switch (task) {
			case "conv-forward" -> tf.nn.conv3d(x, k, strides, "SAME");
			case "conv-input" -> tf.nn.conv3dBackpropInput(tf.constant(toInts(shape)), k, dy, strides, "SAME");
			case "conv-filter" -> tf.nn.conv3dBackpropFilter(x, tf.constant(new int[] { 3, 3, 3, channels, channels }), dy, strides, "SAME");
			default -> throw new IllegalArgumentException(
					"KerasComparisonBenchmark: unknown task '" + task + "'; use train, forward, conv-forward, conv-input or conv-filter.");
		};
		final Operand< TFloat32 > sum = tf.reduceSum(out, tf.constant(new int[] { 0, 1, 2, 3, 4 }));
		final Session s = new Session(g, sessionConfig());
		return side(0, () -> fetch(s.runner().feed(x, xt).feed(dy, dyt).feed(k, kt), sum), null, () -> {
			s.close();
			g.close();
			xt.close();
			dyt.close();
			kt.close();
		});
	}

	private static int[] toInts(final long[] a) {
		return Arrays.stream(a).mapToInt(Math::toIntExact).toArray();
	}

	private static void fetch(final Session.Runner r, final Operand< ? > out) {
		try (Result res = r.fetch(out).run()) {
			res.get(0);
		}
	}

	/** A suite side; {@code profile} may be {@code null}. */
	private static Side side(final long params, final Runnable call, final Supplier< String > profile, final Runnable close) {
		return new Side() {

			@Override
			public long params() {
				return params;
			}

			@Override
			public double round() {
				final long t0 = System.nanoTime();
				call.run();
				return (System.nanoTime() - t0) / 1e9;
			}

			@Override
			public String profile() {
				return profile == null ? null : profile.get();
			}

			@Override
			public void close() {
				close.run();
			}
		};
	}

	private static String python() {
		return System.getProperty("bench.python", "python3");
	}

	/** The Python partner process: built and warmed up when this returns. */
	private static Side python(final String[] f) throws IOException {
		final List< String > cmd = new ArrayList<>(List.of(python(), SCRIPT, "--task", f[0], "--batch", f[2], "--size", f[3]));
		if (f[0].startsWith("conv-")) cmd.addAll(List.of("--channels", f[1]));
		else
			cmd.addAll(List.of("--config", Json.write(UNetConfig.fromString(f[1]).toMap())));
		final Integer threads = Integer.getInteger("bench.threads");
		if (threads != null) cmd.addAll(List.of("--threads", threads.toString()));
		final Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		final BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
		final Writer out = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
		final long params = Long.parseLong(expect(in, "params", p));
		expect(in, "ready", p);
		return new Side() {

			@Override
			public long params() {
				return params;
			}

			@Override
			public double round() throws IOException {
				out.write("round\n");
				out.flush();
				return Double.parseDouble(expect(in, "seconds", p));
			}

			@Override
			public void close() throws IOException {
				try {
					out.write("quit\n");
					out.close();
					p.waitFor();
				}
				catch (final InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				finally {
					p.destroy();
				}
			}
		};
	}

	/** Reads the next line, which must start with {@code key}, and returns the rest. */
	private static String expect(final BufferedReader in, final String key, final Process p) throws IOException {
		final String line = in.readLine();
		if (line == null || !line.startsWith(key)) {
			p.destroy();
			throw new IOException("KerasComparisonBenchmark: " + SCRIPT + " answered '" + line + "' instead of '" + key + " ...' (its error output is above).");
		}
		return line.substring(key.length()).trim();
	}
}
