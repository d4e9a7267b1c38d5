package org.lesionweighting.fiji.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.lesionweighting.fiji.CommandCatalog;
import org.lesionweighting.fiji.CommandTestSupport;
import org.lesionweighting.fiji.ImagePlusBridge;
import org.lesionweighting.fiji.MacroRunner;
import org.lesionweighting.fiji.TestImages;
import org.lesionweighting.fiji.VolumeFiles;
import org.lesionweighting.metrics.FrocOptions;
import org.lesionweighting.metrics.LesionRecord;
import org.lesionweighting.metrics.LesionRecords;
import org.lesionweighting.metrics.RecordsCsv;
import org.lesionweighting.util.Json;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;

/** Evaluate Lesion Detection and Lesion FROC run headless through a SciJava context, and the macro. */
class EvaluationCommandsTest extends CommandTestSupport {

	/** 16x12x4 truth with two lesions; prediction hits the first, misses the second, adds one FP. */
	static ImagePlus[] caseImages(final String id, final int shift) {
		final ImagePlus truth = IJ.createImage(id + "_truth", "8-bit black", 16, 12, 4);
		final ImagePlus prob = IJ.createImage(id + "_prob", "32-bit black", 16, 12, 4);
		final ImagePlus logit = IJ.createImage(id + "_logits", "32-bit black", 16, 12, 4);
		for (int x = 1; x <= 3; x++)
			for (int y = 1; y <= 3; y++) {
				TestImages.set(truth, x, y, 1, 1);
				TestImages.set(prob, x + shift, y, 1, 0.9);
				TestImages.set(logit, x + shift, y, 1, 2 + x);
			}
		TestImages.set(truth, 12, 9, 3, 1);
		TestImages.set(prob, 10, 8, 0, 0.7);
		TestImages.set(logit, 10, 8, 0, 1.5);
		return new ImagePlus[] { truth, prob, logit };
	}

	@Test
	void evaluateOpenImagesGivesRecordsTableAndFiles() throws Exception {
		final ImagePlus[] c = caseImages("case1", 1);
		ImagePlusBridge.setCalibration(c[0], new double[] { 0.5, 0.5, 2 }, "mm", null);
		final Path csv = dir.resolve("case1.csv"), json = dir.resolve("case1.json");
		final CommandModule m = runCommand(EvaluateLesionDetectionCommand.class, "truth", c[0], "probabilities", c[1], "logits", c[2], "records", csv.toFile(),
				"summary", json.toFile());
		assertEquals(2, m.getOutput("num_lesions"));
		assertEquals(2, m.getOutput("num_predictions"));
		assertEquals(2.0 * 6 / (10 + 10), (double) m.getOutput("voxel_dice"), 1e-12);
		final ResultsTable rt = (ResultsTable) m.getOutput("records_table");
		assertEquals(4, rt.size());
		assertEquals("lesion", rt.getStringValue("kind", 0));
		final List< LesionRecord > rows = RecordsCsv.read(csv);
		assertEquals(LesionRecords.compute("case1_truth", ImagePlusBridge.wrap(c[0]), ImagePlusBridge.wrap(c[1]), ImagePlusBridge.wrap(c[2]),
				new double[] { 0.5, 0.5, 2 }), rows);
		final LesionRecord hit = rows.get(0);
		assertEquals(2.0 * 6 / 18, hit.hitDice(), 1e-12);
		assertEquals(5.0, hit.hitLogit(), 0, "peak logit of the matched component (2 + x, x up to 3)");
		@SuppressWarnings("unchecked")
		final Map< String, Object > s = (Map< String, Object >) Json.parse(Files.readString(json));
		assertEquals(0.5, ((Number) ((List< ? >) ((Map< ?, ? >) s.get("froc")).get("recall")).get(0)).doubleValue(), 0);
		// one-to-one: the hit lesion (Dice 12/18) matches, the missed lesion and the false positive do not
		assertEquals(0.5, (double) m.getOutput("lesion_f1"), 1e-12);
		assertEquals(1.0, (double) m.getOutput("volume_ratio"), 1e-12);
		assertEquals("", m.getOutput("warnings"));
		final Map< ?, ? > pooled = (Map< ?, ? >) ((Map< ?, ? >) s.get("segmentation")).get("pooled");
		assertEquals(1.0, ((Number) pooled.get("matched")).doubleValue(), 0);
		assertEquals(0.5, ((Number) pooled.get("f1")).doubleValue(), 1e-12);
	}

