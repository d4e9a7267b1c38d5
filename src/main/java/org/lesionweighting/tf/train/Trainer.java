package org.lesionweighting.tf.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.lesionweighting.tf.data.Batch;
import org.lesionweighting.tf.data.BatchQueue;
import org.lesionweighting.tf.data.PatchSampler;
import org.lesionweighting.tf.data.TrainingCase;
import org.lesionweighting.tf.data.TrainingData;
import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.tf.infer.TilingOptions;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.tf.model.Devices;
import org.lesionweighting.tf.model.ModelMetadata;
import org.lesionweighting.tf.model.SavedModels;
import org.lesionweighting.util.AtomicFiles;
import org.lesionweighting.util.Cancellation;
import org.lesionweighting.util.Json;
import org.lesionweighting.util.ProgressListener;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/**
 * Trains the lesion segmentation network (doc/method.md §3): the paper's patch sampling and per-patch weights
 * ({@link PatchSampler}), a loss of {@code tf.loss}, SGD with Nesterov momentum (or Adam) and the
 * learning-rate drop, checkpoints, resume, cancellation, validation and the final SavedModel export.
 * <pre>{@code
 * TrainingResult r = Trainer.create(new TrainingConfig().preset("small").patchSize(32), data, modelFolder)
 *     .listener(listener).run();
 * // later, after a cancel or a killed process:
 * Trainer.resume(modelFolder, data).run();
 * }</pre>
 * <b>Model folder.</b> {@code training/checkpoint/} holds the latest checkpoint (all graph variables
 * including optimizer slots, plus {@code state.json}: configuration, iteration, history); it is replaced
 * atomically (written to {@code checkpoint.tmp}, then renamed; a crash in between leaves
 * {@code checkpoint.old}, which resume also accepts). {@code history.csv} (iteration, loss,
 * learning_rate, seconds) and {@code validation.csv} are rewritten at each checkpoint. At the end the
 * SavedModel (tag {@code serve}, signature {@code serving_default}, input {@code image}, output
 * {@code logits}) and its metadata are exported into the folder.
 * <p>
 * <b>Validation and model selection.</b> With validation cases every epoch ends with a lesion-wise validation
 * ({@link Validation}: voxel Dice and one-to-one lesion F1 of Segment Lesions' tiled inference); the weights of the
 * best score are kept in {@code training/best/} and exported to the folder, and those of the last iteration to
 * {@code last/} when they differ. Without validation cases the last iteration is exported, as the paper.
 * <p>
 * <b>Time budget.</b> With {@link TrainingConfig#timeBudgetMinutes} the epochs are fitted to the budget after
 * {@value #BUDGET_TIMING_ITERATIONS} iterations and again at each epoch end (see {@code budgetIterations}).
 * <p>
 * <b>Determinism.</b> Batches are a pure function of (seed, iteration) and the weights are initialised
 * from the seed, so a run is repeatable and a resumed run continues exactly where it stopped. With
 * {@link TrainingConfig#sessionThreads(int, int) sessionThreads(1, 1)} CPU runs are bitwise repeatable
 * (multi-threaded CPU reductions may sum in a different order; GPU kernels such as the Conv3D filter
 * gradient are not deterministic).
 * <p>
 * <b>Cancellation.</b> Between steps the trainer checks the thread's interrupt flag
 * ({@link Cancellation#check}) and the optional {@link #cancelWhen} supplier. On cancel it writes a
 * checkpoint, exports the SavedModel of the iteration reached (usable for inference at once; its metadata says
 * {@code "status": "cancelled"}; nothing is exported when no iteration was done) and returns
 * {@link TrainingResult.Status#CANCELLED} (the interrupt flag is restored). {@link #stopAfter} (tests, staged
 * runs) only writes the checkpoint.
 * <p>
 * <b>History.</b> Besides the status strings of the {@link #listener progress listener}, a
 * {@link #historyListener history listener} receives the numeric history (the rows of {@code history.csv} and
 * the validation Dice) as it grows, e.g. for a live loss plot.
 * <p>
 * Threading: {@link #run()} blocks; batches are prepared by {@link TrainingConfig#loader(int, int)}
 * background threads owned by the run. One run per model folder at a time.
 */
public final class Trainer {

	/** Sub-folder of the model folder with checkpoints. */
	public static final String TRAINING_FOLDER = "training";

