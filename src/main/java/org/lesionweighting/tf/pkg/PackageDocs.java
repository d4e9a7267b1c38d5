package org.lesionweighting.tf.pkg;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

import org.lesionweighting.tf.data.Preprocessing;
import org.lesionweighting.tf.model.ModelMetadata;

/** The human-readable parts of a model package: description, README and cover image. */
final class PackageDocs {

	/** The paper, as the package cites it. */
	static final String PAPER = "Shirokikh N, Shevtsov A, Dalechina A, Krivov E, Kostjuchenko V, Golanov A, Gombolevskiy "
			+ "V, Morozov S, Belyaev M. Universal Loss Reweighting to Balance Lesion Size Inequality in "
			+ "3D Medical Image Segmentation. MICCAI 2020, LNCS 12264, pp. 523-532. arXiv:2007.10033";

	/** The arXiv DOI of the paper. */
	static final String PAPER_DOI = "10.48550/arXiv.2007.10033";

	/** The arXiv page of the paper. */
	static final String PAPER_URL = "https://arxiv.org/abs/2007.10033";

	/** The suite, as the package cites it. */
	static final String SUITE = "Lesion Weighting for Fiji: inverse lesion-volume loss weighting, 3D U-Net training and tiled inference";

	/** The suite's repository. */
	static final String SUITE_URL = "https://github.com/lesion-weighting/lesion-weighting";

	/** Pixels per voxel of the cover, at least. */
	private static final int COVER_HEIGHT_MIN = 256;

	private PackageDocs() {}

	/** The one-paragraph description (at most 512 characters). */
	static String summary(final ModelMetadata meta, final Preprocessing pre) {
		final String s = String.format(Locale.ROOT,
				"3D lesion segmentation: a residual U-Net (%s preset, %d input channel(s)) that gives a "
						+ "lesion probability per voxel. Trained with Lesion Weighting, loss %s with weighting %s "
						+ "(inverse lesion-volume weighting, Shirokikh et al., MICCAI 2020). Input preprocessing: %s.",
				meta.architecture().preset(), meta.architecture().inputChannels(), text(meta.loss()), text(meta.weighting()), pre);
		return s.length() <= 512 ? s : s.substring(0, 509) + "...";
	}

	private static String text(final String s) {
		return s == null || s.isEmpty() ? "unknown" : s;
	}

