package org.lesionweighting.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesionweighting.io.Volume;
import org.lesionweighting.io.VolumeIO;
import org.lesionweighting.metrics.Froc;
import org.lesionweighting.metrics.FrocOptions;
import org.lesionweighting.metrics.FrocSummary;
import org.lesionweighting.metrics.ImageEvaluation;
import org.lesionweighting.metrics.LesionRecords;
import org.lesionweighting.metrics.SegmentationQuality;
import org.lesionweighting.tf.train.DatasetPlan;
import org.lesionweighting.tf.data.TrainingCase;
import org.lesionweighting.tf.data.TrainingData;
import org.lesionweighting.tf.infer.InferenceResult;
import org.lesionweighting.tf.infer.ModelInference;
import org.lesionweighting.tf.infer.TilingOptions;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.tf.train.Trainer;
import org.lesionweighting.tf.train.TrainingConfig;
import org.lesionweighting.tf.train.TrainingResult;
import org.lesionweighting.util.AtomicFiles;
import org.lesionweighting.util.ProgressListener;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

/**
 * The real-data benchmark of the README: leave-one-out on the shared MS data (train on patient 07, test on 19, and
 * the reverse), each loss trained with the plan's defaults within a time budget, then segmented and scored with the
 * paper's metrics and with {@link SegmentationQuality}. Prints one table row per run and writes
 * {@code results.md}/{@code results.csv} into the output folder. Asserts nothing about time.
 * <p>
 * Run: {@code mvn -B -Pbench test -Dtest=RealDataBenchmark -Dbench.data=../shared/data/ms-lesions
 * -Dbench.out=/tmp/real -Dbench.minutes=30}. Options: {@code bench.losses} (default {@code dice,dice+iw}),
 * {@code bench.directions} ({@code 07-19,19-07}), {@code bench.channels} ({@code FLAIR}; e.g. {@code FLAIR,T1,T2}),
 * {@code bench.seed}, {@code bench.iterations} (a fixed number of iterations instead of the time budget),
 * {@code bench.gain} and {@code bench.shift} (the intensity augmentation's half-widths, for experiments).
 */
@Tag("bench")
class RealDataBenchmark {

	private static final double SMALL_DIAMETER = 6;

