package org.lesionweighting.tf.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

import org.lesionweighting.io.VolumeResampling;
import org.lesionweighting.tf.data.PatchSampler;
import org.lesionweighting.tf.data.Preprocessing;
import org.lesionweighting.tf.data.TrainingCase;
import org.lesionweighting.tf.data.TrainingData;
import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.tf.model.ModelMetadata;
import org.lesionweighting.util.AtomicFiles;
import org.lesionweighting.util.Json;

/**
 * A training plan computed from the training cases, the way nnU-Net plans but for lesions: what the data is
 * (spacing, shape, modality, intensities inside the body and inside the lesions, the lesion-size distribution) and
 * what follows from it (intensity normalisation, patch and batch size, network, optimiser, iterations from a time
 * budget, the initial output bias). Stored as {@value #FILE} in the model folder and in the demo's report; the
 * Train command uses it for every value left at {@code auto}.
 * <p>
 * <b>Rules.</b>
 * <ul>
 * <li><b>Body</b>: the voxels whose value differs from the image's first (corner) voxel in channel 0: the brain of
 * a skull-stripped MR, the patient of a CT whose air is constant.</li>
 * <li><b>Normalisation</b>: MR (any modality name but CT): z-score per image, over the non-zero voxels when every
 * training image has a zero background ({@code zscore_nonzero}), else over the whole image. CT (a channel named
 * CT): clip to the 0.5 and 99.5 percentiles of the body and lesion intensities of all training images, then a
 * global z-score with their mean and std ({@code clip_zscore}).</li>
 * <li><b>Patch</b>: on a CPU {@value #CPU_PATCH}³ (about 1 s per step of the small network here), grown to twice the
 * equivalent diameter of the 90th-percentile lesion up to {@value #CPU_PATCH_MAX}; on a GPU the paper's
 * {@value #GPU_PATCH}³. Never larger than the median image (rounded up to the network's multiple). Batch 2.</li>
 * <li><b>Network and optimiser</b>: CPU: the small U-Net with Adam (1e-3), which converges within a budget of
 * minutes; GPU: the paper's U-Net and SGD with Nesterov momentum (1e-2).</li>
 * <li><b>Iterations</b>: CPU: from a time budget ({@link TrainingConfig#timeBudgetMinutes}) in epochs of
 * {@value #CPU_ITERATIONS_PER_EPOCH} iterations, each followed by the lesion-wise validation; GPU: the paper's 100
 * epochs of 100.</li>
 * <li><b>Output bias</b>: log(π / (1 − π)) with π the mean lesion fraction of {@value #PRIOR_PATCHES} patches drawn
 * as training draws them, so that the untrained network predicts the lesion prior instead of half the volume
 * ({@link UNetConfig#withOutputBias}).</li>
 * </ul>
 * <b>Resampling</b>: the target spacing is the per-axis median of the spacings the cases were read at
 * ({@link #targetSpacing}); cases read at another spacing (beyond {@link VolumeResampling#TOLERANCE}) are resampled to it
 * before planning ({@link TrainingData#resampledTo}: images trilinear, masks as interpolated 0/1 ≥ ½), so the plan
 * describes the grid the network trains on and lists them in {@code resampled_cases}. Inference resamples a new image
 * to the target spacing and the prediction back ({@code tf.infer.ModelInference}). A case planned without resampling
 * whose spacing still differs by more than {@value #SPACING_TOLERANCE} is reported as a warning.
 *
 * @param modality {@code MR} or {@code CT}
 * @param channelNames the channel names, in order
 * @param cases number of training cases
 * @param medianSpacing per axis (x, y, z)
 * @param medianShape per axis (x, y, z)
 * @param resampledCases the cases resampled to {@code medianSpacing} from the spacing they were read at
 * @param channels intensity statistics per channel
 * @param lesions the lesion-size distribution
 * @param preprocessing the normalisation
 * @param gpu whether the plan is for a GPU
 * @param patchSize the patch edge
 * @param batchSize the batch size
 * @param outputBias the initial output bias
 * @param warnings what the plan could not handle
 */
