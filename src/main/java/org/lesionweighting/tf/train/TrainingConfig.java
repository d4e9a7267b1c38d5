package org.lesionweighting.tf.train;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.lesionweighting.tf.data.Augmentation;
import org.lesionweighting.tf.data.PatchSampler;
import org.lesionweighting.tf.data.Preprocessing;
import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.tf.loss.AslVariant;
import org.lesionweighting.tf.loss.LossKind;
import org.lesionweighting.tf.loss.LossParameters;
import org.lesionweighting.tf.loss.WcePosWeightSource;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.util.Json;
import org.lesionweighting.weights.WeightMaps;
import org.lesionweighting.weights.WeightScheme;

/**
 * Everything a training run needs besides the data, with the paper's values as defaults (doc/method.md §3.2:
 * SGD with Nesterov momentum 0.9, learning rate 1e-2 multiplied by 0.1 after epoch 80, 100 epochs × 100
 * iterations, batch 2, patch 128³, seed 0xBadCafe; Dice loss with W1 inverse-volume weights).
 * <p>
 * Fluent and mutable: every setter checks its value and returns {@code this}. The trainer copies the
 * configuration at the start of a run and stores it in the model folder ({@link #toMap()}), so that a
 * resumed run continues with exactly the same settings.
 * <pre>{@code
 * TrainingConfig c = new TrainingConfig().network(UNetConfig.SMALL).patchSize(32).epochs(3).iterationsPerEpoch(50);
 * }</pre>
 */
public final class TrainingConfig implements Cloneable {

	/** The paper's network. */
	public static final UNetConfig NETWORK_DEFAULT = UNetConfig.PAPER;

	/** The loss of the paper's headline experiments. */
	public static final LossKind LOSS_DEFAULT = LossKind.DICE;

	/** W1 inverse-volume weights (doc/method.md §1.2). */
	public static final WeightScheme WEIGHTING_DEFAULT = WeightScheme.INVERSE_VOLUME;

	/** SGD with Nesterov momentum. */
	public static final OptimizerKind OPTIMIZER_DEFAULT = OptimizerKind.SGD;

	public static final double LEARNING_RATE_DEFAULT = 1e-2;

	/** 0.9 (Nesterov). */
	public static final double MOMENTUM_DEFAULT = 0.9;

	/**
	 * By default the learning rate drops after 80 % of the epochs: after 0-based epoch ⌊0.8 · epochs⌋, i.e. epoch 80 of
	 * the paper's 100 (epochs 0–80 at 1e-2, 81–99 at 1e-3).
	 */
	public static final double LR_DROP_FRACTION_DEFAULT = 0.8;

	public static final double LR_DROP_FACTOR_DEFAULT = 0.1;

	public static final int EPOCHS_DEFAULT = 100;

	public static final int ITERATIONS_PER_EPOCH_DEFAULT = 100;

	public static final int BATCH_SIZE_DEFAULT = 2;

	public static final int PATCH_SIZE_DEFAULT = 128;

	/** The authors' seed 0xBadCafe. */
	public static final long SEED_DEFAULT = 0xBadCafeL;

	/** A checkpoint every 100 iterations (one paper epoch). */
	public static final int CHECKPOINT_EVERY_DEFAULT = 100;

	/** Device choice: {@code auto}. */
	public static final String DEVICE_DEFAULT = Device.DEVICE_DEFAULT.key();

	/** One background thread prepares batches (ample for 2 patches per step). */
	public static final int LOADER_THREADS_DEFAULT = 1;

	/**
	 * Data augmentation on by default ({@link Augmentation#DEFAULT}): trained on a few volumes, the network needs it
	 * to generalise. {@link Augmentation#NONE} trains exactly as the paper.
	 */
	public static final Augmentation AUGMENTATION_DEFAULT = Augmentation.DEFAULT;

	/** Batches prepared ahead of the session. */
	public static final int PREFETCH_DEFAULT = 3;

