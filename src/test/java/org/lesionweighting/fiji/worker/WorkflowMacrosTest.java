package org.lesionweighting.fiji.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.fiji.TestDatasets;
import org.lesionweighting.fiji.MacroRunner;
import org.lesionweighting.fiji.VolumeFiles;
import org.lesionweighting.tf.model.SavedModels;
import org.lesionweighting.tf.train.Trainer;
import org.scijava.Context;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;

import ij.ImagePlus;

/**
 * The training and segmentation workflow macros of {@code macros/} through ImageJ's macro interpreter,
 * headless, with tiny settings: "train_on_dataset.ijm" trains a model that "segment_folder.ijm" then applies
 * to the dataset's images.
 */
class WorkflowMacrosTest {

	@Test
	void trainOnDatasetThenSegmentFolder(@TempDir final Path dir) throws Exception {
		final Path dataset = TestDatasets.twoTinyCases(dir);
		final Path model = dir.resolve("model");
		try (Context ctx = new Context()) {
			ctx.service(LogService.class).setLevel("org.scijava", LogLevel.NONE);
			final String tiny = "preset=small patch_size=8 batch_size=1 epochs=1 iterations_per_epoch=2 device=cpu optimizer=adam learning_rate=0.001 engine=in_process";
			final String trained = MacroRunner.runFile(ctx, Paths.get("macros", "train_on_dataset.ijm"), dataset + "|" + model + "|" + tiny);
			assertEquals(model.toString(), trained);
			assertTrue(SavedModels.isSavedModel(model.resolve(SavedModels.FOLDER_DEFAULT)));
			assertEquals(3, Files.readAllLines(model.resolve(Trainer.HISTORY_FILE)).size(), "header + 2 iterations");

			final Path images = dataset.resolve("images");
			final String n = MacroRunner.runFile(ctx, Paths.get("macros", "segment_folder.ijm"), model + "|" + images + "|patch_size=8 stride=6 device=cpu");
			assertEquals("2", n);
			for (final String c : new String[] { "case0", "case1" }) {
				final ImagePlus mask = VolumeFiles.open(images.resolve("segmentation").resolve(c + "-mask.tif"));
				assertEquals(12, mask.getWidth());
				assertEquals(12, mask.getNSlices());
				final ImagePlus p = VolumeFiles.open(images.resolve("segmentation").resolve(c + "-probabilities.tif"));
				assertEquals(32, p.getBitDepth());
				for (int z = 1; z <= p.getNSlices(); z++) {
					final float[] px = (float[]) p.getStack().getPixels(z);
					final byte[] m = (byte[]) mask.getStack().getPixels(z);
					for (int i = 0; i < px.length; i++) {
						assertTrue(px[i] >= 0 && px[i] <= 1, "a probability");
						assertEquals(px[i] > 0.5f, m[i] != 0, "mask = probability > 0.5");
					}
				}
			}
		}
	}
}
