package org.lesionweighting.fiji.demo;

import java.awt.Color;
import java.awt.Font;
import java.awt.Polygon;
import java.awt.Rectangle;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.lesionweighting.fiji.demo.DemoResults.Curve;
import org.lesionweighting.fiji.demo.DemoResults.SliceView;

import ij.ImagePlus;
import ij.gui.Plot;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

/**
 * The demo report's figures, drawn with ImageJ's {@link Plot} and {@link ColorProcessor}; headless-safe
 * (nothing is shown).
 */
public final class Figures {

	/** Colours of the curves, in loss order (colour-blind safe, Okabe–Ito). */
	public static final Color[] PALETTE = { new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167), new Color(230, 159,
			0), new Color(86, 180, 233), new Color(0, 0, 0) };

	/** Width of line charts in pixels. */
	public static final int PLOT_WIDTH = 560;

	/** Height of line charts' drawing frame in pixels. */
	public static final int PLOT_HEIGHT = 340;

	private static final double BAND_ALPHA = 0.18;

	private Figures() {}

	/** The colour of the {@code i}-th series. */
	public static Color color(final int i) {
		return PALETTE[i % PALETTE.length];
	}

	/**
	 * Line chart of several curves with optional ± spread bands.
	 *
	 * @param limits {xMin, xMax, yMin, yMax}, or {@code null} to fit the data
	 */
	public static ImagePlus lines(final String title, final String xLabel, final String yLabel, final List< Curve > curves, final double[] limits) {
		final Plot plot = new Plot(title, xLabel, yLabel);
		plot.setFrameSize(PLOT_WIDTH, PLOT_HEIGHT);
		plot.setFont(Font.PLAIN, 14);
		plot.setAxisLabelFont(Font.PLAIN, 14);
		for (int i = 0; i < curves.size(); i++) {
			plot.setColor(color(i));
			plot.setLineWidth(2);
			plot.add("line", curves.get(i).x(), curves.get(i).y());
		}
		if (limits != null) plot.setLimits(limits[0], limits[1], limits[2], limits[3]);
		else
			plot.setLimitsToFit(false);
		plot.setColor(Color.BLACK);
		plot.setLineWidth(1);
		plot.setLegend(curves.stream().map(Curve::name).collect(Collectors.joining("\n")), Plot.AUTO_POSITION);
		final ImageProcessor ip = plot.getProcessor();
		for (int i = 0; i < curves.size(); i++)
			if (curves.get(i).yStd() != null) band(ip, plot, curves.get(i), color(i));
		return new ImagePlus(title, ip);
	}

	/** Shades the band y ± yStd on background pixels of the plot frame, so lines and text stay crisp. */
	private static void band(final ImageProcessor ip, final Plot plot, final Curve c, final Color color) {
		final int n = c.x().length;
		final Polygon poly = new Polygon();
		for (int k = 0; k < n; k++)
			poly.addPoint((int) Math.round(plot.scaleXtoPxl(c.x()[k])), (int) Math.round(plot.scaleYtoPxl(c.y()[k] + c.yStd()[k])));
		for (int k = n - 1; k >= 0; k--)
			poly.addPoint((int) Math.round(plot.scaleXtoPxl(c.x()[k])), (int) Math.round(plot.scaleYtoPxl(c.y()[k] - c.yStd()[k])));
		final Rectangle frame = plot.getDrawingFrame();
		final Rectangle box = poly.getBounds().intersection(frame);
		for (int y = box.y; y < box.y + box.height; y++)
			for (int x = box.x; x < box.x + box.width; x++) {
				if (!poly.contains(x, y)) continue;
				final int rgb = ip.getPixel(x, y) & 0xffffff;
				final int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
				if (r < 200 || g < 200 || b < 200) continue; // keep curves, grid lines and text
				ip.putPixel(x, y, blend(rgb, color.getRGB(), BAND_ALPHA));
			}
	}

	private static int blend(final int under, final int over, final double alpha) {
		int out = 0;
		for (int s = 0; s <= 16; s += 8) {
			final int a = (under >> s) & 0xff, b = (over >> s) & 0xff;
			out |= ((int) Math.round(a * (1 - alpha) + b * alpha) & 0xff) << s;
		}
		return out;
	}

	/**
	 * Grouped bar chart of values in [0, 1] per category and series (for example recall per lesion-size bin
	 * and loss). NaN values draw no bar.
	 *
	 * @param categories category labels (x axis)
	 * @param counts a count printed under each category label (e.g. lesions per bin), or {@code null}
	 * @param series values per series, each of length {@code categories.length}
	 * @param names series names (legend)
	 */
	public static ImagePlus bars(final String title, final String yLabel, final String[] categories, final int[] counts, final List< double[] > series,
			final List< String > names) {
		final int nCat = categories.length, nSer = series.size();
		final Plot plot = new Plot(title, "", yLabel);
		plot.setFrameSize(PLOT_WIDTH, PLOT_HEIGHT);
		plot.setFont(Font.PLAIN, 14);
		plot.setAxisLabelFont(Font.PLAIN, 14);
		plot.setFormatFlags(Plot.Y_NUMBERS | Plot.Y_TICKS | Plot.Y_GRID);
		plot.setLimits(-0.5, nCat - 0.5, 0, 1.08 + 0.08 * nSer); // room above the bars for the legend
		for (int s = 0; s < nSer; s++) {
			plot.setColor(color(s));
			plot.setLineWidth(6);
			plot.add("line", new double[] { -10, -9 }, new double[] { -1, -1 }); // legend swatch only
		}
		plot.setColor(Color.BLACK);
		plot.setLineWidth(1);
		plot.setLegend(String.join("\n", names.subList(0, nSer)), Plot.TOP_LEFT);
		final ImageProcessor ip = plot.getProcessor();
		final double groupWidth = 0.8, barWidth = groupWidth / Math.max(1, nSer);
		for (int s = 0; s < nSer; s++) {
			final double[] v = series.get(s);
			ip.setColor(color(s));
			for (int c = 0; c < nCat; c++) {
				if (Double.isNaN(v[c])) continue;
				final double x0 = c - groupWidth / 2 + s * barWidth;
				final int px0 = (int) Math.round(plot.scaleXtoPxl(x0)), px1 = (int) Math.round(plot.scaleXtoPxl(x0 + barWidth)) - 1;
				final int py0 = (int) Math.round(plot.scaleYtoPxl(v[c])), py1 = (int) Math.round(plot.scaleYtoPxl(0));
				ip.fillRect(px0, py0, Math.max(1, px1 - px0), Math.max(1, py1 - py0));
			}
		}
		final Rectangle frame = plot.getDrawingFrame();
		ip.setColor(Color.WHITE); // hide the numeric x limits ImageJ prints when x numbers are off
		ip.fillRect(0, frame.y + frame.height + 2, ip.getWidth(), ip.getHeight() - frame.y - frame.height - 2);
		pen(ip, Font.PLAIN, ImageProcessor.CENTER_JUSTIFY);
		final int base = (int) Math.round(plot.scaleYtoPxl(0));
		for (int c = 0; c < nCat; c++) {
			final int px = (int) Math.round(plot.scaleXtoPxl(c));
			ip.drawString(categories[c], px, base + 20);
			if (counts != null) ip.drawString("n = " + counts[c], px, base + 38);
		}
		return new ImagePlus(title, ip);
	}

	/**
	 * Side-by-side panels of one slice: the image with the ground truth outlined, one panel per loss with its
	 * prediction (filled) and the ground truth (outline), and the weight map on a logarithmic colour scale.
	 *
	 * @param scale integer magnification of each panel
	 */
	public static ImagePlus slicePanels(final SliceView s, final int scale) {
		final int w = s.width() * scale, h = s.height() * scale;
		final int gap = 8, header = 30, footer = 26;
		final Map< String, byte[] > preds = s.predictions();
		final int panels = 2 + preds.size();
		final ColorProcessor out = new ColorProcessor(panels * w + (panels - 1) * gap, header + h + footer);
		out.setColor(Color.WHITE);
		out.fill();
		final float[] range = percentiles(s.image(), 0.005, 0.995);
		int panel = 0;
		drawPanel(out, s, null, 0, panel++, scale, gap, header, range, "image + ground truth");
		int i = 0;
		for (final Map.Entry< String, byte[] > e : preds.entrySet())
			drawPanel(out, s, e.getValue(), i, panel++, scale, gap, header, range, e.getKey() + " (" + i++ + ")");
		drawWeights(out, s, panel, scale, gap, header);
		pen(out, Font.PLAIN, ImageProcessor.LEFT_JUSTIFY);
		out.drawString("green outline: ground truth; filled: prediction (probability > 0.5). Case " + s.caseName() + ", slice z = " + s.z() + ".", 4,
				header + h + footer - 6);
		return new ImagePlus("slice " + s.caseName(), out);
	}

	private static void drawPanel(final ColorProcessor out, final SliceView s, final byte[] pred, final int predIndex, final int panel, final int scale,
			final int gap, final int header, final float[] range, final String title) {
		final int x0 = panel * (s.width() * scale + gap);
		final float lo = range[0], span = Math.max(1e-12f, range[1] - range[0]);
		final Color pc = pred == null ? null : color(predIndex);
		for (int y = 0; y < s.height() * scale; y++)
			for (int x = 0; x < s.width() * scale; x++) {
				final int sx = x / scale, sy = y / scale, k = sy * s.width() + sx;
				final int g = (int) Math.max(0, Math.min(255, Math.round(255 * (s.image()[k] - lo) / span)));
				int rgb = (g << 16) | (g << 8) | g;
				if (pred != null && pred[k] != 0) rgb = blend(rgb, pc.getRGB(), 0.55);
				if (s.truth()[k] != 0 && isEdge(s.truth(), s.width(), s.height(), sx, sy, x % scale, y % scale, scale)) rgb = 0x00e000;
				out.set(x0 + x, header + y, rgb);
			}
		title(out, title, x0, s.width() * scale);
	}

	/** Whether the magnified pixel lies on the boundary of the mask region (outline one magnified pixel wide). */
	private static boolean isEdge(final byte[] m, final int w, final int h, final int sx, final int sy, final int fx, final int fy, final int scale) {
		final int t = Math.max(1, scale / 3);
		if (fx < t && (sx == 0 || m[sy * w + sx - 1] == 0)) return true;
		if (fx >= scale - t && (sx == w - 1 || m[sy * w + sx + 1] == 0)) return true;
		if (fy < t && (sy == 0 || m[(sy - 1) * w + sx] == 0)) return true;
		return fy >= scale - t && (sy == h - 1 || m[(sy + 1) * w + sx] == 0);
	}

	private static void drawWeights(final ColorProcessor out, final SliceView s, final int panel, final int scale, final int gap, final int header) {
		final int x0 = panel * (s.width() * scale + gap);
		double max = 1;
		for (final float v : s.weights())
			max = Math.max(max, v);
		final double logMax = Math.log10(max);
		for (int y = 0; y < s.height() * scale; y++)
			for (int x = 0; x < s.width() * scale; x++) {
				final float v = s.weights()[(y / scale) * s.width() + x / scale];
				final double t = logMax <= 0 ? 0 : Math.log10(Math.max(1, v)) / logMax;
				out.set(x0 + x, header + y, fire(t));
			}
		title(out, String.format("weight map (log, 1 .. %.3g)", max), x0, s.width() * scale);
	}

	/** A black-red-yellow-white colour ramp for t in [0, 1]. */
	private static int fire(final double t) {
		final double c = Math.max(0, Math.min(1, t));
		final int r = (int) Math.round(255 * Math.min(1, c * 3));
		final int g = (int) Math.round(255 * Math.max(0, Math.min(1, c * 3 - 1)));
		final int b = (int) Math.round(255 * Math.max(0, Math.min(1, c * 3 - 2)));
		return (r << 16) | (g << 8) | b;
	}

	private static void title(final ColorProcessor out, final String text, final int x0, final int width) {
		pen(out, Font.BOLD, ImageProcessor.CENTER_JUSTIFY);
		out.drawString(text, x0 + width / 2, 22);
	}

	/** Black 13-point sans-serif antialiased text of the given style and justification. */
	private static void pen(final ImageProcessor ip, final int style, final int justification) {
		ip.setColor(Color.BLACK);
		ip.setFont(new Font(Font.SANS_SERIF, style, 13));
		ip.setAntialiasedText(true);
		ip.setJustification(justification);
	}

	/** The values at the given lower and upper quantiles (for display contrast). */
	static float[] percentiles(final float[] v, final double lo, final double hi) {
		final float[] sorted = v.clone();
		Arrays.sort(sorted);
		final int n = sorted.length;
		if (n == 0) return new float[] { 0, 1 };
		return new float[] { sorted[(int) Math.floor(lo * (n - 1))], sorted[(int) Math.ceil(hi * (n - 1))] };
	}
}
