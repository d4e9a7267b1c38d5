package org.lesionweighting.tf.model;

import java.util.Arrays;

/**
 * Where TensorFlow runs: {@code auto} (a GPU when the GPU native library and a CUDA device are usable, otherwise
 * the CPU), {@code cpu} or {@code gpu} (fails with a clear message when no GPU is usable). See {@link Devices}.
 */
public enum Device {

	/** A GPU when usable, otherwise the CPU. */
	AUTO("auto"),
	/** The CPU only (GPUs hidden from TensorFlow). */
	CPU("cpu"),
	/** A CUDA GPU; fails when none is usable. */
	GPU("gpu");

	public static final Device DEVICE_DEFAULT = AUTO;

	private final String key;

	Device(final String key) {
		this.key = key;
	}

	/** The lowercase key used on the command line, in macros and in model metadata. */
	public String key() {
		return key;
	}

	/** The keys of all values, in order: {@code auto, cpu, gpu}. */
	public static String[] keys() {
		return Arrays.stream(values()).map(Device::key).toArray(String[]::new);
	}

	/**
	 * Parses a key or enum name, ignoring case and surrounding blanks.
	 *
	 * @throws IllegalArgumentException naming the value received and the accepted ones
	 */
	public static Device fromString(final String value) {
		if (value != null) {
			final String v = value.trim();
			for (final Device d : values()) {
				if (d.key.equalsIgnoreCase(v) || d.name().equalsIgnoreCase(v)) return d;
			}
		}
		throw new IllegalArgumentException("device: unknown value '" + value + "'; use one of " + String.join(", ", keys()) + ".");
	}
}
