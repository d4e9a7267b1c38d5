package org.lesionweighting.fiji.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.fiji.LabelImages;
import org.lesionweighting.fiji.demo.DemoResults.Curve;
import org.lesionweighting.label.LesionLabeling;
import org.lesionweighting.tf.train.HistoryRow;
import org.lesionweighting.util.Json;

import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.UnsignedByteType;

class DemoRunnerTest {

	@TempDir
	Path dir;

	@Test
	void curvesAreHeldToTheFigureRange() {
		final Curve c = DemoRunner.heldTo(new double[] { 0, 1 }, new double[] { 0.2, 0.7 }, new double[] { 0, 0.1 }, 6);
		assertArrayEquals(new double[] { 0, 1, 6 }, c.x());
		assertArrayEquals(new double[] { 0.2, 0.7, 0.7 }, c.y());
		assertArrayEquals(new double[] { 0, 0.1, 0.1 }, c.yStd());
		final Curve zeroFp = DemoRunner.heldTo(new double[] { 0 }, new double[] { 0.7 }, null, 6);
		assertArrayEquals(new double[] { 0, 6 }, zeroFp.x(), "a curve with no false positive is a flat line, not a point");
		assertEquals(3, DemoRunner.heldTo(new double[] { 0, 3, 7 }, new double[] { 0, 1, 1 }, null, 6).x().length, "already long enough");
	}

	@Test
	void lossCurveIsAMovingAverage() {
		final List< HistoryRow > h = new java.util.ArrayList<>();
		for (int i = 1; i <= 25; i++)
			h.add(new HistoryRow(i, i, 0.01, i));
		final Curve c = DemoRunner.lossCurve(h);
		assertEquals(1, c.y()[0]);
		assertEquals(1.5, c.y()[1]);
		assertEquals((6 + 25) / 2.0, c.y()[24], 1e-12, "mean of the last 20 values 6..25");
	}

	@Test
	void sliceWithMostLesionsIsPicked() {
		final Img< UnsignedByteType > m = ArrayImgs.unsignedBytes(8, 8, 4);
		final var ra = m.randomAccess();
		for (final int[] p : new int[][] { { 1, 1, 2 }, { 5, 5, 2 }, { 1, 6, 2 }, { 3, 3, 1 } }) {
			ra.setPosition(p);
			ra.get().set(1);
		}
		final Img< IntType > labels = LabelImages.label(m, LesionLabeling.CONNECTIVITY_DEFAULT);
		assertEquals(2, DemoRunner.pickSlice(labels));
		final float[] w = DemoRunner.weightSlice(labels, 2);
		// 256 voxels, K = 4 lesions of one voxel: 256 / (5 * 1) = 51.2 on each lesion voxel
		assertEquals(51.2f, w[1 * 8 + 1], 1e-4f);
		assertEquals(1f, w[0], 0f);
	}

	@Test
	void quickDemoWritesTheWholeReport() throws IOException {
		final DemoOptions o = new DemoOptions().output(dir).quick(true).iterations(4);
		final DemoResults r = DemoRunner.run(o, null);
		assertEquals(2, r.outcomes().size());
		for (final String f : List.of("report.html", "results.csv", "summary.json", "froc.png", "froc_small.png", "slice.png", "recall_by_size.png",
				"training_loss.png", "records/dice.csv", "records/dice_iw.csv", "models/dice/saved_model/model.json", "dataset/imagesTr/train_000_0000.nii.gz",
				"dataset/labelsTs/test_001.nii.gz", "dataset/dataset.json"))
			assertTrue(Files.isRegularFile(dir.resolve(f)), f);
		final List< String > rows = Files.readAllLines(dir.resolve("results.csv"));
		assertEquals(3, rows.size());
		assertTrue(rows.get(1).startsWith("dice,") && rows.get(2).startsWith("dice + iw,"), rows.toString());
		final Map< String, Object > s = Json.parseObject(Files.readString(dir.resolve("summary.json")));
		assertEquals(2, ((List< ? >) s.get("losses")).size());
		for (final DemoResults.LossOutcome out : r.outcomes()) {
			assertTrue(out.overall().avgRecall() >= 0 && out.overall().avgRecall() <= 1, out.name());
			assertEquals(out.overall().nLesions(), r.outcomes().get(0).overall().nLesions(), "same test lesions for every loss");
			assertEquals(4, out.trainingLoss().x().length, "one history row per iteration");
		}
		final String html = Files.readString(dir.resolve("report.html"));
		assertTrue(html.contains("dice + iw vs dice: lesion F1 (one-to-one)"), "the measured comparison leads with the one-to-one F1");
		assertTrue(html.contains("Segmentation quality"), "the per-image table");
		assertTrue(rows.get(0).endsWith(",voxel_dice,lesion_f1,volume_ratio,degenerate"), rows.get(0));
		for (final DemoResults.LossOutcome out : r.outcomes())
			assertEquals(2, out.quality().size(), "one quality row per test phantom");
	}

