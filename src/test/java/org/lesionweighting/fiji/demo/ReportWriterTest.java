package org.lesionweighting.fiji.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.fiji.demo.DemoResults.Curve;
import org.lesionweighting.fiji.demo.DemoResults.LossOutcome;
import org.lesionweighting.fiji.demo.DemoResults.SliceView;
import org.lesionweighting.fiji.demo.DemoResults.Summary;
import org.lesionweighting.metrics.SegmentationQuality;

class ReportWriterTest {

	@TempDir
	Path dir;

	/** case_0 with dice: 40 lesions, 38 components, 30 matched, 1000 of 1200 true voxels predicted, voxel Dice 0.70. */
	static final SegmentationQuality Q_DICE = new SegmentationQuality("case_0", 1, 40, 38, 1200, 1000, 0.70, 30, 0, 0);

	/** case_0 with dice + iw: 20 lesions merged by 2 components, 4.5 times the true volume: flagged. */
	static final SegmentationQuality Q_IW = new SegmentationQuality("case_0", 1, 40, 12, 1200, 5400, 0.35, 9, 2, 20);

	static DemoResults sample() {
		final double[] fp = { 0, 0.5, 1, 2, 5 };
		final Curve froc1 = new Curve("", fp, new double[] { 0, 0.4, 0.5, 0.6, 0.7 }, new double[] { 0, 0.05, 0.05, 0.05, 0.05 });
		final Curve froc2 = new Curve("", fp, new double[] { 0, 0.5, 0.6, 0.75, 0.85 }, new double[] { 0, 0.04, 0.04, 0.04, 0.04 });
		final Curve loss = new Curve("", new double[] { 0, 1, 2 }, new double[] { 1, 0.8, 0.6 }, null);
		final Summary a1 = new Summary(0.61, 0.60, 0.02, 0.70, 0.15, 4, 40, froc1);
		final Summary a2 = new Summary(0.73, 0.72, 0.03, 0.66, 0.18, 4, 40, froc2);
		final Summary s1 = new Summary(0.31, 0.30, 0.04, 0.40, 0.2, 4, 25, froc1);
		final Summary s2 = new Summary(0.55, 0.54, 0.05, 0.45, 0.2, 4, 25, froc2);
		final int w = 24, h = 20;
		final float[] img = new float[w * h];
		final byte[] truth = new byte[w * h], p1 = new byte[w * h], p2 = new byte[w * h];
		final float[] weights = new float[w * h];
		for (int k = 0; k < w * h; k++) {
			img[k] = k % 7;
			weights[k] = 1;
		}
		for (int y = 5; y < 10; y++)
			for (int x = 5; x < 10; x++) {
				truth[y * w + x] = 1;
				weights[y * w + x] = 300;
				p2[y * w + x] = 1;
			}
		final Map< String, byte[] > preds = new LinkedHashMap<>();
		preds.put("dice", p1);
		preds.put("dice + iw", p2);
		final Map< String, String > params = new LinkedHashMap<>();
		params.put("iterations", "200");
		return new DemoResults("Demo <test>", params, Map.of("java", "17"),
				List.of(new LossOutcome("dice", a1, s1, new double[] { 0.2, 0.7, Double.NaN }, loss, 61, List.of(Q_DICE)),
						new LossOutcome("dice + iw", a2, s2, new double[] { 0.5, 0.8, Double.NaN }, loss, 59, List.of(Q_IW))),
				new double[] { 0, 5, 10, Double.POSITIVE_INFINITY }, new int[] { 25, 15, 0 }, 5, new SliceView("case_0", 3, w, h, img, truth, preds, weights),
				130);
	}