public record DatasetPlan(String modality, List< String > channelNames, int cases, double[] medianSpacing, int[] medianShape, List< String > resampledCases,
		List< ChannelStats > channels, LesionSizes lesions, Preprocessing preprocessing, boolean gpu, int patchSize, int batchSize, double outputBias,
		List< String > warnings) {

	/** The plan's file in the model folder. */
	public static final String FILE = "plan.json";

	/** Patch edge on a CPU. */
	public static final int CPU_PATCH = 64;

	/** Largest patch edge chosen on a CPU. */
	public static final int CPU_PATCH_MAX = 96;

	/** Patch edge on a GPU (the paper's). */
	public static final int GPU_PATCH = 128;

	/** Iterations per epoch on a CPU (one validation each). */
	public static final int CPU_ITERATIONS_PER_EPOCH = 200;

	/** The default CPU time budget for training, in minutes. */
	public static final double CPU_MINUTES_DEFAULT = 30;

	/** Adam's learning rate on a CPU budget. */
	public static final double CPU_LEARNING_RATE = 1e-3;

	/** The cross-entropy term of the plan (see {@link TrainingConfig#bceTerm}), on CPU and GPU alike. */
	public static final double BCE_TERM = 1;

	/** Patches drawn to estimate the lesion prior. */
	public static final int PRIOR_PATCHES = 200;

	/** Relative spacing difference reported as inhomogeneous. */
	public static final double SPACING_TOLERANCE = 0.1;

	/** Values kept per channel for the percentiles. */
	private static final int SAMPLE_LIMIT = 1 << 20;

	/**
	 * Intensities of one channel, before normalisation.
	 *
	 * @param name channel name
	 * @param body statistics over the body voxels of all training images
	 * @param lesion statistics over the lesion voxels
	 */
	public record ChannelStats(String name, Stats body, Stats lesion) {}

	/**
	 * Summary statistics.
	 *
	 * @param count voxels
	 * @param mean mean
	 * @param std population standard deviation
	 * @param p005 0.5th percentile
	 * @param p995 99.5th percentile
	 */
	public record Stats(long count, double mean, double std, double p005, double p995) {

		Map< String, Object > toMap() {
			return Json.object("voxels", count, "mean", mean, "std", std, "p0.5", p005, "p99.5", p995);
		}
	}

	/**
	 * Lesion sizes (26-connected components) over all training cases.
	 *
	 * @param count lesions
	 * @param perCase lesions per case, in case order
	 * @param voxelsMin smallest
	 * @param voxelsP10 10th percentile
	 * @param voxelsMedian median
	 * @param voxelsP90 90th percentile
	 * @param voxelsMax largest
	 * @param voxelVolume mm³ (or the spacing's unit³) of one voxel at the median spacing
	 */
	public record LesionSizes(int count, int[] perCase, long voxelsMin, long voxelsP10, long voxelsMedian, long voxelsP90, long voxelsMax, double voxelVolume) {

		Map< String, Object > toMap() {
			final Map< String, Object > v = Json.object("min", voxelsMin, "p10", voxelsP10, "median", voxelsMedian, "p90", voxelsP90, "max",
					voxelsMax);
			final Map< String, Object > mm = new LinkedHashMap<>(v);
			mm.replaceAll((k, x) -> (Long) x * voxelVolume);
			return Json.object("lesions", count, "per_case", Arrays.stream(perCase).boxed().toList(), "voxels", v, "volume_mm3", mm,
					"equivalent_diameter_p90_voxels", diameter(voxelsP90));
		}
	}

	/**
	 * The spacing a dataset trains at: the per-axis median of the spacings its cases were read at.
	 *
	 * @param cases the cases (as read, or resampled: {@link TrainingCase#sourceSpacing} is used)
	 * @return (x, y, z); (1, 1, 1) for no case
	 */
	public static double[] targetSpacing(final List< TrainingCase > cases) {
		return cases.isEmpty() ? new double[] { 1, 1, 1 } : TrainingData.median(cases, TrainingCase::sourceSpacing);
	}

	/**
	 * Plans from training cases whose channels are <em>not</em> preprocessed (read with {@link Preprocessing#NONE}),
	 * already resampled to {@link #targetSpacing} ({@link TrainingData#resampledTo}).
	 *
	 * @param raw the training cases, intensities as read
	 * @param channelNames one name per channel (dataset.json's {@code channel_names}, or {@code 0, 1, …})
	 * @param gpu whether training runs on a GPU
	 * @throws IllegalArgumentException when there is no case or the names do not match the channels
	 */
	public static DatasetPlan of(final List< TrainingCase > raw, final List< String > channelNames, final boolean gpu) {
		final String op = "DatasetPlan";
		if (raw == null || raw.isEmpty())
			throw new IllegalArgumentException(op + ": there is no training case to plan from; add image/label pairs to the dataset.");
		final int nc = raw.get(0).numChannels();
		if (channelNames.size() != nc)
			throw new IllegalArgumentException(
					op + ": " + channelNames.size() + " channel names " + channelNames + " for " + nc + " channels; give one name per channel.");
		final boolean ct = channelNames.stream().anyMatch(n -> n.trim().toUpperCase(Locale.ROOT).matches("(.*[^A-Z])?CT([^A-Z].*)?"));
		final List< String > warnings = new ArrayList<>();

		final double[] spacing = TrainingData.median(raw, TrainingCase::spacing);
		final double[] shapeD = TrainingData.median(raw, c -> Arrays.stream(c.dims()).asDoubleStream().toArray());
		final int[] shape = { (int) shapeD[0], (int) shapeD[1], (int) shapeD[2] };
		final List< String > resampled = new ArrayList<>();
		for (final TrainingCase c : raw) {
			if (VolumeResampling.differ(c.sourceSpacing(), c.spacing())) resampled.add(c.name());
			if (IntStream.range(0, 3).anyMatch(d -> Math.abs(c.spacing()[d] - spacing[d]) > SPACING_TOLERANCE * spacing[d]))
				warnings.add(String.format(Locale.ROOT,
						"case %s has spacing %s, the median is %s; resample the cases to one spacing before "
								+ "planning (TrainingData.resampledTo(DatasetPlan.targetSpacing(cases))).",
						c.name(), Arrays.toString(c.spacing()), Arrays.toString(spacing)));
		}

		final List< ChannelStats > stats = IntStream.range(0, nc).mapToObj(ch -> channelStats(raw, ch, channelNames.get(ch))).toList();
		final boolean zeroBackground = raw.stream().allMatch(c -> c.channel(0)[0] == 0);

		Preprocessing p;
		if (ct) {
			final ChannelStats s = stats.get(0);
			final double lo = Math.min(s.body().p005(), s.lesion().count() > 0 ? s.lesion().p005() : Double.POSITIVE_INFINITY),
					hi = Math.max(s.body().p995(), s.lesion().count() > 0 ? s.lesion().p995() : Double.NEGATIVE_INFINITY);
			p = hi > lo ? Preprocessing.clipZscore(lo, hi, s.body().mean(), s.body().std() > 0 ? s.body().std() : 1) : Preprocessing.ZSCORE;
			if (nc > 1) warnings.add("CT plans normalise every channel with the clipping and z-score of channel 0 (" + channelNames.get(0) + ").");
		}
		else
			p = zeroBackground ? Preprocessing.ZSCORE_NONZERO : Preprocessing.ZSCORE;

		final LesionSizes sizes = lesionSizes(raw, spacing[0] * spacing[1] * spacing[2]);
		final UNetConfig net = gpu ? UNetConfig.PAPER : UNetConfig.SMALL;
		final int m = net.sizeMultiple();
		int patch = gpu ? GPU_PATCH : CPU_PATCH;
		if (!gpu && sizes.count() > 0) patch = Math.min(CPU_PATCH_MAX, Math.max(patch, roundUp((int) Math.ceil(2 * diameter(sizes.voxelsP90())), m)));
		final int largestImageSide = Math.max(shape[0], Math.max(shape[1], shape[2]));
		patch = Math.min(patch, roundUp(largestImageSide, m));
		final double prior = lesionPrior(raw, patch, m);
		final double bias = prior > 0 && prior < 1 ? Math.log(prior / (1 - prior)) : 0;
		return new DatasetPlan(ct ? "CT" : "MR", List.copyOf(channelNames), raw.size(), spacing, shape, List.copyOf(resampled), List.copyOf(stats), sizes, p,
				gpu, patch, TrainingConfig.BATCH_SIZE_DEFAULT, bias, List.copyOf(warnings));
	}

	private static int roundUp(final int v, final int m) {
		return (v + m - 1) / m * m;
	}

	/** The equivalent-sphere diameter of a voxel count. */
	static double diameter(final long voxels) {
		return Math.cbrt(6 * voxels / Math.PI);
	}

	private static ChannelStats channelStats(final List< TrainingCase > cases, final int ch, final String name) {
		long nb = 0, nl = 0;
		for (final TrainingCase c : cases) {
			final float[] d = c.channel(ch), ref = c.channel(0);
			final byte[] t = c.target();
			for (int i = 0; i < d.length; i++) {
				if (ref[i] != ref[0]) nb++;
				if (t[i] != 0) nl++;
			}
		}
		return new ChannelStats(name, stats(cases, ch, nb, false), stats(cases, ch, nl, true));
	}

	/** Mean, std and (sub-sampled, deterministic stride) percentiles over body or lesion voxels. */
	private static Stats stats(final List< TrainingCase > cases, final int ch, final long count, final boolean lesion) {
		if (count == 0) return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
		final long stride = Math.max(1, count / SAMPLE_LIMIT + (count % SAMPLE_LIMIT == 0 ? 0 : 1));
		final float[] sample = new float[(int) ((count + stride - 1) / stride)];
		double sum = 0, sq = 0;
		long k = 0;
		int n = 0;
		for (final TrainingCase c : cases) {
			final float[] d = c.channel(ch), ref = c.channel(0);
			final byte[] t = c.target();
			for (int i = 0; i < d.length; i++) {
				if (lesion ? t[i] == 0 : ref[i] == ref[0]) continue;
				sum += d[i];
				sq += (double) d[i] * d[i];
				if (k++ % stride == 0 && n < sample.length) sample[n++] = d[i];
			}
		}
		final double mean = sum / count;
		Arrays.sort(sample, 0, n);
		return new Stats(count, mean, Math.sqrt(Math.max(0, sq / count - mean * mean)), percentile(sample, n, 0.005), percentile(sample, n, 0.995));
	}

	private static double percentile(final float[] sorted, final int n, final double q) {
		if (n == 0) return Double.NaN;
		final double pos = q * (n - 1);
		final int i = (int) Math.floor(pos);
		final double f = pos - i;
		return i + 1 < n ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[i];
	}

	private static LesionSizes lesionSizes(final List< TrainingCase > cases, final double voxelVolume) {
		final int[] perCase = cases.stream().mapToInt(TrainingCase::numLesions).toArray();
		final long[] v = cases.stream().flatMapToLong(c -> IntStream.rangeClosed(1, c.numLesions()).mapToLong(c::lesionSize)).sorted().toArray();
		if (v.length == 0) return new LesionSizes(0, perCase, 0, 0, 0, 0, 0, voxelVolume);
		return new LesionSizes(v.length, perCase, v[0], v[(int) Math.floor(0.1 * (v.length - 1))], v[(v.length - 1) / 2],
				v[(int) Math.ceil(0.9 * (v.length - 1))], v[v.length - 1], voxelVolume);
	}

	/** The mean lesion fraction of patches drawn as the paper's sampler draws them (seeded, without augmentation). */
	private static double lesionPrior(final List< TrainingCase > cases, final int patch, final int multiple) {
		if (cases.stream().allMatch(c -> c.numLesions() == 0)) return 0;
		final PatchSampler sampler = new PatchSampler(cases, new PatchSampler.Settings().patchSize(patch).weighting(null), TrainingConfig.SEED_DEFAULT);
		double sum = 0;
		for (int i = 0; i < PRIOR_PATCHES; i++) {
			final float[] t = sampler.sample(i, 0).target();
			long k = 0;
			for (final float v : t)
				if (v > 0) k++;
			sum += k / (double) t.length;
		}
		return sum / PRIOR_PATCHES;
	}

	/** The network of the plan: the small U-Net on a CPU, the paper's on a GPU, with the plan's output bias. */
	public UNetConfig network() {
		return (gpu ? UNetConfig.PAPER : UNetConfig.SMALL).withOutputBias(outputBias);
	}

	/**
	 * The training configuration of the plan; the caller sets the loss, the weighting and anything it overrides.
	 *
	 * @param minutes the time budget on a CPU (ignored on a GPU, which trains the paper's 100 × 100 iterations)
	 */
	public TrainingConfig trainingConfig(final double minutes) {
		final TrainingConfig c = new TrainingConfig().network(network()).patchSize(patchSize).batchSize(batchSize).preprocessing(preprocessing)
				.bceTerm(BCE_TERM);
		if (gpu) return c; // SGD at 1e-2, 100 epochs of 100 iterations: the paper's, TrainingConfig's defaults
		return c.optimizer(OptimizerKind.ADAM).learningRate(CPU_LEARNING_RATE).iterationsPerEpoch(CPU_ITERATIONS_PER_EPOCH)
				.checkpointEvery(CPU_ITERATIONS_PER_EPOCH).timeBudgetMinutes(minutes);
	}

	/** The plan as JSON-ready map: {@code data} (what was measured), {@code plan} (what follows) and {@code warnings}. */
	public Map< String, Object > toMap() {
		final Map< String, Object > data = Json.object("modality", modality, "channel_names", channelNames, "training_cases", cases, "median_spacing",
				List.of(medianSpacing[0], medianSpacing[1], medianSpacing[2]), "median_shape", List.of(medianShape[0], medianShape[1], medianShape[2]),
				"resampled_cases", resampledCases, "intensities",
				channels.stream().map(s -> Json.object("name", s.name(), "body", s.body().toMap(), "lesion", s.lesion().toMap())).toList(), "lesion_sizes",
				lesions.toMap());
		final TrainingConfig c = trainingConfig(CPU_MINUTES_DEFAULT);
		final Map< String, Object > plan = Json.object("device", gpu ? "gpu" : "cpu", ModelMetadata.TARGET_SPACING_KEY,
				List.of(medianSpacing[0], medianSpacing[1], medianSpacing[2]), "preprocessing", preprocessing.toString(), "network", network().toMap(),
				"patch_size", patchSize, "batch_size", batchSize, "output_bias", outputBias, "optimizer", c.optimizer().key(), "learning_rate",
				c.learningRate(), "iterations_per_epoch", c.iterationsPerEpoch(), "iterations",
				gpu ? "100 epochs (the paper)" : "from the time budget (default " + (int) CPU_MINUTES_DEFAULT + " min)", "augmentation",
				TrainingConfig.AUGMENTATION_DEFAULT.toString(), "bce_term", BCE_TERM);
		return Json.object("data", data, "plan", plan, "warnings", warnings);
	}

	/** Writes {@value #FILE} into {@code folder} (atomically). */
	public void write(final Path folder) throws IOException {
		write(toMap(), folder);
	}

	/** Writes a plan's map ({@link #toMap}, e.g. as restored from a checkpoint) as {@value #FILE} into {@code folder}. */
	static void write(final Map< String, Object > plan, final Path folder) throws IOException {
		Files.createDirectories(folder);
		AtomicFiles.writeString(folder.resolve(FILE), Json.write(plan));
	}

	/** One paragraph for logs and reports. */
	public String describe() {
		return String.format(Locale.ROOT,
				"%s, %d training case(s), channels %s, target spacing %s (%d case(s) resampled), median "
						+ "shape %s; %d lesions (median %d voxels, 90th percentile %d); normalisation %s; %s U-Net, "
						+ "patch %d\u00b3, batch %d, output bias %.2f%s",
				modality, cases, channelNames, Arrays.toString(medianSpacing), resampledCases.size(), Arrays.toString(medianShape), lesions.count(),
				lesions.voxelsMedian(), lesions.voxelsP90(), preprocessing, gpu ? "paper" : "small", patchSize, batchSize, outputBias,
				warnings.isEmpty() ? "" : "; warnings: " + String.join(" ", warnings));
	}
}
