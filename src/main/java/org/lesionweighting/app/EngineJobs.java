package org.lesionweighting.app;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.lesionweighting.fiji.worker.TrainingEvents;
import org.lesionweighting.io.Dataset;
import org.lesionweighting.io.Datasets;
import org.lesionweighting.io.RejectedCase;
import org.lesionweighting.io.RejectedCases;
import org.lesionweighting.io.Volume;
import org.lesionweighting.io.VolumeIO;
import org.lesionweighting.tf.data.Augmentation;
import org.lesionweighting.tf.data.Preprocessing;
import org.lesionweighting.tf.data.TrainingData;
import org.lesionweighting.tf.data.TrainingDatasets;
import org.lesionweighting.tf.data.VolumeReader;
import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.tf.infer.Blending;
import org.lesionweighting.tf.infer.InferenceOutput;
import org.lesionweighting.tf.infer.InferenceResult;
import org.lesionweighting.tf.infer.ModelInference;
import org.lesionweighting.tf.infer.TilingOptions;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.tf.model.Devices;
import org.lesionweighting.tf.pkg.PackageJobs;
import org.lesionweighting.tf.train.DatasetPlan;
import org.lesionweighting.tf.train.HistoryRow;
import org.lesionweighting.tf.train.ModelFolderGuard;
import org.lesionweighting.tf.train.OptimizerKind;
import org.lesionweighting.tf.train.Trainer;
import org.lesionweighting.tf.train.TrainingConfig;
import org.lesionweighting.tf.train.TrainingHistoryListener;
import org.lesionweighting.tf.train.TrainingResult;
import org.lesionweighting.util.AtomicFiles;
import org.lesionweighting.util.ProgressListener;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.StepStats;
import org.tensorflow.types.TFloat32;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

/**
 * The engine jobs of the Fiji commands, as plain maps (the JSON of the worker protocol), run in this JVM with
 * the plain Java APIs {@link Trainer} and {@link ModelInference}. The TensorFlow worker
 * ({@link EngineWorker}) and the in-process engine both call {@link #run}, so both give the same results.
 * <ul>
 * <li>{@code train}: {@code dataset}, {@code model} (folders), {@code resume}, {@code validation_cases}, and the
 * command's settings {@code loss, weighting, preset, patch_size, batch_size, epochs, iterations_per_epoch,
 * learning_rate, optimizer, preprocessing, device, seed, checkpoint_every}, {@code overwrite} and
 * {@code skip_bad_cases} (see {@link ModelFolderGuard}, {@link RejectedCases}); optional {@code stop_after},
 * {@code session_threads} ([intra, inter], for repeatable tests). Result: {@code status, iterations,
 * loss_at_end, device, skipped_cases}. Events while it runs: {@link TrainingEvents} ({@code history}, {@code validation}).</li>
 * <li>{@code segment}: {@code model}, {@code inputs} (volume files, one per channel), {@code patch_size,
 * stride, blending, batch_size, device}, {@code outputs} (map from {@code probabilities/logits/mask/labels}
 * to output file). Result: {@code lesions, windows, outputs}.</li>
 * <li>{@code device_report}: {@code device}. Result: see {@link #deviceReport}.</li>
 * <li>{@code export_package}, {@code verify_package}: bioimage.io model packages, see {@link PackageJobs}.</li>
 * </ul>
 * Threading: blocks the caller; cancellation through {@code cancel} (polled between steps and windows).
 */
public final class EngineJobs {

	private EngineJobs() {}

	/**
	 * Runs one job.
	 *
	 * @param job the job ({@code kind} plus parameters)
	 * @param listener progress; may be {@code null}
	 * @param log warnings and log lines; may be {@code null}
	 * @param cancel polled for a cancel request; may be {@code null}
	 * @return the result map (JSON-compatible values)
	 * @throws IOException if files cannot be read or written
	 * @throws CancellationException if a segmentation was cancelled (training returns status {@code cancelled})
	 * @throws IllegalArgumentException for an unknown kind or bad parameters
	 */
	public static Map< String, Object > run(final Map< String, ? > job, final ProgressListener listener, final Consumer< String > log, final BooleanSupplier cancel) throws IOException {
		return run(job, listener, log, cancel, null);
	}

