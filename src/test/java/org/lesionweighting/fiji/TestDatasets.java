package org.lesionweighting.fiji;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.lesionweighting.io.VolumeGeometry;
import org.lesionweighting.io.VolumeIO;

import net.imglib2.img.array.ArrayImgs;

/** Tiny dataset folders for the training and worker tests. */
public final class TestDatasets {

	private TestDatasets() {}

	/**
	 * Writes {@code dir/dataset} in the plain layout: {@code images/} and {@code labels/} with two 12³ NIfTI
	 * cases (spacing 1, 1, 2), each a 3³ bright lesion on noise (seed 3).
	 *
	 * @return the dataset folder
	 */
	public static Path twoTinyCases(final Path dir) throws IOException {
		final Path root = dir.resolve("dataset");
		Files.createDirectories(root.resolve("images"));
		Files.createDirectories(root.resolve("labels"));
		final SplittableRandom r = new SplittableRandom(3);
		for (int c = 0; c < 2; c++) {
			final int n = 12 * 12 * 12;
			final float[] img = new float[n];
			final byte[] lab = new byte[n];
			for (int z = 4; z < 7; z++)
				for (int y = 3 + c; y < 6 + c; y++)
					for (int x = 5; x < 8; x++)
						lab[(z * 12 + y) * 12 + x] = 1;
			for (int i = 0; i < n; i++)
				img[i] = (float) (100 * lab[i] + 20 * r.nextGaussian());
			VolumeIO.write(root.resolve("images/case" + c + ".nii.gz"), ArrayImgs.floats(img, 12, 12, 12), VolumeGeometry.ofSpacing(1, 1, 2));
			VolumeIO.write(root.resolve("labels/case" + c + ".nii.gz"), ArrayImgs.unsignedBytes(lab, 12, 12, 12), VolumeGeometry.ofSpacing(1, 1, 2));
		}
		return root;
	}

	/**
	 * A tiny, repeatable {@code train} engine job (see {@code engine.EngineJobs}): small preset, patch 8, batch 1,
	 * Adam 1e-3 on the CPU, seed 7, one intra- and one inter-op thread, checkpoint every 1000 iterations.
	 *
	 * @param dataset the dataset folder (e.g. {@link #twoTinyCases})
	 * @param model the model folder
	 * @param epochs the epochs
	 * @param iterationsPerEpoch the iterations per epoch
	 * @return a mutable job map
	 */
	public static Map< String, Object > tinyTrainJob(final Path dataset, final Path model, final int epochs, final int iterationsPerEpoch) {
		final Map< String, Object > job = new LinkedHashMap<>();
		job.put("kind", "train");
		job.put("dataset", dataset.toString());
		job.put("model", model.toString());
		job.put("preset", "small");
		job.put("patch_size", "8");
		job.put("batch_size", 1);
		job.put("epochs", epochs);
		job.put("iterations_per_epoch", iterationsPerEpoch);
		job.put("optimizer", "adam");
		job.put("learning_rate", 1e-3);
		job.put("device", "cpu");
		job.put("seed", "7");
		job.put("checkpoint_every", 1000);
		job.put("session_threads", List.of(1, 1));
		return job;
	}

	/**
	 * The columns of a model folder's {@code history.csv} that do not depend on the clock: {@code iteration,loss,learning_rate}
	 * per line, header included.
	 */
	public static List< String > historyWithoutSeconds(final Path model) throws IOException {
		final List< String > out = new java.util.ArrayList<>();
		for (final String line : Files.readAllLines(model.resolve(org.lesionweighting.tf.train.Trainer.HISTORY_FILE)))
			out.add(line.substring(0, line.lastIndexOf(',')));
		return out;
	}
}
