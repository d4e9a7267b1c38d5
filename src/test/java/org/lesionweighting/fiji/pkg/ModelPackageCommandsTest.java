package org.lesionweighting.fiji.pkg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.fiji.CommandTestSupport;
import org.lesionweighting.fiji.MacroRunner;
import org.lesionweighting.fiji.TestDatasets;
import org.lesionweighting.fiji.TestImages;
import org.lesionweighting.fiji.infer.SegmentLesionsCommand;
import org.lesionweighting.fiji.train.TrainLesionSegmenterCommand;
import org.lesionweighting.util.Yaml;
import org.scijava.command.CommandModule;

import ij.IJ;
import ij.ImagePlus;

/** Export Model Package, Train Lesion Segmenter's export_package and Segment Lesions with a package, as commands. */
class ModelPackageCommandsTest extends CommandTestSupport {

	@TempDir
	static Path shared;

	static Path model;

	/** Trains a tiny model with export_package=true: the package is written into the model folder. */
	@BeforeAll
	static void trainWithExport() throws Exception {
		model = shared.resolve("model");
		final Object[] args = { "dataset", TestDatasets.twoTinyCases(shared).toFile(), "model", model
				.toFile(), "preset", "small", "patch_size", "8", "batch_size", 1, "epochs", 1, "iterations_per_epoch", 2, "device", "cpu", "optimizer", "adam", "learning_rate", 1e-3, "engine", "in_process", "export_package", true };
		assertEquals("finished", runCommand(TrainLesionSegmenterCommand.class, args).getOutput("training_status"));
	}

	static Map< String, Object > rdf(final Path zip) throws IOException {
		try (ZipFile z = new ZipFile(zip.toFile())) {
			return Yaml.parseMap(new String(z.getInputStream(z.getEntry("rdf.yaml")).readAllBytes(), StandardCharsets.UTF_8));
		}
	}

	private static ImagePlus volume() {
		final ImagePlus imp = IJ.createImage("scan.tif", "32-bit black", 20, 16, 12);
		final Random r = new Random(4);
		for (int z = 0; z < 12; z++)
			for (int y = 0; y < 16; y++)
				for (int x = 0; x < 20; x++)
					TestImages.set(imp, x, y, z, 20 * r.nextGaussian() + (x > 8 && x < 12 && y > 5 && y < 9 && z > 3 && z < 7 ? 100 : 0));
		return imp;
	}

	private static float[] pixels(final ImagePlus imp) {
		final float[] v = new float[imp.getWidth() * imp.getHeight() * imp.getStackSize()];
		int i = 0;
		for (int s = 1; s <= imp.getStackSize(); s++)
			for (final float f : (float[]) imp.getStack().getProcessor(s).convertToFloat().getPixels())
				v[i++] = f;
		return v;
	}

	@Test
	void trainingWithExportPackageWritesTheZipWithTheDatasetsCase() throws IOException {
		final Path zip = model.resolve("bioimageio.zip");
		assertTrue(Files.isRegularFile(zip));
		final Map< String, Object > d = rdf(zip);
		final Map< ?, ? > crop = (Map< ?, ? >) ((Map< ?, ? >) ((Map< ?, ? >) d.get("config")).get("lesion_weighting")).get("test_crop");
		assertTrue(List.of("case0", "case1").contains(crop.get("case")), "a case of the dataset: " + crop);
		assertEquals("Lesion segmentation 3D U-Net (Lesion Weighting)", d.get("name"));
		assertEquals("CC-BY-4.0", d.get("license"));
	}

	@Test
	void exportWritesThePackageWhereAsked() throws Exception {
		final Path zip = dir.resolve("shared").resolve("ms.zip");
		Files.createDirectories(zip.getParent());
		final CommandModule m = runCommand(ExportModelPackageCommand.class, "model", model.toFile(), "output", zip.toString(), "name", "MS lesions (tiny)",
				"authors", "Jane Doe; John Roe", "license", "MIT", "engine", "in_process");
		assertFalse(m.isCanceled(), m.getCancelReason());
		final Object out = m.getOutput("package_path");
		assertEquals(zip.toAbsolutePath().toString(), out);
		final Map< String, Object > d = rdf(zip);
		assertEquals(List.of(Map.of("name", "Jane Doe"), Map.of("name", "John Roe")), d.get("authors"));
		assertEquals("MIT", d.get("license"));
		assertEquals("phantom (seed 42)", ((Map< ?, ? >) ((Map< ?, ? >) ((Map< ?, ? >) d.get("config")).get("lesion_weighting")).get("test_crop")).get("case"),
				"without a dataset: a generated phantom");
	}

	/** The macro form, as a Fiji user writes it: keys are the parameter names. */
	@Test
	void aMacroExportsWithTheDatasetsChannelNames() throws Exception {
		final Path zip = dir.resolve("macro.zip");
		final String macro = "run('Export Model Package', 'model=[" + model + "] output=[" + zip + "] authors=[Jane Doe] dataset=[" + shared.resolve("dataset")
				+ "] engine=in_process'); return 'done';";
		assertEquals("done", MacroRunner.run(ctx, macro, ""));
		final Map< String, Object > d = rdf(zip);
		final Map< ?, ? > channel = (Map< ?, ? >) ((List< ? >) ((Map< ?, ? >) ((List< ? >) d.get("inputs")).get(0)).get("axes")).get(4);
		assertEquals(1, ((List< ? >) channel.get("channel_names")).size());
		assertEquals(List.of(Map.of("name", "Jane Doe")), d.get("authors"));
	}

	@Test
	void aBadLicenseWritesNothing() {
		final Path zip = dir.resolve("x.zip");
		final ExecutionException e = assertThrows(ExecutionException.class, () -> runCommand(ExportModelPackageCommand.class, "model", model.toFile(), "output",
				zip.toString(), "license", "my own", "engine", "in_process"));
		assertTrue(messages(e).contains("license 'my own'"), messages(e));
		assertFalse(Files.exists(zip));
	}

	/** The round trip as users run it: Segment Lesions gives the same probabilities from the zip (verified) as from the folder. */
	@Test
	void segmentingWithTheVerifiedZipEqualsTheFolder() throws Exception {
		final Object[] common = { "image", volume(), "outputs", "probabilities", "patch_size", "8", "stride", "6", "device", "cpu", "engine", "in_process" };
		final ImagePlus fromFolder = (ImagePlus) runCommand(SegmentLesionsCommand.class, with(common, "model", model.toFile())).getOutput("probabilities");
		final ImagePlus fromZip = (ImagePlus) runCommand(SegmentLesionsCommand.class,
				with(common, "model", model.resolve("bioimageio.zip").toFile(), "verify", true)).getOutput("probabilities");
		assertArrayEquals(pixels(fromFolder), pixels(fromZip));
		final ExecutionException e = assertThrows(ExecutionException.class,
				() -> runCommand(SegmentLesionsCommand.class, with(common, "model", model.toFile(), "verify", true)));
		assertTrue(messages(e).contains("verify=true checks a model package"), messages(e));
	}

	private static Object[] with(final Object[] base, final Object... more) {
		final Object[] all = java.util.Arrays.copyOf(base, base.length + more.length);
		System.arraycopy(more, 0, all, base.length, more.length);
		return all;
	}
}
