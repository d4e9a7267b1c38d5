package org.lesionweighting.tf.train;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import org.lesionweighting.tf.data.Augmentation;
import org.lesionweighting.tf.data.Preprocessing;
import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.tf.infer.TilingOptions;
import org.lesionweighting.tf.loss.LossKind;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.util.Json;
import org.lesionweighting.weights.WeightScheme;

/**
 * The user's training settings as Train Lesion Segmenter takes them: a value, or {@code null} for {@value #AUTO},
 * which leaves the setting to the {@link DatasetPlan dataset plan}. {@link #apply} turns them into the run's
 * {@link TrainingConfig}. The one grammar of these settings ({@link #parse}) serves the command's parameters, the
 * engine job's JSON ({@link #toJson}) and the demo alike.
 *
 * @param loss the loss
 * @param weighting the weighting ({@code none} is accepted for {@code uniform})
 * @param preset the network preset, {@code null} = the plan's
 * @param outputBias the initial bias of the logits, {@code null} = the plan's
 * @param patchSize the training patch (x, y, z), {@code null} = the plan's
 * @param batchSize the batch size
 * @param epochs the epochs, {@code null} = the plan's (a time budget on a CPU, 100 on a GPU)
 * @param timeBudgetMinutes the time budget in minutes (0 = the plan's with auto epochs, none with a number)
 * @param iterationsPerEpoch the iterations per epoch, {@code null} = the plan's
 * @param learningRate the initial learning rate, {@code null} = the plan's (or 1e-2 for a chosen SGD)
 * @param optimizer the optimizer, {@code null} = the plan's
 * @param preprocessing the intensity preprocessing, {@code null} = the plan's
 * @param bceTerm the weight of the added cross-entropy term, {@code null} = the plan's
 * @param checkpointEvery the checkpoint interval in iterations, {@code null} = once per epoch
 * @param augmentation whether patches are augmented ({@link Augmentation#DEFAULT}) or not
 * @param device the device key ({@code auto}, {@code cpu}, {@code gpu})
 * @param seed the run seed
 */
