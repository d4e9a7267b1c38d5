package org.lesionweighting.phantom;

import java.util.Arrays;

import org.lesionweighting.label.Connectivity;

/**
 * The parameters of a {@link LesionPhantom}: a fluent, mutable specification. Every setter validates its
 * value and returns {@code this}; {@link #copy()} gives an independent copy (a generated
 * {@link Phantom} keeps its own copy).
 * <p>
 * Example: {@code new PhantomSpec().size(256, 256, 128).numLesions(50).maxRadius(20).seed(7)}.
 */
public final class PhantomSpec implements Cloneable {

	/** Image size {x, y, z} in voxels. */
	public static final long[] SIZE_DEFAULT = { 128, 128, 64 };

	/** Number of lesions drawn (touching ones may merge into one component). */
	public static final int NUM_LESIONS_DEFAULT = 20;

	/** Smallest lesion radius in voxels. */
	public static final double MIN_RADIUS_DEFAULT = 1.5;

	/** Largest lesion radius in voxels. */
	public static final double MAX_RADIUS_DEFAULT = 12;

	/** Fraction of lesions that are irregular blobs (unions of jittered ellipsoids); the rest are ellipsoids. */
	public static final double BLOB_FRACTION_DEFAULT = 0.4;

	/** Fraction of lesions placed so that they touch (overlap) a previously drawn lesion. */
	public static final double TOUCHING_FRACTION_DEFAULT = 0.1;

	/** Fraction of lesions whose centre is placed near a face so that the image border cuts them. */
	public static final double BORDER_FRACTION_DEFAULT = 0.1;

	/** Mean background (tissue) intensity. */
	public static final double BACKGROUND_DEFAULT = 100;

	/** Relative amplitude of the smooth low-frequency tissue variation (0.2 = ±20 %). */
	public static final double BIAS_AMPLITUDE_DEFAULT = 0.2;

	/** Intensity added inside lesions (each lesion varies by ±20 % around it). */
	public static final double CONTRAST_DEFAULT = 60;

	/** Standard deviation of the additive Gaussian noise. */
	public static final double NOISE_SIGMA_DEFAULT = 10;

	/** Random seed: the same spec gives the same phantom, bit for bit, with any number of threads. */
	public static final long SEED_DEFAULT = 42;

	/** Connectivity used to count the lesions of the finished mask. */
	public static final Connectivity CONNECTIVITY_DEFAULT = Connectivity.TWENTY_SIX;

	private long[] size = SIZE_DEFAULT.clone();

	private int numLesions = NUM_LESIONS_DEFAULT;

	private double minRadius = MIN_RADIUS_DEFAULT;

	private double maxRadius = MAX_RADIUS_DEFAULT;

	private double blobFraction = BLOB_FRACTION_DEFAULT;

	private double touchingFraction = TOUCHING_FRACTION_DEFAULT;

	private double borderFraction = BORDER_FRACTION_DEFAULT;

	private double background = BACKGROUND_DEFAULT;

	private double biasAmplitude = BIAS_AMPLITUDE_DEFAULT;

	private double contrast = CONTRAST_DEFAULT;

	private double noiseSigma = NOISE_SIGMA_DEFAULT;

	private long seed = SEED_DEFAULT;

	private Connectivity connectivity = CONNECTIVITY_DEFAULT;

	/** A spec with every default. */
	public PhantomSpec() {}

	/** An independent copy. */
	public PhantomSpec copy() {
		try {
			final PhantomSpec s = (PhantomSpec) super.clone();
			s.size = size.clone();
			return s;
		}
		catch (final CloneNotSupportedException e) {
			throw new AssertionError(e);
		}
	}

	private static String op(final String name) {
		return "PhantomSpec." + name;
	}

	/** Image size {x, y, z} (or {x, y} for a 2D phantom of depth 1), each ≥ 1, at most 2^31 - 9 voxels. */
	public PhantomSpec size(final long... dims) {
		if (dims == null || dims.length < 2 || dims.length > 3)
			throw new IllegalArgumentException(op("size") + ": give 2 or 3 dimensions, but got " + Arrays.toString(dims) + ".");
		long n = 1;
		for (final long d : dims) {
			if (d < 1) throw new IllegalArgumentException(op("size") + ": every dimension must be ≥ 1, but got " + Arrays.toString(dims) + ".");
			n *= d;
			if (n > Integer.MAX_VALUE - 8)
				throw new IllegalArgumentException(op("size") + ": " + Arrays.toString(dims) + " has more than 2^31 voxels; use a smaller phantom.");
		}
		size = dims.length == 3 ? dims.clone() : new long[] { dims[0], dims[1], 1 };
		return this;
	}

