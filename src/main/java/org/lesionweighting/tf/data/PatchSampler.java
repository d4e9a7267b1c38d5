package org.lesionweighting.tf.data;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.lesionweighting.weights.WeightMaps;
import org.lesionweighting.weights.WeightScheme;

import net.imglib2.img.array.ArrayImgs;

/**
 * The paper's patch sampler (doc/method.md §3.3–3.4, §1.3), deterministic and stateless.
 * <ol>
 * <li><b>Image.</b> A case is drawn with probability proportional to its lesion count. Lesion-free cases
 * are never drawn (as the paper), unless {@link Settings#lesionFreeWeight(double)} is positive: then a
 * lesion-free case counts as if it had that many lesions.</li>
 * <li><b>Centre.</b> With probability {@link Settings#lesionCentredFraction(double)} (0.5) and only if the
 * case has lesions: a lesion is chosen uniformly among the case's components (26-connectivity, labelled
 * once on the full volume), then a voxel uniformly within it. Otherwise the centre is uniform over the
 * positions whose box lies inside the image; when the image is smaller than the patch along any axis the
 * image centre {@code n/2} (all axes) is used, as the authors' code does.</li>
 * <li><b>Box.</b> start = c − s/2, stop = c + s/2 + s%2 (integer division; dpipe {@code get_centered_box}).
 * Outside the image the intensities are padded with the minimum of the (preprocessed) channel, target and
 * components with 0. With padding disabled, images smaller than the patch are not used and boxes are
 * shifted inside the image.</li>
 * <li><b>Weights.</b> {@link WeightMaps#compute} on the cropped global component labels (W1
 * {@code inverse_volume}, W0 {@code legacy}); {@code uniform}/none gives no weight map (the loss is
 * unweighted, which is the same as weights ≡ 1).</li>
 * </ol>
 * <b>Determinism.</b> Sample {@code j} of iteration {@code i} uses its own {@link SplittableRandom} seeded
 * by a hash of (seed, i, j). A batch is therefore a pure function of (seed, iteration): resuming at any
 * iteration and producing batches on any number of threads gives the same data.
 * <p>
 * Thread-safe: {@link #sample} and {@link #batch} may be called concurrently.
 */
public final class PatchSampler {

	/** Fraction of lesion-centred patches (doc/method.md §3.4: {@code nonzero_fraction = 0.5}). */
	public static final double LESION_CENTRED_FRACTION_DEFAULT = 0.5;

	/** Lesion-free cases are never drawn (doc/method.md §3.3). */
	public static final double LESION_FREE_WEIGHT_DEFAULT = 0;

	/** The default weighting: W1 ({@code inverse_volume}). */
	public static final WeightScheme WEIGHTING_DEFAULT = WeightScheme.INVERSE_VOLUME;

	/** Sampler settings, fluent and mutable; the sampler copies them. */
	public static final class Settings implements Cloneable {

		private int[] patchSize = { 128, 128, 128 };

		private WeightScheme weighting = WEIGHTING_DEFAULT;

		private double wMin = WeightMaps.W_MIN_DEFAULT, wMax = WeightMaps.W_MAX_DEFAULT;

		private double lesionCentredFraction = LESION_CENTRED_FRACTION_DEFAULT;

		private double lesionFreeWeight = LESION_FREE_WEIGHT_DEFAULT;

		private boolean padding = true;

		private Augmentation augmentation = Augmentation.NONE;

		/** Patch size (sx, sy, sz), each ≥ 1; one value means a cube. */
		public Settings patchSize(final int... size) {
			if (size.length == 1) patchSize = new int[] { size[0], size[0], size[0] };
			else if (size.length == 3) patchSize = size.clone();
			else
				throw new IllegalArgumentException("PatchSampler.Settings.patchSize: give one size or three (x, y, z), but got " + Arrays.toString(size) + ".");
			for (final int s : patchSize)
				if (s < 1) throw new IllegalArgumentException("PatchSampler.Settings.patchSize: sizes must be ≥ 1, but got " + Arrays.toString(size) + ".");
			return this;
		}

