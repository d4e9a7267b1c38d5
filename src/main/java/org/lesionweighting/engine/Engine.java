package org.lesionweighting.engine;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where the TensorFlow engine of a command runs (parameter {@code engine} of the training, segmentation and
 * device-report commands). See {@link Engines#resolve(Engine)} and {@code doc/distribution.md}.
 */
public enum Engine {

	/** In-process when TensorFlow Java 1.1.0 is loadable here and no foreign TensorFlow is present; else the worker. */
	AUTO("auto"),

	/** In this JVM (the TensorFlow Java jars must be on its class path). */
	IN_PROCESS("in_process"),

	/** In a separate JVM with the TensorFlow Java jars on its own class path. */
	WORKER("worker");

	public static final Engine ENGINE_DEFAULT = AUTO;

	private final String key;

	Engine(final String key) {
		this.key = key;
	}

	/** The lower-case key used in macros and on the command line. */
	public String key() {
		return key;
	}

	/** All keys, for {@code @Parameter(choices)} and messages. */
	public static String[] keys() {
		return Arrays.stream(values()).map(Engine::key).toArray(String[]::new);
	}

	/**
	 * The engine named by {@code value} (case-insensitive; {@code in-process} and {@code inprocess} also accepted).
	 *
	 * @throws IllegalArgumentException naming the accepted values
	 */
	public static Engine fromString(final String value) {
		if (value == null || value.isBlank()) return ENGINE_DEFAULT;
		final String v = value.trim().toLowerCase(Locale.ROOT).replace('-', '_');
		for (final Engine e : values())
			if (e.key.equals(v) || e.key.replace("_", "").equals(v)) return e;
		throw new IllegalArgumentException("engine: unknown value '" + value + "'; use one of " + String.join(", ", keys()) + ".");
	}
}