	/** The checkpoint folder inside {@link #TRAINING_FOLDER}. */
	public static final String CHECKPOINT = "checkpoint";

	/** The state file inside the checkpoint folder. */
	public static final String STATE_FILE = "state.json";

	/** The history CSV in the model folder. */
	public static final String HISTORY_FILE = "history.csv";

	/** The validation CSV in the model folder. */
	public static final String VALIDATION_FILE = "validation.csv";

	/** The variables of the best validation score, inside {@link #TRAINING_FOLDER}. */
	public static final String BEST = "best";

	/** The model of the last iteration when the model folder holds the best one. */
	public static final String LAST_FOLDER = "last";

	private static final String VARIABLES_PREFIX = "variables";

	private static final String OP = "Trainer";

	private final TrainingConfig config;

	private final TrainingData data;

	private final Path folder;

	/** The checkpoint a resumed run continues; {@code null} for a new run. */
	private final CheckpointState resumeState;

	private ProgressListener listener = ProgressListener.NONE;

	private BooleanSupplier cancelRequested = () -> false;

	private TrainingHistoryListener historyListener;

	/** The plan's map ({@link DatasetPlan#toMap}), kept in the checkpoint so a resumed run exports it too; null = none. */
	private Map< String, Object > plan;

	/** The history listener of the running {@link #run()}; {@code null} after it failed. Training thread only. */
	private TrainingHistoryListener activeHistory;

	private Trainer(final TrainingConfig config, final TrainingData data, final Path folder, final CheckpointState resumeState) {
		this.config = config;
		this.data = data;
		this.folder = folder;
		this.resumeState = resumeState;
		if (resumeState != null) plan = resumeState.plan();
	}

	/**
	 * A new run. Nothing is checked or written until {@link #run()}.
	 *
	 * @param config the configuration (copied)
	 * @param data training (and validation) cases, preprocessed with {@code config.preprocessing()}
	 * @param modelFolder output folder: created if missing; must not hold another run
	 */
	public static Trainer create(final TrainingConfig config, final TrainingData data, final Path modelFolder) {
		return new Trainer(config.copy(), data, modelFolder, null);
	}

	/**
	 * Continues the run stored in {@code modelFolder} with its stored configuration.
	 *
	 * @param modelFolder a folder written by an earlier cancelled, stopped or killed run
	 * @param data the same cases as the original run (checked by name)
	 * @throws IOException if the folder holds no readable checkpoint
	 */
	public static Trainer resume(final Path modelFolder, final TrainingData data) throws IOException {
		final CheckpointState state = readState(modelFolder);
		return new Trainer(state.config(), data, modelFolder, state);
	}

	/**
	 * The configuration stored with the checkpoint of {@code modelFolder} (to load the data with the same
	 * preprocessing before {@link #resume}).
	 *
	 * @throws IOException if the folder holds no readable checkpoint
	 */
	public static TrainingConfig storedConfig(final Path modelFolder) throws IOException {
		return readState(modelFolder).config();
	}

	/** Whether {@code modelFolder} holds a checkpoint that {@link #resume} can continue. */
	public static boolean hasCheckpoint(final Path modelFolder) {
		return checkpointDir(modelFolder) != null;
	}

	/** Receives progress (iteration, loss, time left); {@code null} = none. */
	public Trainer listener(final ProgressListener l) {
		listener = ProgressListener.orNone(l);
		return this;
	}

	/**
	 * Receives the numeric history (restored rows at the start, then one row per iteration, and the validation
	 * Dice per epoch) on the training thread; see {@link TrainingHistoryListener} for the order of calls and
	 * what happens when it throws.
	 *
	 * @param l the listener; {@code null} = none
	 */
	public Trainer historyListener(final TrainingHistoryListener l) {
		historyListener = l;
		return this;
	}

	/** The plan this run was configured from: written as {@value DatasetPlan#FILE} and into the model metadata; {@code null} = none. */
	public Trainer plan(final DatasetPlan p) {
		plan = p == null ? null : p.toMap();
		return this;
	}

	/** A cancel request polled between steps, e.g. a command's {@code isCanceled}. */
	public Trainer cancelWhen(final BooleanSupplier s) {
		cancelRequested = s == null ? () -> false : s;
		return this;
	}

	/** Options for this session only (not stored): stop after {@code n} iterations, see {@link TrainingConfig#stopAfter}. */
	public Trainer stopAfter(final long n) {
		config.stopAfter(n);
		return this;
	}

