package org.lesionweighting.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.lesionweighting.util.AtomicFiles;
import org.lesionweighting.util.Csv;

/**
 * Lesion records as CSV (doc/method.md §5.1), so that records of many images, or of other tools, can be
 * pooled.
 * <p>
 * Written columns, in this order: {@code image,kind,object,diameter,hit_dice,hit_logit,self_logit,hit_object}
 * then the extras {@code diameter_calibrated,hit_stat,self_stat}. {@code kind} is {@code lesion} or
 * {@code prediction}; {@code hit_object} is the linked object id (0 = none); numbers are written so that
 * they read back exactly, infinities as {@code Infinity}/{@code -Infinity}, unknown values as {@code NaN}.
 * Fields containing a comma, quote or line break are quoted (RFC 4180).
 * <p>
 * Reading finds columns by header name (any order; unknown columns are ignored). Required:
 * {@code image, kind, object, diameter, hit_dice, hit_logit, self_logit}. Optional: {@code hit_object}
 * (absent means none), {@code diameter_calibrated}, {@code hit_stat}, {@code self_stat} (absent = NaN).
 * Accepted spellings: {@code kind} also {@code True}/{@code False} (the authors' {@code is_tum});
 * object ids may carry a prefix ({@code tum_3}, {@code pred_3}); {@code hit_object} values {@code ""},
 * {@code 0}, {@code None}, {@code pred_None} mean none; {@code inf}/{@code -inf}/{@code nan} are accepted.
 */
public final class RecordsCsv {

	/** The mandatory columns, in the order they are written. */
	public static final List< String > COLUMNS = List.of("image", "kind", "object", "diameter", "hit_dice", "hit_logit", "self_logit", "hit_object");

	/** The extra columns written after {@link #COLUMNS}. */
	public static final List< String > EXTRA_COLUMNS = List.of("diameter_calibrated", "hit_stat", "self_stat");

	private RecordsCsv() {}

	/** The CSV text (header and one line per record, {@code \n} line ends). */
	public static String toCsv(final Collection< LesionRecord > records) {
		final StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append(',').append(String.join(",", EXTRA_COLUMNS)).append('\n');
		for (final LesionRecord r : records) {
			// Double.toString writes NaN, Infinity and -Infinity, and every finite double so that it reads back exactly
			sb.append(String.join(",", Csv.quote(r.image()), r.kind().key(), Integer.toString(r.object()), Double.toString(r.diameter()),
					Double.toString(r.hitDice()), Double.toString(r.hitLogit()), Double.toString(r.selfLogit()), Integer.toString(r.hitObject()),
					Double.toString(r.diameterCalibrated()), Double.toString(r.hitStat()), Double.toString(r.selfStat()))).append('\n');
		}
		return sb.toString();
	}

	/**
	 * Writes records to {@code file} atomically (temporary file + rename).
	 *
	 * @throws IOException if the folder does not exist or is not writable
	 */
	public static void write(final Path file, final Collection< LesionRecord > records) throws IOException {
		AtomicFiles.writeString(file, toCsv(records));
	}

