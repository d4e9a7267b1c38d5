package org.lesionweighting.util;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A small YAML writer and a reader of the block-style subset that model descriptions use (bioimage.io
 * {@code rdf.yaml}); no dependency.
 * <p>
 * Values are {@link Map} (written in iteration order, read as {@link LinkedHashMap}), {@link List} (also
 * {@code double[]}, {@code int[]}, {@code long[]} when writing), {@link String}, {@link Number} (read as
 * {@link Long} when integral, else {@link Double}), {@link Boolean} and {@code null}.
 * <p>
 * Writing: block mappings and sequences indented by two spaces; a list of scalars as a flow sequence
 * {@code [a, b]}; a string in double quotes unless it is a plain word that reads back as the same string; a
 * double always with a dot and a signed exponent ({@code 1.0e-06}), which both YAML 1.1 (PyYAML) and YAML 1.2
 * readers resolve as a float.
 * <p>
 * Reading: block mappings and sequences (a sequence may sit at its key's indentation), {@code - key: value}
 * items, flow sequences and mappings, plain, single- and double-quoted scalars (quoted ones may span lines),
 * block scalars ({@code |}, {@code >} with {@code -}/{@code +}), comments, {@code %YAML} and {@code ---}.
 * Not read: anchors, aliases, tags, several documents, complex keys; they give an
 * {@link IllegalArgumentException} naming the line.
 * <p>
 * Thread-safe (stateless).
 */
public final class Yaml {

	private Yaml() {}

	private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_./+()\\- ]*");

	private static final Pattern INT = Pattern.compile("[-+]?[0-9]+");

	private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");

	/** Writes {@code value} (normally a map) as a YAML document ending with a new line. */
	public static String write(final Object value) {
		final StringBuilder sb = new StringBuilder();
		if (value instanceof Map< ?, ? > m && !m.isEmpty()) writeMap(m, sb, 0, false);
		else if (value instanceof List< ? > l && !l.isEmpty() && !allScalars(l)) writeList(l, sb, 0);
		else
			sb.append(inline(value)).append('\n');
		return sb.toString();
	}

	/** Writes a block mapping at {@code indent}; with {@code firstInline} its first entry continues the current line (after "- "). */
	private static void writeMap(final Map< ?, ? > m, final StringBuilder sb, final int indent, final boolean firstInline) {
		boolean first = true;
		for (final Map.Entry< ?, ? > e : m.entrySet()) {
			if (!first || !firstInline) sb.append(" ".repeat(indent));
			first = false;
			sb.append(scalar(String.valueOf(e.getKey()))).append(':');
			writeValue(e.getValue(), sb, indent);
		}
	}

	/** Writes the value after "key:" (or "-"), starting on the same line. */
	private static void writeValue(final Object raw, final StringBuilder sb, final int indent) {
		final Object v = asList(raw);
		if (v instanceof Map< ?, ? > m && !m.isEmpty()) {
			sb.append('\n');
			writeMap(m, sb, indent + 2, false);
		}
		else if (v instanceof List< ? > l && !l.isEmpty() && !allScalars(l)) {
			sb.append('\n');
			writeList(l, sb, indent + 2);
		}
		else
			sb.append(' ').append(inline(v)).append('\n');
	}

	private static void writeList(final List< ? > l, final StringBuilder sb, final int indent) {
		for (final Object raw : l) {
			final Object v = asList(raw);
			sb.append(" ".repeat(indent)).append('-');
			if (v instanceof Map< ?, ? > m && !m.isEmpty()) writeMap(m, sb.append(' '), indent + 2, true);
			else
				writeValue(v, sb, indent);
		}
	}

	private static boolean allScalars(final List< ? > l) {
		return l.stream().map(Yaml::asList).noneMatch(v -> v instanceof Map< ?, ? > m && !m.isEmpty() || v instanceof List< ? > x && !x.isEmpty());
	}

	private static Object asList(final Object v) {
		if (v instanceof double[] a) return Arrays.stream(a).boxed().toList();
		if (v instanceof int[] a) return Arrays.stream(a).boxed().toList();
		if (v instanceof long[] a) return Arrays.stream(a).boxed().toList();
		return v;
	}

	private static String inline(final Object raw) {
		final Object v = asList(raw);
		if (v == null) return "null";
		if (v instanceof Boolean) return v.toString();
		if (v instanceof Double || v instanceof Float) return number(((Number) v).doubleValue());
		if (v instanceof Number) return Long.toString(((Number) v).longValue());
		if (v instanceof Map< ?, ? > m)
			return m.entrySet().stream().map(e -> scalar(String.valueOf(e.getKey())) + ": " + inline(e.getValue())).collect(Collectors.joining(", ", "{", "}"));
		if (v instanceof List< ? > l) return l.stream().map(Yaml::inline).collect(Collectors.joining(", ", "[", "]"));
		return scalar(v.toString());
	}

	private static String number(final double d) {
		if (Double.isNaN(d)) return ".nan";
		if (Double.isInfinite(d)) return d > 0 ? ".inf" : "-.inf";
		String s = Double.toString(d).toLowerCase(Locale.ROOT);
		final int e = s.indexOf('e');
		if (e >= 0 && s.charAt(e + 1) != '-') s = s.substring(0, e + 1) + "+" + s.substring(e + 1);
		return s;
	}

	/** Words YAML 1.1 readers (PyYAML) resolve as booleans. */
	private static final java.util.Set< String > YAML11_BOOLEANS = java.util.Set.of("y", "n", "yes", "no", "on", "off");

	/** A string as a plain scalar when it reads back as itself (in YAML 1.1 and 1.2), else double-quoted. */
	static String scalar(final String s) {
		if (PLAIN.matcher(s).matches() && !s.endsWith(" ") && resolvePlain(s) instanceof String && !YAML11_BOOLEANS.contains(s.toLowerCase(Locale.ROOT)))
			return s;
		final StringBuilder sb = new StringBuilder();
		Json.quote(s, sb);
		return sb.toString();
	}

	// ---------------------------------------------------------------- reading

	/**
	 * Parses a YAML document of the subset described in the class documentation.
	 *
	 * @throws IllegalArgumentException naming the line and what was expected, for text outside the subset
	 */
	public static Object parse(final String text) {
		return new Reader(text).document();
	}

	/** Parses a document whose root is a mapping. */
	@SuppressWarnings("unchecked")
	public static Map< String, Object > parseMap(final String text) {
		final Object o = parse(text);
		if (!(o instanceof Map))
			throw new IllegalArgumentException("Yaml.parseMap: the document is not a mapping but " + (o == null ? "empty" : o.getClass().getSimpleName())
					+ "; a model description starts with 'key: value' lines.");
		return (Map< String, Object >) o;
	}

	/** The value of a plain (unquoted) scalar: null, boolean, integer, float or the string itself. */
	static Object resolvePlain(final String s) {
		switch (s) {
			case "", "~", "null", "Null", "NULL":
				return null;
			case "true", "True", "TRUE":
				return Boolean.TRUE;
			case "false", "False", "FALSE":
				return Boolean.FALSE;
			case ".inf", ".Inf", ".INF", "+.inf":
				return Double.POSITIVE_INFINITY;
			case "-.inf", "-.Inf", "-.INF":
				return Double.NEGATIVE_INFINITY;
			case ".nan", ".NaN", ".NAN":
				return Double.NaN;
			default:
		}
		if (INT.matcher(s).matches()) {
			try {
				return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
			}
			catch (final NumberFormatException e) {
				return Double.parseDouble(s);
			}
		}
		if (FLOAT.matcher(s).matches()) return Double.parseDouble(s);
		return s;
	}

	/** One logical line: indentation, content without comment, 1-based line number. */
	private record Line(int indent, String text, int number) {}

	private static final class Reader {

		private final String[] raw;

		private final List< Line > lines = new ArrayList<>();

		private int pos;

		Reader(final String text) {
			raw = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
		}

		Object document() {
			int start = 0;
			for (int i = 0; i < raw.length; i++) {
				final String t = raw[i].trim();
				if (t.startsWith("%")) start = i + 1;
				else if (t.equals("---")) {
					start = i + 1;
					break;
				}
				else if (!t.isEmpty() && !t.startsWith("#")) break;
			}
			for (int i = start; i < raw.length; i++) {
				final String r = raw[i];
				if (r.trim().equals("...")) break;
				if (r.trim().equals("---")) throw error(i + 1, "a second document ('---'); give one document per file");
				if (r.indexOf('\t') >= 0 && r.substring(0, r.length() - r.stripLeading().length()).indexOf('\t') >= 0)
					throw error(i + 1, "a tab in the indentation; indent with spaces");
				final String content = stripComment(r);
				// blank lines are kept (indentation -1) for block scalars
				lines.add(content.isBlank() ? new Line(-1, "", i + 1) : new Line(r.length() - r.stripLeading().length(), content.strip(), i + 1));
			}
			skipBlank();
			if (pos >= lines.size()) return null;
			final Object v = node(lines.get(pos).indent);
			skipBlank();
			if (pos < lines.size()) throw error(lines.get(pos).number, "text after the document's end at a smaller indentation: '" + lines.get(pos).text + "'");
			return v;
		}

		private void skipBlank() {
			while (pos < lines.size() && lines.get(pos).indent < 0)
				pos++;
		}

		/** A block node whose lines start at {@code indent}. */
		private Object node(final int indent) {
			skipBlank();
			final Line l = lines.get(pos);
			if (isItem(l.text)) return sequence(indent);
			if (keyEnd(l.text) >= 0) return mapping(indent);
			pos++;
			return scalarValue(l.text, l, indent - 1);
		}

		private List< Object > sequence(final int indent) {
			final List< Object > out = new ArrayList<>();
			for (Line l = next(indent, "sequence"); l != null && isItem(l.text); l = next(indent, "sequence")) {
				final String rest = l.text.substring(1).strip();
				if (rest.isEmpty()) {
					pos++;
					out.add(below(indent, false));
					continue;
				}
				// the item's content starts after "- ": re-read it as a line of its own, indented further
				final int inner = indent + (l.text.length() - rest.length());
				lines.set(pos, new Line(inner, rest, l.number));
				out.add(node(inner));
			}
			return out;
		}

		private Map< String, Object > mapping(final int indent) {
			final Map< String, Object > out = new LinkedHashMap<>();
			for (Line l = next(indent, "mapping"); l != null; l = next(indent, "mapping")) {
				final int colon = keyEnd(l.text);
				if (colon < 0 && isItem(l.text)) break;
				if (colon < 0) throw error(l.number, "'key: value', but found '" + l.text + "'");
				final String key = keyText(l.text.substring(0, colon).strip(), l);
				if (out.containsKey(key)) throw error(l.number, "a new key, but '" + key + "' is given twice");
				final String rest = l.text.substring(colon + 1).strip();
				pos++;
				// after "key:" alone, a sequence may also sit at the key's own indentation
				out.put(key, rest.isEmpty() ? below(indent, true) : scalarValue(rest, l, indent));
			}
			return out;
		}

		/** The next non-blank line of the block at {@code indent}, or null where the block ends. */
		private Line next(final int indent, final String block) {
			skipBlank();
			if (pos >= lines.size() || lines.get(pos).indent < indent) return null;
			final Line l = lines.get(pos);
			if (l.indent > indent) throw error(l.number, "an unexpected indentation of " + l.indent + " (the " + block + " is at " + indent + ")");
			return l;
		}

		/** The block node after a "key:" or "-" line (at {@code indent}) with nothing else, or null when there is none. */
		private Object below(final int indent, final boolean sequenceAtIndent) {
			skipBlank();
			if (pos >= lines.size()) return null;
			final Line n = lines.get(pos);
			return n.indent > indent || sequenceAtIndent && n.indent == indent && isItem(n.text) ? node(n.indent) : null;
		}

		private static boolean isItem(final String text) {
			return text.equals("-") || text.startsWith("- ");
		}

		private String keyText(final String k, final Line l) {
			if (k.startsWith("\"") || k.startsWith("'")) return String.valueOf(flow(k, l));
			if (k.startsWith("?") || k.startsWith("&") || k.startsWith("*") || k.startsWith("!"))
				throw error(l.number, "a plain key, but found '" + k + "' (complex keys, anchors, aliases and tags are not read)");
			return k;
		}

		/** A value that starts on a line after "key:" or "- "; may continue on more-indented lines. */
		private Object scalarValue(final String text, final Line l, final int parentIndent) {
			final char c = text.charAt(0);
			if (c == '&' || c == '*' || c == '!') throw error(l.number, "a value, but found '" + text + "' (anchors, aliases and tags are not read)");
			if (c == '|' || c == '>') return blockScalar(text, l, parentIndent);
			if (c == '"' || c == '\'') {
				final StringBuilder sb = new StringBuilder(text);
				while (closingQuote(sb, 0) == sb.length() && pos < lines.size()) {
					final Line n = lines.get(pos++);
					sb.append(n.indent < 0 ? "\n" : " " + raw[n.number - 1].strip());
				}
				return flow(sb.toString().replace(" \n ", "\n"), l);
			}
			if (c == '[' || c == '{') {
				final StringBuilder sb = new StringBuilder(text);
				while (depth(sb.toString()) > 0 && pos < lines.size())
					sb.append(' ').append(lines.get(pos++).text);
				return flow(sb.toString(), l);
			}
			final StringBuilder sb = new StringBuilder(text);
			while (pos < lines.size() && lines.get(pos).indent > parentIndent && keyEnd(lines.get(pos).text) < 0 && !lines.get(pos).text.startsWith("- "))
				sb.append(' ').append(lines.get(pos++).text);
			return resolvePlain(sb.toString());
		}

		private Object blockScalar(final String header, final Line l, final int parentIndent) {
			final boolean literal = header.charAt(0) == '|';
			final String chomp = header.length() > 1 ? header.substring(1).strip() : "";
			final List< String > body = new ArrayList<>();
			int indent = -1;
			while (pos < lines.size()) {
				final Line n = lines.get(pos);
				final String r = raw[n.number - 1];
				if (n.indent >= 0 && n.indent <= parentIndent) break;
				if (n.indent >= 0 && indent < 0) indent = n.indent;
				body.add(n.indent < 0 ? "" : r.substring(Math.min(indent, r.length())));
				pos++;
			}
			int last = body.size();
			while (last > 0 && body.get(last - 1).isEmpty())
				last--;
			final StringBuilder sb = new StringBuilder();
			for (int i = 0; i < last; i++) {
				final String s = body.get(i);
				if (i > 0) sb.append(literal || s.isEmpty() || body.get(i - 1).isEmpty() ? "\n" : " ");
				sb.append(s);
			}
			if (!chomp.contains("-") && last > 0) sb.append('\n');
			if (chomp.contains("+")) for (int i = last; i < body.size(); i++)
				sb.append('\n');
			if (!chomp.isEmpty() && !chomp.matches("[-+]?[0-9]?|[0-9][-+]"))
				throw error(l.number, "a block scalar header '|' or '>' with '-' or '+', but found '" + header + "'");
			return sb.toString();
		}

		private static int depth(final String s) {
			int d = 0;
			for (int i = 0; i < s.length(); i++) {
				final char c = s.charAt(i);
				if (c == '"' || c == '\'') i = closingQuote(s, i);
				else if (c == '[' || c == '{') d++;
				else if (c == ']' || c == '}') d--;
			}
			return d;
		}

		private static Object flow(final String s, final Line l) {
			final Flow f = new Flow(s, l);
			final Object v = f.value();
			f.space();
			if (f.i < s.length()) throw error(l.number, "the end of the value, but found '" + s.substring(f.i) + "'");
			return v;
		}
	}

	private static IllegalArgumentException error(final int line, final String what) {
		return new IllegalArgumentException("Yaml.parse: line " + line + ": expected " + what + ".");
	}

	/**
	 * The position of the quote that closes the quoted scalar opening at {@code start}, or {@code s.length()} when it
	 * is not closed. A backslash escapes the next character in double quotes; '' is a single quote in single quotes.
	 */
	private static int closingQuote(final CharSequence s, final int start) {
		final char q = s.charAt(start);
		for (int i = start + 1; i < s.length(); i++) {
			final char c = s.charAt(i);
			if (q == '"' && c == '\\' || q == '\'' && c == q && i + 1 < s.length() && s.charAt(i + 1) == q) i++;
			else if (c == q) return i;
		}
		return s.length();
	}

	/** The position of the colon that ends a plain or quoted key on a line, or -1. */
	static int keyEnd(final String text) {
		if (text.startsWith("[") || text.startsWith("{")) return -1;
		for (int i = text.startsWith("\"") || text.startsWith("'") ? closingQuote(text, 0) + 1 : 0; i < text.length(); i++)
			if (text.charAt(i) == ':' && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) return i;
		return -1;
	}

	/** Removes a comment: '#' at the start or after a space, outside quotes. */
	static String stripComment(final String line) {
		for (int i = 0; i < line.length(); i++) {
			final char c = line.charAt(i);
			if ((c == '"' || c == '\'') && (i == 0 || " [{,:-".indexOf(line.charAt(i - 1)) >= 0)) i = closingQuote(line, i);
			else if (c == '#' && (i == 0 || line.charAt(i - 1) == ' ' || line.charAt(i - 1) == '\t')) return line.substring(0, i);
		}
		return line;
	}

	/** A scanner of flow collections and quoted scalars on one logical line. */
	private static final class Flow {

		private final String s;

		private final Line line;

		private int i;

		Flow(final String s, final Line line) {
			this.s = s;
			this.line = line;
		}

		private void space() {
			while (i < s.length() && s.charAt(i) == ' ')
				i++;
		}

		Object value() {
			space();
			if (i >= s.length()) return null;
			final char c = s.charAt(i);
			if (c == '[' || c == '{') {
				i++;
				final List< Object > list = new ArrayList<>();
				final Map< String, Object > map = new LinkedHashMap<>();
				final char close = c == '[' ? ']' : '}';
				space();
				while (!peek(close)) {
					final Object v = value();
					space();
					if (c == '[') list.add(v);
					else {
						expect(':');
						map.put(String.valueOf(v), value());
						space();
					}
					if (peek(close)) break;
					expect(',');
					space();
				}
				return c == '[' ? list : map;
			}
			if (c == '"' || c == '\'') return quoted(c);
			final int start = i;
			while (i < s.length() && ",]}".indexOf(s.charAt(i)) < 0 && !(s.charAt(i) == ':' && (i + 1 == s.length() || s.charAt(i + 1) == ' ')))
				i++;
			return resolvePlain(s.substring(start, i).strip());
		}

		private boolean peek(final char c) {
			if (i < s.length() && s.charAt(i) == c) {
				i++;
				return true;
			}
			return false;
		}

		private void expect(final char c) {
			if (!peek(c)) throw error(line.number, "'" + c + "' at column " + (i + 1) + " of '" + s + "'");
		}

		/** A single-quoted ('' for a quote) or double-quoted (backslash escapes) scalar. */
		private String quoted(final char q) {
			final StringBuilder sb = new StringBuilder();
			i++;
			while (i < s.length()) {
				final char c = s.charAt(i++);
				if (c == q && q == '\'' && i < s.length() && s.charAt(i) == '\'') sb.append(s.charAt(i++));
				else if (c == q) return sb.toString();
				else if (c != '\\' || q == '\'') sb.append(c);
				else if (i >= s.length()) break;
				else {
					final char e = s.charAt(i++);
					switch (e) {
						case 'n' -> sb.append('\n');
						case 't' -> sb.append('\t');
						case 'r' -> sb.append('\r');
						case '0' -> sb.append('\0');
						case '"', '\\', '/', ' ' -> sb.append(e);
						case 'u', 'x' -> {
							final int n = e == 'u' ? 4 : 2;
							if (i + n > s.length()) throw error(line.number, "a complete \\" + e + " escape in '" + s + "'");
							sb.append((char) Integer.parseInt(s.substring(i, i + n), 16));
							i += n;
						}
						default -> throw error(line.number, "a known escape, but found '\\" + e + "' in '" + s + "'");
					}
				}
			}
			throw error(line.number, "a closing " + (q == '"' ? "'\"'" : "\"'\"") + " in '" + s + "'");
		}
	}
}
