package org.lesionweighting.tf.loss;

import java.util.List;

import org.lesionweighting.util.Keyed;

/**
 * The losses of doc/method.md §2, chosen by a lowercase key on the command line and in macros. Weighting is not
 * part of the kind: every loss accepts an optional inverse-volume weight map at call time, which gives the
 * paper's "iw" variants ({@code iwdl}, {@code iwasl}, {@code iwfl}, {@code iwbce}).
 */
public enum LossKind implements Keyed {

	/** Dice loss, squared denominator, per-sample ratio then batch mean (doc/method.md §2.1; authors' {@code dl}/{@code iwdl}). */
	DICE("dice", "dl"),
	/** Asymmetric similarity loss, β = 1.5 (doc/method.md §2.2; authors' {@code asl}/{@code iwasl}). */
	ASL("asl", "asl"),
	/** Focal loss, γ = 2, α = 0.75, mean over all elements (doc/method.md §2.4; authors' {@code fl}/{@code iwfl}). */
	FOCAL("focal", "fl"),
	/** Binary cross-entropy, mean over all elements (doc/method.md §2.5 with α = 1; authors' {@code bce}/{@code iwbce}). */
	BCE("bce", "bce"),
	/** Adaptive weighted cross-entropy (doc/method.md §2.5, adaptive; authors' {@code wce}, used without a weight map). */
	WCE("wce", "wce"),
	/** Generalized Dice loss over two classes (doc/method.md §2.3; authors' {@code gdl}, used without a weight map). */
	GDL("gdl", "gdl");

	private final String key;

	/** The configuration name the authors use for the unweighted loss, e.g. {@code "dl"}; the weighted one is {@code "iw" + name}. */
	private final String authorsName;

	LossKind(final String key, final String authorsName) {
		this.key = key;
		this.authorsName = authorsName;
	}

	@Override
	public List< String > aliases() {
		return List.of(authorsName);
	}

	@Override
	public String key() {
		return key;
	}

	/** The keys of all values, in order: {@code dice, asl, focal, bce, wce, gdl}. */
	public static String[] keys() {
		return Keyed.keys(LossKind.class);
	}

	/**
	 * Parses a key ({@code "dice"}), an enum name ({@code "DICE"}) or the authors' unweighted configuration
	 * name ({@code "dl"}, {@code "fl"}), ignoring case and surrounding spaces.
	 *
	 * @throws IllegalArgumentException naming the value received and the accepted ones
	 */
	public static LossKind fromString(final String value) {
		return Keyed.parse(LossKind.class, "loss", value);
	}
}
