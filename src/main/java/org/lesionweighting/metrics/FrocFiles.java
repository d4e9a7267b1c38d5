package org.lesionweighting.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.lesionweighting.util.AtomicFiles;
import org.lesionweighting.util.Json;

/** Writes FROC summaries (JSON) and curves (CSV), atomically (temporary file + rename). */
public final class FrocFiles {

	/** Columns of the curve CSV. */
	public static final String CURVE_HEADER = "threshold,avg_fp,recall,precision,tp,fp,fn,dice_mean,dice_std";

	private FrocFiles() {}

	/** Writes {@link FrocSummary#toJson()}. */
	public static void writeSummary(final Path file, final FrocSummary summary) throws IOException {
		AtomicFiles.writeString(file, summary.toJson());
	}

	/**
	 * The summary JSON: {@link FrocSummary#toMap()} and, under {@code segmentation}, the
	 * {@link SegmentationQuality#report segmentation quality} of the same images (one-to-one F1, volume ratio,
	 * merges, warnings).
	 */
	public static String summaryJson(final FrocSummary summary, final List< SegmentationQuality > quality) {
		final Map< String, Object > m = summary.toMap();
		m.put("segmentation", SegmentationQuality.report(quality));
		return Json.write(m);
	}

	/** The curve as CSV: one line per threshold, columns {@link #CURVE_HEADER}. */
	public static String curveCsv(final FrocCurve c) {
		final StringBuilder sb = new StringBuilder(CURVE_HEADER).append('\n');
		for (int i = 0; i < c.size(); i++)
			sb.append(c.threshold()[i]).append(',').append(c.avgFp()[i]).append(',').append(c.recall()[i]).append(',').append(c.precision()[i]).append(',')
					.append(c.tp()[i]).append(',').append(c.fp()[i]).append(',').append(c.fn()[i]).append(',').append(c.diceMean()[i]).append(',')
					.append(c.diceStd()[i]).append('\n');
		return sb.toString();
	}
}