		/** The weight scheme; {@code null} or {@code UNIFORM} = no weight map. */
		public Settings weighting(final WeightScheme scheme) {
			weighting = scheme;
			return this;
		}

		/** W1 clip bounds (defaults 1 and 2e5). */
		public Settings clip(final double min, final double max) {
			if (!(min >= 0 && max >= min))
				throw new IllegalArgumentException("PatchSampler.Settings.clip: need 0 ≤ w_min ≤ w_max, but got [" + min + ", " + max + "].");
			wMin = min;
			wMax = max;
			return this;
		}

		/** Probability of a lesion-centred patch, in [0, 1]. */
		public Settings lesionCentredFraction(final double f) {
			if (!(f >= 0 && f <= 1)) throw new IllegalArgumentException("PatchSampler.Settings.lesionCentredFraction: must be in [0, 1], but was " + f + ".");
			lesionCentredFraction = f;
			return this;
		}

		/** Draw weight of a lesion-free case, in lesion units (0 = never drawn, the paper). */
		public Settings lesionFreeWeight(final double w) {
			if (!(w >= 0 && Double.isFinite(w)))
				throw new IllegalArgumentException("PatchSampler.Settings.lesionFreeWeight: must be a finite number ≥ 0, but was " + w + ".");
			lesionFreeWeight = w;
			return this;
		}

		/** Whether boxes may extend beyond the image (padded); default true, as the paper. */
		public Settings padding(final boolean pad) {
			padding = pad;
			return this;
		}

		/** Data augmentation ({@link Augmentation#NONE}, the paper's, by default; {@code null} = none). */
		public Settings augmentation(final Augmentation a) {
			augmentation = a == null ? Augmentation.NONE : a;
			return this;
		}

		public Augmentation augmentation() {
			return augmentation;
		}

		/** Patch size (sx, sy, sz). */
		public int[] patchSize() {
			return patchSize.clone();
		}

		/** The weight scheme, {@code null} for none. */
		public WeightScheme weighting() {
			return weighting;
		}

		public double wMin() {
			return wMin;
		}

		public double wMax() {
			return wMax;
		}

		public double lesionCentredFraction() {
			return lesionCentredFraction;
		}

		public double lesionFreeWeight() {
			return lesionFreeWeight;
		}

		public boolean padding() {
			return padding;
		}

		/** An independent copy (the patch size array is replaced, never changed in place, so it may be shared). */
		public Settings copy() {
			try {
				return (Settings) clone();
			}
			catch (final CloneNotSupportedException e) {
				throw new IllegalStateException(e);
			}
		}
	}

	private final List< TrainingCase > cases;

	private final Settings settings;

	private final long seed;

	private final int channels;

	private final double[] cumulative;

	private final boolean weighted;

