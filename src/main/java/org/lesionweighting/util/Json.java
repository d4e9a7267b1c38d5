package org.lesionweighting.util;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A small JSON writer and parser for metadata, summaries and dataset descriptions.
 * <p>
 * Values are {@link Map} (written with its iteration order; parsed as {@link LinkedHashMap}), {@link List}
 * (also arrays of {@code double}, {@code float}, {@code int}, {@code long} and {@code Object} when
 * writing), {@link String}, {@link Number} (parsed as {@link Double}), {@link Boolean} and {@code null}.
 * Non-finite numbers are written as the bare tokens {@code Infinity}, {@code -Infinity} and {@code NaN},
 * as Python's {@code json} module writes them, and parsed back.
 * <p>
 * Example: {@code Json.write(Map.of("avg_recall", 0.8))} gives {@code {"avg_recall": 0.8}}.
 */
public final class Json {

	private Json() {}

	/**
	 * A mutable map of the given keys and values, in that order: {@code object("a", 1, "b", null)} for the fixed
	 * JSON objects of metadata, jobs and summaries.
	 *
	 * @throws IllegalArgumentException if the arguments do not alternate key (a {@link String}) and value
	 */
	public static Map< String, Object > object(final Object... keyValues) {
		if (keyValues.length % 2 != 0)
			throw new IllegalArgumentException("Json.object: " + keyValues.length + " arguments given; give keys and values in pairs.");
		final Map< String, Object > m = new LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			if (!(keyValues[i] instanceof String key))
				throw new IllegalArgumentException("Json.object: argument " + i + " is " + keyValues[i] + ", not a key; give String keys.");
			m.put(key, keyValues[i + 1]);
		}
		return m;
	}

	/** Writes {@code value} as indented JSON (two spaces). */
	public static String write(final Object value) {
		final StringBuilder sb = new StringBuilder();
		write(value, sb, 0);
		return sb.append('\n').toString();
	}

	private static void write(final Object v, final StringBuilder sb, final int indent) {
		if (v == null) sb.append("null");
		else if (v instanceof String || v instanceof Character || v instanceof Enum) quote(v.toString(), sb);
		else if (v instanceof Boolean) sb.append(v);
		else if (v instanceof Double || v instanceof Float) number(((Number) v).doubleValue(), sb);
		else if (v instanceof Number) sb.append(((Number) v).longValue());
		else if (v instanceof Map< ?, ? > m && m.isEmpty()) sb.append("{}");
		else if (v instanceof Map< ?, ? > m) {
			String separator = "{\n";
			for (final Map.Entry< ?, ? > e : m.entrySet()) {
				sb.append(separator).append("  ".repeat(indent + 1));
				quote(String.valueOf(e.getKey()), sb);
				sb.append(": ");
				write(e.getValue(), sb, indent + 1);
				separator = ",\n";
			}
			sb.append('\n').append("  ".repeat(indent)).append('}');
		}
		else if (v instanceof Iterable< ? > l) writeList(l, sb, indent);
		else if (v instanceof double[] a) writeList(Arrays.stream(a).boxed().toList(), sb, indent);
		else if (v instanceof float[] a) writeList(IntStream.range(0, a.length).mapToObj(i -> (double) a[i]).toList(), sb, indent);
		else if (v instanceof int[] a) writeList(Arrays.stream(a).boxed().toList(), sb, indent);
		else if (v instanceof long[] a) writeList(Arrays.stream(a).boxed().toList(), sb, indent);
		else if (v instanceof Object[] a) writeList(Arrays.asList(a), sb, indent);
		else
			throw new IllegalArgumentException(
					"Json.write: cannot write a value of type " + v.getClass().getName() + "; use Map, List, String, Number, Boolean or null.");
	}

	private static void writeList(final Iterable< ? > list, final StringBuilder sb, final int indent) {
		boolean scalars = true;
		for (final Object o : list)
			scalars &= !(o instanceof Map || o instanceof Iterable || (o != null && o.getClass().isArray()));
		sb.append('[');
		boolean first = true;
		for (final Object o : list) {
			if (!first) sb.append(scalars ? ", " : ",");
			if (!scalars) sb.append('\n').append("  ".repeat(indent + 1));
			write(o, sb, indent + 1);
			first = false;
		}
		if (!scalars && !first) sb.append('\n').append("  ".repeat(indent));
		sb.append(']');
	}

	private static void number(final double d, final StringBuilder sb) {
		if (Double.isNaN(d)) sb.append("NaN");
		else if (Double.isInfinite(d)) sb.append(d > 0 ? "Infinity" : "-Infinity");
		else if (d == Math.rint(d) && Math.abs(d) < 1e15) sb.append((long) d).append(".0");
		else
			sb.append(d);
	}

	/** Appends {@code s} as a double-quoted string with JSON escapes (also valid YAML). */
	static void quote(final String s, final StringBuilder sb) {
		sb.append('"');
		for (int i = 0; i < s.length(); i++) {
			final char c = s.charAt(i);
			switch (c) {
				case '"' -> sb.append("\\\"");
				case '\\' -> sb.append("\\\\");
				case '\n' -> sb.append("\\n");
				case '\r' -> sb.append("\\r");
				case '\t' -> sb.append("\\t");
				default -> {
					if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
					else
						sb.append(c);
				}
			}
		}
		sb.append('"');
	}

	/** The deepest nesting of objects and arrays {@link #parse} accepts (the suite's files nest at most 5 deep). */
	public static final int MAX_DEPTH = 256;

	/**
	 * Parses JSON text.
	 *
	 * @throws IllegalArgumentException naming the character position and what was expected
	 */
	public static Object parse(final String text) {
		final Parser p = new Parser(text);
		p.ws();
		final Object v = p.value();
		p.ws();
		if (p.i != text.length()) throw p.error("end of input");
		return v;
	}

	/** Parses JSON text whose top level must be an object. */
	@SuppressWarnings("unchecked")
	public static Map< String, Object > parseObject(final String text) {
		final Object v = parse(text);
		if (!(v instanceof Map))
			throw new IllegalArgumentException(
					"Json.parseObject: expected a JSON object at the top level, found " + (v == null ? "null" : v.getClass().getSimpleName()) + ".");
		return (Map< String, Object >) v;
	}

	private static final class Parser {

		private final String s;

		private int i;

		private int depth;

		Parser(final String s) {
			this.s = s;
		}

		IllegalArgumentException error(final String expected) {
			final int from = Math.max(0, i - 20), to = Math.min(s.length(), i + 20);
			return new IllegalArgumentException("Json.parse: expected " + expected + " at character " + i + " near '" + s.substring(from, to) + "'.");
		}

		void ws() {
			while (i < s.length() && Character.isWhitespace(s.charAt(i)))
				i++;
		}

		boolean take(final String token) {
			if (s.startsWith(token, i)) {
				i += token.length();
				return true;
			}
			return false;
		}

		Object value() {
			if (i >= s.length()) throw error("a value");
			final char c = s.charAt(i);
			if (c == '{' || c == '[') {
				if (++depth > MAX_DEPTH)
					throw new IllegalArgumentException("Json.parse: objects and arrays are nested more than " + MAX_DEPTH + " deep at character " + i
							+ "; the file is not a settings, metadata or records file of this suite.");
				final Object nested = container(c);
				depth--;
				return nested;
			}
			if (c == '"') return string();
			if (take("true")) return Boolean.TRUE;
			if (take("false")) return Boolean.FALSE;
			if (take("null")) return null;
			if (take("NaN")) return Double.NaN;
			if (take("Infinity")) return Double.POSITIVE_INFINITY;
			if (take("-Infinity")) return Double.NEGATIVE_INFINITY;
			return number();
		}

		/** An object ({@code open} is '{') or an array: they differ only in the {@code "key":} before each value. */
		Object container(final char open) {
			final boolean object = open == '{';
			final String close = object ? "}" : "]";
			final Map< String, Object > m = new LinkedHashMap<>();
			final List< Object > l = new ArrayList<>();
			i++;
			ws();
			if (take(close)) return object ? m : l;
			while (true) {
				ws();
				if (object) {
					if (i >= s.length() || s.charAt(i) != '"') throw error("a string key");
					final String k = string();
					ws();
					if (!take(":")) throw error("':'");
					ws();
					m.put(k, value());
				}
				else
					l.add(value());
				ws();
				if (take(close)) return object ? m : l;
				if (!take(",")) throw error("',' or '" + close + "'");
			}
		}

		String string() {
			final StringBuilder sb = new StringBuilder();
			i++;
			while (true) {
				if (i >= s.length()) throw error("a closing '\"'");
				final char c = s.charAt(i++);
				if (c == '"') return sb.toString();
				if (c != '\\') {
					sb.append(c);
					continue;
				}
				if (i >= s.length()) throw error("an escape character");
				final char e = s.charAt(i++);
				switch (e) {
					case 'n' -> sb.append('\n');
					case 't' -> sb.append('\t');
					case 'r' -> sb.append('\r');
					case 'b' -> sb.append('\b');
					case 'f' -> sb.append('\f');
					case 'u' -> {
						if (i + 4 > s.length()) throw error("four hex digits");
						try {
							sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
						}
						catch (final NumberFormatException ex) {
							throw error("four hex digits");
						}
						i += 4;
					}
					default -> sb.append(e);
				}
			}
		}

		Double number() {
			final int start = i;
			while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0)
				i++;
			if (start == i) throw error("a value");
			try {
				return Double.valueOf(s.substring(start, i));
			}
			catch (final NumberFormatException e) {
				i = start;
				throw error("a number");
			}
		}
	}
}