	private UNetConfig network = NETWORK_DEFAULT;

	private LossKind loss = LOSS_DEFAULT;

	private LossParameters lossParameters = LossParameters.defaults();

	private OptimizerKind optimizer = OPTIMIZER_DEFAULT;

	private double learningRate = LEARNING_RATE_DEFAULT;

	private double momentum = MOMENTUM_DEFAULT;

	/** The 0-based drop epoch, or {@code null} for {@link #LR_DROP_FRACTION_DEFAULT} of the epochs. */
	private Integer lrDropEpoch;

	private double timeBudgetMinutes;

	private double bceTerm;

	private double lrDropFactor = LR_DROP_FACTOR_DEFAULT;

	private int epochs = EPOCHS_DEFAULT;

	private int iterationsPerEpoch = ITERATIONS_PER_EPOCH_DEFAULT;

	private int batchSize = BATCH_SIZE_DEFAULT;

	private long seed = SEED_DEFAULT;

	private Preprocessing preprocessing = Preprocessing.PREPROCESSING_DEFAULT;

	/** Patch size, weighting and its clip, lesion-centred fraction, lesion-free weight, padding, augmentation. */
	private PatchSampler.Settings sampler = new PatchSampler.Settings().patchSize(PATCH_SIZE_DEFAULT).weighting(WEIGHTING_DEFAULT)
			.augmentation(AUGMENTATION_DEFAULT);

	private int checkpointEvery = CHECKPOINT_EVERY_DEFAULT;

	private String device = DEVICE_DEFAULT;

	private int loaderThreads = LOADER_THREADS_DEFAULT;

	private int prefetch = PREFETCH_DEFAULT;

	private int intraOpThreads = 0, interOpThreads = 0;

	private long stopAfter = -1;

	private static final String OP = "TrainingConfig";

	static int positive(final String name, final int v) {
		if (v < 1) throw new IllegalArgumentException(OP + ": " + name + " must be ≥ 1, but was " + v + ".");
		return v;
	}

	static double checkLearningRate(final double lr) {
		if (!(lr > 0 && Double.isFinite(lr))) throw new IllegalArgumentException(OP + ": learning_rate must be a positive number, but was " + lr + ".");
		return lr;
	}

	static double checkBceTerm(final double weight) {
		if (!(weight >= 0 && weight <= 1000)) throw new IllegalArgumentException(OP + ": bce_term must be in [0, 1000] (0 = none), but was " + weight + ".");
		return weight;
	}

	static double checkTimeBudget(final double minutes) {
		if (!(minutes >= 0 && minutes <= 60 * 24 * 366))
			throw new IllegalArgumentException(OP + ": time_budget must be between 0 (off) and a year of minutes, but was " + minutes + ".");
		return minutes;
	}

	/** The network architecture (input channels are set from the data). */
	public TrainingConfig network(final UNetConfig config) {
		if (config == null) throw new IllegalArgumentException(OP + ": network must not be null; use UNetConfig.PAPER or UNetConfig.SMALL.");
		network = config;
		return this;
	}

	/** The network by preset name ({@code paper}, {@code small}). */
	public TrainingConfig preset(final String preset) {
		return network(UNetConfig.fromString(preset));
	}

	public TrainingConfig loss(final LossKind kind) {
		if (kind == null) throw new IllegalArgumentException(OP + ": loss must not be null; use one of " + String.join(", ", LossKind.keys()) + ".");
		loss = kind;
		return this;
	}

	/** The loss by key ({@code dice, asl, focal, bce, wce, gdl}). */
	public TrainingConfig loss(final String key) {
		return loss(LossKind.fromString(key));
	}

	/** Loss hyper-parameters (β, γ, α, …); {@code null} = the paper's. */
	public TrainingConfig lossParameters(final LossParameters p) {
		lossParameters = p == null ? LossParameters.defaults() : p;
		return this;
	}

