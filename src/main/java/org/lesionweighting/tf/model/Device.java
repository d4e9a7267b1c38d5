package org.lesionweighting.tf.model;

import org.lesionweighting.util.Keyed;

/**
 * Where TensorFlow runs: {@code auto} (a GPU when the GPU native library and a CUDA device are usable, otherwise
 * the CPU), {@code cpu} or {@code gpu} (fails with a clear message when no GPU is usable). See {@link Devices}.
 */
public enum Device implements Keyed {

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

	@Override
	public String key() {
		return key;
	}

	/** The keys of all values, in order: {@code auto, cpu, gpu}. */
	public static String[] keys() {
		return Keyed.keys(Device.class);
	}

	/**
	 * Parses a key or enum name, ignoring case and surrounding blanks.
	 *
	 * @throws IllegalArgumentException naming the value received and the accepted ones
	 */
	public static Device fromString(final String value) {
		return Keyed.parse(Device.class, "device", value);
	}
}