	/**
	 * Runs one job and streams its events: a {@code train} job sends {@link TrainingEvents} ({@code history}
	 * rows, {@code validation} Dice); the other kinds send none.
	 *
	 * @param job the job ({@code kind} plus parameters)
	 * @param listener progress; may be {@code null}
	 * @param log warnings and log lines; may be {@code null}
	 * @param cancel polled for a cancel request; may be {@code null}
	 * @param events receives the events on the job's thread (the caller's); may be {@code null}. A
	 *          {@link RuntimeException} it throws stops the events for the rest of the job and is reported as a
	 *          status line; the training itself is unaffected (see {@link TrainingHistoryListener}).
	 * @return the result map (JSON-compatible values)
	 * @throws IOException if files cannot be read or written
	 * @throws CancellationException if a segmentation was cancelled (training returns status {@code cancelled})
	 * @throws IllegalArgumentException for an unknown kind or bad parameters
	 */
	public static Map< String, Object > run(final Map< String, ? > job, final ProgressListener listener, final Consumer< String > log, final BooleanSupplier cancel, final Consumer< Map< String, Object > > events) throws IOException {
		final String kind = str(job, "kind", "");
		final BooleanSupplier c = cancel == null ? () -> false : cancel;
		final Consumer< String > l = log == null ? s -> {} : log;
		return switch (kind) {
			case "train" -> train(job, ProgressListener.orNone(listener), c, events);
			case "segment" -> segment(job, ProgressListener.orNone(listener), l, c);
			case "device_report" -> deviceReport(str(job, "device", Device.DEVICE_DEFAULT.key()));
			case "export_package", "verify_package" -> PackageJobs.run(job, listener, c);
			default -> throw new IllegalArgumentException("Engine job: unknown kind '" + kind + "'; use train, segment, device_report, export_package or verify_package.");
		};
	}

	private static Map< String, Object > train(final Map< String, ? > job, final ProgressListener progress, final BooleanSupplier cancel, final Consumer< Map< String, Object > > events) throws IOException {
		final Path folder = path(job, "model");
		final Path dataset = path(job, "dataset");
		final boolean resume = Boolean.TRUE.equals(job.get("resume"));
		final int validationCases = integer(job, "validation_cases", TrainingDatasets.VALIDATION_CASES_DEFAULT);
		try (ModelFolderGuard guard = ModelFolderGuard.acquire(TRAIN_TITLE, folder, resume, Boolean.TRUE.equals(job.get("overwrite")))) {
			final Dataset ds = Datasets.open(dataset);
			final List< RejectedCase > skipped = RejectedCases.require(TRAIN_TITLE, ds, Boolean.TRUE.equals(job.get(RejectedCases.SKIP_KEY)));
			final TrainingConfig config;
			final TrainingData data;
			DatasetPlan plan = null;
			if (resume) {
				config = Trainer.storedConfig(folder);
				data = TrainingDatasets.load(dataset, config.preprocessing(), validationCases, TrainingDatasets.LESION_VALUE_DEFAULT, VolumeReader.DEFAULT, progress);
			}
			else {
				final TrainingData raw = TrainingDatasets.load(dataset, Preprocessing.NONE, validationCases, TrainingDatasets.LESION_VALUE_DEFAULT, VolumeReader.DEFAULT, progress);
				final boolean gpu = Devices.select(Device.fromString(str(job, "device", TrainingConfig.DEVICE_DEFAULT))).gpu();
				plan = DatasetPlan.of(raw.allCases(), ds.channelNames(), gpu);
				progress.status("Plan: " + plan.describe());
				config = trainingConfig(job, plan);
				data = raw.preprocessedInPlace(config.preprocessing());
			}
			final Trainer trainer = resume ? Trainer.resume(folder, data) : Trainer.create(config, data, folder).plan(plan);
			if (job.get("stop_after") instanceof Number n) trainer.stopAfter(n.longValue());
			if (job.get("session_threads") instanceof List< ? > t && t.size() == 2) trainer.sessionThreads(((Number) t.get(0)).intValue(), ((Number) t.get(1)).intValue());
			if (events != null) trainer.historyListener(historyEvents(config, events));
			if (!skipped.isEmpty()) progress.status(TRAIN_TITLE + ": skipping " + skipped.size() + " rejected case(s): " + RejectedCases.list(skipped));
			final TrainingResult r = trainer.listener(progress).cancelWhen(cancel).run();
			if (!skipped.isEmpty()) AtomicFiles.writeString(folder.resolve(ModelFolderGuard.SKIPPED_CASES_FILE), RejectedCases.csv(skipped));
			final Map< String, Object > out = new LinkedHashMap<>();
			out.put("status", r.status().name().toLowerCase(Locale.ROOT));
			out.put("iterations", r.iterations());
			out.put("loss_at_end", r.meanLoss(config.iterationsPerEpoch()));
			out.put("device", r.device());
			out.put("skipped_cases", skipped.size());
			return out;
		}
	}