	/** The weighting: {@code inverse_volume} (W1), {@code legacy} (W0) or {@code uniform}; {@code null} = uniform. */
	public TrainingConfig weighting(final WeightScheme scheme) {
		sampler.weighting(scheme == null ? WeightScheme.UNIFORM : scheme);
		return this;
	}

	/** The weighting by key ({@code inverse_volume}, {@code legacy}, {@code uniform}, or its alias {@code none}). */
	public TrainingConfig weighting(final String key) {
		return weighting(WeightScheme.fromString(key));
	}

	public TrainingConfig optimizer(final OptimizerKind kind) {
		if (kind == null) throw new IllegalArgumentException(OP + ": optimizer must not be null; use sgd or adam.");
		optimizer = kind;
		return this;
	}

	/** The initial learning rate, positive. */
	public TrainingConfig learningRate(final double lr) {
		learningRate = checkLearningRate(lr);
		return this;
	}

	/** SGD momentum in [0, 1). */
	public TrainingConfig momentum(final double m) {
		if (!(m >= 0 && m < 1)) throw new IllegalArgumentException(OP + ": momentum must be in [0, 1), but was " + m + ".");
		momentum = m;
		return this;
	}

	/** The learning-rate drop: after 0-based epoch {@code epoch} the rate is multiplied by {@code factor}; a negative epoch disables it. */
	public TrainingConfig learningRateDrop(final int epoch, final double factor) {
		if (!(factor > 0 && factor <= 1)) throw new IllegalArgumentException(OP + ": the learning-rate drop factor must be in (0, 1], but was " + factor + ".");
		lrDropEpoch = epoch;
		lrDropFactor = factor;
		return this;
	}

	/**
	 * The weight of an unweighted binary cross-entropy added to the loss (0 = none, the paper). The inverse weights
	 * make a false-positive voxel almost free in a weighted Dice (a lesion voxel weighs thousands of background
	 * voxels), and an empty patch gives the Dice no gradient at all; the cross-entropy term, as nnU-Net's
	 * Dice + CE, keeps the background in the loss. The weight map still enters the chosen loss only.
	 */
	public TrainingConfig bceTerm(final double weight) {
		bceTerm = checkBceTerm(weight);
		return this;
	}

	public double bceTerm() {
		return bceTerm;
	}

	/** The learning-rate drop after {@link #LR_DROP_FRACTION_DEFAULT} of the epochs, whatever their number (the default). */
	public TrainingConfig learningRateDropAuto() {
		lrDropEpoch = null;
		return this;
	}

	/**
	 * A wall-clock budget for the run in minutes (0 = off: train the configured epochs). With a budget the trainer
	 * times the first iterations and sets the epochs that fit (see {@link Trainer}); the learning-rate drop then
	 * follows the new number of epochs unless it was set explicitly.
	 */
	public TrainingConfig timeBudgetMinutes(final double minutes) {
		timeBudgetMinutes = checkTimeBudget(minutes);
		return this;
	}

	public TrainingConfig epochs(final int n) {
		epochs = positive("epochs", n);
		return this;
	}

	public TrainingConfig iterationsPerEpoch(final int n) {
		iterationsPerEpoch = positive("iterations_per_epoch", n);
		return this;
	}

	public TrainingConfig batchSize(final int n) {
		batchSize = positive("batch_size", n);
		return this;
	}

	/** Patch size: one value (cube) or three (x, y, z); each a multiple of the network's size multiple. */
	public TrainingConfig patchSize(final int... size) {
		sampler.patchSize(size);
		return this;
	}

	/** The run seed: patch sampling and weight initialisation. */
	public TrainingConfig seed(final long s) {
		seed = s;
		return this;
	}

	/** Intensity preprocessing of every channel; {@code null} = none. */
	public TrainingConfig preprocessing(final Preprocessing p) {
		preprocessing = p == null ? Preprocessing.NONE : p;
		return this;
	}