	/** Session threads for this session only (not part of the result; see {@link TrainingConfig#sessionThreads}). */
	public Trainer sessionThreads(final int intra, final int inter) {
		config.sessionThreads(intra, inter);
		return this;
	}

	private static Path checkpointDir(final Path folder) {
		return Stream.of(CHECKPOINT, CHECKPOINT + ".old").map(folder.resolve(TRAINING_FOLDER)::resolve).filter(p -> Files.isRegularFile(p.resolve(STATE_FILE)))
				.findFirst().orElse(null);
	}

	private static CheckpointState readState(final Path folder) throws IOException {
		final Path dir = checkpointDir(folder);
		if (dir == null)
			throw new IOException(OP + ".resume: " + folder + " holds no checkpoint (" + TRAINING_FOLDER + "/" + CHECKPOINT + "/" + STATE_FILE
					+ "); start a new run instead of resuming.");
		return CheckpointState.read(dir);
	}

	/**
	 * Checks everything that can be checked before any work: dataset, channels, patch size against the
	 * network and the images, and the model folder.
	 *
	 * @return the sampler of the run
	 * @throws IllegalArgumentException for bad inputs
	 * @throws IOException if the model folder is not writable or already holds another run
	 */
	PatchSampler validate() throws IOException {
		if (data == null || data.training().isEmpty())
			throw new IllegalArgumentException(OP + ": the dataset '" + (data == null ? null : data.name())
					+ "' has no training case with an image and a label; check the dataset folder (imagesTr/labelsTr or images/labels).");
		final int[] p = config.patchSize();
		config.network().requireInputSize(OP + " (patch_size)", p[2], p[1], p[0]);
		final PatchSampler sampler = new PatchSampler(data.training(), config.sampler(), config.seed());
		for (final TrainingCase v : data.validation())
			if (v.numChannels() != sampler.numChannels())
				throw new IllegalArgumentException(OP + ": validation case '" + v.name() + "' has " + v.numChannels() + " channels but the training cases have "
						+ sampler.numChannels() + ".");
		if (resumeState != null) {
			final List< String > names = resumeState.cases();
			if (names != null && !names.equals(data.trainingNames()))
				throw new IllegalArgumentException(OP + ".resume: the dataset differs from the one the run started with (" + names.size() + " cases "
						+ abbreviate(names) + " vs " + data.training().size() + " cases " + abbreviate(data.trainingNames())
						+ "); resume with the same dataset or start a new run in another folder.");
		}
		else if (hasCheckpoint(folder) || Files.exists(folder.resolve(HISTORY_FILE)))
			throw new IOException(OP + ": the model folder " + folder + " already holds a training run; resume it (resume=true) or choose another folder.");
		try {
			Files.createDirectories(folder.resolve(TRAINING_FOLDER));
			Files.delete(Files.createTempFile(folder.resolve(TRAINING_FOLDER), ".write-test", ".tmp"));
		}
		catch (final IOException | SecurityException e) {
			throw new IOException(OP + ": cannot write to the model folder " + folder + " (" + e + "); choose a writable folder.", e);
		}
		return sampler;
	}

	private static String abbreviate(final List< String > l) {
		return l.size() <= 3 ? l.toString() : l.subList(0, 3) + "…";
	}