public record TrainingChoices(LossKind loss, WeightScheme weighting, UNetConfig preset, Double outputBias, int[] patchSize, int batchSize, Integer epochs,
		double timeBudgetMinutes, Integer iterationsPerEpoch, Double learningRate, OptimizerKind optimizer, Preprocessing preprocessing, Double bceTerm,
		Integer checkpointEvery, boolean augmentation, String device, long seed) {

	/** The value that leaves a setting to the dataset plan. */
	public static final String AUTO = "auto";

	/** The largest magnitude of a chosen output bias (a logit: ±100 is a certainty far beyond float precision). */
	public static final double OUTPUT_BIAS_LIMIT = 100;

	private static final String OP = "Train Lesion Segmenter";

	/** Every setting checked once, with the rules of {@link TrainingConfig}. */
	public TrainingChoices {
		if (loss == null || weighting == null) throw new IllegalArgumentException(OP + ": loss and weighting must be given; use e.g. dice and inverse_volume.");
		TrainingConfig.positive("batch_size", batchSize);
		if (epochs != null) TrainingConfig.positive("epochs", epochs);
		if (iterationsPerEpoch != null) TrainingConfig.positive("iterations_per_epoch", iterationsPerEpoch);
		if (checkpointEvery != null) TrainingConfig.positive("checkpoint_every", checkpointEvery);
		if (learningRate != null) TrainingConfig.checkLearningRate(learningRate);
		if (bceTerm != null) TrainingConfig.checkBceTerm(bceTerm);
		TrainingConfig.checkTimeBudget(timeBudgetMinutes);
		if (outputBias != null && !(Math.abs(outputBias) <= OUTPUT_BIAS_LIMIT))
			throw new IllegalArgumentException(OP + ": output_bias must be auto or a number from -" + (int) OUTPUT_BIAS_LIMIT + " to " + (int) OUTPUT_BIAS_LIMIT
					+ ", but was " + outputBias + ".");
		patchSize = patchSize == null ? null : patchSize.clone();
		device = Device.fromString(device).key();
	}

	/**
	 * Reads the settings from parameter values (strings as in macros, or numbers and booleans as in JSON); an absent,
	 * blank or {@value #AUTO} value leaves the setting to the plan, or takes the default of {@link TrainingConfig}.
	 *
	 * @param values keys {@code loss, weighting, preset, output_bias, patch_size, batch_size, epochs, time_budget,
	 *        iterations_per_epoch, learning_rate, optimizer, preprocessing, bce_term, checkpoint_every, augmentation,
	 *        device, seed}
	 * @return the settings
	 * @throws IllegalArgumentException naming the parameter and the value for a value that is not of its kind or range
	 */
	public static TrainingChoices parse(final Map< String, ? > values) {
		final String preset = given(values, "preset"), patch = given(values, "patch_size"), optimizer = given(values, "optimizer"),
				pre = given(values, "preprocessing");
		final String augmentation = given(values, "augmentation");
		return new TrainingChoices(LossKind.fromString(Objects.requireNonNullElse(given(values, "loss"), TrainingConfig.LOSS_DEFAULT.key())),
				WeightScheme.fromString(Objects.requireNonNullElse(given(values, "weighting"), TrainingConfig.WEIGHTING_DEFAULT.key())),
				preset == null ? null : UNetConfig.fromString(preset), real(values, "output_bias"),
				patch == null ? null : TilingOptions.parseSize("patch_size", patch),
				Objects.requireNonNullElse(whole(values, "batch_size"), TrainingConfig.BATCH_SIZE_DEFAULT), whole(values, "epochs"),
				Objects.requireNonNullElse(real(values, "time_budget"), 0.0),
				whole(values, "iterations_per_epoch"), real(values, "learning_rate"), optimizer == null ? null : OptimizerKind.fromString(optimizer),
				pre == null ? null : Preprocessing.fromString(pre), real(values, "bce_term"), whole(values, "checkpoint_every"),
				augmentation == null || Boolean.parseBoolean(augmentation),
				Objects.requireNonNullElse(given(values, "device"), TrainingConfig.DEVICE_DEFAULT),
				Objects.requireNonNullElse(parsed(values, "seed", v -> Long.valueOf(v.toLowerCase(Locale.ROOT)), "a whole number"),
						TrainingConfig.SEED_DEFAULT));
	}

	/** The settings under the keys of {@link #parse}, {@value #AUTO} for a setting left to the plan: {@code parse(toJson())} equals this. */
	public Map< String, Object > toJson() {
		return Json.object("loss", loss.key(), "weighting", weighting.key(), "preset", preset == null ? AUTO : preset.preset(), "output_bias", auto(outputBias),
				"patch_size", patchSize == null ? AUTO : patchSize[0] + "," + patchSize[1] + "," + patchSize[2], "batch_size", batchSize, "epochs",
				auto(epochs), "time_budget", timeBudgetMinutes, "iterations_per_epoch", auto(iterationsPerEpoch), "learning_rate", auto(learningRate),
				"optimizer", optimizer == null ? AUTO : optimizer.key(), "preprocessing", preprocessing == null ? AUTO : preprocessing.toString(), "bce_term",
				auto(bceTerm), "checkpoint_every", auto(checkpointEvery), "augmentation", augmentation, "device", device, "seed", Long.toString(seed));
	}

	/**
	 * The run's configuration: the plan's, with every setting that is given taking precedence.
	 * <ul>
	 * <li>{@code epochs} left to the plan trains for {@code timeBudgetMinutes} on a CPU ({@link DatasetPlan#CPU_MINUTES_DEFAULT}
	 * when that is 0) and the paper's 100 epochs on a GPU; a number trains that many epochs, within the time budget when
	 * one is given.</li>
	 * <li>A chosen optimizer without a learning rate gets its own default (Adam the plan's CPU rate, SGD the paper's).</li>
	 * <li>The learning rate drops after 80 % of the epochs, whichever way they were set ({@link TrainingConfig#lrDropEpoch}).</li>
	 * </ul>
	 *
	 * @param plan the dataset plan
	 * @return a new configuration
	 */
	public TrainingConfig apply(final DatasetPlan plan) {
		final TrainingConfig c = plan.trainingConfig(timeBudgetMinutes > 0 ? timeBudgetMinutes : DatasetPlan.CPU_MINUTES_DEFAULT);
		if (epochs != null) c.epochs(epochs).timeBudgetMinutes(timeBudgetMinutes);
		UNetConfig net = preset == null ? c.network() : preset.withOutputBias(c.network().outputBias());
		if (outputBias != null) net = net.withOutputBias(outputBias);
		c.network(net);
		if (patchSize != null) c.patchSize(patchSize);
		if (iterationsPerEpoch != null) c.iterationsPerEpoch(iterationsPerEpoch);
		if (optimizer != null)
			c.optimizer(optimizer).learningRate(optimizer == OptimizerKind.ADAM ? DatasetPlan.CPU_LEARNING_RATE : TrainingConfig.LEARNING_RATE_DEFAULT);
		if (learningRate != null) c.learningRate(learningRate);
		if (preprocessing != null) c.preprocessing(preprocessing);
		if (bceTerm != null) c.bceTerm(bceTerm);
		c.checkpointEvery(checkpointEvery != null ? checkpointEvery : c.iterationsPerEpoch());
		c.augmentation(Augmentation.of(augmentation));
		return c.loss(loss).weighting(weighting).batchSize(batchSize).device(device).seed(seed);
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof TrainingChoices t && toJson().equals(t.toJson());
	}

	@Override
	public int hashCode() {
		return toJson().hashCode();
	}

	@Override
	public String toString() {
		return toJson().toString();
	}

	private static Object auto(final Number v) {
		return v == null ? AUTO : v;
	}

	/** The value of {@code key} as text, or {@code null} when absent, blank or {@value #AUTO}. */
	private static String given(final Map< String, ? > values, final String key) {
		final Object v = values.get(key);
		if (v == null) return null;
		final String s = v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : v.toString().trim();
		return s.isEmpty() || s.equalsIgnoreCase(AUTO) ? null : s;
	}

	/** The value of {@code key} parsed by {@code parse}, {@code null} when not given; {@code kind} names the expected value in the message. */
	private static < T > T parsed(final Map< String, ? > values, final String key, final Function< String, T > parse, final String kind) {
		final String v = given(values, key);
		try {
			return v == null ? null : parse.apply(v);
		}
		catch (final NumberFormatException e) {
			throw new IllegalArgumentException(OP + ": " + key + " must be " + kind + ", but was '" + v + "'.");
		}
	}

	private static Integer whole(final Map< String, ? > values, final String key) {
		return parsed(values, key, Integer::valueOf, "a whole number or auto");
	}

	private static Double real(final Map< String, ? > values, final String key) {
		return parsed(values, key, Double::valueOf, "a number or auto");
	}

}