	/** Data augmentation; {@code null} = none (the paper). */
	public TrainingConfig augmentation(final Augmentation a) {
		sampler.augmentation(a);
		return this;
	}

	/** A checkpoint every {@code n} iterations (and always at the end or on cancel). */
	public TrainingConfig checkpointEvery(final int n) {
		checkpointEvery = positive("checkpoint_every", n);
		return this;
	}

	/** {@code auto}, {@code cpu} or {@code gpu}. */
	public TrainingConfig device(final String d) {
		device = Device.fromString(d).key();
		return this;
	}

	/** Background threads preparing batches (≥ 1) and how many batches they prepare ahead (≥ 1). */
	public TrainingConfig loader(final int threads, final int ahead) {
		loaderThreads = positive("loader threads", threads);
		prefetch = positive("prefetch", ahead);
		return this;
	}

	/** TensorFlow's intra- and inter-op thread counts (0 = TensorFlow's choice; 1 and 1 for bitwise reproducible CPU runs). */
	public TrainingConfig sessionThreads(final int intra, final int inter) {
		if (intra < 0 || inter < 0) throw new IllegalArgumentException(OP + ": thread counts must be ≥ 0, but were " + intra + ", " + inter + ".");
		intraOpThreads = intra;
		interOpThreads = inter;
		return this;
	}

	/**
	 * Stops this session after {@code n} iterations (≥ 1), as an interruption would: a checkpoint is written
	 * and the folder stays resumable. {@code -1} (default) trains to the end.
	 */
	public TrainingConfig stopAfter(final long n) {
		if (n == 0 || n < -1) throw new IllegalArgumentException(OP + ": stop_after must be ≥ 1 or -1 (off), but was " + n + ".");
		stopAfter = n;
		return this;
	}

	/** Iterations after which this session stops (−1 = off). */
	public long stopAfter() {
		return stopAfter;
	}

	public UNetConfig network() {
		return network;
	}

	public LossKind loss() {
		return loss;
	}

	public LossParameters lossParameters() {
		return lossParameters;
	}

	public WeightScheme weighting() {
		return sampler.weighting();
	}

	/** Whether the loss receives a weight map. */
	public boolean weighted() {
		return weighting() != WeightScheme.UNIFORM;
	}

	public OptimizerKind optimizer() {
		return optimizer;
	}

	public double learningRate() {
		return learningRate;
	}

	public double momentum() {
		return momentum;
	}

	/** The 0-based epoch after which the rate drops: set explicitly, or ⌊{@link #LR_DROP_FRACTION_DEFAULT} · epochs⌋. */
	public int lrDropEpoch() {
		return lrDropEpoch != null ? lrDropEpoch : (int) Math.floor(LR_DROP_FRACTION_DEFAULT * epochs);
	}

	/** The time budget in minutes, 0 when off. */
	public double timeBudgetMinutes() {
		return timeBudgetMinutes;
	}

	public double lrDropFactor() {
		return lrDropFactor;
	}

	public int epochs() {
		return epochs;
	}

	public int iterationsPerEpoch() {
		return iterationsPerEpoch;
	}

	/** Epochs × iterations per epoch. */
	public long totalIterations() {
		return (long) epochs * iterationsPerEpoch;
	}

	public int batchSize() {
		return batchSize;
	}

	/** Patch size (x, y, z). */
	public int[] patchSize() {
		return sampler.patchSize();
	}

	public long seed() {
		return seed;
	}

	public Preprocessing preprocessing() {
		return preprocessing;
	}

	public Augmentation augmentation() {
		return sampler.augmentation();
	}

	/**
	 * The sampler's settings, held by this configuration (not a copy): set the weight clip, the lesion-centred
	 * fraction, the lesion-free weight and padding here, e.g. {@code config.sampler().padding(false)}.
	 */
	public PatchSampler.Settings sampler() {
		return sampler;
	}

	/** Checkpoint interval in iterations. */
	public int checkpointEvery() {
		return checkpointEvery;
	}

