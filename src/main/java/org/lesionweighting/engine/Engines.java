package org.lesionweighting.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.lesionweighting.io.VolumeGeometry;
import org.lesionweighting.io.VolumeIO;
import org.lesionweighting.tf.infer.InferenceOutput;
import org.lesionweighting.tf.infer.InferenceResult;
import org.lesionweighting.tf.infer.ModelInference;
import org.lesionweighting.tf.infer.TilingOptions;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.util.AtomicFiles;
import org.lesionweighting.util.ProgressListener;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

/**
 * The one place that decides where the TensorFlow engine runs and runs it there: in this JVM
 * ({@link EngineJobs}) or in a worker JVM ({@link WorkerProcess}). Both run the same job map, so both give
 * the same results.
 * <p>
 * {@link Engine#AUTO} resolves to the worker when the system property {@value #ENGINE_PROPERTY} says
 * {@code worker} (the launcher's {@code --worker}), when TensorFlow Java 1.1.0 is not loadable here, or
 * when a foreign TensorFlow is present ({@link TensorFlowCheck}); otherwise to in-process. This class and
 * the worker path load no {@code org.tensorflow} class.
 * <pre>{@code
 * Map<String, Object> r = Engines.run(Engine.AUTO, new TrainJob(dataset, model, choices), listener, log::info, this::isCanceled, null);
 * }</pre>
 */
public final class Engines {

	/** System property overriding what {@link Engine#AUTO} means ({@code worker} or {@code in_process}). */
	public static final String ENGINE_PROPERTY = "lesionweighting.engine";

	private Engines() {}

	/**
	 * Where a job runs, and why.
	 *
	 * @param engine {@link Engine#IN_PROCESS} or {@link Engine#WORKER}
	 * @param reason a user-facing explanation
	 */
	public record Decision(Engine engine, String reason) {

		/** Whether the job runs in the worker. */
		public boolean worker() {
			return engine == Engine.WORKER;
		}
	}

	/**
	 * Resolves an engine choice against this JVM's class path.
	 *
	 * @param requested the user's choice; {@code null} = {@link Engine#AUTO}
	 * @throws IllegalStateException on a platform without TensorFlow native library (one line saying what is
	 *           missing and what to use instead, {@link FijiPlatform#requireNative}), and for
	 *           {@link Engine#IN_PROCESS} when TensorFlow Java is missing or a foreign TensorFlow is present (the
	 *           message says how to fix it)
	 */
	public static Decision resolve(final Engine requested) {
		FijiPlatform.requireNative();
		Engine e = requested == null ? Engine.AUTO : requested;
		if (e == Engine.AUTO) e = Engine.fromString(System.getProperty(ENGINE_PROPERTY)); // unset or blank: auto
		if (e == Engine.WORKER) return new Decision(Engine.WORKER, "engine=worker");
		final TensorFlowCheck.Status tf = TensorFlowCheck.inspect(Engines.class.getClassLoader());
		if (e == Engine.IN_PROCESS) {
			if (!tf.usable()) throw new IllegalStateException("engine=in_process is not possible here. " + tf.message());
			return new Decision(Engine.IN_PROCESS, "engine=in_process");
		}
		if (tf.usable()) return new Decision(Engine.IN_PROCESS, "engine=auto: TensorFlow Java 1.1.0 is on this class path");
		return new Decision(Engine.WORKER, "engine=auto: " + tf.message());
	}

	/**
	 * Runs an engine job where {@link #resolve} says and relays its events ({@link TrainingEvent}: the
	 * training history and validation Dice) to {@code events}, the same events from both engines.
	 *
	 * @param requested the engine choice
	 * @param listener progress; may be {@code null}
	 * @param log log lines and warnings; may be {@code null}
	 * @param cancel polled for cancellation; may be {@code null}
	 * @param events receives the events on the calling thread; may be {@code null}. If it throws, no further
	 *          events are delivered for this job and the job goes on.
	 * @return the job's result map
	 * @throws IOException if the in-process job cannot read or write its files
	 * @throws WorkerException if the worker job failed or the worker crashed
	 * @throws IllegalStateException on a platform without TensorFlow native library ({@link #resolve})
	 */
	public static Map< String, Object > run(final Engine requested, final EngineJob job, final ProgressListener listener, final Consumer< String > log,
			final BooleanSupplier cancel, final Consumer< TrainingEvent > events) throws IOException {
		final Decision d = resolve(requested);
		if (log != null && d.worker()) log.accept("TensorFlow engine: worker (" + d.reason() + ")");
		if (!d.worker()) return InProcess.run(job, listener, log, cancel, events);
		return new WorkerProcess(WorkerSettings.fromEnvironment()).run(job, listener, log, cancel, events);
	}

	/** Keeps {@link EngineJobs} and {@link ModelInference} (and thus TensorFlow) out of the worker path: loaded only when used. */
	private static final class InProcess {

		static Map< String, Object > run(final EngineJob job, final ProgressListener listener, final Consumer< String > log, final BooleanSupplier cancel,
				final Consumer< TrainingEvent > events) throws IOException {
			return EngineJobs.run(job, listener, log, cancel, events);
		}

		static InferenceResult segment(final Path model, final List< ? extends RandomAccessibleInterval< ? extends RealType< ? > > > channels,
				final double[] spacing, final TilingOptions tiling, final Device device,
				final ProgressListener listener, final Consumer< String > log) throws IOException {
			return ModelInference.segment(model, channels, spacing, tiling, device, listener, log);
		}
	}