	/** The training command's title, for messages of the {@code train} job. */
	private static final String TRAIN_TITLE = "Train Lesion Segmenter";

	/**
	 * A history listener that turns the trainer's history into {@link TrainingEvents} maps.
	 *
	 * @param config the run's configuration (for {@code iterations_per_epoch}, {@code total_iterations})
	 * @param events receives the maps
	 */
	static TrainingHistoryListener historyEvents(final TrainingConfig config, final Consumer< Map< String, Object > > events) {
		final int perEpoch = config.iterationsPerEpoch();
		final long total = config.totalIterations();
		return new TrainingHistoryListener() {

			@Override
			public void rows(final List< HistoryRow > rows) {
				final List< List< Object > > r = new ArrayList<>(rows.size());
				for (final HistoryRow h : rows)
					r.add(List.of(h.iteration(), h.loss(), h.learningRate(), h.seconds()));
				events.accept(TrainingEvents.history(r, perEpoch, total));
			}

			@Override
			public void validation(final int epoch, final long iteration, final double dice) {
				events.accept(TrainingEvents.validation(epoch, iteration, dice));
			}
		};
	}

	/**
	 * The training configuration of a {@code train} job (the Train Lesion Segmenter command's parameters): the plan's
	 * configuration, with every value that is given and not {@code auto} taking precedence.
	 * <ul>
	 * <li>{@code epochs}: {@code auto} trains for {@code time_budget} minutes on a CPU ({@link DatasetPlan#CPU_MINUTES_DEFAULT}
	 * when that is 0 or absent) and the paper's 100 epochs on a GPU; a number trains that many epochs, within
	 * {@code time_budget} minutes when one is given.</li>
	 * <li>{@code preset}, {@code patch_size}, {@code iterations_per_epoch}, {@code learning_rate}, {@code optimizer},
	 * {@code preprocessing}, {@code checkpoint_every}, {@code output_bias}, {@code bce_term}: {@code auto} or a value.</li>
	 * <li>{@code augmentation} (default true), {@code loss}, {@code weighting}, {@code batch_size}, {@code device},
	 * {@code seed}.</li>
	 * </ul>
	 */
	static TrainingConfig trainingConfig(final Map< String, ? > job, final DatasetPlan plan) {
		final String op = "Train Lesion Segmenter";
		final double budget = number(job, "time_budget", 0);
		final String epochs = given(job, "epochs");
		final TrainingConfig c = plan.trainingConfig(budget > 0 ? budget : DatasetPlan.CPU_MINUTES_DEFAULT);
		if (epochs != null) c.epochs(parseInt(op, "epochs", epochs)).timeBudgetMinutes(budget);
		UNetConfig net = c.network();
		if (given(job, "preset") != null) net = UNetConfig.fromString(given(job, "preset")).withOutputBias(net.outputBias());
		if (given(job, "output_bias") != null) net = net.withOutputBias(parseDouble(op, "output_bias", given(job, "output_bias")));
		c.network(net);
		if (given(job, "patch_size") != null) c.patchSize(TilingOptions.parseSize("patch_size", given(job, "patch_size")));
		if (given(job, "iterations_per_epoch") != null) c.iterationsPerEpoch(parseInt(op, "iterations_per_epoch", given(job, "iterations_per_epoch")));
		if (given(job, "optimizer") != null) c.optimizer(OptimizerKind.fromString(given(job, "optimizer")));
		if (given(job, "learning_rate") != null) c.learningRate(parseDouble(op, "learning_rate", given(job, "learning_rate")));
		else if (given(job, "optimizer") != null) c.learningRate(c.optimizer() == OptimizerKind.ADAM ? DatasetPlan.CPU_LEARNING_RATE : TrainingConfig.LEARNING_RATE_DEFAULT);
		if (given(job, "preprocessing") != null) c.preprocessing(Preprocessing.fromString(given(job, "preprocessing")));
		if (given(job, "bce_term") != null) c.bceTerm(parseDouble(op, "bce_term", given(job, "bce_term")));
		c.checkpointEvery(given(job, "checkpoint_every") != null ? parseInt(op, "checkpoint_every", given(job, "checkpoint_every")) : c.iterationsPerEpoch());
		c.augmentation(Augmentation.of(!Boolean.FALSE.equals(job.get("augmentation")) && !"false".equals(String.valueOf(job.get("augmentation")))));
		return c.loss(str(job, "loss", TrainingConfig.LOSS_DEFAULT.key())).weighting(str(job, "weighting", TrainingConfig.WEIGHTING_DEFAULT.key())).batchSize(integer(job, "batch_size", TrainingConfig.BATCH_SIZE_DEFAULT)).device(str(job, "device", TrainingConfig.DEVICE_DEFAULT)).seed(longValue(job, "seed", TrainingConfig.SEED_DEFAULT));
	}