	/**
	 * Runs (or continues) the training.
	 *
	 * @return the outcome; {@link TrainingResult.Status#FINISHED} or {@link TrainingResult.Status#CANCELLED} after
	 *         exporting the model, {@link TrainingResult.Status#STOPPED} after the checkpoint only
	 * @throws IllegalArgumentException for bad inputs (before any work)
	 * @throws IOException if the model folder cannot be written
	 * @throws IllegalStateException if {@code device=gpu} has no usable GPU, or Conv3D gradients cannot be
	 *           registered (Windows)
	 */
	public TrainingResult run() throws IOException {
		final PatchSampler sampler = validate();
		final boolean resumed = resumeState != null;
		final long start = resumed ? resumeState.iteration() : 0;
		final double secondsBefore = resumed ? resumeState.seconds() : 0;
		final List< HistoryRow > history = new ArrayList<>(resumed ? resumeState.history() : List.of());
		final List< ValidationRow > validation = new ArrayList<>(resumed ? resumeState.validation() : List.of());
		Best best = resumed ? resumeState.best() : null;
		final Devices.Selection device = Devices.select(Device.fromString(config.device()));
		final ConfigProto sessionConfig = device.config().toBuilder().setIntraOpParallelismThreads(config.intraOpThreads())
				.setInterOpParallelismThreads(config.interOpThreads()).build();
		listener.status("Training on " + device.used()
				+ (device.gpu() || config.device().equals(Device.CPU.key()) ? "" : " (no usable GPU; device=gpu would say what is missing)"));
		final UNetConfig net = config.network().withInputChannels(sampler.numChannels());
		final boolean budgeted = config.timeBudgetMinutes() > 0 && !resumed;
		long total = config.totalIterations();
		long stopAt = config.stopAfter() > 0 ? Math.min(total, start + config.stopAfter()) : total;
		TrainingResult.Status status = stopAt < total ? TrainingResult.Status.STOPPED : TrainingResult.Status.FINISHED;
		long done = start;
		try (TrainingGraph tg = new TrainingGraph(config, net, sampler.numChannels(), sessionConfig)) {
			if (resumed) tg.restore(resumeState.folder().resolve(VARIABLES_PREFIX).toString());
			else
				tg.initialize();
			final Session session = tg.session();
			final long t0 = System.nanoTime();
			final int perEpoch = config.iterationsPerEpoch();
			long lastCheckpoint = start;
			try (BatchQueue< Batch > queue = new BatchQueue<>(it -> sampler.batch(it, config.batchSize()), start, budgeted ? Long.MAX_VALUE : stopAt,
					config.loaderThreads(), config.prefetch())) {
				activeHistory = historyListener; // the restored history first
				notifyHistory(l -> l.rows(List.copyOf(history)));
				for (final ValidationRow v : validation)
					notifyHistory(l -> l.validation((int) v.epoch(), (v.epoch() + 1) * perEpoch, v.voxelDice()));
				for (long it = start; it < stopAt; it++) {
					if (cancelRequested.getAsBoolean()) throw new CancellationException(OP + ": cancel requested");
					Cancellation.check(OP);
					final long epoch = it / perEpoch;
					final double rate = config.learningRateAt(epoch);
					final Batch b = queue.take();
					final float value = tg.step(b, rate);
					done = it + 1;
					final double seconds = secondsBefore + (System.nanoTime() - t0) * 1e-9;
					final HistoryRow row = new HistoryRow(done, value, rate, seconds);
					history.add(row);
					notifyHistory(l -> l.rows(List.of(row)));
					final boolean refit = done > start + BUDGET_TIMING_ITERATIONS && done % perEpoch == 0 && done < stopAt
							&& done / perEpoch <= config.lrDropEpoch();
					if (budgeted && (done == start + BUDGET_TIMING_ITERATIONS || refit)) {
						total = budgetIterations(history, seconds, refit);
						stopAt = config.stopAfter() > 0 ? Math.min(total, start + config.stopAfter()) : total;
						status = stopAt < total ? TrainingResult.Status.STOPPED : TrainingResult.Status.FINISHED;
					}
					report(history, done, total, start, t0);
					if (!Float.isFinite(value))
						throw new IllegalStateException(OP + ": the loss became " + value + " at iteration " + done + " (learning rate " + rate
								+ "); lower the learning rate or check the data. The last checkpoint (iteration " + lastCheckpoint + ") is kept.");
					if ((done % perEpoch == 0 || done == stopAt && status == TrainingResult.Status.FINISHED) && !data.validation().isEmpty()) {
						final Validation.Score v = Validation.evaluate(session, tg.image(), tg.logits(), data.validation(), net.sizeMultiple(),
								VALIDATION_TILING);
						final ValidationRow scored = new ValidationRow(epoch, v.voxelDice(), v.f1(), v.score());
						validation.add(scored);
						notifyHistory(l -> l.validation((int) epoch, row.iteration(), scored.voxelDice()));
						final boolean better = best == null || v.score() > best.row().score();
						if (better) {
							best = new Best(scored, done);
							saveBest(session);
						}
						listener.status(String.format(Locale.ROOT, "Epoch %d: validation voxel Dice %.4f, lesion F1 %.4f%s", epoch, v.voxelDice(), v.f1(),
								better
										? " (best so far)"
										: String.format(Locale.ROOT, " (best: epoch %d, %.4f / %.4f)", best.row().epoch(), best.row().voxelDice(),
												best.row().lesionF1())));
					}
					if (done % config.checkpointEvery() == 0 && done < stopAt) {
						checkpoint(session, done, seconds, history, validation, best, device, sampler);
						lastCheckpoint = done;
					}
				}
			}
			catch (final CancellationException e) {
				status = TrainingResult.Status.CANCELLED;
			}
			final boolean interrupted = Thread.interrupted();
			try {
				final double seconds = history.isEmpty() ? secondsBefore : history.get(history.size() - 1).seconds();
				listener.status(status == TrainingResult.Status.CANCELLED
						? "Cancelled at iteration " + done + "; writing a checkpoint"
						: "Writing the checkpoint of iteration " + done);
				checkpoint(session, done, seconds, history, validation, best, device, sampler);
				if (status != TrainingResult.Status.STOPPED && done > 0) export(tg, net, sampler, device, history, validation, best, done, status);
			}
			finally {
				if (interrupted) Thread.currentThread().interrupt();
			}
		}
		listener.progress(done / (double) total);
		final TrainingResult result = new TrainingResult(status, done, total, List.copyOf(history), List.copyOf(validation), folder, device.used());
		listener.status(String.format(Locale.ROOT, "Training %s after %d of %d iterations; mean loss of the last 100: %.4f",
				status.name().toLowerCase(Locale.ROOT), done, total, result.meanLoss(100)));
		return result;
	}

