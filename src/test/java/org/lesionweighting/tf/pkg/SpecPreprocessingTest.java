package org.lesionweighting.tf.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lesionweighting.tf.data.Preprocessing;
import org.lesionweighting.util.Yaml;

class SpecPreprocessingTest {

	@Test
	void everyExactKindReadsBackFromItsSpecSteps() {
		for (final Preprocessing p : List.of(Preprocessing.NONE, Preprocessing.ZSCORE, Preprocessing.window(-300, 300),
				Preprocessing.clipZscore(-100, 200, 60, 40))) {
			final SpecPreprocessing.Steps s = SpecPreprocessing.toSpec(p);
			assertTrue(s.exact(), p.toString());
			assertEquals(p, SpecPreprocessing.fromSpec(s.steps()), p.toString());
			// also after a trip through YAML text, as a package is read
			assertEquals(p, SpecPreprocessing.fromSpec((List< ? >) Yaml.parseMap(Yaml.write(Map.of("p", s.steps()))).get("p")), p.toString());
		}
	}

	@Test
	void theStepsAreTheSpecsOperations() {
		assertEquals(
				List.of(Map.of("id", "ensure_dtype", "kwargs", Map.of("dtype", "float32")), Map.of("id", "clip", "kwargs", Map.of("min", -300.0, "max", 300.0)),
						Map.of("id", "scale_range", "kwargs", Map.of("axes", List.of("z", "y", "x"), "min_percentile", 0.0, "max_percentile", 100.0)),
						Map.of("id", "ensure_dtype", "kwargs", Map.of("dtype", "float32"))),
				SpecPreprocessing.toSpec(Preprocessing.window(-300, 300)).steps());
		assertEquals(Map.of("id", "fixed_zero_mean_unit_variance", "kwargs", Map.of("mean", 60.0, "std", 40.0)),
				SpecPreprocessing.toSpec(Preprocessing.clipZscore(-100, 200, 60, 40)).steps().get(2));
	}

	/** zscore_nonzero has no spec operation: written as zero_mean_unit_variance, marked as an approximation. */
	@Test
	void zscoreNonzeroIsAnApproximation() {
		final SpecPreprocessing.Steps s = SpecPreprocessing.toSpec(Preprocessing.ZSCORE_NONZERO);
		assertFalse(s.exact());
		assertEquals(SpecPreprocessing.toSpec(Preprocessing.ZSCORE).steps(), s.steps());
		assertEquals(Preprocessing.ZSCORE, SpecPreprocessing.fromSpec(s.steps()));
	}

	@Test
	void otherStepsAreRefusedNamingThem() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> SpecPreprocessing.fromSpec(List.of(Map.of("id", "scale_range", "kwargs", Map.of("min_percentile", 1.0, "max_percentile", 99.8)))));
		assertTrue(e.getMessage().contains("scale_range") && e.getMessage().contains("supported are"), e.getMessage());
		assertThrows(IllegalArgumentException.class,
				() -> SpecPreprocessing.fromSpec(List.of(Map.of("id", "zero_mean_unit_variance", "kwargs", Map.of("axes", List.of("y", "x"))))));
	}
}