	/** The job's value for {@code key}, or {@code null} when absent, blank or {@code auto}. */
	private static String given(final Map< String, ? > job, final String key) {
		final String v = str(job, key, null);
		return v == null || v.isBlank() || v.trim().equalsIgnoreCase("auto") ? null : v.trim();
	}

	private static int parseInt(final String op, final String key, final String v) {
		try {
			return Integer.parseInt(v);
		}
		catch (final NumberFormatException e) {
			throw new IllegalArgumentException(op + ": " + key + " must be a whole number or auto, but was '" + v + "'.");
		}
	}

	private static double parseDouble(final String op, final String key, final String v) {
		try {
			return Double.parseDouble(v);
		}
		catch (final NumberFormatException e) {
			throw new IllegalArgumentException(op + ": " + key + " must be a number or auto, but was '" + v + "'.");
		}
	}

	private static Map< String, Object > segment(final Map< String, ? > job, final ProgressListener progress, final Consumer< String > log, final BooleanSupplier cancel) throws IOException {
		final Path model = path(job, "model");
		final List< RandomAccessibleInterval< ? extends RealType< ? > > > channels = new ArrayList<>();
		Volume first = null;
		if (!(job.get("inputs") instanceof List< ? > inputs) || inputs.isEmpty()) throw new IllegalArgumentException("Segment Lesions: the job has no 'inputs' (volume files, one per channel).");
		else for (final Object o : inputs) {
			final Volume v = VolumeIO.read(Paths.get(String.valueOf(o)));
			if (first == null) first = v;
			channels.add(v.requireSingle3D("Segment Lesions"));
		}
		final Map< String, Path > outputs = new LinkedHashMap<>();
		if (job.get("outputs") instanceof Map< ?, ? > m) for (final Map.Entry< ?, ? > e : m.entrySet())
			outputs.put(InferenceOutput.fromString(String.valueOf(e.getKey())).key(), Paths.get(String.valueOf(e.getValue())));
		if (outputs.isEmpty()) throw new IllegalArgumentException("Segment Lesions: the job has no 'outputs' (map from probabilities/logits/mask/labels to a file).");
		final EnumSet< InferenceOutput > wanted = EnumSet.noneOf(InferenceOutput.class);
		for (final String k : outputs.keySet())
			wanted.add(InferenceOutput.fromString(k));
		final TilingOptions options = new TilingOptions().patchSize(TilingOptions.parseSize("patch_size", str(job, "patch_size", Integer.toString(TilingOptions.PATCH_SIZE_DEFAULT)))).stride(TilingOptions.parseSize("stride", str(job, "stride", Integer.toString(TilingOptions.STRIDE_DEFAULT)))).blending(Blending.fromString(str(job, "blending", TilingOptions.BLENDING_DEFAULT.key()))).batchSize(integer(job, "batch_size", TilingOptions.BATCH_SIZE_DEFAULT)).outputs(wanted);
		final InferenceResult r = ModelInference.segment(model, channels, first.spacing(), options, Device.fromString(str(job, "device", Device.DEVICE_DEFAULT.key())), ProgressListener.cancellable(progress, cancel, "Segment Lesions"), log);
		final Map< String, Object > written = new LinkedHashMap<>();
		write(outputs, InferenceOutput.PROBABILITIES, r.probabilities(), first, written);
		write(outputs, InferenceOutput.LOGITS, r.logits(), first, written);
		write(outputs, InferenceOutput.MASK, r.mask(), first, written);
		write(outputs, InferenceOutput.LABELS, r.labels(), first, written);
		final Map< String, Object > out = new LinkedHashMap<>();
		out.put("lesions", r.numLesions());
		out.put("windows", r.numWindows());
		out.put("outputs", written);
		return out;
	}

