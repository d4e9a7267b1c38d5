package org.lesionweighting.fiji.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.app.Launcher;
import org.lesionweighting.fiji.VolumeFiles;
import org.lesionweighting.metrics.RecordsCsv;
import org.lesionweighting.util.Json;

import ij.ImagePlus;

/** Headless use through the launcher: evaluate two images, pool their records, FROC. */
class EvaluationLauncherTest {

	@TempDir
	Path dir;

	private static int launch(final ByteArrayOutputStream err, final String... args) {
		return Launcher.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
	}

	@Test
	void evaluateThenPoolHeadless() throws Exception {
		final Path records = dir.resolve("records");
		Files.createDirectories(records);
		for (final String id : new String[] { "a", "b" }) {
			final ImagePlus[] c = EvaluationCommandsTest.caseImages(id, id.equals("a") ? 1 : 0);
			VolumeFiles.save(c[0], dir.resolve(id + "_truth.tif"));
			VolumeFiles.save(c[1], dir.resolve(id + "_prob.tif"));
			final ByteArrayOutputStream err = new ByteArrayOutputStream();
			final int code = launch(err, "--run", "Evaluate Lesion Detection", "probabilities_file='" + dir.resolve(id + "_prob.tif") + "', truth_file='"
					+ dir.resolve(id + "_truth.tif") + "', image_id='" + id + "', records='" + records.resolve(id + ".csv") + "'");
			assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
		}
		assertEquals(8, RecordsCsv.read(records).size());
		final ByteArrayOutputStream err = new ByteArrayOutputStream();
		final Path summary = dir.resolve("summary.json");
		final int code = launch(err, "--run", "Lesion FROC",
				"records='" + records + "', summary='" + summary + "', plot='" + dir.resolve("froc.png") + "', bootstrap=5, seed=1");
		assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
		@SuppressWarnings("unchecked")
		final Map< String, Object > s = (Map< String, Object >) Json.parse(Files.readString(summary));
		assertEquals(2.0, ((Number) s.get("n_images")).doubleValue(), 0);
		assertEquals(4.0, ((Number) s.get("n_lesions")).doubleValue(), 0);
		assertTrue(Files.size(dir.resolve("froc.png")) > 0);
	}
}
