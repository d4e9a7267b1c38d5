package org.lesionweighting.tf.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lesionweighting.tf.data.Preprocessing;
import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.tf.loss.AslVariant;
import org.lesionweighting.tf.loss.LossKind;
import org.lesionweighting.tf.loss.LossParameters;
import org.lesionweighting.weights.WeightScheme;

class TrainingConfigTest {

	@Test
	void defaultsAreThePapers() {
		final TrainingConfig c = new TrainingConfig();
		assertEquals(UNetConfig.PAPER, c.network());
		assertEquals(OptimizerKind.SGD, c.optimizer());
		assertEquals(0.9, c.momentum());
		assertEquals(1e-2, c.learningRate());
		assertEquals(100, c.epochs());
		assertEquals(100, c.iterationsPerEpoch());
		assertEquals(10_000, c.totalIterations()); // 100 × 100 (doc/method.md §3.2 says 20,000, which does not match 100 × 100)
		assertEquals(2, c.batchSize());
		assertArrayEquals(new int[] { 128, 128, 128 }, c.patchSize());
		assertEquals(0xBadCafeL, c.seed());
		assertEquals(LossKind.DICE, c.loss());
		assertEquals(WeightScheme.INVERSE_VOLUME, c.weighting());
		assertEquals(0.5, c.sampler().lesionCentredFraction());
		assertEquals(0, c.sampler().lesionFreeWeight());
	}

	@Test
	void learningRateDropsAfterEpoch80() {
		// dpipe Schedule(1e-2, {80: 0.1}): epochs 0..80 at 1e-2, 81..99 at 1e-3
		final TrainingConfig c = new TrainingConfig();
		assertEquals(1e-2, c.learningRateAt(0));
		assertEquals(1e-2, c.learningRateAt(80));
		assertEquals(1e-3, c.learningRateAt(81), 1e-15);
		assertEquals(1e-3, c.learningRateAt(99), 1e-15);
		assertEquals(1e-2, c.learningRateDrop(-1, 0.1).learningRateAt(99));
	}

	@Test
	void theLearningRateDropFollowsTheEpochsUnlessSetExplicitly() {
		// the rule lives here, not in a command: after 80 % of the epochs for any number of epochs
		final TrainingConfig c = new TrainingConfig().epochs(10);
		assertEquals(8, c.lrDropEpoch());
		assertEquals(1e-2, c.learningRateAt(8));
		assertEquals(1e-3, c.learningRateAt(9), 1e-15);
		assertEquals(2, c.epochs(3).lrDropEpoch());
		assertEquals(5, c.learningRateDrop(5, 0.5).epochs(40).lrDropEpoch());
		assertEquals(32, c.learningRateDropAuto().lrDropEpoch());
		assertEquals("auto", new TrainingConfig().toMap().get("lr_drop_epoch"));
		assertEquals(24, TrainingConfig.fromMap(new TrainingConfig().epochs(30).toMap()).lrDropEpoch());
		assertEquals(7, TrainingConfig.fromMap(new TrainingConfig().epochs(30).learningRateDrop(7, 0.1).toMap()).lrDropEpoch());
	}

	@Test
	void augmentationAndTimeBudgetRoundTripAndOldRunsHadNoAugmentation() {
		final TrainingConfig c = new TrainingConfig().timeBudgetMinutes(12.5);
		assertEquals(TrainingConfig.AUGMENTATION_DEFAULT, c.augmentation());
		final TrainingConfig d = TrainingConfig.fromMap(org.lesionweighting.util.Json.parseObject(org.lesionweighting.util.Json.write(c.toMap())));
		assertEquals(12.5, d.timeBudgetMinutes());
		assertEquals(c.augmentation(), d.augmentation());
		final java.util.Map< String, Object > old = c.toMap();
		old.remove("augmentation");
		assertEquals(org.lesionweighting.tf.data.Augmentation.NONE, TrainingConfig.fromMap(old).augmentation(),
				"a checkpoint written before augmentation existed resumes without it");
		assertTrue(assertThrows(IllegalArgumentException.class, () -> c.timeBudgetMinutes(-1)).getMessage().contains("time_budget"));
	}

	@Test
	void mapRoundTrip() {
		final TrainingConfig c = new TrainingConfig().network(UNetConfig.SMALL.withInputChannels(2)).loss("asl")
				.lossParameters(LossParameters.defaults().beta(2).aslVariant(AslVariant.values()[AslVariant.values().length - 1])).weighting("legacy")
				.optimizer(OptimizerKind.ADAM).learningRate(3e-4).learningRateDrop(5, 0.5).epochs(7).iterationsPerEpoch(9).batchSize(3).patchSize(16, 24, 32)
				.seed(-42).preprocessing(Preprocessing.window(-1000, 300)).checkpointEvery(11).device("cpu").loader(2, 5).sessionThreads(1, 1);
		c.sampler().lesionCentredFraction(0.25).lesionFreeWeight(0.5).padding(false).clip(2, 1000);
		final TrainingConfig d = TrainingConfig.fromMap(org.lesionweighting.util.Json.parseObject(org.lesionweighting.util.Json.write(c.toMap())));
		assertEquals(c.toMap(), d.toMap());
		assertEquals(c.toString(), d.toString());
		assertEquals(-42, d.seed());
		assertEquals(2.0, d.lossParameters().beta());
	}

	@Test
	void badValuesAreRejectedWithTheirName() {
		final TrainingConfig c = new TrainingConfig();
		assertTrue(assertThrows(IllegalArgumentException.class, () -> c.learningRate(0)).getMessage().contains("learning_rate"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> c.epochs(0)).getMessage().contains("epochs"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> c.device("tpu")).getMessage().contains("tpu"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> c.weighting("squared")).getMessage().contains("squared"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> OptimizerKind.fromString("rmsprop")).getMessage().contains("sgd"));
		assertThrows(IllegalArgumentException.class, () -> c.patchSize(8, 8));
	}
}
