package org.lesionweighting.tf.pkg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a user says about an exported model package; see {@link PackageExporter}.
 *
 * @param name the package name: letters, digits, spaces and {@code _ + - ( )}, 5 to 128 characters (the spec's rule)
 * @param authors the authors' names, at least one, without '/'
 * @param license an SPDX licence identifier, e.g. {@value #LICENSE_DEFAULT}
 * @param channelNames the input channel names (e.g. the dataset's {@code FLAIR}, {@code T2}), or null for
 *        {@code channel0}, {@code channel1}, ...; made into identifiers ({@link #identifier})
 */
public record PackageOptions(String name, List< String > authors, String license, List< String > channelNames) {

	/** The default licence: CC-BY-4.0, the most common one on bioimage.io. */
	public static final String LICENSE_DEFAULT = "CC-BY-4.0";

	public static final String NAME_DEFAULT = "Lesion segmentation 3D U-Net (Lesion Weighting)";

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_+\\- ()]{5,128}");

	private static final Pattern LICENSE = Pattern.compile("[A-Za-z0-9.+\\-]+");

	/** Checks every value; see the parameters. */
	public PackageOptions {
		final String op = "Export Model Package";
		if (name == null || !NAME.matcher(name).matches())
			throw new IllegalArgumentException(
					op + ": name '" + name + "' is not a bioimage.io name; use 5 to 128 letters, digits, spaces and _ + - ( ), e.g. '" + NAME_DEFAULT + "'.");
		if (authors == null || authors.isEmpty() || authors.stream().anyMatch(a -> a == null || a.isBlank() || a.contains("/")))
			throw new IllegalArgumentException(
					op + ": authors " + authors + " must name at least one author, each without '/'; separate names with ';', e.g. 'Jane Doe; John Roe'.");
		if (license == null || !LICENSE.matcher(license).matches())
			throw new IllegalArgumentException(op + ": license '" + license + "' is not an SPDX identifier; give one such as " + LICENSE_DEFAULT
					+ ", MIT or BSD-2-Clause (https://spdx.org/licenses/).");
		authors = List.copyOf(authors.stream().map(String::strip).toList());
		channelNames = channelNames == null ? null : List.copyOf(channelNames);
	}

	/** Authors from text separated by ';' (a blank text gives the system user's name). */
	public static List< String > parseAuthors(final String text) {
		final List< String > out = text == null ? List.of() : Arrays.stream(text.split(";")).filter(a -> !a.isBlank()).map(String::strip).toList();
		return out.isEmpty() ? List.of(System.getProperty("user.name", "Lesion Weighting user")) : out;
	}

	/** The channel names to write for {@code count} channels: the given ones as identifiers, else channel0, ... */
	public List< String > channelNames(final int count) {
		if (channelNames != null && channelNames.size() != count)
			throw new IllegalArgumentException("Export Model Package: " + channelNames.size() + " channel name(s) " + channelNames + " for a model of " + count
					+ " input channel(s); give one name per channel.");
		final List< String > out = new ArrayList<>();
		for (int c = 0; c < count; c++) {
			String n = identifier(channelNames == null ? "channel" + c : channelNames.get(c));
			while (out.contains(n))
				n = n + "_" + c;
			out.add(n);
		}
		return out;
	}

	/** Python's keywords, which the spec refuses as identifiers. */
	private static final java.util.Set< String > KEYWORDS = java.util.Set.of("False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
			"continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not",
			"or", "pass", "raise", "return", "try", "while", "with", "yield");

	/**
	 * A Python identifier that is no keyword (the spec's rule for channel names): other characters become '_', a
	 * leading digit gets 'c', a keyword gets '_'.
	 */
	public static String identifier(final String s) {
		String n = s == null ? "" : s.strip().replaceAll("[^A-Za-z0-9_]", "_");
		if (n.isEmpty() || Character.isDigit(n.charAt(0))) n = "c" + n;
		return KEYWORDS.contains(n) ? n + "_" : n;
	}
}