	/**
	 * Reads records from a CSV file, or from every {@code *.csv} file of a folder (not recursive, in
	 * file-name order) and pools them. A single {@code .json} file is read as the authors' released
	 * {@code prc_records.json} ({@link AuthorsRecords}).
	 *
	 * @throws IOException if the path does not exist, a folder holds no CSV file, or a file is not a
	 *           records CSV (the message names the file, line and column)
	 */
	public static List< LesionRecord > read(final Path path) throws IOException {
		if (Files.isDirectory(path)) {
			final List< Path > files;
			try (Stream< Path > s = Files.list(path)) {
				files = s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")).sorted().toList();
			}
			if (files.isEmpty())
				throw new IOException("RecordsCsv.read: the folder " + path + " contains no .csv file. Give a records CSV or a folder of them.");
			// pooled image by image; two files that claim one image id with different records are two images
			// under one name (p07/mask.nii.gz and p19/mask.nii.gz both evaluated as mask) and are refused; a copy
			// of records already read adds nothing
			final Map< String, List< LesionRecord > > byImage = new LinkedHashMap<>();
			final Map< String, Path > source = new HashMap<>();
			for (final Path f : files)
				for (final Map.Entry< String, List< LesionRecord > > e : byImage(readFile(f)).entrySet()) {
					final List< LesionRecord > before = byImage.putIfAbsent(e.getKey(), e.getValue());
					if (before == null) source.put(e.getKey(), f);
					else if (!before.equals(e.getValue()))
						throw new IOException("RecordsCsv.read: the image id '" + e.getKey() + "' is in " + source.get(e.getKey()) + " and in " + f
								+ " with different records: two images with one id would be pooled as one. "
								+ "Evaluate them again with distinct image_id values (the default id includes the case folder).");
				}
			return byImage.values().stream().flatMap(List::stream).collect(Collectors.toList());
		}
		if (!Files.isRegularFile(path)) throw new IOException("RecordsCsv.read: " + path + " does not exist. Give a records CSV or a folder of them.");
		if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) return AuthorsRecords.read(path);
		return readFile(path);
	}

	private static List< LesionRecord > readFile(final Path file) throws IOException {
		final String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
		if (text.isBlank())
			throw new IOException("RecordsCsv.read: " + file + " is empty, not a records CSV (a records file has at least the header line "
					+ String.join(",", COLUMNS) + "). Evaluate the image again or remove the file.");
		try {
			return parse(text);
		}
		catch (final IllegalArgumentException e) {
			throw new IOException("RecordsCsv.read: " + file + ": " + e.getMessage(), e);
		}
	}

	/**
	 * Parses CSV text with a header line.
	 *
	 * @return the records (empty for a header-only or empty text)
	 * @throws IllegalArgumentException naming the line and column of the first bad value or the missing
	 *           columns
	 */
	public static List< LesionRecord > parse(final String text) {
		final List< List< String > > rows = splitCsv(text.startsWith("\uFEFF") ? text.substring(1) : text);
		final List< LesionRecord > out = new ArrayList<>();
		if (rows.isEmpty()) return out;
		final Map< String, Integer > col = new HashMap<>();
		final List< String > header = rows.get(0);
		for (int i = 0; i < header.size(); i++)
			col.putIfAbsent(header.get(i).trim().toLowerCase(Locale.ROOT), i);
		// every column but the last, hit_object, is required
		final List< String > required = COLUMNS.subList(0, 7), missing = required.stream().filter(c -> !col.containsKey(c)).toList();
		if (!missing.isEmpty())
			throw new IllegalArgumentException(
					"not a lesion records CSV: missing column(s) " + missing + " in header " + header + ". Required: " + required + ".");
		for (int r = 1; r < rows.size(); r++) {
			final List< String > row = rows.get(r);
			if (row.size() == 1 && row.get(0).isBlank()) continue;
			final int line = r + 1;
			final Function< String, String > f = name -> {
				final Integer i = col.get(name);
				return i == null || i >= row.size() ? null : row.get(i).trim();
			};
			final String image = f.apply("image");
			final LesionRecord.Kind kind;
			try {
				kind = LesionRecord.Kind.fromString(f.apply("kind"));
			}
			catch (final IllegalArgumentException e) {
				throw new IllegalArgumentException("line " + line + ", column kind: " + e.getMessage());
			}
			out.add(new LesionRecord(image == null ? "" : image, kind, objectId(f.apply("object"), line, "object", false),
					finite(f.apply("diameter"), line, "diameter"), finite(f.apply("hit_dice"), line, "hit_dice"),
					notNaN(f.apply("hit_logit"), line, "hit_logit"),
					notNaN(f.apply("self_logit"), line, "self_logit"), objectId(f.apply("hit_object"), line, "hit_object", true),
					number(f.apply("diameter_calibrated"), line, "diameter_calibrated", true), number(f.apply("hit_stat"), line, "hit_stat", true),
					number(f.apply("self_stat"), line, "self_stat", true)));
		}
		return out;
	}

	/** The records grouped by image id, in the order of first appearance. */
	static Map< String, List< LesionRecord > > byImage(final Collection< LesionRecord > records) {
		return records.stream().collect(Collectors.groupingBy(LesionRecord::image, LinkedHashMap::new, Collectors.toList()));
	}

	static double number(final String s, final int line, final String column, final boolean optional) {
		if (s == null || s.isEmpty()) {
			if (optional) return Double.NaN;
			throw new IllegalArgumentException("line " + line + ", column " + column + ": value is missing; give a number, Infinity or -Infinity.");
		}
		return switch (s.toLowerCase(Locale.ROOT)) {
			case "infinity", "+infinity", "inf", "+inf" -> Double.POSITIVE_INFINITY;
			case "-infinity", "-inf" -> Double.NEGATIVE_INFINITY;
			case "nan" -> Double.NaN;
			default -> {
				try {
					yield Double.parseDouble(s);
				}
				catch (final NumberFormatException e) {
					throw new IllegalArgumentException(
							"line " + line + ", column " + column + ": '" + s + "' is not a number; give a number, Infinity or -Infinity.");
				}
			}
		};
	}

	/** A required value that must be a finite number (diameter, hit_dice): NaN or an infinity would drop the row from the recall. */
	private static double finite(final String s, final int line, final String column) {
		final double v = number(s, line, column, false);
		if (!Double.isFinite(v))
			throw new IllegalArgumentException("line " + line + ", column " + column + ": '" + s + "' is not a finite number; each record needs a finite "
					+ column + ". Evaluate the image again.");
		return v;
	}

	/** A required logit: ±Infinity are meaningful (no hit, a lesion's own row), NaN is not. */
	private static double notNaN(final String s, final int line, final String column) {
		final double v = number(s, line, column, false);
		if (Double.isNaN(v))
			throw new IllegalArgumentException(
					"line " + line + ", column " + column + ": NaN is not a logit; give a number, Infinity or -Infinity. Evaluate the image again.");
		return v;
	}

	static int objectId(final String s, final int line, final String column, final boolean optional) {
		if (s == null || s.isEmpty() || s.equalsIgnoreCase("none") || s.toLowerCase(Locale.ROOT).endsWith("_none") || s.equalsIgnoreCase("nan")) {
			if (optional) return 0;
			throw new IllegalArgumentException("line " + line + ", column " + column + ": object id is missing; give a positive integer.");
		}
		final String digits = s.substring(s.lastIndexOf('_') + 1);
		try {
			final double v = Double.parseDouble(digits);
			if (v < 0 || v != Math.rint(v) || v > Integer.MAX_VALUE) throw new NumberFormatException();
			return (int) v;
		}
		catch (final NumberFormatException e) {
			throw new IllegalArgumentException(
					"line " + line + ", column " + column + ": '" + s + "' is not an object id; give a non-negative integer (optionally prefixed like tum_3).");
		}
	}

	/** RFC 4180 splitting: quoted fields may contain commas, doubled quotes and line breaks. */
	static List< List< String > > splitCsv(final String text) {
		final List< List< String > > rows = new ArrayList<>();
		List< String > row = new ArrayList<>();
		final StringBuilder field = new StringBuilder();
		boolean quoted = false, any = false;
		for (int i = 0; i < text.length(); i++) {
			final char c = text.charAt(i);
			any = true;
			if (quoted) {
				if (c == '"') {
					if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
						field.append('"');
						i++;
					}
					else
						quoted = false;
				}
				else
					field.append(c);
			}
			else if (c == '"') quoted = true;
			else if (c == ',') {
				row.add(field.toString());
				field.setLength(0);
			}
			else if (c == '\n' || c == '\r') {
				if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
				row.add(field.toString());
				field.setLength(0);
				rows.add(row);
				row = new ArrayList<>();
				any = false;
			}
			else
				field.append(c);
		}
		if (any) {
			row.add(field.toString());
			rows.add(row);
		}
		return rows;
	}
}
