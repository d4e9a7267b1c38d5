package org.lesionweighting.engine;

import java.util.List;
import java.util.Locale;

import org.lesionweighting.util.Keyed;

/**
 * Where the TensorFlow engine of a command runs (parameter {@code engine} of the training, segmentation and
 * device-report commands). See {@link Engines#resolve(Engine)} and {@code doc/distribution.md}.
 */
public enum Engine implements Keyed {

	/** In-process when TensorFlow Java 1.1.0 is loadable here and no foreign TensorFlow is present; else the worker. */
	AUTO,

	/** In this JVM (the TensorFlow Java jars must be on its class path). */
	IN_PROCESS,

	/** In a separate JVM with the TensorFlow Java jars on its own class path. */
	WORKER;

	public static final Engine ENGINE_DEFAULT = AUTO;

	@Override
	public List< String > aliases() {
		return this == IN_PROCESS ? List.of("in-process", "inprocess") : List.of();
	}

	/** The constant's name in lower case: {@code auto}, {@code in_process}, {@code worker}. */
	@Override
	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** All keys, for {@code @Parameter(choices)} and messages. */
	public static String[] keys() {
		return Keyed.keys(Engine.class);
	}

	/**
	 * The engine named by {@code value} (case-insensitive; {@code in-process} and {@code inprocess} also accepted).
	 *
	 * @throws IllegalArgumentException naming the accepted values
	 */
	public static Engine fromString(final String value) {
		if (value == null || value.isBlank()) return ENGINE_DEFAULT;
		return Keyed.parse(Engine.class, "engine", value);
	}
}
