package org.lesionweighting.fiji.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.lesionweighting.fiji.demo.DemoOptions.LossSpec;
import org.lesionweighting.tf.loss.LossKind;
import org.lesionweighting.weights.WeightScheme;

class DemoOptionsTest {

	@Test
	void parsesLossesWithWeightings() {
		final List< LossSpec > l = DemoOptions.parseLosses(" dice, dice+iw ,focal + legacy,bce+inverse_volume,dice");
		assertEquals(
				List.of(new LossSpec(LossKind.DICE, WeightScheme.UNIFORM), new LossSpec(LossKind.DICE, WeightScheme.INVERSE_VOLUME),
						new LossSpec(LossKind.FOCAL, WeightScheme.LEGACY), new LossSpec(LossKind.BCE, WeightScheme.INVERSE_VOLUME)),
				l, "duplicates are dropped, order kept");
		assertEquals("dice + iw", l.get(1).name());
		assertEquals("focal_legacy", l.get(2).folderName());
	}

	@Test
	void badLossesNameTheEntry() {
		final IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> DemoOptions.parseLosses("dice,dice+xx"));
		assertTrue(a.getMessage().contains("'dice+xx'") && a.getMessage().contains("+iw"), a.getMessage());
		final IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> DemoOptions.parseLosses("dyce"));
		assertTrue(b.getMessage().contains("'dyce'"), b.getMessage());
		assertThrows(IllegalArgumentException.class, () -> DemoOptions.parseLosses(" , "));
	}

	@Test
	void quickModeIsSmaller() {
		final DemoOptions d = new DemoOptions(), q = new DemoOptions().quick(true);
		assertTrue(q.iterationsPerLoss() < d.iterationsPerLoss());
		assertTrue(q.caseSize()[0] * q.caseSize()[1] * q.caseSize()[2] < d.caseSize()[0] * d.caseSize()[1] * d.caseSize()[2]);
		assertEquals(7, q.iterations(7).iterationsPerLoss(), "explicit iterations win");
		assertThrows(IllegalArgumentException.class, () -> d.iterations(-1));
		assertThrows(IllegalArgumentException.class, () -> d.smallDiameter(0));
	}
}
