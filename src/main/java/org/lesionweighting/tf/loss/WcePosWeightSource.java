package org.lesionweighting.tf.loss;

import org.lesionweighting.util.Keyed;

/** Where the adaptive positive-class weight of {@link LossKind#WCE} comes from (doc/method.md §2.5, appendix B.9). */
public enum WcePosWeightSource implements Keyed {

	/**
	 * As the authors implemented it: pos_weight = α·(M − Σσ(x)) / Σσ(x) over the predicted probabilities of the
	 * whole batch (M = number of elements), with the gradient flowing through it. The default.
	 */
	PREDICTIONS("predictions"),
	/** The common variant: pos_weight = α·(M − Σt) / Σt from the targets of the whole batch (a constant). */
	TARGETS("targets");

	private final String key;

	WcePosWeightSource(final String key) {
		this.key = key;
	}

	@Override
	public String key() {
		return key;
	}

	/**
	 * Parses a key or an enum name, ignoring case.
	 *
	 * @throws IllegalArgumentException naming the value received and the accepted ones
	 */
	public static WcePosWeightSource fromString(final String value) {
		return Keyed.parse(WcePosWeightSource.class, "wce pos_weight source", value);
	}
}