	@Test
	void leaveOneOut() throws IOException {
		final Path data = Paths.get(System.getProperty("bench.data", "../shared/data/ms-lesions"));
		if (!Files.isDirectory(data)) {
			System.out.println("RealDataBenchmark: no data folder " + data.toAbsolutePath() + "; set -Dbench.data.");
			return;
		}
		final Path out = Paths.get(System.getProperty("bench.out", "target/real-data"));
		Files.createDirectories(out);
		final double minutes = Double.parseDouble(System.getProperty("bench.minutes", "30"));
		final int iterations = Integer.getInteger("bench.iterations", 0);
		final List< String > channels = List.of(System.getProperty("bench.channels", "FLAIR").split(","));
		final long seed = Long.getLong("bench.seed", TrainingConfig.SEED_DEFAULT);
		final StringBuilder md = new StringBuilder(
				"| train → test | loss | voxel Dice | lesion F1 (one-to-one) | predicted/true volume | avg recall (paper) | object Dice (paper) | small lesions: avg recall | lesions | predicted components | training | iterations | flagged |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		final StringBuilder csv = new StringBuilder(
				"train,test,loss,voxel_dice,lesion_f1,volume_ratio,avg_recall,object_dice,small_avg_recall,lesions,predicted_components,training_seconds,iterations,degenerate\n");
		for (final String direction : System.getProperty("bench.directions", "07-19,19-07").split(",")) {
			final String train = direction.split("-")[0], test = direction.split("-")[1];
			for (final String loss : System.getProperty("bench.losses", "dice,dice+iw").split(",")) {
				final Path model = out.resolve("p" + train + "-" + loss.replace('+', '_'));
				final TrainingCase trainCase = read(data, train, channels);
				final DatasetPlan plan = DatasetPlan.of(List.of(trainCase), channels, false);
				final TrainingConfig config = plan.trainingConfig(minutes).seed(seed).loss(loss.startsWith("dice") ? "dice" : loss.split("\\+")[0])
						.weighting(loss.endsWith("+iw") ? "inverse_volume" : "none");
				if (iterations > 0) config.timeBudgetMinutes(0).epochs(Math.max(1, iterations / config.iterationsPerEpoch()));
				final org.lesionweighting.tf.data.Augmentation a = config.augmentation();
				if (System.getProperty("bench.gain") != null)
					config.augmentation(
							new org.lesionweighting.tf.data.Augmentation(a.mirror(), a.maxRotationDegrees(), a.minScale(), a.maxScale(), a.spatialProbability(),
									Double.parseDouble(System.getProperty("bench.gain")), Double.parseDouble(System.getProperty("bench.shift", "0.1"))));
				final TrainingCase prepared = trainCase.preprocessedInPlace(plan.preprocessing());
				AtomicFiles.deleteTree(model);
				final long t0 = System.nanoTime();
				final TrainingResult r = Trainer.create(config, new TrainingData("p" + train, List.of(prepared), List.of(prepared)), model).plan(plan)
						.listener(ProgressListener.NONE).run();
				final double seconds = (System.nanoTime() - t0) / 1e9;
				final List< RandomAccessibleInterval< ? extends RealType< ? > > > input = new ArrayList<>();
				final double[] spacing = readChannels(data, test, channels, input);
				final InferenceResult seg = ModelInference.segment(model, input, spacing, new TilingOptions(), Device.CPU, ProgressListener.NONE, w -> {});
				final Volume truth = VolumeIO.read(data.resolve("masks").resolve("patient" + test + "_GOLD_STANDARD_MNI.nii.gz"));
				final ImageEvaluation e = LesionRecords.evaluate("p" + test, truth.requireSingle3D("RealDataBenchmark"), seg.probabilities(), seg.logits(),
						truth.spacing());
				final SegmentationQuality q = SegmentationQuality.of(e);
				final FrocSummary s = Froc.summarize(e.records(), FrocOptions.defaults().withBootstrap(0).withSmallDiameter(SMALL_DIAMETER));
				final String row = String.format(Locale.ROOT,
						"| %s → %s | %s | %.3f | %.3f | %.2f | %.3f | %.3f ± %.3f | %.3f | %d | %d | %.1f min | %d | %s |", train, test, loss, q.voxelDice(),
						q.f1(), q.volumeRatio(), s.avgRecall(), s.objectDice(), s.objectDiceStd(), s.small() == null ? Double.NaN : s.small().avgRecall(),
						q.lesions(), q.predictions(), seconds / 60, r.iterations(), q.degenerate() ? "yes" : "no");
				System.out.println(row);
				md.append(row).append('\n');
				csv.append(String.format(Locale.ROOT, "%s,%s,%s,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%d,%d,%.1f,%d,%s%n", train, test, loss, q.voxelDice(), q.f1(),
						q.volumeRatio(), s.avgRecall(), s.objectDice(), s.small() == null ? Double.NaN : s.small().avgRecall(), q.lesions(), q.predictions(),
						seconds, r.iterations(), q.degenerate()));
				Files.writeString(out.resolve("results.md"), md.toString());
				Files.writeString(out.resolve("results.csv"), csv.toString());
			}
		}
		md.append('\n').append(referencePoints(data, channels, System.getProperty("bench.directions", "07-19,19-07").split(",")));
		Files.writeString(out.resolve("results.md"), md.toString());
		System.out.println(md);
	}

	/**
	 * What the data allow, independent of any network: per test patient, the voxel Dice of its own truth moved by one
	 * voxel (dilated and eroded, 6-neighbourhood), and of a threshold on the first preprocessed channel, chosen on the
	 * training patient and, as an oracle, on the test patient itself.
	 */
	private static String referencePoints(final Path data, final List< String > channels, final String[] directions) throws IOException {
		final StringBuilder sb = new StringBuilder("| train → test | truth dilated by 1 voxel | truth eroded by 1 voxel | threshold on " + channels.get(0)
				+ " chosen on the training patient | best threshold on the test patient itself (oracle) |\n|---|---|---|---|---|\n");
		for (final String direction : directions) {
			final String train = direction.split("-")[0], test = direction.split("-")[1];
			final TrainingCase tr = prepared(data, train, channels), te = prepared(data, test, channels);
			final byte[] truth = te.target();
			final double[] trainBest = bestThreshold(tr), testBest = bestThreshold(te);
			sb.append(String.format(Locale.ROOT, "| %s → %s | %.3f | %.3f | %.3f (t = %.2f) | %.3f (t = %.2f) |%n", train, test,
					dice(morph(truth, te.dims(), true), truth), dice(morph(truth, te.dims(), false), truth),
					dice(threshold(te.channel(0), trainBest[0]), truth), trainBest[0], testBest[1], testBest[0]));
		}
		return sb.toString();
	}