	/** Iterations timed at the start of a run with a time budget. */
	static final int BUDGET_TIMING_ITERATIONS = 10;

	/** The share of a time budget kept for validation, checkpoints and the export when there are validation cases. */
	static final double VALIDATION_SHARE = 0.15;

	/** Validation windows: Segment Lesions' defaults, so that the score is that of the model as users run it. */
	static final TilingOptions VALIDATION_TILING = new TilingOptions();

	/**
	 * Sets the epochs of a run with a time budget from the time per iteration measured so far: first after
	 * {@link #BUDGET_TIMING_ITERATIONS} iterations from the steps alone (without the first, which also builds the
	 * graph), keeping {@link #VALIDATION_SHARE} of the budget for validation; then again at the end of every epoch from
	 * the whole run so far, validation included, so that a slow start or a busy machine does not leave the budget
	 * unused or overrun it (until the learning rate has dropped, so that it never rises again). The epochs that fit,
	 * whole, and never fewer than those begun; the learning-rate drop follows them. The configuration stored with the
	 * checkpoints holds the epochs of the last fit, so a resumed run continues that schedule.
	 *
	 * @param refit whether this is a fit at the end of an epoch
	 * @return the new total number of iterations
	 */
	private long budgetIterations(final List< HistoryRow > history, final double seconds, final boolean refit) {
		final int n = history.size();
		final int perEpoch = config.iterationsPerEpoch();
		// first fit: the training steps so far (without the first); later fits: the whole run, validation included
		final double perIteration = refit ? seconds / n : (history.get(n - 1).seconds() - history.get(0).seconds()) / Math.max(1, n - 1);
		final double budget = config.timeBudgetMinutes() * 60 * (refit || data.validation().isEmpty() ? 0.97 : 1 - VALIDATION_SHARE);
		final long iterations = (long) Math.max(0, (budget - seconds) / Math.max(perIteration, 1e-6)) + n;
		final int epochs = (int) Math.min(Integer.MAX_VALUE, Math.max((n + perEpoch - 1) / perEpoch, iterations / perEpoch));
		if (refit && epochs == config.epochs()) return config.totalIterations();
		config.epochs(epochs);
		listener.status(String.format(Locale.ROOT, "Time budget %.1f min at %.2f s/iteration%s: %d epochs of %d iterations", config.timeBudgetMinutes(),
				perIteration, refit ? " (validation included)" : "", epochs, perEpoch));
		return config.totalIterations();
	}

	/**
	 * The best validation score so far.
	 *
	 * @param row its epoch's validation, whose score selects the model
	 * @param iteration iterations done at that validation
	 */
	record Best(ValidationRow row, long iteration) {

		/** {@link ValidationRow#toMap()} with the iteration after the epoch. */
		Map< String, Object > toMap() {
			final Map< String, Object > m = Json.object("epoch", row.epoch(), "iteration", iteration);
			m.putAll(row.toMap());
			return m;
		}

