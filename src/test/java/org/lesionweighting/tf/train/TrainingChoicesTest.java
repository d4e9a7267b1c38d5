package org.lesionweighting.tf.train;

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

/** The Train command's values over the dataset plan: auto takes the plan's, anything else wins; one grammar and one JSON form. */
class TrainingChoicesTest {

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
		final TrainingConfig c = TrainingChoices.parse(job("epochs", "auto", "preset", "auto", "patch_size", "auto", "learning_rate", "auto", "optimizer",
				"auto", "preprocessing", "auto", "iterations_per_epoch", "auto", "checkpoint_every", "auto", "output_bias", "auto")).apply(p);
		assertEquals(p.trainingConfig(DatasetPlan.CPU_MINUTES_DEFAULT).toMap(), c.loss("dice").toMap());
		assertEquals(UNetConfig.SMALL.withOutputBias(p.outputBias()), c.network());
		assertEquals(OptimizerKind.ADAM, c.optimizer());
		assertEquals(DatasetPlan.CPU_MINUTES_DEFAULT, c.timeBudgetMinutes());
		assertEquals(DatasetPlan.CPU_ITERATIONS_PER_EPOCH, c.checkpointEvery(), "a checkpoint per epoch");
		assertEquals(Augmentation.DEFAULT, c.augmentation());
		assertEquals(Preprocessing.ZSCORE_NONZERO, c.preprocessing());
		assertEquals(c.toMap(), TrainingChoices.parse(job()).apply(p).toMap(), "absent is auto");
	}

	@Test
	void givenValuesWin() {
		final DatasetPlan p = plan();
		final TrainingConfig c = TrainingChoices.parse(job("epochs", 10, "preset", "paper", "patch_size", "16,16,8", "learning_rate", "0.02", "optimizer",
				"sgd", "preprocessing", "zscore", "iterations_per_epoch", "7", "checkpoint_every", 3, "augmentation", false, "loss", "asl", "weighting", "none",
				"batch_size", 3, "seed", "5")).apply(p);
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
		assertEquals(TrainingConfig.LEARNING_RATE_DEFAULT, TrainingChoices.parse(job("optimizer", "sgd")).apply(p).learningRate(),
				"SGD without a rate gets the paper's 1e-2, not Adam's");
		assertEquals(0.0, TrainingChoices.parse(job("output_bias", "0")).apply(p).network().outputBias());
		assertEquals(5.0, TrainingChoices.parse(job("time_budget", 5.0)).apply(p).timeBudgetMinutes());
		final TrainingConfig both = TrainingChoices.parse(job("time_budget", 5.0, "epochs", "40")).apply(p);
		assertEquals(40, both.epochs());
		assertEquals(5.0, both.timeBudgetMinutes(), "epochs as the schedule, stopped at what fits into 5 minutes");
	}

	@Test
	void badValuesNameTheKey() {
		final DatasetPlan p = plan();
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingChoices.parse(job("epochs", "ten")).apply(p));
		assertTrue(e.getMessage().contains("epochs") && e.getMessage().contains("'ten'"), e.getMessage());
		assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingChoices.parse(job("learning_rate", "fast")).apply(p)).getMessage()
				.contains("learning_rate"));
	}

	/** Issue 14: EngineJobs split patch sizes on [,x×\\s]+, TilingOptions on [,x\\s]+, so 64×64×32 trained but did not segment. */
	@Test
	void oneGrammarForSizesInTrainingAndSegmentation() {
		for (final String size : List.of("64×64×32", "64x64x32", "64,64,32", "64 64 32")) {
			assertArrayEquals(new int[] { 64, 64, 32 }, TrainingChoices.parse(job("patch_size", size)).patchSize(), size);
			assertArrayEquals(new int[] { 64, 64, 32 }, org.lesionweighting.tf.infer.TilingOptions.parse(job("patch_size", size)).patchSize(), size);
		}
	}

	@Test
	void jsonRoundTripKeepsEveryChoiceAndAuto() {
		final TrainingChoices given = TrainingChoices
				.parse(job("epochs", 10, "preset", "paper", "patch_size", "16,16,8", "learning_rate", "0.02", "optimizer", "sgd", "preprocessing",
						"clip_zscore:-5,90.5,20,7.25", "iterations_per_epoch", "7", "checkpoint_every", 3, "augmentation", false, "loss", "asl", "weighting",
						"none", "batch_size", 3, "seed", "9223372036854775807", "output_bias", -2.5, "bce_term", 0.5, "time_budget", 12.5, "device", "cpu"));
		final TrainingChoices auto = TrainingChoices.parse(job());
		for (final TrainingChoices c : List.of(given, auto)) {
			final TrainingChoices back = TrainingChoices.parse(org.lesionweighting.util.Json.parseObject(org.lesionweighting.util.Json.write(c.toJson())));
			assertEquals(c, back);
			assertEquals(c.toJson(), back.toJson());
		}
		assertEquals(Long.MAX_VALUE, given.seed(), "a seed beyond double precision survives JSON");
		assertEquals(org.lesionweighting.weights.WeightScheme.UNIFORM, given.weighting(), "none is the alias of uniform");
		assertEquals("auto", auto.toJson().get("epochs"));
		assertEquals(null, auto.epochs());
		assertEquals(TrainingConfig.SEED_DEFAULT, auto.seed());
	}

	@Test
	void outOfRangeValuesAreRejectedOnceByTheRulesOfTrainingConfig() {
		assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingChoices.parse(job("epochs", 0))).getMessage().contains("epochs must be ≥ 1"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingChoices.parse(job("learning_rate", "-1"))).getMessage()
				.contains("learning_rate must be a positive number"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingChoices.parse(job("bce_term", 2000))).getMessage()
				.contains("bce_term must be in [0, 1000]"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingChoices.parse(job("output_bias", 1000))).getMessage().contains("output_bias"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingChoices.parse(job("patch_size", "8x8"))).getMessage().contains("patch_size"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingChoices.parse(job("preprocessing", "zscore2"))).getMessage().contains("zscore2"));
	}
}
