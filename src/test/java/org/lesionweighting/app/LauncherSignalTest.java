package org.lesionweighting.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.fiji.TestDatasets;
import org.lesionweighting.tf.model.ModelMetadata;
import org.lesionweighting.tf.model.SavedModels;
import org.lesionweighting.tf.train.Trainer;
import org.lesionweighting.util.Json;

/**
 * SIGTERM (what Ctrl-C and {@code kill} send) to the headless launcher in the middle of a training run: the
 * shutdown hook cancels the command, which writes a checkpoint and exports the model of the iteration it
 * reached, before the JVM exits.
 */
class LauncherSignalTest {

	@Test
	void aStopSignalCancelsTrainingWhichLeavesACheckpointAndAModel(@TempDir final Path dir) throws Exception {
		final Path dataset = TestDatasets.twoTinyCases(dir), model = dir.resolve("model");
		final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		// no periodic checkpoint: whatever checkpoint exists was written because of the signal
		final String args = "dataset='" + dataset + "',model='" + model
				+ "',preset='small',patch_size='8',batch_size=1,epochs=100,iterations_per_epoch=100,checkpoint_every=100000,device='cpu',optimizer='adam',learning_rate=0.001,engine='in_process'";
		final Process p = new ProcessBuilder(java, "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), Launcher.class.getName(), "--run",
				"Train Lesion Segmenter", args).redirectErrorStream(true).start();
		final List< String > lines = new CopyOnWriteArrayList<>();
		final CountDownLatch training = new CountDownLatch(1);
		final Thread reader = new Thread(() -> {
			try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
				for (String l; (l = r.readLine()) != null;) {
					lines.add(l);
					if (l.startsWith("Iteration 3/")) training.countDown();
				}
			}
			catch (final IOException e) {
				// the process ended
			}
		});
		reader.start();
		try {
			assertTrue(training.await(180, TimeUnit.SECONDS), "training did not reach iteration 3:\n" + String.join("\n", lines));
			p.toHandle().destroy(); // SIGTERM; unlike Process.destroy() it keeps our end of the output pipe open
			assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the launcher did not exit after SIGTERM");
			reader.join(10_000);
		}
		finally {
			p.destroyForcibly();
		}
		final String output = String.join("\n", lines);
		assertTrue(output.contains("Stop signal: cancelling the running command"), output);
		assertTrue(output.contains("training_status=cancelled"), output);
		final Matcher m = Pattern.compile("iterations_done=(\\d+)").matcher(output);
		assertTrue(m.find(), output);
		final long done = Long.parseLong(m.group(1));
		assertTrue(done >= 3 && done < 10_000, "iterations done: " + done);
		final double stored = ((Number) Json
				.parseObject(Files.readString(model.resolve(Trainer.TRAINING_FOLDER).resolve(Trainer.CHECKPOINT).resolve("state.json"))).get("iteration"))
				.doubleValue();
		assertEquals(done, stored, 0, "the checkpoint holds the iteration reached");
		final ModelMetadata meta = ModelMetadata.read(model.resolve(SavedModels.FOLDER_DEFAULT));
		assertEquals("cancelled", meta.extra().get("status"));
		assertEquals(done, ((Number) meta.extra().get("iterations")).doubleValue(), 0);
		assertEquals(done + 1, Files.readAllLines(model.resolve(Trainer.HISTORY_FILE)).size(), "history.csv: header and one row per iteration");
	}
}
