package org.lesionweighting.util;

/** The suite's one CSV field writer (RFC 4180), for every CSV it writes. */
public final class Csv {

	private Csv() {}

	/** A CSV field: quoted, with doubled quotes, when it holds a comma, a quote or a line break; else as is. */
	public static String quote(final String s) {
		if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
		return '"' + s.replace("\"", "\"\"") + '"';
	}
}
