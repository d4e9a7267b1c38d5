package org.lesionweighting.tf.train;

import java.util.Locale;

/** The optimizer of a training run. */
public enum OptimizerKind {

	/** SGD with Nesterov momentum (the paper: momentum 0.9, doc/method.md §3.2). */
	SGD("sgd"),
	/** Adam (β1 0.9, β2 0.999, ε 1e-8; torch's defaults). */
	ADAM("adam");

	private final String key;

	OptimizerKind(final String key) {
		this.key = key;
	}

	/** The lowercase key used on the command line and in metadata. */
	public String key() {
		return key;
	}

	/**
	 * Parses a key ({@code sgd}, {@code adam}; also {@code nesterov}, {@code momentum}), case-insensitive.
	 *
	 * @throws IllegalArgumentException naming the value and the accepted keys
	 */
	public static OptimizerKind fromString(final String value) {
		final String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
		return switch (v) {
			case "sgd", "nesterov", "momentum" -> SGD;
			case "adam" -> ADAM;
			default -> throw new IllegalArgumentException("optimizer: unknown optimizer '" + value + "'; use sgd or adam.");
		};
	}
}
