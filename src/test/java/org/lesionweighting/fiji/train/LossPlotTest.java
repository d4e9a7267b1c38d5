package org.lesionweighting.fiji.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lesionweighting.engine.TrainingEvent;
import org.lesionweighting.tf.train.HistoryRow;

import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.Plot;
import ij.process.ColorProcessor;

/** The live loss plot's data, moving mean and drawing, headless. */
class LossPlotTest {

	/** A history event. */
	private static TrainingEvent history(final int perEpoch, final double... iterationLossPairs) {
		final List< HistoryRow > rows = new ArrayList<>();
		for (int i = 0; i < iterationLossPairs.length; i += 2)
			rows.add(new HistoryRow((long) iterationLossPairs[i], iterationLossPairs[i + 1], 1e-2, 0.5 * i));
		return new TrainingEvent.History(rows, perEpoch, 100);
	}

	@Test
	void movingMeanIsTheTrailingMeanHandComputed() {
		assertArrayEquals(new double[] { 1, 1.5, 2.5, 3.5, 4.5 }, LossPlot.movingMean(new double[] { 1, 2, 3, 4, 5 }, 2), 1e-12);
		assertArrayEquals(new double[] { 4, 3, 8 / 3.0, 2, 3 }, LossPlot.movingMean(new double[] { 4, 2, 2, 2, 5 }, 3), 1e-12);
		assertArrayEquals(new double[] { 1, 2, 3 }, LossPlot.movingMean(new double[] { 1, 2, 3 }, 1), 0);
		assertArrayEquals(new double[] { 1, 1.5, 2 }, LossPlot.movingMean(new double[] { 1, 2, 3 }, 50), 1e-12,
				"a window longer than the series: the mean of everything so far");
		assertArrayEquals(new double[0], LossPlot.movingMean(new double[0], 5));
	}

	@Test
	void movingMeanSkipsNonFiniteLosses() {
		final double[] m = LossPlot.movingMean(new double[] { 1, Double.NaN, 3, Double.POSITIVE_INFINITY }, 2);
		assertArrayEquals(new double[] { 1, 1, 3, 3 }, m, 0);
		assertTrue(Double.isNaN(LossPlot.movingMean(new double[] { Double.NaN }, 3)[0]));
	}

	@Test
	void aWindowBelowOneIsRejected() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LossPlot.movingMean(new double[] { 1 }, 0));
		assertTrue(e.getMessage().contains("window") && e.getMessage().contains("0"), e.getMessage());
	}

	@Test
	void windowIsOneEpochAtMostFifty() {
		final LossPlot p = new LossPlot("t", false);
		assertEquals(LossPlot.MOVING_MEAN_WINDOW_MAX, p.window(), "until the events tell the epoch length");
		p.accept(history(4));
		assertEquals(4, p.window());
		p.accept(history(200));
		assertEquals(50, p.window());
	}

	@Test
	void eventsFromBothEnginesFillTheSameSeries() {
		final LossPlot p = new LossPlot("t", false);
		p.accept(history(3, 1, 0.9, 2, 0.7));
		// the worker's events arrive parsed from JSON lines: every number a Double
		p.accept(TrainingEvent
				.fromMap(Map.of("type", "history", "rows", List.of(List.of(3.0, 0.5, 0.01, 1.5)), "iterations_per_epoch", 3.0, "total_iterations", 100.0)));
		p.accept(new TrainingEvent.Validation(0, 3, 0.25));
		p.accept(TrainingEvent.fromMap(Map.of("type", "validation", "epoch", 1.0, "iteration", 6.0, "dice", 0.5)));
		assertArrayEquals(new double[] { 1, 2, 3 }, p.iterations(), 0);
		assertArrayEquals(new double[] { 0.9, 0.7, 0.5 }, p.losses(), 0);
		assertArrayEquals(new float[] { 0.9f, 0.8f, 0.7f }, p.plot().getDataObjectArrays(1)[1], 1e-6f, "the moving mean");
		assertEquals(2, p.validation().size());
		assertArrayEquals(new double[] { 0, 3, 0.25 }, p.validation().get(0), 0);
		assertArrayEquals(new double[] { 1, 6, 0.5 }, p.validation().get(1), 0);
	}

	@Test
	void plotDataObjectsAreLossMovingMeanAndDice() {
		final LossPlot p = new LossPlot("Training", false);
		p.accept(history(2, 1, 0.8, 2, 0.6, 3, Double.NaN, 4, 0.2));
		p.addValidation(1, 4, 0.75);
		final Plot plot = p.plot();
		final float[][] loss = plot.getDataObjectArrays(0), mean = plot.getDataObjectArrays(1), dice = plot.getDataObjectArrays(2);
		assertArrayEquals(new float[] { 1, 2, 4 }, loss[0], "the non-finite loss of iteration 3 is not drawn");
		assertArrayEquals(new float[] { 0.8f, 0.6f, 0.2f }, loss[1]);
		// window 2: 0.8, 0.7, 0.6 (NaN skipped), 0.2 (NaN skipped)
		assertArrayEquals(new float[] { 1, 2, 3, 4 }, mean[0]);
		assertArrayEquals(new float[] { 0.8f, 0.7f, 0.6f, 0.2f }, mean[1], 1e-6f);
		assertArrayEquals(new float[] { 4 }, dice[0]);
		assertArrayEquals(new float[] { 0.75f }, dice[1]);
		assertEquals("Training", plot.getTitle());
	}

	@Test
	void headlessRenderGivesAnImageOfThePlotSize() {
		final LossPlot p = new LossPlot("Training", true);
		for (int i = 1; i <= 30; i++)
			p.add(i, 1.0 / i);
		final ImagePlus imp = p.plot().getImagePlus();
		assertEquals(LossPlot.WIDTH_DEFAULT, imp.getWidth());
		assertEquals(LossPlot.HEIGHT_DEFAULT, imp.getHeight());
		assertEquals("Training", imp.getTitle());
		// the moving-mean line is drawn in its colour
		final ColorProcessor cp = (ColorProcessor) imp.getProcessor().convertToRGB();
		int meanPixels = 0;
		final int mean = LossPlot.MEAN_COLOR.getRGB() & 0xffffff;
		for (final int v : (int[]) cp.getPixels())
			if ((v & 0xffffff) == mean) meanPixels++;
		assertTrue(meanPixels > 50, "pixels of the moving-mean line: " + meanPixels);
	}

	@Test
	void anEmptyPlotRendersToo() {
		final ImagePlus imp = new LossPlot(null, false).plot().getImagePlus();
		assertEquals(LossPlot.WIDTH_DEFAULT, imp.getWidth());
		assertEquals("Training loss", imp.getTitle());
	}

	@Test
	void headlessNeverOpensAWindow() {
		assertTrue(GraphicsEnvironment.isHeadless(), "the tests run headless (surefire: -Djava.awt.headless=true)");
		final LossPlot p = new LossPlot("Training", true);
		p.accept(history(2, 1, 0.5, 2, 0.4));
		p.finish();
		assertFalse(p.hasWindow());
		assertEquals(0, WindowManager.getWindowCount());
	}
}