	@Test
	void aDatasetTrainsWithThePlanAndValidationAndReportsItsQuality() throws IOException {
		final java.nio.file.Path ds = org.lesionweighting.fiji.TestDatasets.twoTinyCases(dir.resolve("in"));
		final DemoResults r = DemoRunner.run(new DemoOptions().output(dir.resolve("out")).quick(true).iterations(4).losses("dice").dataset(ds), null);
		assertTrue(r.parameters().get("plan").startsWith("MR, 1 training case(s)"), r.parameters().get("plan"));
		assertTrue(r.parameters().get("validation").startsWith("the training cases"), r.parameters().get("validation"));
		assertEquals("12\u00b3, batch 2", r.parameters().get("patch"), "the plan's patch: 64, but never larger than the 12³ images");
		assertTrue(r.parameters().get("optimizer").startsWith("Adam"), r.parameters().get("optimizer"));
		assertEquals("4", r.parameters().get("iterations per loss"));
		assertTrue(Files.isRegularFile(dir.resolve("out/models/dice/plan.json")), "the plan is stored with the model");
		assertTrue(Files.isRegularFile(dir.resolve("out/models/dice/validation.csv")), "validated each epoch");
		final DemoResults.LossOutcome o = r.outcomes().get(0);
		assertEquals(1, o.quality().size());
		assertEquals("case1", o.quality().get(0).image(), "the last case is the test case");
		assertEquals(1, o.quality().get(0).lesions());
		assertTrue(Files.readString(dir.resolve("out/report.html")).contains("src=\"data:image/png;base64,"), "figures with a single test image");
		assertTrue(Files.isRegularFile(dir.resolve("out/froc.png")));
	}

	/** Issue 15 item 11: a stop request during the second loss wrote no report; now the finished loss is reported. */
	@Test
	void aCancelDuringTheSecondLossWritesThePartialReport() throws IOException {
		final java.util.concurrent.atomic.AtomicBoolean secondStarted = new java.util.concurrent.atomic.AtomicBoolean();
		final org.lesionweighting.util.ProgressListener watch = new org.lesionweighting.util.ProgressListener() {

			@Override
			public void status(final String message) {
				if (message.startsWith("Training dice + iw")) secondStarted.set(true);
			}

			@Override
			public void progress(final double fraction) {}
		};
		final DemoOptions o = new DemoOptions().output(dir).quick(true).iterations(4).cancelWhen(secondStarted::get);
		final DemoResults r = DemoRunner.run(o, watch);
		assertEquals(1, r.outcomes().size(), "only the finished loss");
		assertEquals("cancelled after 1 of 2 losses; the report shows those", r.parameters().get(DemoRunner.STATUS));
		assertEquals(2, Files.readAllLines(dir.resolve("results.csv")).size());
		assertTrue(Files.readString(dir.resolve("report.html")).contains("cancelled after 1 of 2 losses"));
	}

	/** Issue 15 item 8 for the demo: rejected dataset cases were silently left out. */
	@Test
	void rejectedDatasetCasesStopTheDemoListingThem() throws IOException {
		final Path ds = org.lesionweighting.fiji.TestDatasets.twoTinyCases(dir);
		Files.write(ds.resolve("images/case1.nii.gz"), new byte[] { 1, 2, 3 });
		final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
				() -> DemoRunner.run(new DemoOptions().output(dir.resolve("out")).quick(true).dataset(ds), null));
		assertTrue(e.getMessage().contains("1 rejected case(s): case1 (unreadable header") && e.getMessage().contains("skip_bad_cases=true"), e.getMessage());
	}
}
