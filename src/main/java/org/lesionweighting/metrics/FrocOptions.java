package org.lesionweighting.metrics;

/**
 * Options of {@link Froc#summarize}. Start from {@link #defaults()} and change fields with the
 * {@code with*} methods.
 *
 * @param smallDiameter diameter (in voxels, equivalent sphere) below which a lesion is "small"; NaN for
 *          no small-lesion subset. The paper used 8 (LUNA16), 5 (metastases), 12 (LiTS).
 * @param bootstrap number of bootstrap iterations (0 = none)
 * @param seed seed of numpy's legacy RandomState, in [0, 2^32 − 1]
 * @param sampleFraction fraction of images per bootstrap subsample, in (0, 1]
 * @param paperDivisor if true, bootstrap false positives are divided by the full set's image count as
 *          in the paper; by default by the subsample's image count
 * @param maxFp upper end of the false-positives-per-image range of the average recall
 */
public record FrocOptions(double smallDiameter, int bootstrap, long seed, double sampleFraction, boolean paperDivisor, double maxFp) {

	/** No small-lesion subset. */
	public static final double SMALL_DIAMETER_DEFAULT = Double.NaN;

	/** The paper's {@code build_froc.ipynb} uses 50 iterations (the camera-ready notebook 10). */
	public static final int BOOTSTRAP_DEFAULT = 50;

	/** {@code RandomState(42)}. */
	public static final long SEED_DEFAULT = 42;

	/** 80% of the images per bootstrap iteration. */
	public static final double SAMPLE_FRACTION_DEFAULT = 0.8;

	/** Divide by the subsample's image count unless asked otherwise. */
	public static final boolean PAPER_DIVISOR_DEFAULT = false;

	/** Average recall over 0–5 false positives per image. */
	public static final double MAX_FP_DEFAULT = 5;

	/** Validates the options. */
	public FrocOptions {
		final String op = "FrocOptions";
		if (!(Double.isNaN(smallDiameter) || smallDiameter > 0))
			throw new IllegalArgumentException(op + ": smallDiameter must be positive (or NaN for no small-lesion subset), but was " + smallDiameter + ".");
		if (bootstrap < 0) throw new IllegalArgumentException(op + ": bootstrap must be >= 0 iterations, but was " + bootstrap + ".");
		if (seed < 0 || seed > 0xffffffffL)
			throw new IllegalArgumentException(op + ": seed must be in [0, 4294967295] (numpy RandomState), but was " + seed + ".");
		if (!(sampleFraction > 0 && sampleFraction <= 1))
			throw new IllegalArgumentException(op + ": sampleFraction must be in (0, 1], but was " + sampleFraction + ".");
		if (!(maxFp > 0 && Double.isFinite(maxFp))) throw new IllegalArgumentException(op + ": maxFp must be a positive number, but was " + maxFp + ".");
	}

	/** The defaults: no small subset, 50 iterations, seed 42, 80%, subsample divisor, max FP 5. */
	public static FrocOptions defaults() {
		return new FrocOptions(SMALL_DIAMETER_DEFAULT, BOOTSTRAP_DEFAULT, SEED_DEFAULT, SAMPLE_FRACTION_DEFAULT, PAPER_DIVISOR_DEFAULT, MAX_FP_DEFAULT);
	}

	/** The paper's protocol: 50 iterations, seed 42, 80%, full-set divisor. */
	public static FrocOptions paper() {
		return defaults().withPaperDivisor(true);
	}

	/** Returns a copy with another small-lesion diameter (NaN = none). */
	public FrocOptions withSmallDiameter(final double v) {
		return new FrocOptions(v, bootstrap, seed, sampleFraction, paperDivisor, maxFp);
	}

	public FrocOptions withBootstrap(final int v) {
		return new FrocOptions(smallDiameter, v, seed, sampleFraction, paperDivisor, maxFp);
	}

	public FrocOptions withSeed(final long v) {
		return new FrocOptions(smallDiameter, bootstrap, v, sampleFraction, paperDivisor, maxFp);
	}

	/** Returns a copy with the paper's (true) or the subsample's (false) divisor. */
	public FrocOptions withPaperDivisor(final boolean v) {
		return new FrocOptions(smallDiameter, bootstrap, seed, sampleFraction, v, maxFp);
	}
}
