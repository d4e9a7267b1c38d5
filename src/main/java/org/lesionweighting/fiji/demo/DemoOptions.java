package org.lesionweighting.fiji.demo;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.lesionweighting.engine.Engine;
import org.lesionweighting.engine.Engines;
import org.lesionweighting.tf.loss.LossKind;
import org.lesionweighting.weights.WeightScheme;

/**
 * Settings of the end-to-end demo. The defaults finish in about ten minutes on a 2-core CPU; {@link #quick}
 * in about a minute.
 */
public final class DemoOptions {

	/** Where the report, models, records and the generated dataset go. */
	public static final String OUTPUT_DEFAULT = "demo-output";

	/** The losses compared: the paper's Dice loss with and without inverse weighting. */
	public static final String LOSSES_DEFAULT = "dice,dice+iw";

	/** Seed of the phantom generator, the sampler, the network initialisation and the bootstrap. */
	public static final long SEED_DEFAULT = 42;

	/** Small lesions: equivalent-sphere diameter below this many voxels (the paper's LUNA16 threshold). */
	public static final double SMALL_DIAMETER_DEFAULT = 8;

	/** Bootstrap iterations of the FROC summary (the paper's build_froc notebook uses 50). */
	public static final int BOOTSTRAP_DEFAULT = 50;

	/** Training/test phantom cases (default run). */
	public static final int TRAIN_CASES_DEFAULT = 8, TEST_CASES_DEFAULT = 4;

	/** Phantom volume size (x, y, z) of the default run. */
	public static final long[] CASE_SIZE_DEFAULT = { 96, 96, 64 };

	/** Lesions per phantom case. */
	public static final int LESIONS_PER_CASE_DEFAULT = 24;

	/** Lesion radii of the phantoms, in voxels (log-uniform between them: many small, few large). */
	public static final double MIN_RADIUS_DEFAULT = 1.2, MAX_RADIUS_DEFAULT = 10;

	/**
	 * Lesion contrast and noise of the phantoms (intensity units; tissue is 100). A contrast-to-noise ratio of
	 * 2.5 keeps the smallest lesions hard to see, as in real scans; at the phantom generator's own defaults
	 * (60 and 10) every lesion is found by every loss and the comparison says nothing.
	 */
	public static final double CONTRAST_DEFAULT = 25, NOISE_DEFAULT = 10;

	/** Training iterations per loss of the default run. */
	public static final int ITERATIONS_DEFAULT = 300;

	/** Training patch edge of the default run (a multiple of 2^levels of the small network). */
	public static final int PATCH_DEFAULT = 32;

	/** Quick mode: fewer, smaller cases and iterations, for tests and first contact. */
	public static final int QUICK_TRAIN_CASES = 4, QUICK_TEST_CASES = 2, QUICK_ITERATIONS = 40, QUICK_PATCH = 32, QUICK_BOOTSTRAP = 10;

	/** Quick mode case size. */
	public static final long[] QUICK_CASE_SIZE = { 64, 64, 40 };

	/** Fraction of a real dataset's cases used for testing when it has no test split. */
	public static final double TEST_FRACTION_DEFAULT = 0.3;

	/**
	 * Training minutes of a dataset run, shared among the losses: 24 leaves about 6 minutes of a 30-minute run for
	 * reading, planning, validation, inference and the report on a 2-core CPU.
	 */
	public static final double DATASET_MINUTES_TOTAL = 24;

	/** One trained configuration: a loss and a weighting. */
	public record LossSpec(LossKind loss, WeightScheme weighting) {

		/** Display name: {@code dice}, {@code dice + iw}, {@code dice + legacy}. */
		public String name() {
			return loss.key() + (weighting == WeightScheme.INVERSE_VOLUME ? " + iw" : weighting == WeightScheme.LEGACY ? " + legacy" : "");
		}

		/** File-system friendly name: {@code dice}, {@code dice_iw}. */
		public String folderName() {
			return loss.key() + (weighting == WeightScheme.INVERSE_VOLUME ? "_iw" : weighting == WeightScheme.LEGACY ? "_legacy" : "");
		}
	}

	/** The weightings a losses entry may name after {@code +}. */
	private static final Map< String, WeightScheme > WEIGHTINGS = Map.of("iw", WeightScheme.INVERSE_VOLUME, "inverse_volume", WeightScheme.INVERSE_VOLUME,
			"legacy", WeightScheme.LEGACY);

	private Path output = Paths.get(OUTPUT_DEFAULT);

	private boolean quick;

	private List< LossSpec > losses = parseLosses(LOSSES_DEFAULT);

	private Path dataset;

	private long seed = SEED_DEFAULT;

	private int iterations;

	private String device = "auto";

	private Engine engine = Engine.ENGINE_DEFAULT;

	private double smallDiameter = SMALL_DIAMETER_DEFAULT;

	private boolean skipBadCases;

	private double timeBudget;

	private java.util.function.BooleanSupplier cancelRequest = () -> false;

	/** Output folder. */
	public DemoOptions output(final Path p) {
		output = p;
		return this;
	}

	/** Quick mode (about a minute). */
	public DemoOptions quick(final boolean q) {
		quick = q;
		return this;
	}

	/** Losses as text, e.g. {@code dice,dice+iw,focal,focal+iw}; see {@link #parseLosses(String)}. */
	public DemoOptions losses(final String text) {
		losses = parseLosses(text);
		return this;
	}

	/** A real dataset folder instead of phantoms, or {@code null}. */
	public DemoOptions dataset(final Path p) {
		dataset = p;
		return this;
	}

	public DemoOptions seed(final long s) {
		seed = s;
		return this;
	}

