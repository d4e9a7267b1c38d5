package org.lesionweighting.fiji.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.fiji.CommandTestSupport;
import org.lesionweighting.fiji.MacroRunner;
import org.lesionweighting.fiji.TestImages;
import org.lesionweighting.fiji.VolumeFiles;
import org.lesionweighting.tf.infer.TestModels;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;

import ij.IJ;
import ij.ImagePlus;

class SegmentLesionsCommandTest {

	private static Context ctx;

	@TempDir
	static Path dir;

	static Path model;

	@BeforeAll
	static void setUp() throws Exception {
		ctx = new Context();
		ctx.service(LogService.class).setLevel("org.scijava", LogLevel.NONE);
		model = dir.resolve("model");
		TestModels.exportConv(model, 1);
	}

	@AfterAll
	static void dispose() {
		ctx.dispose();
	}

	private static ImagePlus volume() {
		final ImagePlus imp = IJ.createImage("ct.tif", "32-bit black", 20, 18, 9);
		final Random r = new Random(3);
		for (int z = 0; z < 9; z++)
			for (int y = 0; y < 18; y++)
				for (int x = 0; x < 20; x++)
					TestImages.set(imp, x, y, z, r.nextGaussian());
		return imp;
	}

	private static CommandModule run(final Object... inputs) throws Exception {
		return ctx.service(CommandService.class).run(SegmentLesionsCommand.class, true, inputs).get();
	}

	@Test
	void producesTheRequestedImages() throws Exception {
		final CommandModule m = run("model", model.toFile(), "image", volume(), "outputs", "probabilities,mask,labels", "patch_size", "8", "stride", "6",
				"device", "cpu");
		final ImagePlus p = (ImagePlus) m.getOutput("probabilities"), mask = (ImagePlus) m.getOutput("mask"), labels = (ImagePlus) m.getOutput("labels");
		assertNull(m.getOutput("logits"));
		assertEquals("ct-probabilities", p.getTitle());
		assertEquals(20, p.getWidth());
		assertEquals(9, p.getNSlices());
		assertEquals(8, mask.getBitDepth());
		int positives = 0;
		for (int z = 0; z < 9; z++)
			for (int y = 0; y < 18; y++)
				for (int x = 0; x < 20; x++) {
					final boolean in = TestImages.get(p, x, y, z) > 0.5;
					assertEquals(in ? 1.0 : 0.0, TestImages.get(mask, x, y, z));
					assertEquals(in, TestImages.get(labels, x, y, z) > 0);
					positives += in ? 1 : 0;
				}
		assertTrue(positives > 0);
		assertTrue((int) m.getOutput("count") > 0);
	}

	@Test
	void headlessWritesFilesFromAnInputFile() throws Exception {
		final Path in = dir.resolve("in.tif");
		IJ.saveAsTiff(volume(), in.toString());
		final File maskFile = dir.resolve("out-mask.tif").toFile(), logitFile = dir.resolve("out-logits.tif").toFile();
		final CommandModule m = run("model", model.toFile(), "input", in.toFile(), "outputs", "", "mask_path", maskFile, "logits_path", logitFile, "patch_size",
				"16,16,8", "stride", "12,12,8", "blending", "gaussian", "batch_size", 2);
		assertTrue(maskFile.isFile());
		assertTrue(logitFile.isFile());
		final ImagePlus logits = VolumeFiles.open(logitFile.toPath());
		assertEquals(32, logits.getBitDepth());
		assertNotNull(m.getOutput("mask"));
		assertNull(m.getOutput("probabilities"));
		assertFalse(Files.exists(dir.resolve("out-probabilities.tif")));
	}

	@Test
	void runsFromAnImageJMacro() throws Exception {
		final Path in = dir.resolve("macro-in.tif");
		IJ.saveAsTiff(volume(), in.toString());
		final Path out = dir.resolve("macro-mask.tif");
		final String macro = "open(\"" + in + "\");\n" + "run(\"Segment Lesions\", \"model=[" + model
				+ "] image=macro-in.tif outputs=mask patch_size=8 stride=6 device=cpu mask_path=[" + out + "]\");\n";
		MacroRunner.run(ctx, macro, "");
		assertTrue(Files.isRegularFile(out));
		assertEquals(9, VolumeFiles.open(out).getNSlices());
	}

	@Test
	void strideLargerThanPatchIsAClearError() {
		final ExecutionException e = assertThrows(ExecutionException.class,
				() -> run("model", model.toFile(), "image", volume(), "patch_size", "8", "stride", "9"));
		assertTrue(CommandTestSupport.messages(e).contains("stride"), CommandTestSupport.messages(e));
	}

	@Test
	void missingModelIsAClearError() {
		final ExecutionException e = assertThrows(ExecutionException.class, () -> run("model", dir.resolve("none").toFile(), "image", volume()));
		assertTrue(CommandTestSupport.messages(e).contains("saved_model.pb"), CommandTestSupport.messages(e));
	}
}