	/**
	 * Creates a sampler and checks eagerly that it can produce patches.
	 *
	 * @param cases the prepared training cases (not copied; must not change)
	 * @param settings patch size, weighting and sampling options
	 * @param seed the run seed
	 * @throws IllegalArgumentException if there is no case, channel counts differ, no case can be drawn
	 *           (all lesion-free with the paper's rule, or all smaller than the patch with padding
	 *           disabled)
	 */
	public PatchSampler(final List< TrainingCase > cases, final Settings settings, final long seed) {
		final String op = "PatchSampler";
		if (cases == null || cases.isEmpty())
			throw new IllegalArgumentException(op + ": the dataset has no training case; add image/label pairs to the dataset folder.");
		this.cases = List.copyOf(cases);
		this.settings = settings.copy();
		this.seed = seed;
		channels = cases.get(0).numChannels();
		for (final TrainingCase c : cases)
			if (c.numChannels() != channels)
				throw new IllegalArgumentException(op + ": case '" + c.name() + "' has " + c.numChannels() + " channels but case '" + cases.get(0).name()
						+ "' has " + channels + "; every case needs the same input channels.");
		final int[] s = this.settings.patchSize;
		cumulative = new double[cases.size()];
		double total = 0;
		int tooSmall = 0;
		for (int i = 0; i < cases.size(); i++) {
			final TrainingCase c = cases.get(i);
			double w = c.numLesions() > 0 ? c.numLesions() : this.settings.lesionFreeWeight;
			if (!this.settings.padding && !fits(c.dims(), s)) {
				w = 0;
				tooSmall++;
			}
			total += w;
			cumulative[i] = total;
		}
		if (tooSmall == cases.size())
			throw new IllegalArgumentException(op + ": the patch size " + Arrays.toString(s) + " is larger than every image (e.g. '" + cases.get(0).name()
					+ "' is " + Arrays.toString(cases.get(0).dims()) + ") and padding is disabled; use a smaller patch or allow padding.");
		if (!(total > 0))
			throw new IllegalArgumentException(
					op + ": no case can be drawn: " + cases.size() + " case(s) without lesions" + (tooSmall > 0 ? " or smaller than the patch" : "")
							+ ". The paper draws images in proportion to their lesion count; add labelled lesions or set a positive lesion-free weight.");
		weighted = this.settings.weighting != null && this.settings.weighting != WeightScheme.UNIFORM;
	}

	private static boolean fits(final int[] dims, final int[] s) {
		return dims[0] >= s[0] && dims[1] >= s[1] && dims[2] >= s[2];
	}

	public long seed() {
		return seed;
	}

	public int numChannels() {
		return channels;
	}

	/** The probability of drawing each case (sums to 1). */
	public double[] caseProbabilities() {
		final double[] p = new double[cumulative.length];
		final double total = cumulative[cumulative.length - 1];
		for (int i = 0; i < p.length; i++)
			p[i] = (cumulative[i] - (i > 0 ? cumulative[i - 1] : 0)) / total;
		return p;
	}

	/** The random generator of sample {@code index} of {@code iteration}: a pure function of (seed, iteration, index). */
	static SplittableRandom random(final long seed, final long iteration, final int index) {
		return new SplittableRandom(mix(mix(mix(seed) + iteration) + index));
	}

	private static long mix(long z) {
		z += 0x9e3779b97f4a7c15L;
		z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
		z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
		return z ^ (z >>> 31);
	}

	/**
	 * Draws sample {@code index} of {@code iteration}.
	 *
	 * @param iteration 0-based training iteration, ≥ 0
	 * @param index sample index within the batch, ≥ 0
	 * @return the patch; always the same for the same (seed, iteration, index)
	 */
	public Patch sample(final long iteration, final int index) {
		final SplittableRandom rng = random(seed, iteration, index);
		final double u = rng.nextDouble() * cumulative[cumulative.length - 1];
		int ci = Arrays.binarySearch(cumulative, u);
		ci = ci >= 0 ? ci + 1 : -ci - 1;
		while (ci < cumulative.length - 1 && cumulative[ci] <= u)
			ci++;
		final TrainingCase c = cases.get(ci);
		final int[] dims = c.dims();
		final int[] s = settings.patchSize;
		final int[] centre = new int[3];
		final boolean lesion = c.numLesions() > 0 && rng.nextDouble() < settings.lesionCentredFraction;
		if (lesion) {
			final int k = 1 + rng.nextInt(c.numLesions());
			final int v = c.lesionVoxel(k, rng.nextInt(c.lesionSize(k)));
			centre[0] = v % dims[0];
			centre[1] = (v / dims[0]) % dims[1];
			centre[2] = v / (dims[0] * dims[1]);
		}
		else if (fits(dims, s)) {
			for (int d = 0; d < 3; d++)
				centre[d] = rng.nextInt(dims[d] - s[d] + 1) + s[d] / 2;
		}
		else {
			for (int d = 0; d < 3; d++)
				centre[d] = dims[d] / 2;
		}
		final int[] start = new int[3];
		for (int d = 0; d < 3; d++) {
			start[d] = centre[d] - s[d] / 2;
			if (!settings.padding) start[d] = Math.max(0, Math.min(start[d], dims[d] - s[d]));
		}
		final Augmentation.Draw draw = settings.augmentation.enabled() ? settings.augmentation.draw(rng, channels, c.spacing()) : null;
		final int n = s[0] * s[1] * s[2];
		final float[] image = new float[n * channels];
		final float[] target = new float[n];
		final int[] comp = new int[n];
		if (draw != null && draw.matrix() != null)
			resample(c, new int[] { start[0] + s[0] / 2, start[1] + s[1] / 2, start[2] + s[2] / 2 }, draw.matrix(), image, target, comp);
		else
			crop(c, start, image, target, comp);
		if (draw != null) jitterAndMirror(draw, image, target, comp);
		float[] weights = null;
		if (weighted) {
			weights = new float[n];
			WeightMaps.compute(ArrayImgs.ints(comp, s[0], s[1], s[2]), ArrayImgs.floats(weights, s[0], s[1], s[2]), settings.weighting, settings.wMin,
					settings.wMax);
		}
		return new Patch(image, target, weights, comp, ci, centre, start, lesion);
	}