	@Test
	void frocFlagsAWholeVolumeMaskThatThePapersRecallScoresAsPerfect() throws Exception {
		final ImagePlus truth = IJ.createImage("t", "8-bit black", 20, 20, 10);
		final ImagePlus prob = IJ.createImage("p", "32-bit black", 20, 20, 10);
		for (final int[] c : new int[][] { { 2, 2, 2 }, { 10, 3, 4 }, { 4, 14, 7 }, { 15, 15, 2 } })
			TestImages.set(truth, c[0], c[1], c[2], 1);
		for (int z = 0; z < 10; z++)
			for (int y = 0; y < 20; y++)
				for (int x = 0; x < 20; x++)
					TestImages.set(prob, x, y, z, 0.9);
		final Path recs = dir.resolve("brain.csv"), summary = dir.resolve("s.json"), quality = dir.resolve("q.csv");
		RecordsCsv.write(recs, LesionRecords.compute("brain", ImagePlusBridge.wrap(truth), ImagePlusBridge.wrap(prob), null, null));
		final CommandModule m = runCommand(LesionFrocCommand.class, "records", recs.toFile(), "summary", summary.toFile(), "quality", quality.toFile(),
				"bootstrap", 0);
		assertEquals(1.0, (double) m.getOutput("avg_recall"), 0, "every lesion overlaps the one component");
		assertEquals(0.0, (double) m.getOutput("lesion_f1"), 0);
		final String w = (String) m.getOutput("warnings");
		assertTrue(w.contains("1000.0\u00d7 the true volume") && w.contains("1 predicted component merges 4 of 4 lesions"), w);
		final List< String > q = Files.readAllLines(quality);
		assertEquals(3, q.size());
		assertTrue(q.get(1).startsWith("brain,4,1,4,4000,1000.0000,NaN,0,") && q.get(1).endsWith(",1,4,true"), q.get(1));
		@SuppressWarnings("unchecked")
		final Map< String, Object > s = (Map< String, Object >) Json.parse(Files.readString(summary));
		assertEquals(2, ((List< ? >) ((Map< ?, ? >) s.get("segmentation")).get("warnings")).size());
	}

	@Test
	void evaluateFilesWithoutLogitsUsesProbabilities() throws Exception {
		final ImagePlus[] c = caseImages("c2", 0);
		final Path t = dir.resolve("c2_truth.tif"), p = dir.resolve("c2_prob.tif");
		VolumeFiles.save(c[0], t);
		VolumeFiles.save(c[1], p);
		final CommandModule m = runCommand(EvaluateLesionDetectionCommand.class, "truth_file", t.toFile(), "probabilities_file", p.toFile(), "image_id", "c2");
		final ResultsTable rt = (ResultsTable) m.getOutput("records_table");
		assertEquals("c2", rt.getStringValue("image", 0));
		assertEquals(0.9, rt.getValue("hit_logit", 0), 1e-6);
	}

	@Test
	void evaluateBadInputsWriteNothing() throws Exception {
		final ImagePlus[] c = caseImages("c3", 0);
		final Path csv = dir.resolve("r.csv");
		assertThrows(ExecutionException.class, () -> runCommand(EvaluateLesionDetectionCommand.class, "probabilities", c[1], "records", csv.toFile()));
		assertThrows(ExecutionException.class,
				() -> runCommand(EvaluateLesionDetectionCommand.class, "truth", c[0], "probabilities", c[1], "records", dir.resolve("r.txt").toFile()));
		final ImagePlus small = IJ.createImage("s", "32-bit black", 4, 4, 4);
		assertThrows(ExecutionException.class,
				() -> runCommand(EvaluateLesionDetectionCommand.class, "truth", c[0], "probabilities", small, "records", csv.toFile()));
		try (var s = Files.list(dir)) {
			assertEquals(0, s.count());
		}
	}

	@Test
	void frocPoolsAFolderAndEqualsTheCoreSummary() throws Exception {
		final Path recs = dir.resolve("records");
		Files.createDirectories(recs);
		final List< LesionRecord > all = RecordsCsv.parse(org.lesionweighting.metrics.FrocReferenceTestData.CSV.strip());
		final List< LesionRecord > a = new ArrayList<>(), b = new ArrayList<>();
		for (final LesionRecord r : all)
			(r.image().compareTo("img06") < 0 ? a : b).add(r);
		RecordsCsv.write(recs.resolve("a.csv"), a);
		RecordsCsv.write(recs.resolve("b.csv"), b);
		final Path summary = dir.resolve("summary.json"), curve = dir.resolve("froc.csv"), png = dir.resolve("froc.png");
		final CommandModule m = runCommand(LesionFrocCommand.class, "records", recs.toFile(), "summary", summary.toFile(), "curve", curve.toFile(), "plot",
				png.toFile(), "small_diameter", 8.0, "paper_divisor", true);
		assertEquals(0.5359789511885321, (double) m.getOutput("avg_recall"), 0);
		assertEquals(0.5513323368805008, (double) m.getOutput("bootstrap_mean"), 0, "the numpy reference with RandomState(42) and the paper's divisor");
		assertEquals(0.402, (double) m.getOutput("object_dice"), 0);
		assertEquals(201, ((ResultsTable) m.getOutput("froc_table")).size());
		assertNotNull(m.getOutput("plot_image"));
		assertEquals(202, Files.readAllLines(curve).size());
		assertNotNull(ImageIO.read(png.toFile()));
		@SuppressWarnings("unchecked")
		final Map< String, Object > s = (Map< String, Object >) Json.parse(Files.readString(summary));
		assertEquals(0.6517069194943447, ((Number) ((Map< ?, ? >) ((Map< ?, ? >) s.get("small")).get("bootstrap")).get("mean")).doubleValue(), 0);
		assertEquals(50.0, ((Number) ((Map< ?, ? >) s.get("bootstrap")).get("n")).doubleValue(), 0);
		assertEquals(FrocOptions.BOOTSTRAP_DEFAULT, 50);
	}

