package org.lesionweighting.tf.train;

import java.util.Locale;

import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.types.TFloat32;

/**
 * Chooses the device of a training run and builds the session configuration: {@code auto} uses the GPU
 * when the GPU native library and a CUDA device are usable, else the CPU; {@code cpu} hides GPUs;
 * {@code gpu} fails with a message naming what is missing. GPU memory grows on demand
 * ({@code allow_growth}). The device actually used is returned as a description for the log and the
 * model metadata.
 */
public final class TrainingDevice {

	/** The user's device choice. */
	public enum Choice {
		/** GPU if usable, else CPU. */
		AUTO("auto"),
		/** CPU only. */
		CPU("cpu"),
		/** GPU required. */
		GPU("gpu");

		private final String key;

		Choice(final String key) {
			this.key = key;
		}

		/** The lowercase key. */
		public String key() {
			return key;
		}

		/**
		 * Parses {@code auto}, {@code cpu}, {@code gpu} (case-insensitive).
		 *
		 * @throws IllegalArgumentException naming the accepted values
		 */
		public static Choice fromString(final String value) {
			final String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
			for (final Choice c : values())
				if (c.key.equals(v)) return c;
			throw new IllegalArgumentException("device: unknown device '" + value + "'; use auto, cpu or gpu.");
		}
	}

	/**
	 * The resolved device.
	 *
	 * @param choice what was asked
	 * @param used {@code cpu} or {@code gpu}
	 * @param description human-readable, e.g. {@code "CPU (TensorFlow 2.18.0, 2 cores)"}
	 * @param config the session configuration to use
	 */
	public record Resolved(Choice choice, String used, String description, ConfigProto config) {}

	private TrainingDevice() {}

	/**
	 * Resolves a device choice.
	 *
	 * @param choice auto, cpu or gpu
	 * @param intraOpThreads TensorFlow intra-op threads (0 = default)
	 * @param interOpThreads TensorFlow inter-op threads (0 = default)
	 * @throws IllegalStateException for {@code gpu} without a usable GPU, naming what is missing
	 */
	public static Resolved resolve(final Choice choice, final int intraOpThreads, final int interOpThreads) {
		final String tfVersion = TensorFlow.version();
		final ConfigProto.Builder b = ConfigProto.newBuilder().setAllowSoftPlacement(true).setIntraOpParallelismThreads(intraOpThreads).setInterOpParallelismThreads(interOpThreads);
		String gpuProblem = null;
		if (choice != Choice.CPU) gpuProblem = probeGpu();
		if (choice == Choice.GPU && gpuProblem != null) throw new IllegalStateException("device=gpu: no usable GPU: " + gpuProblem + " Build with the gpu profile (mvn -Pgpu package, which bundles the linux-x86_64-gpu TensorFlow native library), install the NVIDIA driver, CUDA 12 and cuDNN 9 libraries (on LD_LIBRARY_PATH), or use device=cpu.");
		if (gpuProblem == null && choice != Choice.CPU) {
			b.setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
			return new Resolved(choice, "gpu", "GPU /device:GPU:0 (TensorFlow " + tfVersion + ", memory grows on demand)", b.build());
		}
		b.putDeviceCount("GPU", 0);
		final String why = choice == Choice.AUTO ? "; GPU not used: " + gpuProblem : "";
		return new Resolved(choice, "cpu", "CPU (TensorFlow " + tfVersion + ", " + Runtime.getRuntime().availableProcessors() + " cores" + (intraOpThreads > 0 ? ", " + intraOpThreads + " intra-op thread(s)" : "") + ")" + why, b.build());
	}

	/** Returns null when a tiny op runs on GPU:0 without soft placement, else what went wrong. */
	private static String probeGpu() {
		try (Graph g = new Graph(); Session s = new Session(g, ConfigProto.newBuilder().setAllowSoftPlacement(false).setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true)).build())) {
			final Ops tf = Ops.create(g).withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build());
			final var x = tf.math.add(tf.constant(1f), tf.constant(1f));
			try (TFloat32 r = (TFloat32) s.runner().fetch(x).run().get(0)) {
				return r.getFloat() == 2f ? null : "the GPU probe computed a wrong result.";
			}
		}
		catch (final RuntimeException | UnsatisfiedLinkError e) {
			final String m = String.valueOf(e.getMessage());
			return "TensorFlow found no GPU device (" + (m.length() > 160 ? m.substring(0, 160) + "…" : m) + ").";
		}
	}
}