	/** The plain crop of the box at {@code start} (doc/method.md §3.4). */
	private void crop(final TrainingCase c, final int[] start, final float[] image, final float[] target, final int[] comp) {
		final int[] s = settings.patchSize;
		final int[] dims = c.dims();
		final int nc = channels;
		for (int ch = 0; ch < nc; ch++) { // the padding value of every channel
			final float pad = c.channelMin(ch);
			for (int i = ch; i < image.length; i += nc)
				image[i] = pad;
		}
		final int x0 = Math.max(0, -start[0]), x1 = Math.min(s[0], dims[0] - start[0]);
		final byte[] t = c.target();
		final int[] cc = c.components();
		if (x1 > x0) {
			for (int z = 0; z < s[2]; z++) {
				final int iz = start[2] + z;
				if (iz < 0 || iz >= dims[2]) continue;
				for (int y = 0; y < s[1]; y++) {
					final int iy = start[1] + y;
					if (iy < 0 || iy >= dims[1]) continue;
					final int src = (iz * dims[1] + iy) * dims[0] + start[0];
					final int dst = (z * s[1] + y) * s[0];
					System.arraycopy(cc, src + x0, comp, dst + x0, x1 - x0);
					for (int x = x0; x < x1; x++)
						target[dst + x] = t[src + x];
					for (int ch = 0; ch < nc; ch++) {
						final float[] data = c.channel(ch);
						if (nc == 1) System.arraycopy(data, src + x0, image, dst + x0, x1 - x0);
						else
							for (int x = x0; x < x1; x++)
								image[(dst + x) * nc + ch] = data[src + x];
					}
				}
			}
		}
	}