	public String device() {
		return device;
	}

	public int loaderThreads() {
		return loaderThreads;
	}

	/** Batches prepared ahead. */
	public int prefetch() {
		return prefetch;
	}

	/** Intra-op threads (0 = TensorFlow's choice). */
	public int intraOpThreads() {
		return intraOpThreads;
	}

	/** Inter-op threads (0 = TensorFlow's choice). */
	public int interOpThreads() {
		return interOpThreads;
	}

	/**
	 * The learning rate of a 0-based epoch: {@code learningRate · factor} for epochs after the drop epoch
	 * (dpipe's {@code Schedule(initial, {80: 0.1})} applied when epoch 80 finishes).
	 */
	public double learningRateAt(final long epoch) {
		final int drop = lrDropEpoch();
		return drop >= 0 && epoch > drop ? learningRate * lrDropFactor : learningRate;
	}

	/** An independent copy (the sampler's settings are the only mutable part). */
	public TrainingConfig copy() {
		try {
			final TrainingConfig c = (TrainingConfig) super.clone();
			c.sampler = sampler.copy();
			return c;
		}
		catch (final CloneNotSupportedException e) {
			throw new IllegalStateException(e);
		}
	}

	/** The configuration as a JSON-ready map (snake_case keys, the same as the command's parameters where they exist). */
	public Map< String, Object > toMap() {
		return Json.object("network", network.toMap(), "loss", loss.key(), "loss_parameters",
				Json.object("beta", lossParameters.beta(), "gamma", lossParameters.gamma(), "alpha", lossParameters.alpha(), "pos_weight_scale",
						lossParameters.posWeightScale(), "asl_variant", lossParameters.aslVariant().key(), "wce_pos_weight_source",
						lossParameters.wcePosWeightSource().key()),
				"weighting", weighting().key(), "w_min", sampler.wMin(), "w_max", sampler.wMax(), "optimizer", optimizer.key(), "learning_rate", learningRate,
				"momentum", momentum, "lr_drop_epoch", lrDropEpoch == null ? "auto" : (Object) lrDropEpoch, "time_budget_minutes", timeBudgetMinutes,
				"bce_term", bceTerm, "lr_drop_factor", lrDropFactor, "epochs", epochs, "iterations_per_epoch", iterationsPerEpoch, "batch_size", batchSize,
				"patch_size", Arrays.stream(sampler.patchSize()).boxed().toList(), "seed", Long.toString(seed), "preprocessing", preprocessing.toMap(),
				"lesion_centred_fraction", sampler.lesionCentredFraction(), "lesion_free_weight", sampler.lesionFreeWeight(), "padding", sampler.padding(),
				"augmentation", sampler.augmentation().toMap(), "checkpoint_every", checkpointEvery, "device", device, "loader_threads", loaderThreads,
				"prefetch", prefetch, "intra_op_threads", intraOpThreads, "inter_op_threads", interOpThreads);
	}

	@SuppressWarnings("unchecked")
	private static < T > T get(final Map< String, ? > m, final String key, final T fallback) {
		final Object v = m.get(key);
		return v == null ? fallback : (T) v;
	}

	private static int i(final Map< String, ? > m, final String key, final int fallback) {
		return get(m, key, (Number) fallback).intValue();
	}

	private static double d(final Map< String, ? > m, final String key, final double fallback) {
		return get(m, key, (Number) fallback).doubleValue();
	}

