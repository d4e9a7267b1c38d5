package org.lesionweighting.engine;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.lesionweighting.io.Dataset;
import org.lesionweighting.io.Datasets;
import org.lesionweighting.io.RejectedCase;
import org.lesionweighting.io.RejectedCases;
import org.lesionweighting.io.Volume;
import org.lesionweighting.io.VolumeIO;
import org.lesionweighting.tf.data.Preprocessing;
import org.lesionweighting.tf.data.TrainingData;
import org.lesionweighting.tf.data.TrainingDatasets;
import org.lesionweighting.tf.data.VolumeReader;
import org.lesionweighting.tf.infer.InferenceOutput;
import org.lesionweighting.tf.infer.InferenceResult;
import org.lesionweighting.tf.infer.ModelInference;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.tf.model.Devices;
import org.lesionweighting.tf.model.ModelMetadata;
import org.lesionweighting.tf.pkg.PackageJobs;
import org.lesionweighting.tf.train.DatasetPlan;
import org.lesionweighting.tf.train.HistoryRow;
import org.lesionweighting.tf.train.ModelFolderGuard;
import org.lesionweighting.tf.train.Trainer;
import org.lesionweighting.tf.train.TrainingConfig;
import org.lesionweighting.tf.train.TrainingHistoryListener;
import org.lesionweighting.tf.train.TrainingResult;
import org.lesionweighting.util.AtomicFiles;
import org.lesionweighting.util.Json;
import org.lesionweighting.util.ProgressListener;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

/**
 * Runs the engine's jobs in this JVM with the plain Java APIs {@link Trainer} and {@link ModelInference}. The TensorFlow
 * worker ({@link EngineWorker}) and the in-process engine ({@link Engines}) both call {@link #run}, so both give the
 * same results.
 * <ul>
 * <li>{@link TrainJob}: result {@code status, iterations, loss_at_end, device, skipped_cases}, {@code config}
 * ({@link TrainingConfig#toMap}), {@code plan} ({@link DatasetPlan#describe}, empty when resumed) and
 * {@code validation_held_out} (the held-out case names, empty when it validated on the training cases); events while it runs:
 * {@link TrainingEvent}s ({@code history}, {@code validation}).</li>
 * <li>{@link SegmentJob}: result {@code lesions, windows, outputs}.</li>
 * <li>{@link DeviceReportJob}: result see {@link #deviceReport}.</li>
 * <li>{@link ExportPackageJob}, {@link VerifyPackageJob}: bioimage.io model packages, results see {@link PackageJobs}.</li>
 * </ul>
 * Threading: blocks the caller; cancellation through {@code cancel} (polled between steps and windows).
 */
public final class EngineJobs {

	private EngineJobs() {}

	/**
	 * Runs one job and streams its events: a train job sends {@link TrainingEvent}s ({@code history} rows,
	 * {@code validation} Dice); the other kinds send none.
	 *
	 * @param listener progress; may be {@code null}
	 * @param log warnings and log lines; may be {@code null}
	 * @param cancel polled for a cancel request; may be {@code null}
	 * @param events receives the events on the job's thread (the caller's); may be {@code null}. A
	 *          {@link RuntimeException} it throws stops the events for the rest of the job and is reported as a
	 *          status line; the training itself is unaffected (see {@link TrainingHistoryListener}).
	 * @return the result map (JSON-compatible values)
	 * @throws IOException if files cannot be read or written
	 * @throws CancellationException if a segmentation was cancelled (training returns status {@code cancelled})
	 * @throws IllegalArgumentException for bad parameters
	 */
	public static Map< String, Object > run(final EngineJob job, final ProgressListener listener, final Consumer< String > log, final BooleanSupplier cancel,
			final Consumer< TrainingEvent > events) throws IOException {
		final BooleanSupplier c = cancel == null ? () -> false : cancel;
		if (job instanceof TrainJob t) return train(t, ProgressListener.orNone(listener), c, events);
		if (job instanceof SegmentJob s) return segment(s, ProgressListener.orNone(listener), log == null ? w -> {} : log, c);
		if (job instanceof ExportPackageJob e) return PackageJobs.export(e.model(), e.output(), e.name(), e.authors(), e.license(), e.dataset(), listener, c);
		if (job instanceof VerifyPackageJob v) return PackageJobs.verify(v.model(), v.device(), ProgressListener.orNone(listener), c);
		return deviceReport(((DeviceReportJob) job).device());
	}

