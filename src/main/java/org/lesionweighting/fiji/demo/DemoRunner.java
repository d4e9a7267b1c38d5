package org.lesionweighting.fiji.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.stream.DoubleStream;

import org.lesionweighting.fiji.LabelImages;
import org.lesionweighting.fiji.demo.DemoOptions.LossSpec;
import org.lesionweighting.fiji.demo.DemoResults.Curve;
import org.lesionweighting.fiji.demo.DemoResults.LossOutcome;
import org.lesionweighting.fiji.demo.DemoResults.SliceView;
import org.lesionweighting.fiji.demo.DemoResults.Summary;
import org.lesionweighting.engine.Engines;
import org.lesionweighting.engine.TrainJob;
import org.lesionweighting.engine.TrainingEvent;
import org.lesionweighting.io.Dataset;
import org.lesionweighting.io.DatasetCase;
import org.lesionweighting.io.Datasets;
import org.lesionweighting.io.RejectedCase;
import org.lesionweighting.io.RejectedCases;
import org.lesionweighting.io.Volume;
import org.lesionweighting.io.VolumeGeometry;
import org.lesionweighting.io.VolumeIO;
import org.lesionweighting.label.LesionLabeling;
import org.lesionweighting.metrics.Froc;
import org.lesionweighting.metrics.FrocOptions;
import org.lesionweighting.metrics.FrocSummary;
import org.lesionweighting.metrics.ImageEvaluation;
import org.lesionweighting.metrics.LesionRecord;
import org.lesionweighting.metrics.LesionRecords;
import org.lesionweighting.metrics.RecordsCsv;
import org.lesionweighting.metrics.SegmentationQuality;
import org.lesionweighting.metrics.SizeBin;
import org.lesionweighting.phantom.LesionPhantom;
import org.lesionweighting.phantom.Phantom;
import org.lesionweighting.phantom.PhantomSpec;
import org.lesionweighting.tf.data.Preprocessing;
import org.lesionweighting.tf.infer.InferenceResult;
import org.lesionweighting.tf.infer.TilingOptions;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.tf.model.ModelMetadata;
import org.lesionweighting.tf.train.DatasetPlan;
import org.lesionweighting.tf.train.HistoryRow;
import org.lesionweighting.tf.train.OptimizerKind;
import org.lesionweighting.tf.train.TrainingChoices;
import org.lesionweighting.tf.train.TrainingConfig;
import org.lesionweighting.util.AtomicFiles;
import org.lesionweighting.util.Json;
import org.lesionweighting.util.ProgressListener;
import org.lesionweighting.weights.WeightMaps;
import org.lesionweighting.weights.WeightScheme;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * The end-to-end demo: generate (or read) a dataset, train the same small network with each loss of
 * {@link DemoOptions#losses()}, segment the test cases, evaluate lesion-wise (doc/method.md §5) and write the
 * report. Pure engine: no dialogs, progress through a {@link ProgressListener}, cancellation between steps.
 */
public final class DemoRunner {

	/** Network preset of the demo (a CPU-sized U-Net). */
	public static final String PRESET = "small";

	/** Training batch size (the paper's). */
	public static final int BATCH = 2;

	/** Diameter bin edges (voxels) of the recall-by-size figure. */
	public static final double[] SIZE_BIN_EDGES = { 0, 4, 8, 12, 16, Double.POSITIVE_INFINITY };

	/** Window of the moving average of the training-loss figure. */
	public static final int LOSS_SMOOTHING = 20;

	/** The report parameter that says the run was cancelled (absent when it finished). */
	public static final String STATUS = "status";

	private DemoRunner() {}

	/** Whether the run should stop: an interrupt or the options' cancel request. */
	private static boolean cancelRequested(final DemoOptions o) {
		return Thread.currentThread().isInterrupted() || o.cancelRequest().getAsBoolean();
	}

	/** A case held in memory: one channel, its mask, its spacing and the file of the channel. */
	record DemoCase(String name, RandomAccessibleInterval< ? extends RealType< ? > > image, RandomAccessibleInterval< ? extends RealType< ? > > mask,
			double[] spacing, Path file) {}

	/**
	 * Runs the demo and writes everything into {@link DemoOptions#output()}: {@code report.html} and its
	 * figures, {@code results.csv}, {@code summary.json}, {@code records/<loss>.csv}, {@code models/<loss>/}
	 * and the cases it trained on: for phantoms the generated {@code dataset/}, for a dataset {@code training-cases/}
	 * (nnU-Net raw layout, NIfTI).
	 *
	 * @return what the report shows
	 */
	public static DemoResults run(final DemoOptions o, final ProgressListener progress) throws IOException {
		final ProgressListener p = ProgressListener.orNone(progress);
		final long t0 = System.nanoTime();
		final Path out = o.output().toAbsolutePath();
		Files.createDirectories(out);
		final List< DemoCase > train = new ArrayList<>(), test = new ArrayList<>();
		final Dataset ds = o.dataset() == null ? null : Datasets.open(o.dataset());
		final String source = ds == null ? phantoms(o, out.resolve("dataset"), train, test, p) : dataset(o, ds, train, test, p);

		final Path trainingFolder = ds == null ? out.resolve("dataset") : trainingCases(ds.channelNames().get(0), train, out.resolve("training-cases"), p);

		final Map< String, String > params = new LinkedHashMap<>();
		params.put("data", source);
		params.put("training cases", String.valueOf(train.size()));
		params.put("test cases", String.valueOf(test.size()));

		final List< LossOutcome > outcomes = new ArrayList<>();
		final Map< String, byte[] > slicePredictions = new LinkedHashMap<>();
		final Img< IntType > firstLabels = LabelImages.label(test.get(0).mask(), LesionLabeling.CONNECTIVITY_DEFAULT);
		final int sliceZ = pickSlice(firstLabels);
		final List< Map< String, Object > > summaries = new ArrayList<>();
		int[] binLesions = null;
		boolean cancelled = false;
		losses: for (final LossSpec spec : o.losses()) {
			if (cancelled = cancelRequested(o)) break;
			final Path model = out.resolve("models").resolve(spec.folderName());
			p.status("Training " + spec.name());
			final long tt = System.nanoTime();
			final List< HistoryRow > history = new ArrayList<>();
			final Map< String, Object > trained = train(o, spec, trainingFolder, model, history, p);
			if (cancelled = "cancelled".equals(trained.get("status"))) break;
			final double trainSeconds = (System.nanoTime() - tt) / 1e9;
			if (outcomes.isEmpty()) describeTraining(o, trained, params);
			params.put("device used", String.valueOf(trained.get("device")));

			final List< LesionRecord > records = new ArrayList<>();
			final List< SegmentationQuality > quality = new ArrayList<>();
			for (int i = 0; i < test.size(); i++) {
				if (cancelled = cancelRequested(o)) break losses;
				final DemoCase c = test.get(i);
				p.status("Segmenting " + c.name() + " with " + spec.name());
				final InferenceResult r = Engines.segment(o.engine(), model, List.of(c.image()), c.spacing(), Collections.singletonList(c.file()), tiling(o),
						Device.fromString(o.device()), ProgressListener.NONE, null, null);
				final ImageEvaluation e = LesionRecords.evaluate(c.name(), c.mask(), r.probabilities(), r.logits(), c.spacing());
				records.addAll(e.records());
				quality.add(SegmentationQuality.of(e));
				if (i == 0) slicePredictions.put(spec.name(), sliceOf(r.mask(), sliceZ));
			}
			Files.createDirectories(out.resolve("records"));
			RecordsCsv.write(out.resolve("records").resolve(spec.folderName() + ".csv"), records);
			p.status("Evaluating " + spec.name());
			final FrocSummary s = Froc.summarize(records,
					FrocOptions.defaults().withSmallDiameter(o.smallDiameter()).withBootstrap(o.bootstrap()).withSeed(o.seed()));
			final List< SizeBin > bins = Froc.recallBySize(records, SIZE_BIN_EDGES, Froc.FIRST_THRESHOLD, false);
			final double[] binRecall = bins.stream().mapToDouble(SizeBin::recall).toArray();
			binLesions = bins.stream().mapToInt(SizeBin::lesions).toArray();
			outcomes.add(new LossOutcome(spec.name(), summary(s), s.small() == null ? null : summary(s.small()), binRecall, lossCurve(history), trainSeconds,
					quality));
			summaries.add(Json.object("loss", spec.loss().key(), "weighting", spec.weighting().key(), "training_seconds", trainSeconds, "summary", s.toMap(),
					"segmentation", SegmentationQuality.report(quality)));
		}

		if (cancelled) {
			if (outcomes.isEmpty()) throw new CancellationException("Lesion Weighting Demo: cancelled before the first loss finished; no report was written.");
			params.put(STATUS, "cancelled after " + outcomes.size() + " of " + o.losses().size() + " losses; the report shows those");
			slicePredictions.keySet().retainAll(outcomes.stream().map(LossOutcome::name).toList());
		}
		final DemoCase first = test.get(0);
		final SliceView slice = new SliceView(first.name(), sliceZ, (int) first.image().dimension(0), (int) first.image().dimension(1),
				floatSlice(first.image(), sliceZ), sliceOf(first.mask(), sliceZ), slicePredictions, weightSlice(firstLabels, sliceZ));
		final double seconds = (System.nanoTime() - t0) / 1e9;
		final DemoResults results = new DemoResults("Lesion Weighting demo: " + (o.dataset() == null ? "phantom lesions" : o.dataset().getFileName()), params,
				versions(), outcomes, SIZE_BIN_EDGES, binLesions, o.smallDiameter(), slice, seconds);

		p.status("Writing the report");
		AtomicFiles.writeString(out.resolve("summary.json"), Json.write(Json.object("parameters", params, "losses", summaries, "seconds", seconds)));
		AtomicFiles.writeString(out.resolve("results.csv"), resultsCsv(outcomes));
		ReportWriter.write(out, results);
		p.progress(1);
		return results;
	}

	/** The results table as CSV: one row per loss. */
	static String resultsCsv(final List< LossOutcome > outcomes) {
		final StringBuilder sb = new StringBuilder(
				"loss,avg_recall,avg_recall_bootstrap_mean,avg_recall_bootstrap_std,object_dice,object_dice_std,small_avg_recall,"
						+ "small_bootstrap_mean,small_bootstrap_std,lesions,small_lesions,training_seconds,voxel_dice,lesion_f1,volume_ratio,degenerate\n");
		for (final LossOutcome o : outcomes) {
			final Summary a = o.overall(), s = o.small();
			final SegmentationQuality q = o.pooled();
			sb.append(String.join(",", o.name(), num(a.avgRecall()), num(a.bootstrapMean()), num(a.bootstrapStd()), num(a.objectDice()), num(a.objectDiceStd()),
					s == null ? "" : num(s.avgRecall()), s == null ? "" : num(s.bootstrapMean()), s == null ? "" : num(s.bootstrapStd()),
					String.valueOf(a.nLesions()), s == null ? "" : String.valueOf(s.nLesions()), num(o.trainingSeconds()), num(q.voxelDice()), num(q.f1()),
					num(q.volumeRatio()), String.valueOf(o.flagged()))).append('\n');
		}
		return sb.toString();
	}

	private static String num(final double v) {
		return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.4f", v);
	}

	/**
	 * The report's description of the training, from the first loss's train job: the configuration it ran with and,
	 * for a dataset, the plan and the validation cases.
	 */
	@SuppressWarnings("unchecked")
	private static void describeTraining(final DemoOptions o, final Map< String, Object > trained, final Map< String, String > params) {
		final TrainingConfig base = TrainingConfig.fromMap((Map< String, ? >) trained.get("config"));
		if (o.dataset() != null) {
			params.put("plan", String.valueOf(trained.get("plan")));
			final List< ? > heldOut = trained.get("validation_held_out") instanceof List< ? > l ? l : List.of();
			params.put("validation",
					heldOut.isEmpty() ? "the training cases (too few cases to hold any out); the best-scoring epoch is exported" : "held-out cases " + heldOut);
			params.put("augmentation", base.augmentation().toString());
		}
		params.put("network", base.network().preset() + " (3D residual U-Net, tf.graph.UNetConfig"
				+ (base.network().outputBias() == 0 ? ")" : String.format(Locale.ROOT, ", output bias %.2f)", base.network().outputBias())));
		params.put("iterations per loss",
				base.timeBudgetMinutes() > 0
						? String.format(Locale.ROOT, "as many as fit into %.1f minutes (epochs of %d)", base.timeBudgetMinutes(), base.iterationsPerEpoch())
						: String.valueOf(base.totalIterations()));
		params.put("patch", base.patchSize()[0] + "\u00b3, batch " + base.batchSize());
		params.put("optimizer",
				base.optimizer() == OptimizerKind.SGD
						? "SGD, Nesterov momentum " + base.momentum() + ", learning rate " + base.learningRate()
						: "Adam, learning rate " + base.learningRate() + ", \u00d70.1 after 80 % of the epochs");
		params.put("preprocessing", base.preprocessing().toString());
		params.put("sampling", "paper: images by lesion count, half of the patches centred on a lesion (doc/method.md \u00a73.3\u20133.4)");
		params.put("inference", "windows " + tiling(o).patchSize()[0] + "\u00b3, stride " + tiling(o).stride()[0] + ", averaged (doc/method.md \u00a73.5)");
		params.put("small lesions", "diameter < " + o.smallDiameter() + " voxels");
		params.put("bootstrap", o.bootstrap() + " \u00d7 80 % of test images");
		params.put("seed", String.valueOf(o.seed()));
		params.put("device requested", o.device());
		params.put("engine requested", o.engine().key());
		params.put("quick", String.valueOf(o.quick()));
	}

	/**
	 * The training settings of one loss, as Train Lesion Segmenter takes them. Phantoms train as the paper: z-score,
	 * no augmentation, no output bias, no cross-entropy term, SGD, a fixed number of iterations, no validation; the
	 * README's table comes from this mode. A dataset trains as the Train command's defaults do: the dataset plan
	 * (normalisation, patch, network, Adam, augmentation, output bias), the automatic validation split, and a time
	 * budget per loss (or the given iterations, or the quick run's, in epochs of at most the plan's CPU epoch).
	 */
	public static TrainJob trainJob(final DemoOptions o, final LossSpec spec, final Path dataset, final Path model) {
		final Map< String, Object > c = Json.object("loss", spec.loss().key(), "weighting", spec.weighting().key(), "device", o.device(), "seed", o.seed());
		final int n = o.iterationsPerLoss();
		if (o.dataset() == null) {
			c.putAll(Json.object("preset", PRESET, "output_bias", 0, "patch_size", o.patch(), "batch_size", BATCH, "epochs", 1, "iterations_per_epoch", n,
					"checkpoint_every", n, "optimizer", OptimizerKind.SGD.key(), "learning_rate", TrainingConfig.LEARNING_RATE_DEFAULT, "preprocessing",
					Preprocessing.ZSCORE.toString(), "bce_term", 0, "augmentation", false));
			return new TrainJob(dataset, model, TrainingChoices.parse(c), false, false, false, 0, -1, 0, 0);
		}
		c.put("time_budget", o.timeBudgetPerLoss());
		if (o.iterationsGiven() || o.quick()) {
			final int perEpoch = Math.min(DatasetPlan.CPU_ITERATIONS_PER_EPOCH, n);
			c.putAll(Json.object("time_budget", 0, "iterations_per_epoch", perEpoch, "checkpoint_every", perEpoch, "epochs", Math.max(1, n / perEpoch)));
		}
		return new TrainJob(dataset, model, TrainingChoices.parse(c));
	}

	/** Trains one loss through the engine that the options select, into a new model folder; collects the history. */
	private static Map< String, Object > train(final DemoOptions o, final LossSpec spec, final Path dataset, final Path model, final List< HistoryRow > history,
			final ProgressListener p) throws IOException {
		if (Files.exists(model)) AtomicFiles.deleteTree(model);
		return Engines.run(o.engine(), trainJob(o, spec, dataset, model), p, null, o.cancelRequest(), e -> {
			if (e instanceof TrainingEvent.History h) history.addAll(h.rows());
		});
	}

	/**
	 * Writes the training cases of a dataset into {@code folder} (nnU-Net raw layout, NIfTI, with the channel's name),
	 * so that the train job reads exactly the cases the demo trains on.
	 */
	private static Path trainingCases(final String channel, final List< DemoCase > train, final Path folder, final ProgressListener p) throws IOException {
		if (Files.exists(folder)) AtomicFiles.deleteTree(folder);
		for (final DemoCase c : train) {
			p.status("Writing training case " + c.name());
			writeCase(folder, c.name(), false, c.image(), c.mask(), c.spacing());
		}
		writeDatasetJson(folder, channel);
		return folder;
	}

	/** Writes a case in the nnU-Net raw layout ({@code imagesTr/<name>_0000.nii.gz}, or {@code imagesTs/} for test cases). */
	private static Path writeCase(final Path folder, final String name, final boolean test, final RandomAccessibleInterval< ? extends RealType< ? > > image,
			final RandomAccessibleInterval< ? extends RealType< ? > > mask, final double[] spacing) throws IOException {
		final Path images = Files.createDirectories(folder.resolve(test ? "imagesTs" : "imagesTr")),
				labels = Files.createDirectories(folder.resolve(test ? "labelsTs" : "labelsTr"));
		final Path file = images.resolve(name + "_0000.nii.gz");
		VolumeIO.write(file, image, VolumeGeometry.ofSpacing(spacing));
		VolumeIO.write(labels.resolve(name + ".nii.gz"), mask, VolumeGeometry.ofSpacing(spacing));
		return file;
	}

	private static void writeDatasetJson(final Path folder, final String channel) throws IOException {
		AtomicFiles.writeString(folder.resolve("dataset.json"),
				Json.write(Json.object("channel_names", Map.of("0", channel), "labels", Map.of("background", 0, "lesion", 1), "file_ending", ".nii.gz")));
	}

	/** Inference windows of 64³ (32³ quick), three quarters of a window apart. */
	private static TilingOptions tiling(final DemoOptions o) {
		final int w = o.quick() ? 32 : 64, s = w * 3 / 4;
		return new TilingOptions().patchSize(w, w, w).stride(s, s, s);
	}

	/** Generates the phantom dataset, keeps it in memory and writes it as NIfTI (nnU-Net raw layout: training and test cases). */
	private static String phantoms(final DemoOptions o, final Path folder, final List< DemoCase > train, final List< DemoCase > test, final ProgressListener p)
			throws IOException {
		if (Files.exists(folder)) AtomicFiles.deleteTree(folder);
		final int n = o.trainCases() + o.testCases();
		final long[] size = o.caseSize();
		final int lesions = DemoOptions.LESIONS_PER_CASE_DEFAULT;
		for (int i = 0; i < n; i++) {
			if (cancelRequested(o)) throw new CancellationException("Lesion Weighting Demo: cancelled while preparing the data; no report was written.");
			p.status("Generating phantom " + (i + 1) + " of " + n);
			p.progress(i / (double) n);
			final Phantom ph = LesionPhantom.generate(
					new PhantomSpec().size(size).numLesions(lesions).minRadius(DemoOptions.MIN_RADIUS_DEFAULT).maxRadius(DemoOptions.MAX_RADIUS_DEFAULT)
							.contrast(DemoOptions.CONTRAST_DEFAULT).noiseSigma(DemoOptions.NOISE_DEFAULT).seed(o.seed() * 1000 + i));
			final boolean isTest = i >= o.trainCases();
			final String name = (isTest ? "test_" : "train_") + String.format(Locale.ROOT, "%03d", isTest ? i - o.trainCases() : i);
			final double[] spacing = { 1, 1, 1 };
			final Path file = writeCase(folder, name, isTest, ph.image(), ph.mask(), spacing);
			(isTest ? test : train).add(new DemoCase(name, ph.image(), ph.mask(), spacing, file));
		}
		writeDatasetJson(folder, "phantom");
		return String.format(Locale.ROOT,
				"phantoms: %d training + %d test cases of %d\u00d7%d\u00d7%d voxels, %d lesions each, "
						+ "radii %.1f\u2013%.0f voxels (log-uniform), lesion contrast %.0f over tissue 100, noise " + "\u03c3 %.0f",
				o.trainCases(), o.testCases(), size[0], size[1], size[2], lesions, DemoOptions.MIN_RADIUS_DEFAULT, DemoOptions.MAX_RADIUS_DEFAULT,
				DemoOptions.CONTRAST_DEFAULT, DemoOptions.NOISE_DEFAULT);
	}

	/** Reads a real dataset folder: its test split, or the last {@link DemoOptions#TEST_FRACTION_DEFAULT} of the cases. */
	private static String dataset(final DemoOptions o, final Dataset ds, final List< DemoCase > train, final List< DemoCase > test, final ProgressListener p)
			throws IOException {
		final List< RejectedCase > skipped = RejectedCases.require("Lesion Weighting Demo", ds, o.skipBadCases());
		if (ds.numChannels() != 1)
			throw new IllegalArgumentException("Lesion Weighting Demo: the dataset " + o.dataset() + " has " + ds.numChannels()
					+ " channels; the demo trains on one channel. Use Train Lesion Segmenter for multi-channel data.");
		final List< DatasetCase > labelled = ds.cases().stream().filter(c -> c.label() != null).toList();
		if (labelled.size() < 2)
			throw new IllegalArgumentException("Lesion Weighting Demo: the dataset " + o.dataset() + " has " + labelled.size()
					+ " labelled cases; at least 2 are needed (one to train, one to test).");
		final boolean hasSplit = labelled.stream().anyMatch(DatasetCase::test) && labelled.stream().anyMatch(c -> !c.test());
		final int nTest = hasSplit ? 0 : Math.max(1, (int) Math.round(labelled.size() * DemoOptions.TEST_FRACTION_DEFAULT));
		for (int i = 0; i < labelled.size(); i++) {
			if (cancelRequested(o)) throw new CancellationException("Lesion Weighting Demo: cancelled while preparing the data; no report was written.");
			final DatasetCase c = labelled.get(i);
			p.status("Reading " + c.name());
			final Volume image = VolumeIO.read(c.channels().get(0));
			final Volume mask = VolumeIO.read(c.label());
			final boolean isTest = hasSplit ? c.test() : i >= labelled.size() - nTest;
			(isTest ? test : train).add(new DemoCase(c.name(), image.requireSingle3D("Lesion Weighting Demo"), mask.requireSingle3D("Lesion Weighting Demo"),
					image.spacing(), c.channels().get(0)));
		}
		return "dataset " + o.dataset() + " (" + train.size() + " training, " + test.size() + " test cases"
				+ (hasSplit ? ", its own split" : ", last cases as test")
				+ (skipped.isEmpty() ? "" : "; skipped " + skipped.size() + " rejected case(s): " + RejectedCases.list(skipped)) + ")";
	}

	/** The z of the slice with the most distinct lesions (ties: the lowest z), given the case's lesion labels. */
	static int pickSlice(final Img< IntType > labels) {
		final int nz = labels.numDimensions() > 2 ? (int) labels.dimension(2) : 1;
		int best = nz / 2, bestCount = -1;
		for (int z = 0; z < nz; z++) {
			final Set< Double > seen = new HashSet<>();
			for (final RealType< ? > t : Views.flatIterable(plane(labels, z)))
				if (t.getRealDouble() != 0) seen.add(t.getRealDouble());
			if (seen.size() > bestCount) {
				bestCount = seen.size();
				best = z;
			}
		}
		return best;
	}

	private static RandomAccessibleInterval< ? extends RealType< ? > > plane(final RandomAccessibleInterval< ? extends RealType< ? > > img, final int z) {
		return img.numDimensions() > 2 ? Views.hyperSlice(img, 2, img.min(2) + z) : img;
	}

	static byte[] sliceOf(final RandomAccessibleInterval< ? extends RealType< ? > > img, final int z) {
		final RandomAccessibleInterval< ? extends RealType< ? > > s = plane(img, z);
		final byte[] out = new byte[(int) Intervals.numElements(s)];
		int k = 0;
		for (final RealType< ? > t : Views.flatIterable(s))
			out[k++] = (byte) (t.getRealDouble() > 0.5 ? 1 : 0);
		return out;
	}

	static float[] floatSlice(final RandomAccessibleInterval< ? extends RealType< ? > > img, final int z) {
		final RandomAccessibleInterval< ? extends RealType< ? > > s = plane(img, z);
		final float[] out = new float[(int) Intervals.numElements(s)];
		int k = 0;
		for (final RealType< ? > t : Views.flatIterable(s))
			out[k++] = t.getRealFloat();
		return out;
	}

	/** The W1 weight map (doc/method.md §1.2, whole image) of the given lesion labels, at slice z. */
	static float[] weightSlice(final Img< IntType > labels, final int z) {
		final Img< FloatType > w = ArrayImgs.floats(Intervals.dimensionsAsLongArray(labels));
		WeightMaps.compute(labels, w, WeightScheme.INVERSE_VOLUME, WeightMaps.W_MIN_DEFAULT, WeightMaps.W_MAX_DEFAULT);
		return floatSlice(w, z);
	}

	private static Summary summary(final FrocSummary s) {
		final FrocSummary.Bootstrap b = s.bootstrap();
		final Curve froc = b != null && b.bandFp() != null
				? heldTo(b.bandFp(), b.bandMean(), b.bandStd(), ReportWriter.FROC_MAX_FP)
				: new Curve("", s.froc().avgFp(), s.froc().recall(), null);
		return new Summary(s.avgRecall(), b == null ? Double.NaN : b.mean(), b == null ? Double.NaN : b.std(), s.objectDice(), s.objectDiceStd(), s.numImages(),
				s.numLesions(), froc);
	}

	/**
	 * The curve extended to {@code xMax} by holding its last value, as np.interp (and so the average recall)
	 * treats false-positive rates beyond the largest one reached.
	 */
	static Curve heldTo(final double[] x, final double[] y, final double[] std, final double xMax) {
		final int n = x.length;
		if (n == 0 || x[n - 1] >= xMax) return new Curve("", x, y, std);
		return new Curve("", appended(x, xMax), appended(y, y[n - 1]), std == null ? null : appended(std, std[n - 1]));
	}

	private static double[] appended(final double[] a, final double v) {
		return DoubleStream.concat(Arrays.stream(a), DoubleStream.of(v)).toArray();
	}

	/** Moving average of the training loss. */
	static Curve lossCurve(final List< HistoryRow > history) {
		final int n = history.size();
		final double[] x = new double[n], y = new double[n];
		double sum = 0;
		for (int i = 0; i < n; i++) {
			sum += history.get(i).loss();
			if (i >= LOSS_SMOOTHING) sum -= history.get(i - LOSS_SMOOTHING).loss();
			x[i] = history.get(i).iteration();
			y[i] = sum / Math.min(i + 1, LOSS_SMOOTHING);
		}
		return new Curve("", x, y, null);
	}

	/** Versions of the software used, for the report. */
	static Map< String, String > versions() {
		final Map< String, String > v = new LinkedHashMap<>(ModelMetadata.currentSoftware());
		v.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
		v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores");
		return v;
	}
}