	/** Training iterations per loss; 0 = the mode's default. */
	public DemoOptions iterations(final int n) {
		if (n < 0) throw new IllegalArgumentException("Lesion Weighting Demo: iterations must be 0 (automatic) or positive, but was " + n + ".");
		iterations = n;
		return this;
	}

	/** Where TensorFlow runs: auto, in_process or worker ({@link Engines#resolve}). */
	public DemoOptions engine(final String e) {
		engine = Engine.fromString(e);
		return this;
	}

	public Engine engine() {
		return engine;
	}

	/** TensorFlow device: auto, cpu or gpu. */
	public DemoOptions device(final String d) {
		device = d;
		return this;
	}

	/** Small-lesion diameter threshold in voxels. */
	public DemoOptions smallDiameter(final double d) {
		if (!(d > 0)) throw new IllegalArgumentException("Lesion Weighting Demo: small_diameter must be positive, but was " + d + ".");
		smallDiameter = d;
		return this;
	}

	/**
	 * With a dataset folder: training minutes per loss (0 = {@link #DATASET_MINUTES_TOTAL} shared among the losses,
	 * which keeps the whole run under 30 minutes on a 2-core CPU). Ignored for phantoms and when iterations are given.
	 */
	public DemoOptions timeBudget(final double minutes) {
		if (!(minutes >= 0 && minutes <= 527040))
			throw new IllegalArgumentException(
					"Lesion Weighting Demo: time_budget must be 0 (automatic) or a number of minutes up to a year, but was " + minutes + ".");
		timeBudget = minutes;
		return this;
	}

	/** Training minutes per loss in dataset mode (see {@link #timeBudget(double)}). */
	public double timeBudgetPerLoss() {
		return timeBudget > 0 ? timeBudget : DATASET_MINUTES_TOTAL / Math.max(1, losses.size());
	}

	/** Whether the iterations per loss were given (they then replace the time budget in dataset mode). */
	public boolean iterationsGiven() {
		return iterations > 0;
	}

	/** Continue without the cases a dataset folder rejects (they are listed in the report); by default they stop the demo. */
	public DemoOptions skipBadCases(final boolean skip) {
		skipBadCases = skip;
		return this;
	}

	/** A cancel request polled between steps and by the trainer (e.g. {@code CancelRequests.of(command)}); not part of the results. */
	public DemoOptions cancelWhen(final java.util.function.BooleanSupplier request) {
		cancelRequest = request == null ? () -> false : request;
		return this;
	}

	public boolean skipBadCases() {
		return skipBadCases;
	}

	public java.util.function.BooleanSupplier cancelRequest() {
		return cancelRequest;
	}

	public Path output() {
		return output;
	}

	public boolean quick() {
		return quick;
	}

	public List< LossSpec > losses() {
		return losses;
	}

	public Path dataset() {
		return dataset;
	}

	public long seed() {
		return seed;
	}

	public String device() {
		return device;
	}

	public double smallDiameter() {
		return smallDiameter;
	}

	/** Training iterations per loss. */
	public int iterationsPerLoss() {
		return iterations > 0 ? iterations : quick ? QUICK_ITERATIONS : ITERATIONS_DEFAULT;
	}

	/** Training patch edge. */
	public int patch() {
		return quick ? QUICK_PATCH : PATCH_DEFAULT;
	}

	/** Phantom training cases. */
	public int trainCases() {
		return quick ? QUICK_TRAIN_CASES : TRAIN_CASES_DEFAULT;
	}

	/** Phantom test cases. */
	public int testCases() {
		return quick ? QUICK_TEST_CASES : TEST_CASES_DEFAULT;
	}

	/** Phantom size (x, y, z). */
	public long[] caseSize() {
		return (quick ? QUICK_CASE_SIZE : CASE_SIZE_DEFAULT).clone();
	}

	/** Bootstrap iterations. */
	public int bootstrap() {
		return quick ? QUICK_BOOTSTRAP : BOOTSTRAP_DEFAULT;
	}

	/**
	 * Parses a comma-separated list of losses, each a loss key ({@code dice}, {@code asl}, {@code focal},
	 * {@code bce}, {@code wce}, {@code gdl}) optionally followed by {@code +iw} (inverse-volume weighting, W1)
	 * or {@code +legacy} (W0).
	 *
	 * @throws IllegalArgumentException naming the entry and the accepted values
	 */
	public static List< LossSpec > parseLosses(final String text) {
		final List< LossSpec > out = new ArrayList<>();
		if (text != null) for (final String raw : text.split(",")) {
			final String t = raw.trim().toLowerCase(Locale.ROOT).replace(" ", "");
			if (t.isEmpty()) continue;
			final String[] parts = t.split("\\+", 2);
			final WeightScheme w = parts.length == 1 ? WeightScheme.UNIFORM : WEIGHTINGS.get(parts[1]);
			if (w == null)
				throw new IllegalArgumentException("Lesion Weighting Demo: losses entry '" + raw.trim() + "' has an unknown weighting '+" + parts[1]
						+ "'; use +iw or +legacy, e.g. dice,dice+iw.");
			final LossKind kind;
			try {
				kind = LossKind.fromString(parts[0]);
			}
			catch (final IllegalArgumentException e) {
				throw new IllegalArgumentException("Lesion Weighting Demo: losses entry '" + raw.trim() + "': " + e.getMessage(), e);
			}
			final LossSpec spec = new LossSpec(kind, w);
			if (!out.contains(spec)) out.add(spec);
		}
		if (out.isEmpty()) throw new IllegalArgumentException("Lesion Weighting Demo: losses is empty ('" + text + "'); give at least one, e.g. dice,dice+iw.");
		return out;
	}
}