	private static void write(final Map< String, Path > outputs, final InferenceOutput which, final RandomAccessibleInterval< ? extends RealType< ? > > image, final Volume like, final Map< String, Object > written) throws IOException {
		final Path p = outputs.get(which.key());
		if (p == null || image == null) return;
		if (p.getParent() != null) Files.createDirectories(p.getParent());
		VolumeIO.write(p, image, like.geometry());
		written.put(which.key(), p.toString());
	}

	/**
	 * The TensorFlow device report: version, native library (CPU or GPU build, from the native jar on the class
	 * path), visible devices, CUDA/cuDNN libraries found, and the device a tiny test op ran on (from the run
	 * metadata's step statistics).
	 *
	 * @param device the device choice ({@code auto}, {@code cpu}, {@code gpu})
	 * @return keys {@code tensorflow_version, native_library, native_jar, devices} (list of {@code name, type,
	 *         memory_bytes}), {@code cuda_runtime, cudnn} (path or {@code not found}), {@code selected},
	 *         {@code test_op_device}, {@code test_op_result}, {@code java}, {@code class_path_tensorflow}
	 */
	public static Map< String, Object > deviceReport(final String device) {
		final Map< String, Object > out = new LinkedHashMap<>();
		out.put("tensorflow_version", TensorFlow.version());
		String nativeJar = "(not found on the class path)";
		for (final String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
			final String n = Paths.get(e).getFileName() == null ? "" : Paths.get(e).getFileName().toString();
			if (n.matches("tensorflow-core-native-[^-]+-.+\\.jar")) nativeJar = e;
		}
		final boolean gpuJar = nativeJar.endsWith("-gpu.jar") || EngineJobs.class.getClassLoader().getResource("org/tensorflow/internal/c_api/linux-x86_64-gpu/") != null;
		out.put("native_library", gpuJar ? "GPU build" : "CPU build");
		out.put("native_jar", nativeJar);
		final Devices.Selection sel = Devices.select(Device.fromString(device));
		final List< Object > devices = new ArrayList<>();
		for (final Devices.DeviceInfo d : sel.devices()) {
			final Map< String, Object > m = new LinkedHashMap<>();
			m.put("name", d.name());
			m.put("type", d.type());
			m.put("memory_bytes", d.memoryBytes());
			devices.add(m);
		}
		out.put("devices", devices);
		out.put("cuda_runtime", findLibrary("libcudart.so.12"));
		out.put("cudnn", findLibrary("libcudnn.so.9"));
		out.put("selected", sel.used());
		try (Graph g = new Graph(); Session s = new Session(g, sel.config())) {
			final Ops tf = Ops.create(g);
			final var a = tf.constant(new float[][] { { 1, 2 }, { 3, 4 } });
			final var product = tf.withName("device_report_matmul").linalg.matMul(a, a);
			final RunOptions options = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
			try (var result = s.runner().fetch(product).setOptions(options).runAndFetchMetadata(); TFloat32 t = (TFloat32) result.get(0)) {
				out.put("test_op_result", List.of(t.getFloat(0, 0), t.getFloat(0, 1), t.getFloat(1, 0), t.getFloat(1, 1)));
				final RunMetadata meta = result.getMetadata().orElse(null);
				String ran = "unknown (no run metadata)";
				if (meta != null) {
					final StepStats st = meta.getStepStats();
					for (int i = 0; i < st.getDevStatsCount(); i++)
						for (int j = 0; j < st.getDevStats(i).getNodeStatsCount(); j++)
							if (st.getDevStats(i).getNodeStats(j).getNodeName().contains("device_report_matmul")) ran = st.getDevStats(i).getDevice();
				}
				out.put("test_op_device", ran);
			}
		}
		out.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")");
		final List< String > tfJars = new ArrayList<>();
		for (final String e : System.getProperty("java.class.path", "").split(File.pathSeparator))
			if (e.contains("tensorflow") || e.contains("ndarray")) tfJars.add(e);
		out.put("class_path_tensorflow", tfJars);
		return out;
	}

	private static String findLibrary(final String name) {
		final List< String > dirs = new ArrayList<>();
		final String ld = System.getenv("LD_LIBRARY_PATH");
		if (ld != null) dirs.addAll(Arrays.asList(ld.split(File.pathSeparator)));
		dirs.addAll(List.of("/usr/local/cuda/lib64", "/usr/local/cuda-12/lib64", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu"));
		for (final String d : dirs) {
			if (d.isBlank()) continue;
			final Path p = Paths.get(d, name);
			if (Files.exists(p)) return p.toString();
		}
		return "not found";
	}

	private static String str(final Map< String, ? > job, final String key, final String fallback) {
		final Object v = job.get(key);
		if (v == null) return fallback;
		if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) return Long.toString(d.longValue());
		return v.toString();
	}

	private static Path path(final Map< String, ? > job, final String key) {
		final Object v = job.get(key);
		if (v == null || v.toString().isBlank()) throw new IllegalArgumentException("Engine job: '" + key + "' is required (a folder or file path).");
		return Paths.get(v.toString());
	}

	private static int integer(final Map< String, ? > job, final String key, final int fallback) {
		final Object v = job.get(key);
		return v instanceof Number n ? n.intValue() : v == null ? fallback : Integer.parseInt(v.toString().trim());
	}

	private static long longValue(final Map< String, ? > job, final String key, final long fallback) {
		final Object v = job.get(key);
		if (v instanceof Number n) return n.longValue();
		return v == null ? fallback : Long.parseLong(v.toString().trim());
	}

	private static double number(final Map< String, ? > job, final String key, final double fallback) {
		final Object v = job.get(key);
		return v instanceof Number n ? n.doubleValue() : v == null ? fallback : Double.parseDouble(v.toString().trim());
	}
}
