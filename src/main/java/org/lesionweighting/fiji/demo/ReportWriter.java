package org.lesionweighting.fiji.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.lesionweighting.fiji.demo.DemoResults.Curve;
import org.lesionweighting.fiji.demo.DemoResults.LossOutcome;
import org.lesionweighting.metrics.SegmentationQuality;
import org.lesionweighting.fiji.demo.DemoResults.Summary;
import org.lesionweighting.util.AtomicFiles;

import ij.ImagePlus;

/**
 * Writes the demo report: {@code report.html} (self-contained: figures embedded, no network needed) and
 * the same figures as PNG files beside it. Every number printed comes from {@link DemoResults}; the only
 * sentences computed from the data state differences with their values.
 */
public final class ReportWriter {

	/** File names of the figures, in report order. */
	public static final String FROC_PNG = "froc.png", FROC_SMALL_PNG = "froc_small.png", SLICE_PNG = "slice.png", SIZE_BINS_PNG = "recall_by_size.png",
			TRAINING_PNG = "training_loss.png";

	/** The report's file name. */
	public static final String REPORT_HTML = "report.html";

	/** Maximum false positives per image on the FROC figures (the paper plots 0–6). */
	public static final double FROC_MAX_FP = 6;

	/** Minimum width of each slice panel in pixels (slices are magnified by an integer factor). */
	public static final int SLICE_PANEL_MIN_WIDTH = 220;

	private ReportWriter() {}

	/** The figures of a report, by file name, in report order. */
	public static Map< String, ImagePlus > figures(final DemoResults r) {
		final Map< String, ImagePlus > figs = new LinkedHashMap<>();
		final List< Curve > froc = new ArrayList<>(), frocSmall = new ArrayList<>(), training = new ArrayList<>();
		for (final LossOutcome o : r.outcomes()) {
			froc.add(rename(o.overall().froc(), o.name()));
			if (o.small() != null) frocSmall.add(rename(o.small().froc(), o.name()));
			if (o.trainingLoss() != null) training.add(rename(o.trainingLoss(), o.name()));
		}
		final double[] frocLimits = { 0, FROC_MAX_FP, 0, 1.02 };
		figs.put(FROC_PNG, Figures.lines("FROC, all lesions", "average false positives per image", "lesion recall", froc, frocLimits));
		if (!frocSmall.isEmpty())
			figs.put(FROC_SMALL_PNG, Figures.lines(String.format(Locale.ROOT, "FROC, small lesions (diameter < %s voxels)", fmt(r.smallDiameter())),
					"average false positives per image", "lesion recall", frocSmall, frocLimits));
		if (r.slice() != null) figs.put(SLICE_PNG, Figures.slicePanels(r.slice(), sliceScale(r.slice().width())));
		if (r.binEdges() != null && r.binEdges().length > 1) {
			final double[] e = r.binEdges();
			final String[] cats = IntStream.range(0, e.length - 1)
					.mapToObj(b -> Double.isInfinite(e[b + 1]) ? "\u2265 " + fmt(e[b]) : fmt(e[b]) + "\u2013" + fmt(e[b + 1])).toArray(String[]::new);
			final List< double[] > series = r.outcomes().stream().map(LossOutcome::binRecall).toList();
			final List< String > names = r.outcomes().stream().map(LossOutcome::name).toList();
			figs.put(SIZE_BINS_PNG, Figures.bars("Recall by lesion diameter (voxels), at the lowest threshold", "recall", cats, r.binLesions(), series, names));
		}
		if (!training.isEmpty()) figs.put(TRAINING_PNG, Figures.lines("Training loss", "iteration", "loss (smoothed)", training, null));
		return figs;
	}

