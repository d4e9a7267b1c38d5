package org.lesionweighting.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lesionweighting.tf.data.Augmentation;
import org.lesionweighting.tf.data.Preprocessing;
import org.lesionweighting.tf.data.TrainingCase;
import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.tf.train.DatasetPlan;
import org.lesionweighting.tf.train.OptimizerKind;
import org.lesionweighting.tf.train.TrainingConfig;

/** The Train command's values over the dataset plan: auto takes the plan's, anything else wins. */
class EngineJobsConfigTest {

	private static DatasetPlan plan() {
		final int n = 24;
		final float[] img = new float[n * n * n];
		final byte[] t = new byte[n * n * n];
		for (int i = 0; i < img.length; i++)
			img[i] = i % n < 4 ? 0 : 50 + i % 7;
		for (int z = 10; z < 13; z++)
			for (int y = 10; y < 13; y++)
				for (int x = 10; x < 13; x++)
					t[(z * n + y) * n + x] = 1;
		return DatasetPlan.of(List.of(TrainingCase.fromArrays("c", new int[] { n, n, n }, new float[][] { img }, t, null)), List.of("FLAIR"), false);
	}

	private static Map< String, Object > job(final Object... kv) {
		final Map< String, Object > m = new HashMap<>();
		for (int i = 0; i < kv.length; i += 2)
			m.put((String) kv[i], kv[i + 1]);
		return m;
	}

	@Test
	void autoIsThePlan() {
		final DatasetPlan p = plan();
		final TrainingConfig c = EngineJobs.trainingConfig(job("epochs", "auto", "preset", "auto", "patch_size", "auto", "learning_rate", "auto", "optimizer", "auto", "preprocessing", "auto", "iterations_per_epoch", "auto", "checkpoint_every", "auto", "output_bias", "auto"), p);
		assertEquals(p.trainingConfig(DatasetPlan.CPU_MINUTES_DEFAULT).toMap(), c.loss("dice").toMap());
		assertEquals(UNetConfig.SMALL.withOutputBias(p.outputBias()), c.network());
		assertEquals(OptimizerKind.ADAM, c.optimizer());
		assertEquals(DatasetPlan.CPU_MINUTES_DEFAULT, c.timeBudgetMinutes());
		assertEquals(DatasetPlan.CPU_ITERATIONS_PER_EPOCH, c.checkpointEvery(), "a checkpoint per epoch");
		assertEquals(Augmentation.DEFAULT, c.augmentation());
		assertEquals(Preprocessing.ZSCORE_NONZERO, c.preprocessing());
		assertEquals(c.toMap(), EngineJobs.trainingConfig(job(), p).toMap(), "absent is auto");
	}

	@Test
	void givenValuesWin() {
		final DatasetPlan p = plan();
		final TrainingConfig c = EngineJobs.trainingConfig(job("epochs", 10, "preset", "paper", "patch_size", "16,16,8", "learning_rate", "0.02", "optimizer", "sgd", "preprocessing", "zscore", "iterations_per_epoch", "7", "checkpoint_every", 3, "augmentation", false, "loss", "asl", "weighting", "none", "batch_size", 3, "seed", "5"), p);
		assertEquals(10, c.epochs());
		assertEquals(8, c.lrDropEpoch());
		assertEquals(0, c.timeBudgetMinutes(), "a number of epochs without a time budget");
		assertEquals("paper", c.network().preset());
		assertEquals(p.outputBias(), c.network().outputBias(), "the plan's output bias serves an explicit preset too");
		assertArrayEquals(new int[] { 16, 16, 8 }, c.patchSize());
		assertEquals(0.02, c.learningRate());
		assertEquals(OptimizerKind.SGD, c.optimizer());
		assertEquals(Preprocessing.ZSCORE, c.preprocessing());
		assertEquals(7, c.iterationsPerEpoch());
		assertEquals(3, c.checkpointEvery());
		assertEquals(Augmentation.NONE, c.augmentation());
		assertEquals("asl", c.loss().key());
		assertEquals(3, c.batchSize());
		assertEquals(5, c.seed());
		assertEquals(TrainingConfig.LEARNING_RATE_DEFAULT, EngineJobs.trainingConfig(job("optimizer", "sgd"), p).learningRate(), "SGD without a rate gets the paper's 1e-2, not Adam's");
		assertEquals(0.0, EngineJobs.trainingConfig(job("output_bias", "0"), p).network().outputBias());
		assertEquals(5.0, EngineJobs.trainingConfig(job("time_budget", 5.0), p).timeBudgetMinutes());
		final TrainingConfig both = EngineJobs.trainingConfig(job("time_budget", 5.0, "epochs", "40"), p);
		assertEquals(40, both.epochs());
		assertEquals(5.0, both.timeBudgetMinutes(), "epochs as the schedule, stopped at what fits into 5 minutes");
	}

	@Test
	void badValuesNameTheKey() {
		final DatasetPlan p = plan();
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EngineJobs.trainingConfig(job("epochs", "ten"), p));
		assertTrue(e.getMessage().contains("epochs") && e.getMessage().contains("'ten'"), e.getMessage());
		assertTrue(assertThrows(IllegalArgumentException.class, () -> EngineJobs.trainingConfig(job("learning_rate", "fast"), p)).getMessage().contains("learning_rate"));
	}
}