	/**
	 * The patch of a rotated and scaled box about {@code centre}: patch voxel o reads image position
	 * centre + M·(o − s/2), intensities trilinearly (padding outside), target and labels by nearest neighbour.
	 */
	private void resample(final TrainingCase c, final int[] centre, final double[] m, final float[] image, final float[] target, final int[] comp) {
		final int[] s = settings.patchSize;
		final int[] dims = c.dims();
		final int nx = dims[0], ny = dims[1], nz = dims[2], nc = channels;
		final byte[] t = c.target();
		final int[] cc = c.components();
		final float[][] data = new float[nc][];
		final float[] padValue = new float[nc];
		for (int ch = 0; ch < nc; ch++) {
			data[ch] = c.channel(ch);
			padValue[ch] = c.channelMin(ch);
		}
		final float[] corner = new float[8];
		int i = 0;
		for (int z = 0; z < s[2]; z++) {
			final double oz = z - s[2] / 2;
			for (int y = 0; y < s[1]; y++) {
				final double oy = y - s[1] / 2;
				for (int x = 0; x < s[0]; x++, i++) {
					final double ox = x - s[0] / 2;
					final double px = centre[0] + m[0] * ox + m[1] * oy + m[2] * oz;
					final double py = centre[1] + m[3] * ox + m[4] * oy + m[5] * oz;
					final double pz = centre[2] + m[6] * ox + m[7] * oy + m[8] * oz;
					final long rx = Math.round(px), ry = Math.round(py), rz = Math.round(pz);
					if (rx >= 0 && ry >= 0 && rz >= 0 && rx < nx && ry < ny && rz < nz) {
						final int k = (int) ((rz * ny + ry) * nx + rx);
						target[i] = t[k];
						comp[i] = cc[k];
					}
					final int x0 = (int) Math.floor(px), y0 = (int) Math.floor(py), z0 = (int) Math.floor(pz);
					final float fx = (float) (px - x0), fy = (float) (py - y0), fz = (float) (pz - z0);
					for (int ch = 0; ch < nc; ch++) {
						final float[] d = data[ch];
						for (int q = 0; q < 8; q++) {
							final int xx = x0 + (q & 1), yy = y0 + ((q >> 1) & 1), zz = z0 + (q >> 2);
							corner[q] = xx >= 0 && yy >= 0 && zz >= 0 && xx < nx && yy < ny && zz < nz ? d[(zz * ny + yy) * nx + xx] : padValue[ch];
						}
						final float c00 = corner[0] + fx * (corner[1] - corner[0]), c10 = corner[2] + fx * (corner[3] - corner[2]);
						final float c01 = corner[4] + fx * (corner[5] - corner[4]), c11 = corner[6] + fx * (corner[7] - corner[6]);
						final float c0 = c00 + fy * (c10 - c00), c1 = c01 + fy * (c11 - c01);
						image[i * nc + ch] = c0 + fz * (c1 - c0);
					}
				}
			}
		}
	}

	/** Intensity gain and offset per channel, then mirroring of every array along the drawn axes. */
	private void jitterAndMirror(final Augmentation.Draw draw, final float[] image, final float[] target, final int[] comp) {
		final int nc = channels;
		for (int i = 0; i < image.length; i++)
			image[i] = image[i] * draw.gain()[i % nc] + draw.offset()[i % nc];
		final int[] s = settings.patchSize;
		for (int axis = 0; axis < 3; axis++) {
			if (!draw.flip()[axis]) continue;
			final int stride = axis == 0 ? 1 : axis == 1 ? s[0] : s[0] * s[1];
			final int len = s[axis];
			final int n = target.length;
			for (int i = 0; i < n; i++) {
				final int pos = (i / stride) % len;
				if (pos >= len / 2) continue;
				final int j = i + (len - 1 - 2 * pos) * stride;
				final float tt = target[i];
				target[i] = target[j];
				target[j] = tt;
				final int cc = comp[i];
				comp[i] = comp[j];
				comp[j] = cc;
				for (int ch = 0; ch < nc; ch++) {
					final float v = image[i * nc + ch];
					image[i * nc + ch] = image[j * nc + ch];
					image[j * nc + ch] = v;
				}
			}
		}
	}

	/**
	 * Draws the batch of {@code iteration}: samples 0..size−1, stacked.
	 *
	 * @param iteration 0-based iteration
	 * @param size batch size ≥ 1
	 */
	public Batch batch(final long iteration, final int size) {
		if (size < 1) throw new IllegalArgumentException("PatchSampler.batch: the batch size must be ≥ 1, but was " + size + ".");
		final int[] s = settings.patchSize;
		final int n = s[0] * s[1] * s[2];
		final float[] images = new float[size * n * channels];
		final float[] targets = new float[size * n];
		final float[] weights = weighted ? new float[size * n] : null;
		for (int b = 0; b < size; b++) {
			final Patch p = sample(iteration, b);
			System.arraycopy(p.image(), 0, images, b * n * channels, n * channels);
			System.arraycopy(p.target(), 0, targets, b * n, n);
			if (weighted) System.arraycopy(p.weights(), 0, weights, b * n, n);
		}
		return new Batch(iteration, size, s.clone(), channels, images, targets, weights);
	}
}
