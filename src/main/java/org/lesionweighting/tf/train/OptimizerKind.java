package org.lesionweighting.tf.train;

import java.util.List;
import java.util.Locale;

import org.lesionweighting.util.Keyed;

/** The optimizer of a training run. */
public enum OptimizerKind implements Keyed {

	/** SGD with Nesterov momentum (the paper: momentum 0.9, doc/method.md §3.2). */
	SGD,
	/** Adam (β1 0.9, β2 0.999, ε 1e-8; torch's defaults). */
	ADAM;

	/** The lowercase key used on the command line and in metadata. */
	@Override
	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** SGD is also accepted as {@code nesterov} or {@code momentum}. */
	@Override
	public List< String > aliases() {
		return this == SGD ? List.of("nesterov", "momentum") : List.of();
	}

	/**
	 * Parses a key ({@code sgd}, {@code adam}; also {@code nesterov}, {@code momentum}), case-insensitive.
	 *
	 * @throws IllegalArgumentException naming the value and the accepted keys
	 */
	public static OptimizerKind fromString(final String value) {
		return Keyed.parse(OptimizerKind.class, "optimizer", value);
	}
}
