package org.lesionweighting.tf.infer;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import org.lesionweighting.util.Keyed;

/**
 * The maps {@link TiledPredictor} can produce; ask for any subset.
 */
public enum InferenceOutput implements Keyed {

	/** Averaged per-window sigmoid probabilities, float in [0, 1] (doc/method.md §3.5, first pass). */
	PROBABILITIES("probabilities"),
	/** Averaged raw logits (doc/method.md §3.5, second pass; used by the evaluation's operating points, §5.1). */
	LOGITS("logits"),
	/** Averaged probability {@code > 0.5}, 0/1 unsigned bytes. */
	MASK("mask"),
	/** 26-connected components of the mask, 32-bit labels numbered in raster order. */
	LABELS("labels");

	private final String key;

	InferenceOutput(final String key) {
		this.key = key;
	}

	@Override
	public String key() {
		return key;
	}

	/**
	 * Parses one key (case-insensitive).
	 *
	 * @throws IllegalArgumentException naming the accepted values
	 */
	public static InferenceOutput fromString(final String s) {
		return Keyed.parse(InferenceOutput.class, "output", s);
	}

	/** Parses a comma- or space-separated list of keys, e.g. {@code "probabilities,mask"}; empty gives an empty set. */
	public static Set< InferenceOutput > parseSet(final String s) {
		final Set< InferenceOutput > set = EnumSet.noneOf(InferenceOutput.class);
		if (s != null) Arrays.stream(s.split("[,\\s]+")).filter(part -> !part.isEmpty()).map(InferenceOutput::fromString).forEach(set::add);
		return set;
	}
}