	private static Map< String, Object > train(final TrainJob job, final ProgressListener progress, final BooleanSupplier cancel,
			final Consumer< TrainingEvent > events) throws IOException {
		final Path folder = job.model(), dataset = job.dataset();
		try (ModelFolderGuard guard = ModelFolderGuard.acquire(TRAIN_TITLE, folder, job.resume(), job.overwrite())) {
			final Dataset ds = Datasets.open(dataset);
			final List< RejectedCase > skipped = RejectedCases.require(TRAIN_TITLE, ds, job.skipBadCases());
			final TrainingConfig config;
			final TrainingData data;
			DatasetPlan plan = null;
			if (job.resume()) {
				config = Trainer.storedConfig(folder);
				final Path stored = folder.resolve(DatasetPlan.FILE);
				final double[] spacing = Files.isRegularFile(stored) ? ModelMetadata.planTargetSpacing(Json.parse(Files.readString(stored))) : null;
				data = TrainingDatasets
						.load(dataset, Preprocessing.NONE, job.validationCases(), TrainingDatasets.LESION_VALUE_DEFAULT, VolumeReader.DEFAULT, progress)
						.resampledTo(spacing).preprocessedInPlace(config.preprocessing());
			}
			else {
				final TrainingData read = TrainingDatasets.load(dataset, Preprocessing.NONE, job.validationCases(), TrainingDatasets.LESION_VALUE_DEFAULT,
						VolumeReader.DEFAULT, progress);
				final TrainingData raw = read.resampledTo(DatasetPlan.targetSpacing(read.allCases()));
				plan = DatasetPlan.of(raw.allCases(), ds.channelNames(), Devices.select(Device.fromString(job.choices().device())).gpu());
				progress.status("Plan: " + plan.describe());
				config = job.choices().apply(plan);
				data = raw.preprocessedInPlace(config.preprocessing());
			}
			final Trainer trainer = job.resume() ? Trainer.resume(folder, data) : Trainer.create(config, data, folder).plan(plan);
			if (job.stopAfter() > 0) trainer.stopAfter(job.stopAfter());
			if (job.intraOpThreads() > 0 || job.interOpThreads() > 0) trainer.sessionThreads(job.intraOpThreads(), job.interOpThreads());
			if (events != null) trainer.historyListener(new TrainingHistoryListener() { // the trainer's history as TrainingEvents

				@Override
				public void rows(final List< HistoryRow > rows) {
					events.accept(new TrainingEvent.History(rows, config.iterationsPerEpoch(), config.totalIterations()));
				}

				@Override
				public void validation(final int epoch, final long iteration, final double dice) {
					events.accept(new TrainingEvent.Validation(epoch, iteration, dice));
				}
			});
			if (!skipped.isEmpty()) progress.status(TRAIN_TITLE + ": skipping " + skipped.size() + " rejected case(s): " + RejectedCases.list(skipped));
			final TrainingResult r = trainer.listener(progress).cancelWhen(cancel).run();
			if (!skipped.isEmpty()) AtomicFiles.writeString(folder.resolve(ModelFolderGuard.SKIPPED_CASES_FILE), RejectedCases.csv(skipped));
			return Json.object("status", r.status().name().toLowerCase(Locale.ROOT), "iterations", r.iterations(), "loss_at_end",
					r.meanLoss(config.iterationsPerEpoch()), "device", r.device(), "skipped_cases", skipped.size(), "config", config.toMap(), "plan",
					plan == null ? "" : plan.describe(), "validation_held_out", data.validationHeldOut() ? data.validationNames() : List.of());
		}
	}

	/** The training command's title, for messages of the train job. */
	private static final String TRAIN_TITLE = "Train Lesion Segmenter";