		static Best fromMap(final Object o) {
			if (!(o instanceof Map< ?, ? > m)) return null;
			return new Best(new ValidationRow(((Number) m.get("epoch")).longValue(), ((Number) m.get("voxel_dice")).doubleValue(),
					((Number) m.get("lesion_f1")).doubleValue(), ((Number) m.get("score")).doubleValue()), ((Number) m.get("iteration")).longValue());
		}
	}

	/** Saves every graph variable into a fresh folder {@code dir} (replaced when it exists). */
	private static void saveVariables(final Session session, final Path dir) throws IOException {
		AtomicFiles.deleteTree(dir);
		Files.createDirectories(dir);
		session.save(dir.resolve(VARIABLES_PREFIX).toString());
	}

	/** The variables of the best validation score, kept next to the checkpoint. */
	private void saveBest(final Session session) throws IOException {
		final Path t = folder.resolve(TRAINING_FOLDER);
		final Path tmp = t.resolve(BEST + ".tmp"), cur = t.resolve(BEST);
		saveVariables(session, tmp);
		AtomicFiles.deleteTree(cur);
		SavedModels.move(tmp, cur);
	}

	/**
	 * Exports the SavedModel. With validation, the model folder gets the best-scoring weights and {@code last/} the
	 * weights of the last iteration (when they differ); without, the model folder gets the last weights.
	 */
	private void export(final TrainingGraph tg, final UNetConfig net, final PatchSampler sampler, final Devices.Selection device,
			final List< HistoryRow > history, final List< ValidationRow > validation, final Best best, final long done, final TrainingResult.Status status)
			throws IOException {
		final String note = status == TrainingResult.Status.CANCELLED ? " (cancelled run: usable now, resumable later)" : "";
		final Path bestVariables = folder.resolve(TRAINING_FOLDER).resolve(BEST);
		final boolean lastOnly = best == null || best.iteration() == done || !Files.isDirectory(bestVariables);
		if (lastOnly) listener.status("Exporting the SavedModel of iteration " + done + " to " + folder + note);
		else {
			listener.status("Exporting the SavedModel of the last iteration (" + done + ") to " + folder.resolve(LAST_FOLDER) + note);
			SavedModels.export(tg.session(), tg.image(), tg.network(), metadata(net, sampler, device, history, validation, done, status, best, "last"),
					folder.resolve(LAST_FOLDER).resolve(SavedModels.FOLDER_DEFAULT));
			tg.restore(bestVariables.resolve(VARIABLES_PREFIX).toString());
			listener.status(
					String.format(Locale.ROOT, "Exporting the best SavedModel (epoch %d, iteration %d: validation voxel Dice %.4f, lesion F1 %.4f) to %s",
							best.row().epoch(), best.iteration(), best.row().voxelDice(), best.row().lesionF1(), folder));
		}
		SavedModels.export(tg.session(), tg.image(), tg.network(),
				metadata(net, sampler, device, history, validation, done, status, best, best == null ? "last" : "best"),
				folder.resolve(SavedModels.FOLDER_DEFAULT));
		if (lastOnly) AtomicFiles.deleteTree(folder.resolve(LAST_FOLDER));
	}

	private void notifyHistory(final Consumer< TrainingHistoryListener > call) {
		final TrainingHistoryListener l = activeHistory;
		if (l == null) return;
		try {
			call.accept(l);
		}
		catch (final RuntimeException e) { // dropped for the rest of the run; training goes on unaffected
			activeHistory = null;
			listener.status(
					OP + ": the training history listener failed (" + e + "); training continues without history updates (history.csv is still written).");
		}
	}

	private void report(final List< HistoryRow > history, final long done, final long total, final long start, final long t0) {
		final double perIteration = secondsPerIteration(history, done - start, (System.nanoTime() - t0) * 1e-9);
		final double left = perIteration * (total - done);
		final HistoryRow last = history.get(history.size() - 1);
		listener.status(String.format(Locale.ROOT, "Iteration %d/%d, loss %.4f, lr %.3g, %.2f s/it, %s left", done, total, last.loss(), last.learningRate(),
				perIteration, duration(left)));
		listener.progress(done / (double) total);
	}

	/** Iterations over which {@link #secondsPerIteration} averages. */
	static final int RATE_WINDOW = 20;