	/** Number of lesions to draw, ≥ 0. */
	public PhantomSpec numLesions(final int n) {
		if (n < 0) throw new IllegalArgumentException(op("numLesions") + ": must be ≥ 0, but was " + n + ".");
		numLesions = n;
		return this;
	}

	/** Smallest radius in voxels, &gt; 0 (radii are log-uniform between min and max). */
	public PhantomSpec minRadius(final double r) {
		if (!(r > 0) || !Double.isFinite(r)) throw new IllegalArgumentException(op("minRadius") + ": must be a positive number, but was " + r + ".");
		minRadius = r;
		return this;
	}

	/** Largest radius in voxels, &gt; 0 and ≥ minRadius when generated. */
	public PhantomSpec maxRadius(final double r) {
		if (!(r > 0) || !Double.isFinite(r)) throw new IllegalArgumentException(op("maxRadius") + ": must be a positive number, but was " + r + ".");
		maxRadius = r;
		return this;
	}

	/** Fraction of irregular blobs, in [0, 1]. */
	public PhantomSpec blobFraction(final double f) {
		blobFraction = fraction("blobFraction", f);
		return this;
	}

	/** Fraction of lesions touching a previous one, in [0, 1]. */
	public PhantomSpec touchingFraction(final double f) {
		touchingFraction = fraction("touchingFraction", f);
		return this;
	}

	/** Fraction of lesions cut by the image border, in [0, 1]. */
	public PhantomSpec borderFraction(final double f) {
		borderFraction = fraction("borderFraction", f);
		return this;
	}

	private static double fraction(final String name, final double f) {
		if (!(f >= 0 && f <= 1)) throw new IllegalArgumentException(op(name) + ": must be in [0, 1], but was " + f + ".");
		return f;
	}

	/** Mean background intensity (finite). */
	public PhantomSpec background(final double v) {
		background = finite("background", v);
		return this;
	}

	/** Relative amplitude of the smooth tissue variation, in [0, 1]. */
	public PhantomSpec biasAmplitude(final double v) {
		biasAmplitude = fraction("biasAmplitude", v);
		return this;
	}

	/** Lesion contrast: intensity added inside lesions (finite, may be negative for dark lesions). */
	public PhantomSpec contrast(final double v) {
		contrast = finite("contrast", v);
		return this;
	}

	/** Noise standard deviation, ≥ 0. */
	public PhantomSpec noiseSigma(final double v) {
		if (!(v >= 0) || !Double.isFinite(v)) throw new IllegalArgumentException(op("noiseSigma") + ": must be a finite number ≥ 0, but was " + v + ".");
		noiseSigma = v;
		return this;
	}

	private static double finite(final String name, final double v) {
		if (!Double.isFinite(v)) throw new IllegalArgumentException(op(name) + ": must be finite, but was " + v + ".");
		return v;
	}

	public PhantomSpec seed(final long s) {
		seed = s;
		return this;
	}

	/** Connectivity used to count the lesions of the result. */
	public PhantomSpec connectivity(final Connectivity c) {
		if (c == null)
			throw new IllegalArgumentException(op("connectivity") + ": must not be null; use one of " + String.join(", ", Connectivity.keys()) + ".");
		connectivity = c;
		return this;
	}

	/** Image size {x, y, z} (a copy; z = 1 for 2D). */
	public long[] size() {
		return size.clone();
	}

	public int numLesions() {
		return numLesions;
	}

	/** The smallest radius in voxels. */
	public double minRadius() {
		return minRadius;
	}

	/** The largest radius in voxels. */
	public double maxRadius() {
		return maxRadius;
	}

	public double blobFraction() {
		return blobFraction;
	}

	public double touchingFraction() {
		return touchingFraction;
	}

	public double borderFraction() {
		return borderFraction;
	}

	public double background() {
		return background;
	}

	public double biasAmplitude() {
		return biasAmplitude;
	}

	public double contrast() {
		return contrast;
	}

	public double noiseSigma() {
		return noiseSigma;
	}

	public long seed() {
		return seed;
	}

	public Connectivity connectivity() {
		return connectivity;
	}

	@Override
	public String toString() {
		return "PhantomSpec[size=" + Arrays.toString(size) + ", numLesions=" + numLesions + ", radius=" + minRadius + ".." + maxRadius + ", blobFraction="
				+ blobFraction + ", touchingFraction=" + touchingFraction + ", borderFraction=" + borderFraction + ", background=" + background
				+ ", biasAmplitude=" + biasAmplitude + ", contrast=" + contrast + ", noiseSigma=" + noiseSigma + ", seed=" + seed + ", connectivity="
				+ connectivity.key() + "]";
	}
}
