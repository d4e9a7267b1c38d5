package org.lesionweighting.tf.infer;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where TensorFlow runs the network.
 */
public enum Device {
	/** TensorFlow's choice: the first GPU when the GPU native bundle and CUDA are present, else the CPU. */
	AUTO("auto"),
	/** CPU only: GPUs are hidden from the session (uses host memory, usually larger). */
	CPU("cpu"),
	/**
	 * GPU wanted: memory grows on demand; operations without a GPU kernel fall back to the CPU. With the CPU-only
	 * native bundle this runs on the CPU, see {@code doc/inference.md}.
	 */
	GPU("gpu");

	/** The default device. */
	public static final Device DEVICE_DEFAULT = AUTO;

	private final String key;

	Device(final String key) {
		this.key = key;
	}

	/** The lowercase key used on the command line and in macros. */
	public String key() {
		return key;
	}

	/**
	 * Parses a key (case-insensitive).
	 *
	 * @throws IllegalArgumentException naming the accepted values
	 */
	public static Device fromString(final String s) {
		if (s != null) {
			final String k = s.trim().toLowerCase(Locale.ROOT);
			for (final Device d : values())
				if (d.key.equals(k)) return d;
		}
		throw new IllegalArgumentException("device: unknown value '" + s + "'; use one of " + Arrays.stream(values()).map(Device::key).collect(Collectors.joining(", ")) + ".");
	}
}