	/** The README: what the model segments, how it was trained, its validation, how to run it. */
	static String readme(final ModelMetadata meta, final PackageOptions options, final List< String > channels, final Preprocessing pre, final boolean exact,
			final String caseName, final long[] min, final long[] size, final List< String > attached) {
		final Map< String, Object > extra = meta.extra();
		final StringBuilder sb = new StringBuilder();
		sb.append("# ").append(options.name()).append("\n\n");
		sb.append(summary(meta, pre)).append("\n\n");
		sb.append("## What it segments\n\n");
		sb.append("Lesions (a single foreground class) in 3D volumes with the input channel(s) ").append(String.join(", ", channels))
				.append(", in this order. ");
		sb.append("The output is the lesion probability of every voxel (threshold 0.5 for a mask). ");
		if (meta.voxelSpacing() != null)
			sb.append("The training data had a voxel spacing (x, y, z) of ").append(meta.voxelSpacing())
					.append(" mm; resample other data to it for best results. ");
		sb.append("\n\n## Input, preprocessing and sizes\n\n");
		sb.append("The input tensor has the axes (batch, z, y, x, channel) and holds raw intensities. The model expects the preprocessing `").append(pre)
				.append("` over each whole volume and channel");
		sb.append(exact
				? ", which the description's preprocessing steps compute.\n"
				: ". The description's steps (`zero_mean_unit_variance`) approximate it: the suite takes "
						+ "mean and standard deviation of the non-zero voxels only and leaves zeros at zero, which "
						+ "bioimage.io's operations cannot express. Lesion Weighting's *Segment Lesions* applies the "
						+ "exact preprocessing; other tools apply the approximation.\n");
		sb.append("Every spatial size must be a multiple of ").append(meta.architecture().sizeMultiple()).append(" (the network pools ")
				.append(meta.architecture().levels())
				.append(" times). Large volumes are segmented in overlapping windows (the suite uses 160³ windows, stride 144).\n\n");
		sb.append("## Training\n\n");
		sb.append("| item | value |\n|---|---|\n");
		row(sb, "loss", text(meta.loss()));
		row(sb, "weighting", text(meta.weighting()));
		row(sb, "network", meta.architecture().toString());
		row(sb, "patch size (z, y, x)", meta.patchSize().toString());
		row(sb, "preprocessing", pre.toString());
		for (final String k : List.of("dataset", "training_cases", "validation_cases", "iterations", "status", "selected"))
			if (extra.get(k) != null) row(sb, k.replace('_', ' '), value(extra.get(k)));
		if (extra.get("training") instanceof Map< ?, ? > t)
			for (final String k : List.of("optimizer", "learning_rate", "batch_size", "epochs", "iterations_per_epoch", "augmentation", "bce_term"))
			if (t.get(k) != null) row(sb, k.replace('_', ' '), value(t.get(k)));
		if (extra.get("plan") != null) row(sb, "dataset plan", "plan.json (attached)");
		row(sb, "seed", Long.toString(meta.seed()));
		row(sb, "device", text(meta.device()));
		row(sb, "software", meta.software().toString());
		sb.append('\n');
		if (!attached.isEmpty())
			sb.append("Attached: ").append(String.join(", ", attached)).append(" (loss per iteration, validation per epoch, dataset plan, as present).\n\n");
		sb.append("## Validation\n\n");
		if (extra.get("validation") instanceof List< ? > v && !v.isEmpty()) {
			sb.append(
					"Lesion-wise validation after each epoch on the validation cases (voxel Dice, one-to-one lesion F1); the package holds the weights of the ")
					.append(extra.getOrDefault("selected", "last")).append(" epoch.\n\n");
			sb.append("| epoch | voxel Dice | lesion F1 | score |\n|---|---|---|---|\n");
			for (final Object o : v)
				if (o instanceof Map< ?, ? > r)
					sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", value(r.get("epoch")), num(r.get("voxel_dice")), num(r.get("lesion_f1")),
							num(r.get("score"))));
			sb.append('\n');
		}
		else
			sb.append(
					"No validation was recorded for this model. Evaluate it on data it has not seen with the "
							+ "suite's *Evaluate Lesion Detection* and *Lesion FROC* commands (the paper's protocol).\n\n");
		sb.append("## Test tensors\n\n");
		sb.append(String.format(Locale.ROOT,
				"`test_input.npy` is a raw crop of case `%s` (first voxel x, y, z = %d, %d, %d; size %d × "
						+ "%d × %d); `test_output.npy` is what the SavedModel gives for it after the preprocessing "
						+ "computed over the crop. The cover shows the crop's middle slice and the predicted lesions " + "(probability > 0.5, red).%n%n",
				caseName, min[0], min[1], min[2], size[0], size[1], size[2]));
		sb.append("## Use\n\n");
		sb.append(
				"- Fiji, Lesion Weighting: `run(\"Segment Lesions\", \"model=[/path/to/package.zip] "
						+ "image=[scan.nii.gz] outputs=probabilities,mask verify\");`\n");
		sb.append("- deepImageJ: *Plugins › DeepImageJ › DeepImageJ Install Model*, install from a local zip file and choose this zip.\n");
		sb.append(
				"- Python (bioimageio.core with TensorFlow): `bioimageio test package.zip`; `bioimageio "
						+ "predict --inputs=scan.npy package.zip` for a float32 array of shape (1, z, y, x, " + "channels).\n\n");
		sb.append("## Citation\n\n").append(PAPER).append(" ").append(PAPER_URL).append("\n\n").append(SUITE).append(": ").append(SUITE_URL).append('\n');
		return sb.toString();
	}

	private static void row(final StringBuilder sb, final String k, final String v) {
		sb.append("| ").append(k).append(" | ").append(v.replace("|", "/")).append(" |\n");
	}

	/** A metadata value as text; JSON numbers that are whole print without ".0". */
	private static String value(final Object o) {
		if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e15) return Long.toString(n.longValue());
		return String.valueOf(o);
	}

	private static String num(final Object o) {
		return o instanceof Number n ? String.format(Locale.ROOT, "%.3f", n.doubleValue()) : String.valueOf(o);
	}

	/** A history CSV from the metadata's history maps (header from the first row's keys). */
	static String historyCsv(final List< Map< String, Object > > history) {
		final StringBuilder sb = new StringBuilder(String.join(",", history.get(0).keySet())).append('\n');
		for (final Map< String, Object > r : history)
			sb.append(String.join(",", r.values().stream().map(String::valueOf).toList())).append('\n');
		return sb.toString();
	}

	/**
	 * The cover: the z slice of the crop with the most lesion voxels (the middle one without a label), first channel
	 * in grey (min–max), beside the same slice with the voxels of probability above 0.5 in red; 2:1, each voxel a
	 * square of pixels.
	 *
	 * @param raw the first channel of the crop, x fastest
	 * @param probabilities the probabilities of the crop, x fastest
	 * @param label the lesion mask of the crop (non-zero = lesion), x fastest, or null
	 * @return PNG bytes
	 */
	static byte[] cover(final float[] raw, final float[] probabilities, final float[] label, final int x, final int y, final int z) throws IOException {
		int zc = z / 2, most = 0;
		if (label != null) for (int k = 0; k < z; k++) {
			int n = 0;
			for (int i = k * x * y; i < (k + 1) * x * y; i++)
				if (label[i] != 0) n++;
			if (n > most) {
				most = n;
				zc = k;
			}
		}
		final int off = zc * x * y;
		float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
		for (int i = 0; i < x * y; i++) {
			lo = Math.min(lo, raw[off + i]);
			hi = Math.max(hi, raw[off + i]);
		}
		final int scale = Math.max(1, (COVER_HEIGHT_MIN + Math.max(x, y) - 1) / Math.max(x, y));
		final int side = Math.max(x, y) * scale;
		final int width = 2 * side;
		final int[] rgb = new int[width * side];
		for (int py = 0; py < side; py++)
			for (int px = 0; px < side; px++) {
				final int vx = px / scale, vy = py / scale;
				if (vx >= x || vy >= y) continue;
				final int i = off + vy * x + vx;
				final int g = hi > lo ? Math.round(255 * (raw[i] - lo) / (hi - lo)) : 0;
				rgb[py * width + px] = g << 16 | g << 8 | g;
				rgb[py * width + side + px] = probabilities[i] > 0.5f ? 0xff0000 | (g / 2) << 8 | g / 2 : g << 16 | g << 8 | g;
			}
		return png(rgb, width, side);
	}

	/** An 8-bit RGB PNG (no interlace, filter 0 on every row) of {@code rgb} (0xRRGGBB, row by row). */
	static byte[] png(final int[] rgb, final int width, final int height) throws IOException {
		final ByteArrayOutputStream pixels = new ByteArrayOutputStream();
		try (DeflaterOutputStream z = new DeflaterOutputStream(pixels)) {
			final byte[] row = new byte[1 + 3 * width];
			for (int r = 0; r < height; r++) {
				for (int c = 0; c < width; c++) {
					final int v = rgb[r * width + c];
					row[1 + 3 * c] = (byte) (v >> 16);
					row[2 + 3 * c] = (byte) (v >> 8);
					row[3 + 3 * c] = (byte) v;
				}
				z.write(row);
			}
		}
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		final DataOutputStream d = new DataOutputStream(out);
		d.write(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
		// width, height (big-endian), 8 bits, RGB, deflate, filter 0, no interlace
		chunk(d, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put(new byte[] { 8, 2, 0, 0, 0 }).array());
		chunk(d, "IDAT", pixels.toByteArray());
		chunk(d, "IEND", new byte[0]);
		return out.toByteArray();
	}

	private static void chunk(final DataOutputStream d, final String type, final byte[] data) throws IOException {
		final byte[] t = type.getBytes(StandardCharsets.US_ASCII);
		d.writeInt(data.length);
		d.write(t);
		d.write(data);
		final CRC32 crc = new CRC32();
		crc.update(t);
		crc.update(data);
		d.writeInt((int) crc.getValue());
	}
}