	/**
	 * Writes the PNG figures and {@code report.html} into {@code dir} (created if missing), each file
	 * atomically.
	 *
	 * @return the report file
	 */
	public static Path write(final Path dir, final DemoResults r) throws IOException {
		Files.createDirectories(dir);
		final Map< String, String > embedded = new LinkedHashMap<>();
		for (final Map.Entry< String, ImagePlus > e : figures(r).entrySet()) {
			final byte[] png = png(e.getValue());
			AtomicFiles.write(dir.resolve(e.getKey()), p -> Files.write(p, png));
			embedded.put(e.getKey(), Base64.getEncoder().encodeToString(png));
		}
		final Path report = dir.resolve(REPORT_HTML);
		AtomicFiles.writeString(report, html(r, embedded));
		return report;
	}

	/**
	 * Encodes an image as PNG, in memory: ImageIO's default file cache registers its temporary file with
	 * {@code deleteOnExit}, which fails with "Shutdown in progress" when a stop signal (SIGTERM, Ctrl-C) has the
	 * demo write its partial report while the JVM shuts down.
	 */
	public static byte[] png(final ImagePlus imp) throws IOException {
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
			if (!ImageIO.write(imp.getBufferedImage(), "png", out)) throw new IOException("ReportWriter: no PNG encoder available in this Java runtime.");
		}
		return bytes.toByteArray();
	}

	/** The report as HTML, with the figures given as base64 PNG by file name. */
	static String html(final DemoResults r, final Map< String, String > pngBase64) {
		final StringBuilder h = new StringBuilder();
		h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(r.title())).append("</title>\n<style>\n");
		h.append(
				"body{font-family:-apple-system,'Segoe " + "UI',Helvetica,Arial,sans-serif;max-width:1180px;margin:2em auto;padding:0 "
						+ "1em;color:#222;line-height:1.45}\n");
		h.append("h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}\n");
		h.append(
				"table{border-collapse:collapse;margin:.6em 0}td,th{padding:.3em .8em;border-bottom:1px "
						+ "solid #e4e4e4;text-align:right}th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}\n");
		h.append(
				".sub{color:#666}.fig{margin:1em 0}.fig img{max-width:100%;border:1px solid " + "#eee}.cap{color:#555;font-size:.92em;max-width:900px}.kv "
						+ "td{text-align:left;font-family:monospace;font-size:.92em}\n");
		h.append(".grid{display:flex;flex-wrap:wrap;gap:1em}.grid .fig{flex:1 1 540px}\n</style></head><body>\n<h1>").append(esc(r.title())).append("</h1>\n");
		h.append(
				"<p class=\"sub\">Inverse lesion-volume weighting (Shirokikh et al., MICCAI 2020) against "
						+ "the same network trained without it: same data, seed and iterations. Run time ")
				.append(duration(r.seconds())).append(".</p>\n");

		h.append(
				"<h2>Results on the test cases</h2>\n<table><tr><th>loss</th><th>avg recall</th><th>avg "
						+ "recall, bootstrap</th><th>object Dice</th><th>small lesions: avg recall</th><th>small, "
						+ "bootstrap</th><th>lesions (small)</th><th>training</th></tr>\n");
		for (final LossOutcome o : r.outcomes()) {
			final Summary a = o.overall(), s = o.small();
			row(h, esc(o.name()), f2(a.avgRecall()), pm(a.bootstrapMean(), a.bootstrapStd()), pm(a.objectDice(), a.objectDiceStd()),
					s == null ? "&ndash;" : f2(s.avgRecall()), s == null ? "&ndash;" : pm(s.bootstrapMean(), s.bootstrapStd()),
					a.nLesions() + (s == null ? "" : " (" + s.nLesions() + ")"), duration(o.trainingSeconds()));
		}
		h.append(
				"</table>\n<p class=\"cap\">Average recall: mean lesion recall over 0&ndash;5 false "
						+ "positives per image (doc/method.md &sect;5.3), on the full test set; bootstrap: mean "
						+ "&plusmn; std over resampled 80&nbsp;% subsets of the test images. Object Dice: mean "
						+ "&plusmn; population std of the Dice of detected lesions. Small lesions: equivalent-sphere " + "diameter below ")
				.append(fmt(r.smallDiameter())).append(" voxels.</p>\n");
		h.append(
				"<h2>Segmentation quality</h2>\n<table><tr><th>loss</th><th>image</th><th>voxel "
						+ "Dice</th><th>lesion F1 (one-to-one)</th><th>precision</th><th>recall</th><th>predicted / "
						+ "true volume</th><th>lesions</th><th>predicted components</th><th>merging components " + "(lesions merged)</th></tr>\n");
		for (final LossOutcome o : r.outcomes()) {
			final List< SegmentationQuality > rows = new ArrayList<>(o.quality());
			if (rows.size() > 1) rows.add(o.pooled());
			for (final SegmentationQuality q : rows)
				row(h, esc(o.name()), esc(q.image()), f2(q.voxelDice()), f2(q.f1()), f2(q.precision()), f2(q.recall()), f2(q.volumeRatio()), q.lesions(),
						q.predictions(), q.mergingComponents() + " (" + q.mergedLesions() + ")");
		}
		h.append(
				"</table>\n<p class=\"cap\">What the paper's protocol does not show. One-to-one: a lesion "
						+ "and a predicted component match when each is the other's best overlap and their IoU " + "exceeds ")
				.append(fmt(SegmentationQuality.MATCH_IOU))
				.append(" (a component matches at most one lesion). A model that paints everything scores a high "
						+ "average recall above but a low F1 here.</p>\n");
		final List< String > warnings = warnings(r);
		if (!warnings.isEmpty())
			h.append("<p><b>Warning: a degenerate segmentation.</b></p>\n<ul>\n")
					.append(warnings.stream().map(w -> "<li>" + esc(w) + "</li>\n").collect(Collectors.joining())).append("</ul>\n");
		final String comparison = comparison(r);
		if (!comparison.isEmpty()) h.append("<p>").append(comparison).append("</p>\n");

		h.append("<h2>Figures</h2>\n<div class=\"grid\">\n");
		figure(h, pngBase64, FROC_PNG, "Lesion recall against false positives per image, all lesions; bands: bootstrap std.");
		figure(h, pngBase64, FROC_SMALL_PNG, "The same for small lesions only (and the predictions linked to them).");
		h.append("</div>\n");
		figure(h, pngBase64, SLICE_PNG,
				"One test slice: ground truth (green outline), each loss's prediction (filled), and the "
						+ "inverse-volume weight map of the ground truth (log colour scale): the smaller the lesion, " + "the larger its voxels' weight.");
		h.append("<div class=\"grid\">\n");
		figure(h, pngBase64, SIZE_BINS_PNG,
				"Recall per lesion-size bin at the lowest operating point (any overlap with a predicted component counts as detection); n: lesions per bin.");
		figure(h, pngBase64, TRAINING_PNG, "Training loss against iteration (moving average). Losses of different weightings are on different scales.");
		h.append("</div>\n");

		kv(h, "Parameters", r.parameters());
		kv(h, "Software", r.versions());
		h.append(
				"<p class=\"sub\">Generated by the Lesion Weighting demo. Cite: N. Shirokikh, A. Shevtsov, "
						+ "A. Dalechina, E. Krivov, V. Kostjuchenko, A. Golanov, V. Gombolevskiy, S. Morozov, M. "
						+ "Belyaev. Universal Loss Reweighting to Balance Lesion Size Inequality in 3D Medical Image "
						+ "Segmentation. MICCAI 2020, LNCS 12264, pp. 523&ndash;532.</p>\n");
		h.append("</body></html>\n");
		return h.toString();
	}

	/** The degenerate-segmentation warnings of every loss, each prefixed with the loss. */
	static List< String > warnings(final DemoResults r) {
		return r.outcomes().stream().flatMap(o -> SegmentationQuality.warnings(o.quality()).stream().map(s -> o.name() + ": " + s)).toList();
	}

	/**
	 * One sentence per weighted loss comparing it with its unweighted counterpart (same base name), with
	 * values only; empty when there is no such pair. It leads with the one-to-one lesion F1 and the voxel Dice,
	 * which a degenerate model cannot win, then gives the paper's metrics, and says when a model is flagged.
	 */
	static String comparison(final DemoResults r) {
		final StringBuilder sb = new StringBuilder();
		for (final LossOutcome w : r.outcomes()) {
			if (!w.name().contains("+")) continue;
			final String base = w.name().substring(0, w.name().indexOf('+')).trim();
			for (final LossOutcome u : r.outcomes()) {
				if (!u.name().equals(base)) continue;
				sb.append(sb.length() == 0 ? "" : "<br>\n");
				final SegmentationQuality qw = w.pooled(), qu = u.pooled();
				sb.append(esc(w.name())).append(" vs ").append(esc(u.name())).append(": ");
				versus(sb, "lesion F1 (one-to-one)", qw.f1(), qu.f1());
				versus(sb.append("; "), "voxel Dice", qw.voxelDice(), qu.voxelDice());
				for (final LossOutcome o : List.of(w, u))
					if (o.flagged())
						sb.append("; ").append(esc(o.name())).append(" is flagged as degenerate (see the warnings), so its paper metrics below overstate it");
				versus(sb.append("; "), "the paper's average recall", w.overall().avgRecall(), u.overall().avgRecall());
				if (w.small() != null && u.small() != null) versus(sb.append("; "), "small lesions", w.small().avgRecall(), u.small().avgRecall());
				versus(sb.append("; "), "object Dice", w.overall().objectDice(), u.overall().objectDice()).append('.');
			}
		}
		return sb.toString();
	}

	/** Appends {@code "<what> <a> vs <b> (<a - b>)"}. */
	private static StringBuilder versus(final StringBuilder sb, final String what, final double a, final double b) {
		return sb.append(what).append(' ').append(f2(a)).append(" vs ").append(f2(b)).append(" (").append(signed(a - b)).append(')');
	}

	private static void figure(final StringBuilder h, final Map< String, String > png, final String name, final String caption) {
		if (!png.containsKey(name)) return;
		h.append("<div class=\"fig\"><img alt=\"").append(esc(name)).append("\" src=\"data:image/png;base64,").append(png.get(name))
				.append("\"><div class=\"cap\">").append(esc(caption)).append(" (<a href=\"").append(esc(name)).append("\">").append(esc(name))
				.append("</a>)</div></div>\n");
	}

	private static void kv(final StringBuilder h, final String heading, final Map< String, String > m) {
		h.append("<h2>").append(heading).append("</h2>\n<table class=\"kv\">\n");
		m.forEach((k, v) -> row(h, esc(k), esc(v)));
		h.append("</table>\n");
	}

	/** Appends a table row of the given cells (HTML, already escaped). */
	private static void row(final StringBuilder h, final Object... cells) {
		h.append("<tr><td>").append(Arrays.stream(cells).map(String::valueOf).collect(Collectors.joining("</td><td>"))).append("</td></tr>\n");
	}

	private static Curve rename(final Curve c, final String name) {
		return new Curve(name, c.x(), c.y(), c.yStd());
	}

	private static int sliceScale(final int width) {
		return Math.max(1, Math.min(8, (SLICE_PANEL_MIN_WIDTH + width - 1) / Math.max(1, width)));
	}

	static String f2(final double v) {
		return Double.isNaN(v) ? "&ndash;" : String.format(Locale.ROOT, "%.2f", v);
	}

	private static String signed(final double v) {
		return Double.isNaN(v) ? "&ndash;" : String.format(Locale.ROOT, "%+.2f", v);
	}

	private static String pm(final double mean, final double std) {
		return Double.isNaN(mean) ? "&ndash;" : f2(mean) + " &plusmn; " + f2(std);
	}

	private static String fmt(final double v) {
		return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
	}

	private static String duration(final double seconds) {
		if (!(seconds >= 0)) return "&ndash;";
		final long s = Math.round(seconds);
		return s >= 60 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60) : s + " s";
	}

	static String esc(final String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}
}