	private static Map< String, Object > segment(final SegmentJob job, final ProgressListener progress, final Consumer< String > log,
			final BooleanSupplier cancel) throws IOException {
		final List< RandomAccessibleInterval< ? extends RealType< ? > > > channels = new ArrayList<>();
		Volume first = null;
		for (final Path p : job.inputs()) {
			final Volume v = VolumeIO.read(p);
			if (first == null) first = v;
			channels.add(v.requireSingle3D("Segment Lesions"));
		}
		final InferenceResult r = ModelInference.segment(job.model(), channels, first.spacing(), job.tiling(), job.device(),
				ProgressListener.cancellable(progress, cancel, "Segment Lesions"), log);
		final Map< String, Object > written = new LinkedHashMap<>();
		for (final Map.Entry< InferenceOutput, Path > e : job.outputs().entrySet()) {
			final RandomAccessibleInterval< ? extends RealType< ? > > image = switch (e.getKey()) {
				case PROBABILITIES -> r.probabilities();
				case LOGITS -> r.logits();
				case MASK -> r.mask();
				case LABELS -> r.labels();
			};
			if (image == null) continue;
			if (e.getValue().getParent() != null) Files.createDirectories(e.getValue().getParent());
			VolumeIO.write(e.getValue(), image, first.geometry());
			written.put(e.getKey().key(), e.getValue().toString());
		}
		return Json.object("lesions", r.numLesions(), "windows", r.numWindows(), "outputs", written);
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
	public static Map< String, Object > deviceReport(final Device device) {
		final String version = TensorFlow.version();
		final List< String > classPath = List.of(System.getProperty("java.class.path", "").split(File.pathSeparator));
		final String nativeJar = classPath.stream().filter(e -> WorkerClassPath.isNative(Paths.get(e))).reduce((a, b) -> b)
				.orElse("(not found on the class path)");
		final boolean gpuJar = nativeJar.endsWith("-gpu.jar")
				|| EngineJobs.class.getClassLoader().getResource("org/tensorflow/internal/c_api/linux-x86_64-gpu/") != null;
		final Devices.Selection sel = Devices.select(device);
		final List< Map< String, Object > > devices = sel.devices().stream()
				.map(d -> Json.object("name", d.name(), "type", d.type(), "memory_bytes", d.memoryBytes())).toList();
		final String cuda = findLibrary("libcudart.so.12"), cudnn = findLibrary("libcudnn.so.9");
		final List< Float > product;
		String ran = "unknown (no run metadata)";
		try (Graph g = new Graph(); Session s = new Session(g, sel.config())) {
			final Ops tf = Ops.create(g);
			final var a = tf.constant(new float[][] { { 1, 2 }, { 3, 4 } });
			final var matMul = tf.withName("device_report_matmul").linalg.matMul(a, a);
			final RunOptions options = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
			try (var result = s.runner().fetch(matMul).setOptions(options).runAndFetchMetadata(); TFloat32 t = (TFloat32) result.get(0)) {
				product = List.of(t.getFloat(0, 0), t.getFloat(0, 1), t.getFloat(1, 0), t.getFloat(1, 1));
				for (final DeviceStepStats d : result.getMetadata().map(m -> m.getStepStats().getDevStatsList()).orElse(List.of()))
					for (final NodeExecStats n : d.getNodeStatsList())
						if (n.getNodeName().contains("device_report_matmul")) ran = d.getDevice();
			}
		}
		return Json.object("tensorflow_version", version, "native_library", gpuJar ? "GPU build" : "CPU build", "native_jar", nativeJar, "devices", devices,
				"cuda_runtime", cuda, "cudnn", cudnn, "selected", sel.used(), "test_op_result", product, "test_op_device", ran, "java",
				System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")", "class_path_tensorflow",
				classPath.stream().filter(e -> e.contains("tensorflow") || e.contains("ndarray")).toList());
	}

	/** The first {@code name} in {@code LD_LIBRARY_PATH} or the usual CUDA and system library folders, or {@code not found}. */
	private static String findLibrary(final String name) {
		final String ld = System.getenv("LD_LIBRARY_PATH");
		return Stream.concat(ld == null ? Stream.empty() : Arrays.stream(ld.split(File.pathSeparator)),
				Stream.of("/usr/local/cuda/lib64", "/usr/local/cuda-12/lib64", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu"))
				.filter(d -> !d.isBlank()).map(d -> Paths.get(d, name)).filter(Files::exists).map(Path::toString).findFirst().orElse("not found");
	}
}