	@Test
	void frocRejectsBadOptionsBeforeWriting() throws Exception {
		final Path f = dir.resolve("r.csv");
		RecordsCsv.write(f, List.of());
		assertThrows(ExecutionException.class,
				() -> runCommand(LesionFrocCommand.class, "records", f.toFile(), "bootstrap", -1, "summary", dir.resolve("s.json").toFile()));
		assertThrows(ExecutionException.class,
				() -> runCommand(LesionFrocCommand.class, "records", dir.resolve("none.csv").toFile(), "summary", dir.resolve("s.json").toFile()));
		assertFalse(Files.exists(dir.resolve("s.json")));
	}

	@Test
	void parameterNamesDoNotClashAsMacroKeys() {
		for (final Class< ? > c : List.of(EvaluateLesionDetectionCommand.class, LesionFrocCommand.class)) {
			final CommandInfo info = ctx.service(CommandService.class).getCommand(c.getName());
			assertEquals(List.of(), CommandCatalog.suffixClashes(info), c.getSimpleName());
		}
	}

	@Test
	void macroEvaluatesAFolderAndPoolsTheRecords() throws Exception {
		for (final String id : List.of("case1", "case2")) {
			final ImagePlus[] c = caseImages(id, id.equals("case1") ? 1 : 0);
			VolumeFiles.save(c[0], dir.resolve(id + "_truth.tif"));
			VolumeFiles.save(c[1], dir.resolve(id + "_prob.tif"));
			if (id.equals("case1")) VolumeFiles.save(c[2], dir.resolve(id + "_logits.tif"));
		}
		final String r = MacroRunner.runFile(ctx, Path.of("macros").resolve("evaluate_and_pool.ijm"), dir.toString());
		assertEquals("2 images, 201 thresholds", r);
		assertEquals(List.of("case1", "case2"), RecordsCsv.read(dir.resolve("records")).stream().map(LesionRecord::image).distinct().toList());
		assertTrue(Files.exists(dir.resolve("summary.json")) && Files.exists(dir.resolve("froc.csv")) && Files.exists(dir.resolve("froc.png")));
	}

	/** Issue 15 item 7: p07/mask.nii.gz and p19/mask.nii.gz were both 'mask', pooled as one image. */
	@Test
	void defaultImageIdsKeepCasesInTheirOwnFoldersApart() throws Exception {
		final List< String > ids = new ArrayList<>();
		for (final String patient : new String[] { "p07", "p19" }) {
			final ImagePlus[] c = caseImages(patient, 0);
			final Path folder = Files.createDirectories(dir.resolve(patient));
			VolumeFiles.save(c[0], folder.resolve("mask.tif"));
			VolumeFiles.save(c[1], folder.resolve("prob.tif"));
			final CommandModule m = runCommand(EvaluateLesionDetectionCommand.class, "truth_file", folder.resolve("mask.tif").toFile(), "probabilities_file",
					folder.resolve("prob.tif").toFile(), "records", dir.resolve(patient + ".csv").toFile());
			ids.add(((ResultsTable) m.getOutput("records_table")).getStringValue("image", 0));
		}
		assertEquals(List.of("p07/mask", "p19/mask"), ids);
	}

	/** Issue 15 item 5: records without any ground-truth lesion scored avg_recall = 1.0. */
	@Test
	void frocOfRecordsWithoutLesionsIsAnError() throws Exception {
		final Path csv = Files.writeString(dir.resolve("none.csv"), String.join(",", RecordsCsv.COLUMNS) + "\n");
		final ExecutionException e = assertThrows(ExecutionException.class,
				() -> runCommand(LesionFrocCommand.class, "records", csv.toFile(), "summary", dir.resolve("s.json").toFile()));
		assertTrue(messages(e).contains("holds 0 records and no ground-truth lesion"), messages(e));
		assertFalse(Files.exists(dir.resolve("s.json")));
	}
}
