package org.lesionweighting.tf.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.tf.data.TrainingData;
import org.lesionweighting.tf.graph.UNetConfig;

/**
 * The small preset learns generated phantoms: the loss goes down and the held-out phantom gets a
 * non-trivial whole-volume Dice (the validation Dice of the last epoch).
 */
class TrainingConvergenceTest {

	@Test
	void smallPresetLearnsPhantoms(@TempDir final Path dir) throws IOException {
		final TrainingConfig c = new TrainingConfig().network(UNetConfig.SMALL).patchSize(16).batchSize(2).epochs(3).iterationsPerEpoch(50)
				.checkpointEvery(1000).optimizer(OptimizerKind.ADAM).learningRate(3e-3).augmentation(org.lesionweighting.tf.data.Augmentation.NONE);
		final TrainingData data = new TrainingData("phantoms", Phantoms.cases(6, 24, 10), List.of(Phantoms.sphereCase("held-out", 24, 3, 777)));
		final TrainingResult r = Trainer.create(c, data, dir.resolve("m")).run();
		assertEquals(TrainingResult.Status.FINISHED, r.status());
		double first = 0;
		for (int i = 0; i < 20; i++)
			first += r.history().get(i).loss() / 20;
		final double last = r.meanLoss(20);
		final double dice = r.validation().get(r.validation().size() - 1).voxelDice();
		System.err.printf(Locale.ROOT,
				"small preset, 150 iterations: mean loss first 20 %.4f, last 20 %.4f; held-out Dice per epoch %.3f %.3f %.3f; %.2f s/iteration%n", first, last,
				r.validation().get(0).voxelDice(), r.validation().get(1).voxelDice(), dice,
				r.history().get(r.history().size() - 1).seconds() / r.history().size());
		assertTrue(last < 0.7 * first, "loss falls: " + first + " -> " + last);
		assertTrue(dice > 0.4, "held-out Dice " + dice);
	}
}