	/** Reads a map written by {@link #toMap()}; missing keys keep the defaults. */
	@SuppressWarnings("unchecked")
	public static TrainingConfig fromMap(final Map< String, ? > m) {
		final TrainingConfig c = new TrainingConfig();
		if (m.get("network") instanceof Map) c.network(UNetConfig.fromMap((Map< String, ? >) m.get("network")));
		c.loss(get(m, "loss", LOSS_DEFAULT.key()));
		final Map< String, ? > lp = get(m, "loss_parameters", Map.of());
		c.lossParameters(LossParameters.defaults().beta(d(lp, "beta", LossParameters.BETA_DEFAULT)).gamma(d(lp, "gamma", LossParameters.GAMMA_DEFAULT))
				.alpha(d(lp, "alpha", LossParameters.ALPHA_DEFAULT)).posWeightScale(d(lp, "pos_weight_scale", LossParameters.POS_WEIGHT_SCALE_DEFAULT))
				.aslVariant(AslVariant.fromString(get(lp, "asl_variant", LossParameters.ASL_VARIANT_DEFAULT.key())))
				.wcePosWeightSource(WcePosWeightSource.fromString(get(lp, "wce_pos_weight_source", LossParameters.WCE_POS_WEIGHT_SOURCE_DEFAULT.key()))));
		c.weighting(get(m, "weighting", WEIGHTING_DEFAULT.key()));
		c.sampler.clip(d(m, "w_min", WeightMaps.W_MIN_DEFAULT), d(m, "w_max", WeightMaps.W_MAX_DEFAULT));
		c.optimizer(OptimizerKind.fromString(get(m, "optimizer", OPTIMIZER_DEFAULT.key())));
		c.learningRate(d(m, "learning_rate", LEARNING_RATE_DEFAULT));
		c.momentum(d(m, "momentum", MOMENTUM_DEFAULT));
		c.learningRateDrop(0, d(m, "lr_drop_factor", LR_DROP_FACTOR_DEFAULT));
		if (m.get("lr_drop_epoch") instanceof Number n) c.learningRateDrop(n.intValue(), c.lrDropFactor());
		else
			c.learningRateDropAuto();
		c.timeBudgetMinutes(d(m, "time_budget_minutes", 0));
		c.bceTerm(d(m, "bce_term", 0));
		c.epochs(i(m, "epochs", EPOCHS_DEFAULT));
		c.iterationsPerEpoch(i(m, "iterations_per_epoch", ITERATIONS_PER_EPOCH_DEFAULT));
		c.batchSize(i(m, "batch_size", BATCH_SIZE_DEFAULT));
		final List< Object > ps = get(m, "patch_size", null);
		if (ps != null) c.patchSize(ps.stream().mapToInt(o -> ((Number) o).intValue()).toArray());
		final Object seed = m.get("seed");
		if (seed != null) c.seed(seed instanceof Number ? ((Number) seed).longValue() : Long.parseLong(seed.toString()));
		if (m.get("preprocessing") instanceof Map) c.preprocessing(Preprocessing.fromMap((Map< String, ? >) m.get("preprocessing")));
		c.sampler.lesionCentredFraction(d(m, "lesion_centred_fraction", PatchSampler.LESION_CENTRED_FRACTION_DEFAULT));
		c.sampler.lesionFreeWeight(d(m, "lesion_free_weight", PatchSampler.LESION_FREE_WEIGHT_DEFAULT));
		c.sampler.padding(get(m, "padding", Boolean.TRUE));
		c.augmentation(Augmentation.fromMap(get(m, "augmentation", Map.of())));
		c.checkpointEvery(i(m, "checkpoint_every", CHECKPOINT_EVERY_DEFAULT));
		c.device(get(m, "device", DEVICE_DEFAULT));
		c.loader(i(m, "loader_threads", LOADER_THREADS_DEFAULT), i(m, "prefetch", PREFETCH_DEFAULT));
		c.sessionThreads(i(m, "intra_op_threads", 0), i(m, "inter_op_threads", 0));
		return c;
	}

	@Override
	public String toString() {
		return network.preset() + " " + loss.key() + "/" + weighting().key() + " " + optimizer.key() + " lr " + learningRate + " " + epochs + "×"
				+ iterationsPerEpoch + " batch " + batchSize + " patch " + Arrays.toString(sampler.patchSize()) + " seed " + seed;
	}
}
