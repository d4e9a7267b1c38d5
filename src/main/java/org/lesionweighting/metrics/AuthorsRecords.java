package org.lesionweighting.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.lesionweighting.util.Json;

/**
 * Reads the per-lesion records the paper's authors released
 * ({@code froc_data/<dataset>/<loss>/experiment_0/test_metrics/prc_records.json}, doc/method.md §7.4): a JSON
 * object mapping each image id to a list of records with the fields {@code obj} ({@code tum_3},
 * {@code pred_7}), {@code is_tum}, {@code diameter}, {@code hit_dice}, {@code hit_logit},
 * {@code self_logit}, {@code hit_obj} ({@code pred_None} / {@code tum_None} = none), {@code hit_stat},
 * {@code self_stat}; logits may be {@code Infinity}/{@code -Infinity}. Images with an empty list give no
 * record, so they are not counted in n_ids, as in the authors' notebook.
 */
public final class AuthorsRecords {

	private AuthorsRecords() {}

	/**
	 * Reads a {@code prc_records.json} file.
	 *
	 * @throws IOException if the file cannot be read or is not in that format (the message names the
	 *           image and field)
	 */
	public static List< LesionRecord > read(final Path file) throws IOException {
		try {
			return parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
		}
		catch (final IllegalArgumentException e) {
			throw new IOException("AuthorsRecords.read: " + file + ": " + e.getMessage(), e);
		}
	}

	/** Parses the JSON text of a {@code prc_records.json} file (image ids in file order). */
	public static List< LesionRecord > parse(final String json) {
		final Object root = Json.parse(json);
		if (!(root instanceof Map)) throw new IllegalArgumentException("expected a JSON object mapping image ids to lists of records.");
		final List< LesionRecord > out = new ArrayList<>();
		for (final Map.Entry< ?, ? > e : ((Map< ?, ? >) root).entrySet()) {
			final String image = String.valueOf(e.getKey());
			if (!(e.getValue() instanceof List)) throw new IllegalArgumentException("image " + image + ": expected a list of records.");
			for (final Object o : (List< ? >) e.getValue()) {
				if (!(o instanceof Map< ?, ? > m)) throw new IllegalArgumentException("image " + image + ": expected record objects.");
				final Object isTum = m.get("is_tum");
				if (!(isTum instanceof Boolean)) throw new IllegalArgumentException("image " + image + ": field is_tum missing or not true/false.");
				final LesionRecord.Kind kind = (Boolean) isTum ? LesionRecord.Kind.LESION : LesionRecord.Kind.PREDICTION;
				if (m.get("obj") == null) throw new IllegalArgumentException("image " + image + ": field obj is missing.");
				out.add(new LesionRecord(image, kind, RecordsCsv.objectId(String.valueOf(m.get("obj")), 0, "obj", false), num(m, "diameter", image, false),
						num(m, "hit_dice", image, false), num(m, "hit_logit", image, false), num(m, "self_logit", image, false),
						RecordsCsv.objectId(m.get("hit_obj") == null ? null : String.valueOf(m.get("hit_obj")), 0, "hit_obj", true), Double.NaN,
						num(m, "hit_stat", image, true), num(m, "self_stat", image, true)));
			}
		}
		return out;
	}

	private static double num(final Map< ?, ? > m, final String key, final String image, final boolean optional) {
		final Object v = m.get(key);
		if (v instanceof Number n) return n.doubleValue();
		if (v == null && optional) return Double.NaN;
		throw new IllegalArgumentException("image " + image + ": field " + key + " is " + (v == null ? "missing" : "not a number: " + v) + ".");
	}
}
