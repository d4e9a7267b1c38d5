package org.lesionweighting.tf.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Parameter defaults, validation messages, key parsing and the factory. */
class LossParametersTest {

	@Test
	void defaultsAreThePapersValues() {
		final LossParameters p = LossParameters.defaults();
		assertEquals(1.5, p.beta());
		assertEquals(2, p.gamma());
		assertEquals(0.75, p.alpha());
		assertEquals(1, p.posWeightScale());
		assertEquals(AslVariant.AUTHORS, p.aslVariant());
		assertEquals(WcePosWeightSource.PREDICTIONS, p.wcePosWeightSource());
	}

	@Test
	void settersReturnModifiedCopies() {
		final LossParameters p = LossParameters.defaults().beta(2).gamma(0).alpha(1).posWeightScale(3).aslVariant(AslVariant.HASHEMI)
				.wcePosWeightSource(WcePosWeightSource.TARGETS);
		assertEquals(2, p.beta());
		assertEquals(0, p.gamma());
		assertEquals(1, p.alpha());
		assertEquals(3, p.posWeightScale());
		assertEquals(AslVariant.HASHEMI, p.aslVariant());
		assertEquals(WcePosWeightSource.TARGETS, p.wcePosWeightSource());
		assertEquals(1.5, LossParameters.defaults().beta(), "defaults are immutable");
	}

	private static void assertRejected(final Runnable r, final String... fragments) {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
		for (final String f : fragments)
			assertTrue(e.getMessage().contains(f), e.getMessage());
	}

	@Test
	void betaMustBePositive() {
		assertRejected(() -> LossParameters.defaults().beta(0), "beta", "0.0");
		assertRejected(() -> LossParameters.defaults().beta(-1.5), "beta", "-1.5");
		assertRejected(() -> LossParameters.defaults().beta(Double.NaN), "beta", "NaN");
		assertRejected(() -> new LossParameters(-2, 2, 0.75, 1, AslVariant.AUTHORS, WcePosWeightSource.PREDICTIONS), "beta", "-2.0");
	}

	@Test
	void gammaMustBeNonNegative() {
		assertRejected(() -> LossParameters.defaults().gamma(-0.5), "gamma", "-0.5");
		assertRejected(() -> LossParameters.defaults().gamma(Double.POSITIVE_INFINITY), "gamma", "Infinity");
		assertRejected(() -> new LossParameters(1.5, -1, 0.5, 1, AslVariant.AUTHORS, WcePosWeightSource.PREDICTIONS), "gamma", "-1.0");
	}

	@Test
	void alphaMustBeAProbability() {
		assertRejected(() -> LossParameters.defaults().alpha(1.25), "alpha", "1.25");
		assertRejected(() -> LossParameters.defaults().alpha(-0.1), "alpha", "-0.1");
		assertRejected(() -> new LossParameters(1.5, 2, 2, 1, AslVariant.AUTHORS, WcePosWeightSource.PREDICTIONS), "alpha", "2.0");
	}

	@Test
	void posWeightScaleMustBePositive() {
		assertRejected(() -> LossParameters.defaults().posWeightScale(0), "pos_weight", "0.0");
	}

	@Test
	void kindsParseKeysNamesAndAuthorsNames() {
		assertEquals(LossKind.DICE, LossKind.fromString("dice"));
		assertEquals(LossKind.DICE, LossKind.fromString(" DICE "));
		assertEquals(LossKind.DICE, LossKind.fromString("dl"));
		assertEquals(LossKind.FOCAL, LossKind.fromString("fl"));
		assertEquals(LossKind.GDL, LossKind.fromString("gdl"));
		assertEquals("dice, asl, focal, bce, wce, gdl", String.join(", ", LossKind.keys()));
		assertRejected(() -> LossKind.fromString("jaccard"), "jaccard", "dice, asl, focal, bce, wce, gdl");
		assertRejected(() -> LossKind.fromString(null), "null");
		assertEquals(AslVariant.HASHEMI, AslVariant.fromString("hashemi"));
		assertRejected(() -> AslVariant.fromString("x"), "authors, hashemi");
		assertEquals(WcePosWeightSource.TARGETS, WcePosWeightSource.fromString("Targets"));
		assertRejected(() -> WcePosWeightSource.fromString("x"), "predictions, targets");
	}

	@Test
	void factoryCreatesEachKindWithItsParameters() {
		for (final LossKind k : LossKind.values())
			assertEquals(k, Losses.create(k).kind());
		final LossParameters hashemi = LossParameters.defaults().beta(2).aslVariant(AslVariant.HASHEMI);
		assertEquals(new Losses.Configured(LossKind.ASL, hashemi), Losses.create(LossKind.fromString("asl"), hashemi));
		assertEquals(LossParameters.defaults(), assertInstanceOf(Losses.Configured.class, Losses.create(LossKind.FOCAL, null)).parameters());
	}
}
