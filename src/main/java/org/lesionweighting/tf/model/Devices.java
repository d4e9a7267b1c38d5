package org.lesionweighting.tf.model;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListMemoryBytes;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListName;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetConfig;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * Session configuration per {@link Device} and the device actually used.
 * <p>
 * Every configuration allows soft placement (an op without a GPU kernel falls back to the CPU) and lets GPU memory
 * grow on demand ({@code gpu_options.allow_growth}). {@link Device#CPU} hides all GPUs. {@link #select(Device)}
 * opens a throw-away session with the configuration and lists the devices TensorFlow sees (C API
 * {@code TF_SessionListDevices}); the first GPU in that list is the one TensorFlow places ops on. A GPU request
 * without a usable GPU fails with a message that names what is missing.
 * <p>
 * Thread-safe (no shared state).
 */
public final class Devices {

	private Devices() {}

	/** One device visible to a TensorFlow session. */
	public record DeviceInfo(String name, String type, long memoryBytes) {}

	/**
	 * The outcome of {@link #select(Device)}.
	 *
	 * @param requested the device asked for
	 * @param used a human-readable description of the device used, e.g. {@code "CPU (/job:localhost/replica:0/task:0/device:CPU:0)"}
	 *        or {@code "GPU (/job:localhost/replica:0/task:0/device:GPU:0, 11.2 GB)"}
	 * @param gpu whether a GPU is used
	 * @param devices all devices the session sees
	 * @param config the session configuration to use
	 */
	public record Selection(Device requested, String used, boolean gpu, List< DeviceInfo > devices, ConfigProto config) {}

	/** The session configuration for {@code device}: soft placement, GPU memory growth, and no GPU for {@link Device#CPU}. */
	public static ConfigProto config(final Device device) {
		final ConfigProto.Builder b = ConfigProto.newBuilder().setAllowSoftPlacement(true).setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
		if (device == Device.CPU) b.putDeviceCount("GPU", 0);
		return b.build();
	}

	/**
	 * Lists the devices a session with {@code config} sees, in TensorFlow's order (CPU first).
	 *
	 * @throws IllegalStateException if TensorFlow cannot create the session (message from TensorFlow)
	 */
	public static List< DeviceInfo > list(final ConfigProto config) {
		TensorFlow.version(); // loads the native library
		final TF_Status status = TF_NewStatus();
		final TF_Graph graph = TF_NewGraph();
		final TF_SessionOptions options = TF_NewSessionOptions();
		TF_Session session = null;
		try {
			final byte[] bytes = config.toByteArray();
			try (BytePointer p = new BytePointer(bytes)) {
				TF_SetConfig(options, p, bytes.length, status);
			}
			check(status, "setting the session configuration");
			session = TF_NewSession(graph, options, status);
			check(status, "creating a session");
			final TF_DeviceList list = TF_SessionListDevices(session, status);
			check(status, "listing devices");
			try {
				final List< DeviceInfo > out = new ArrayList<>();
				final int n = TF_DeviceListCount(list);
				for (int i = 0; i < n; i++) {
					final String name = TF_DeviceListName(list, i, status).getString();
					final String type = TF_DeviceListType(list, i, status).getString();
					final long memory = TF_DeviceListMemoryBytes(list, i, status);
					check(status, "reading the device list");
					out.add(new DeviceInfo(name, type, memory));
				}
				return Collections.unmodifiableList(out);
			}
			finally {
				TF_DeleteDeviceList(list);
			}
		}
		finally {
			if (session != null) {
				TF_CloseSession(session, status);
				TF_DeleteSession(session, status);
			}
			TF_DeleteSessionOptions(options);
			TF_DeleteGraph(graph);
			TF_DeleteStatus(status);
		}
	}

	private static void check(final TF_Status status, final String what) {
		if (TF_GetCode(status) != 0) throw new IllegalStateException("Devices: TensorFlow failed " + what + ": " + TF_Message(status).getString());
	}

	/**
	 * Chooses the session configuration for {@code device} and reports the device used.
	 *
	 * @param device {@link Device#AUTO}, {@link Device#CPU} or {@link Device#GPU}
	 * @return the configuration and a description of the device used (log it at the start of every run)
	 * @throws IllegalStateException for {@link Device#GPU} when TensorFlow sees no GPU; the message names what is
	 *         missing (GPU native library, CUDA 12 / cuDNN 9 libraries, NVIDIA device or driver)
	 */
	public static Selection select(final Device device) {
		final Device d = device == null ? Device.DEVICE_DEFAULT : device;
		final ConfigProto config = config(d);
		return fromDevices(d, list(config), config);
	}

	static Selection fromDevices(final Device d, final List< DeviceInfo > devices, final ConfigProto config) {
		final Optional< DeviceInfo > gpu = devices.stream().filter(i -> "GPU".equalsIgnoreCase(i.type())).findFirst();
		if (d != Device.CPU && gpu.isPresent())
			return new Selection(d, "GPU (" + gpu.get().name() + String.format(", %.1f GB)", gpu.get().memoryBytes() / 1e9), true, devices, config);
		if (d == Device.GPU) throw new IllegalStateException(missingGpuMessage());
		final String cpu = devices.stream().filter(i -> "CPU".equalsIgnoreCase(i.type())).findFirst().map(DeviceInfo::name).orElse("no CPU device listed");
		return new Selection(d, "CPU (" + cpu + ")", false, devices, config);
	}

	/** The message of a GPU request without a usable GPU: what was checked and what is missing. */
	static String missingGpuMessage() {
		final List< String > missing = new ArrayList<>();
		if (!gpuNativeLibraryPresent())
			missing.add(
					"the TensorFlow GPU native library (tensorflow-core-native with classifier "
							+ "linux-x86_64-gpu; build with 'mvn -Pgpu ...' or put that jar in place of the CPU one)");
		final List< Path > dirs = librarySearchPath();
		if (!libraryFound(dirs, "libcudart.so.12"))
			missing.add("the CUDA 12 runtime (libcudart.so.12) in LD_LIBRARY_PATH or the standard library folders");
		if (!libraryFound(dirs, "libcudnn.so.9")) missing.add("cuDNN 9 (libcudnn.so.9) in LD_LIBRARY_PATH or the standard library folders");
		if (!Files.exists(Paths.get("/dev/nvidia0")) && !Files.exists(Paths.get("/proc/driver/nvidia/version")))
			missing.add("an NVIDIA GPU with its driver (no /dev/nvidia0, no /proc/driver/nvidia/version)");
		if (missing.isEmpty())
			missing.add(
					"nothing obvious: the GPU library, CUDA 12, cuDNN 9 and a device look present, but "
							+ "TensorFlow lists no GPU; check the driver version (CUDA 12 needs driver >= 525) and " + "TensorFlow's log on standard error");
		return "Device 'gpu' was requested but TensorFlow sees no usable GPU. Missing: " + String.join("; ", missing)
				+ ". Use device 'cpu' or 'auto' to run on the CPU, or see doc/network.md (GPU set-up).";
	}

	/** Whether the class path holds the GPU variant of the TensorFlow native library. */
	static boolean gpuNativeLibraryPresent() {
		final ClassLoader cl = Devices.class.getClassLoader();
		String platform;
		try {
			platform = org.bytedeco.javacpp.Loader.getPlatform();
		}
		catch (final RuntimeException | LinkageError e) {
			platform = "linux-x86_64";
		}
		return cl.getResource("org/tensorflow/internal/c_api/" + platform + "-gpu/") != null
				|| cl.getResource("org/tensorflow/internal/c_api/" + platform + "-gpu/libjnitensorflow.so") != null;
	}

	/** LD_LIBRARY_PATH's folders, then the usual CUDA and system library folders. */
	private static List< Path > librarySearchPath() {
		final String ld = System.getenv("LD_LIBRARY_PATH");
		return Stream.concat(ld == null ? Stream.empty() : Arrays.stream(ld.split(File.pathSeparator)).filter(s -> !s.isBlank()),
				Stream.of("/usr/local/cuda/lib64", "/usr/local/cuda-12/lib64", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu"))
				.map(Paths::get).distinct().toList();
	}

	private static boolean libraryFound(final List< Path > dirs, final String name) {
		return dirs.stream().anyMatch(d -> Files.exists(d.resolve(name)));
	}
}