	/**
	 * Segments one volume of one or more channels where {@link #resolve} says: in this JVM with
	 * {@link ModelInference#segment}, or in the worker as a {@link SegmentJob}. For the worker each channel is passed
	 * as a file (its own file when NIfTI/MetaImage, else a temporary NIfTI with {@code spacing}), the maps come back as
	 * temporary NIfTI files and are read into memory; the temporary folder is deleted.
	 *
	 * @param requested the engine choice
	 * @param model the model folder
	 * @param channels the input channels, in the model's order, all with the dimensions of the first
	 * @param spacing the voxel size (x, y, z) of the first channel
	 * @param inputFiles the file each channel came from ({@code null} entries allowed), or {@code null} when
	 *        none did; when given, one entry per channel
	 * @param tiling windows, stride, blending, batch size and the maps to produce
	 * @param device the device choice
	 * @param listener progress; may be {@code null}
	 * @param log warnings; may be {@code null}
	 * @param cancel polled; may be {@code null}
	 * @return the maps on the first channel's dimensions ({@code numWindows} from the worker, no batch-size history
	 *         from the worker)
	 * @throws IllegalArgumentException if there is no channel, or {@code inputFiles} has another size than
	 *           {@code channels}
	 * @throws IOException if the model or the temporary files cannot be read or written
	 */
	public static InferenceResult segment(final Engine requested, final Path model,
			final List< ? extends RandomAccessibleInterval< ? extends RealType< ? > > > channels, final double[] spacing, final List< Path > inputFiles,
			final TilingOptions tiling, final Device device, final ProgressListener listener, final Consumer< String > log, final BooleanSupplier cancel)
			throws IOException {
		if (channels == null || channels.isEmpty()) throw new IllegalArgumentException("Segment Lesions: no input channel given; give at least one volume.");
		if (inputFiles != null && inputFiles.size() != channels.size())
			throw new IllegalArgumentException("Segment Lesions: " + inputFiles.size() + " input file(s) for " + channels.size()
					+ " channel(s); give one file (or null) per channel, or null.");
		final Decision d = resolve(requested);
		if (!d.worker())
			return InProcess.segment(model, channels, spacing, tiling, device,
					ProgressListener.cancellable(ProgressListener.orNone(listener), cancel == null ? () -> false : cancel, "Segment Lesions"),
					log == null ? w -> {} : log);
		if (log != null) log.accept("TensorFlow engine: worker (" + d.reason() + ")");
		final Path tmp = Files.createTempDirectory("lesion-weighting-worker");
		try {
			final List< Path > inputs = new ArrayList<>();
			for (int c = 0; c < channels.size(); c++) {
				Path input = inputFiles == null ? null : inputFiles.get(c);
				if (input == null || !VolumeIO.isSupported(input) || !Files.isRegularFile(input)) {
					input = tmp.resolve(String.format(Locale.ROOT, "input_%04d.nii", c));
					VolumeIO.write(input, channels.get(c), VolumeGeometry.ofSpacing(spacing));
				}
				inputs.add(input);
			}
			final Map< InferenceOutput, Path > outputs = new EnumMap<>(InferenceOutput.class);
			for (final InferenceOutput o : tiling.outputs())
				outputs.put(o, tmp.resolve(o.key() + ".nii"));
			final Map< String, Object > r = new WorkerProcess(WorkerSettings.fromEnvironment()).run(new SegmentJob(model, inputs, outputs, tiling, device),
					listener, log, cancel, null);
			final long[] dims = Intervals.dimensionsAsLongArray(channels.get(0));
			final Img< FloatType > prob = copy(outputs, InferenceOutput.PROBABILITIES, () -> ArrayImgs.floats(dims));
			final Img< FloatType > logits = copy(outputs, InferenceOutput.LOGITS, () -> ArrayImgs.floats(dims));
			final Img< UnsignedByteType > mask = copy(outputs, InferenceOutput.MASK, () -> ArrayImgs.unsignedBytes(dims));
			final Img< IntType > labels = copy(outputs, InferenceOutput.LABELS, () -> ArrayImgs.ints(dims));
			return new InferenceResult(prob, logits, mask, labels, r.get("lesions") instanceof Number n ? n.intValue() : -1,
					r.get("windows") instanceof Number w ? w.longValue() : 0, new ArrayList<>());
		}
		finally {
			try {
				AtomicFiles.deleteTree(tmp);
			}
			catch (final IOException e) {
				// temporary files: best effort
			}
		}
	}

	/** The map {@code o} as the worker wrote it, copied into an image from {@code newTarget}; {@code null} when {@code o} was not asked for. */
	private static < T extends RealType< T > > Img< T > copy(final Map< InferenceOutput, Path > outputs, final InferenceOutput o,
			final Supplier< Img< T > > newTarget) throws IOException {
		if (!outputs.containsKey(o)) return null;
		final Path file = outputs.get(o);
		final Img< T > target = newTarget.get();
		final RandomAccessibleInterval< ? extends RealType< ? > > src = VolumeIO.read(file).requireSingle3D("Segment Lesions (worker output)");
		if (!Intervals.equalDimensions(src, target))
			throw new IOException(
					"Segment Lesions: the worker wrote " + file + " with dimensions " + Arrays.toString(Intervals.dimensionsAsLongArray(src))
							+ ", expected " + Arrays.toString(Intervals.dimensionsAsLongArray(target)) + ".");
		LoopBuilder.setImages(src, target).forEachPixel((s, t) -> t.setReal(s.getRealDouble()));
		return target;
	}

}