	@Test
	void writesSelfContainedHtmlAndDecodablePngs() throws IOException {
		final Path report = ReportWriter.write(dir, sample());
		final String html = Files.readString(report);
		for (final String png : List.of(ReportWriter.FROC_PNG, ReportWriter.FROC_SMALL_PNG, ReportWriter.SLICE_PNG, ReportWriter.SIZE_BINS_PNG,
				ReportWriter.TRAINING_PNG)) {
			final BufferedImage img = ImageIO.read(dir.resolve(png).toFile());
			assertTrue(img.getWidth() > 100 && img.getHeight() > 50, png);
		}
		assertFalse(html.contains("src=\"http"), "no network resources");
		assertEquals(5, html.split("data:image/png;base64,", -1).length - 1);
		assertTrue(html.contains("Demo &lt;test&gt;"));
		assertTrue(html.contains("<td>0.73</td>"));
		assertTrue(html.contains("0.72 &plusmn; 0.03"));
		assertTrue(html.contains("2 min 10 s"));
	}

	@Test
	void comparisonStatesMeasuredDifferencesOnly() {
		final String c = ReportWriter.comparison(sample());
		// F1: 2·9/(40+12) = 0.35 vs 2·30/(40+38) = 0.77
		assertEquals(
				"dice + iw vs dice: lesion F1 (one-to-one) 0.35 vs 0.77 (-0.42); voxel Dice 0.35 vs 0.70 (-0.35); dice + iw is flagged as degenerate (see the warnings), so its paper metrics below overstate it; the paper's average recall 0.73 vs 0.61 (+0.12); small lesions 0.55 vs 0.31 (+0.24); object Dice 0.66 vs 0.70 (-0.04).",
				c);
	}

	@Test
	void aDegenerateModelIsFlaggedInTheReport() throws IOException {
		final String html = Files.readString(ReportWriter.write(dir, sample()));
		assertTrue(html.contains("Warning: a degenerate segmentation."), "the warning heading");
		assertTrue(html.contains("dice + iw: case_0: the predicted lesion volume is 4.5\u00d7 the true volume (5400 vs 1200 voxels)"),
				"the volume warning names loss and image");
		assertTrue(html.contains("dice + iw: case_0: 2 predicted components merge 20 of 40 lesions"), "the merge warning");
		assertFalse(html.contains("dice: case_0:"), "the plain Dice model is not flagged");
		assertTrue(html.contains("<td>dice</td><td>case_0</td><td>0.70</td><td>0.77</td>"), "the per-image quality row");
	}

	@Test
	void slicePanelsShowTruthOutlineAndPrediction() {
		final DemoResults r = sample();
		final ij.process.ImageProcessor ip = Figures.slicePanels(r.slice(), 4).getProcessor();
		final int w = r.slice().width() * 4, gap = 8, header = 30;
		// top-left corner of the lesion in the first panel is on the outline: green
		assertEquals(0x00e000, ip.getPixel(5 * 4, header + 5 * 4) & 0xffffff);
		// lesion centre in the third panel (dice + iw predicted it) is tinted with the second colour
		final int rgb = ip.getPixel(2 * (w + gap) + 7 * 4 + 2, header + 7 * 4 + 2) & 0xffffff;
		assertTrue(((rgb >> 16) & 0xff) > (rgb & 0xff), Integer.toHexString(rgb));
	}

	/**
	 * Issue 15 item 11: the partial report written after SIGTERM failed with "Shutdown in progress", because ImageIO's
	 * file cache registers its temporary file with deleteOnExit. PNGs are now encoded in memory: they work even when
	 * ImageIO's cache folder cannot be used.
	 */
	@Test
	void pngsAreEncodedWithoutImageIOsFileCache() throws IOException {
		final boolean useCache = ImageIO.getUseCache();
		final java.io.File cacheDir = ImageIO.getCacheDirectory();
		final Path gone = Files.createDirectories(dir.resolve("imageio-cache"));
		final ij.ImagePlus imp = ij.IJ.createImage("p", "8-bit ramp", 16, 8, 1);
		final byte[] png;
		try {
			ImageIO.setUseCache(true);
			ImageIO.setCacheDirectory(gone.toFile());
			Files.delete(gone);
			png = ReportWriter.png(imp);
		}
		finally {
			ImageIO.setCacheDirectory(cacheDir);
			ImageIO.setUseCache(useCache);
		}
		final BufferedImage back = ImageIO.read(new java.io.ByteArrayInputStream(png));
		assertEquals(16, back.getWidth());
		assertEquals(imp.getProcessor().get(15, 3), back.getRaster().getSample(15, 3, 0));
	}
}