	/** A patient's case, preprocessed as its own plan says (as the patient would be for training). */
	private static TrainingCase prepared(final Path data, final String patient, final List< String > channels) throws IOException {
		final TrainingCase raw = read(data, patient, channels);
		return raw.preprocessedInPlace(DatasetPlan.of(List.of(raw), channels, false).preprocessing());
	}

	/** {threshold, Dice} of the best threshold of channel 0 against the case's own target, on a 0.05 grid in [0, 6]. */
	private static double[] bestThreshold(final TrainingCase c) {
		double[] best = { 0, -1 };
		for (double t = 0; t <= 6; t += 0.05) {
			final double d = dice(threshold(c.channel(0), t), c.target());
			if (d > best[1]) best = new double[] { t, d };
		}
		return best;
	}

	private static byte[] threshold(final float[] x, final double t) {
		final byte[] m = new byte[x.length];
		for (int i = 0; i < x.length; i++)
			m[i] = (byte) (x[i] > t ? 1 : 0);
		return m;
	}

	/** One step of binary dilation ({@code grow}) or erosion in the 6-neighbourhood; outside the image counts as background. */
	static byte[] morph(final byte[] m, final int[] dims, final boolean grow) {
		final byte[] out = new byte[m.length];
		final int[] step = { 1, dims[0], dims[0] * dims[1] };
		for (int z = 0, i = 0; z < dims[2]; z++)
			for (int y = 0; y < dims[1]; y++)
				for (int x = 0; x < dims[0]; x++, i++) {
					final int[] pos = { x, y, z };
					boolean v = m[i] != 0;
					for (int d = 0; d < 3; d++)
						for (int s = -1; s <= 1; s += 2) {
							final int q = pos[d] + s;
							final boolean n = q >= 0 && q < dims[d] && m[i + s * step[d]] != 0;
							v = grow ? v || n : v && n;
						}
					out[i] = (byte) (v ? 1 : 0);
				}
		return out;
	}

	static double dice(final byte[] a, final byte[] b) {
		long both = 0, sum = 0;
		for (int i = 0; i < a.length; i++) {
			both += a[i] & b[i];
			sum += a[i] + b[i];
		}
		return sum == 0 ? 1 : 2.0 * both / sum;
	}

	private static Path image(final Path data, final String patient, final String channel) {
		return data.resolve("patient" + patient + "_images").resolve("patient" + patient + "_" + channel + "_MNI.nii.gz");
	}

	/** A patient's case as read, without preprocessing (what the plan is computed from). */
	private static TrainingCase read(final Path data, final String patient, final List< String > channels) throws IOException {
		final List< RandomAccessibleInterval< ? extends RealType< ? > > > images = new ArrayList<>();
		final double[] spacing = readChannels(data, patient, channels, images);
		final Volume mask = VolumeIO.read(data.resolve("masks").resolve("patient" + patient + "_GOLD_STANDARD_MNI.nii.gz"));
		return TrainingCase.prepare("p" + patient, images, mask.requireSingle3D("RealDataBenchmark"),
				org.lesionweighting.tf.data.Preprocessing.NONE, spacing);
	}

	/** Reads a patient's channels into {@code out} and returns the spacing of the first. */
	private static double[] readChannels(final Path data, final String patient, final List< String > channels,
			final List< RandomAccessibleInterval< ? extends RealType< ? > > > out) throws IOException {
		double[] spacing = null;
		for (final String ch : channels) {
			final Volume v = VolumeIO.read(image(data, patient, ch));
			if (spacing == null) spacing = v.spacing();
			out.add(v.requireSingle3D("RealDataBenchmark"));
		}
		return spacing;
	}

}