	/**
	 * Seconds per iteration for the time-left estimate: the mean of the last {@value #RATE_WINDOW} iterations of
	 * this session, without its first one (which also builds the graph and fills the batch queue); after one
	 * iteration, that iteration's time.
	 *
	 * @param history the history so far (cumulative {@code seconds})
	 * @param thisSession iterations done in this session (at least 1)
	 * @param elapsed seconds of this session
	 */
	static double secondsPerIteration(final List< HistoryRow > history, final long thisSession, final double elapsed) {
		if (thisSession < 2) return elapsed / Math.max(1, thisSession);
		final int k = (int) Math.min(RATE_WINDOW, thisSession - 1);
		final int last = history.size() - 1;
		return (history.get(last).seconds() - history.get(last - k).seconds()) / k;
	}

	static String duration(final double seconds) {
		final long s = Math.round(seconds);
		if (s < 60) return s + " s";
		if (s < 3600) return (s / 60) + " min " + (s % 60) + " s";
		return (s / 3600) + " h " + ((s % 3600) / 60) + " min";
	}

	private void checkpoint(final Session session, final long done, final double seconds, final List< HistoryRow > history,
			final List< ValidationRow > validation, final Best best, final Devices.Selection device, final PatchSampler sampler) throws IOException {
		final Path t = folder.resolve(TRAINING_FOLDER);
		final Path tmp = t.resolve(CHECKPOINT + ".tmp"), cur = t.resolve(CHECKPOINT), old = t.resolve(CHECKPOINT + ".old");
		saveVariables(session, tmp);
		final CheckpointState state = new CheckpointState(done, seconds, config, data.trainingNames(), history, validation, best, plan, null);
		Files.writeString(tmp.resolve(STATE_FILE), state.toJson(device.used(), sampler.seed()));
		if (Files.exists(cur)) {
			AtomicFiles.deleteTree(old);
			SavedModels.move(cur, old);
		}
		SavedModels.move(tmp, cur);
		AtomicFiles.deleteTree(old);
		AtomicFiles.writeString(folder.resolve(HISTORY_FILE), historyCsv(history));
		if (plan != null) DatasetPlan.write(plan, folder);
		if (!validation.isEmpty())
			AtomicFiles.writeString(folder.resolve(VALIDATION_FILE), "epoch,voxel_dice,lesion_f1,score\n"
					+ validation.stream().map(r -> r.epoch() + "," + r.voxelDice() + "," + r.lesionF1() + "," + r.score() + "\n")
							.collect(Collectors.joining()));
	}

	/** The history as CSV: header {@code iteration,loss,learning_rate,seconds}. */
	public static String historyCsv(final List< HistoryRow > history) {
		return "iteration,loss,learning_rate,seconds\n" + history.stream()
				.map(r -> r.iteration() + "," + r.loss() + "," + r.learningRate() + "," + String.format(Locale.ROOT, "%.3f", r.seconds()) + "\n")
				.collect(Collectors.joining());
	}

	private ModelMetadata metadata(final UNetConfig net, final PatchSampler sampler, final Devices.Selection device, final List< HistoryRow > history,
			final List< ValidationRow > validation, final long done, final TrainingResult.Status status, final Best best, final String selected) {
		final int[] p = config.patchSize();
		final List< Map< String, Object > > h = history.stream()
				.map(r -> Json.object("iteration", r.iteration(), "loss", r.loss(), "learning_rate", r.learningRate(), "seconds", r.seconds()))
				.toList();
		final Map< String, Object > extra = Json.object("input_channels", sampler.numChannels(), "iterations", done, "status",
				status.name().toLowerCase(Locale.ROOT), "dataset", data.name(), "training_cases", data.training().size(), "training", config.toMap(),
				"validation_dice", validation.stream().map(r -> List.of((double) r.epoch(), r.voxelDice())).toList(), "validation",
				validation.stream().map(ValidationRow::toMap).toList(), "validation_cases", data.validationNames(), "validation_held_out",
				data.validationHeldOut(), "selected", selected);
		if (plan != null) extra.put("plan", plan);
		if (best != null) extra.put("best", best.toMap());
		return new ModelMetadata(net, config.preprocessing().toMap(), List.of(p[2], p[1], p[0]), Arrays.stream(data.medianSpacing()).boxed().toList(),
				config.loss().key(), config.weighting().key(), config.seed(), device.used(), ModelMetadata.currentSoftware(), h, extra);
	}

}
