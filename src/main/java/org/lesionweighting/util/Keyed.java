package org.lesionweighting.util;

import java.util.Arrays;
import java.util.List;

/**
 * An option value with a short key, as used in macros, on the command line and in stored metadata. One rule parses
 * every option enum: the key, the enum name or an alias, ignoring case and surrounding blanks.
 */
public interface Keyed {

	/** The short key of macros, the command line and stored metadata. */
	String key();

	/** Further accepted spellings (a display label, a historical name). */
	default List< String > aliases() {
		return List.of();
	}

	/** The keys of all values of {@code type}, in declaration order. */
	static < E extends Enum< E > & Keyed > String[] keys(final Class< E > type) {
		return Arrays.stream(type.getEnumConstants()).map(Keyed::key).toArray(String[]::new);
	}

	/** The value of {@code type} that {@code value} names, or {@code null} for none (also for {@code null}). */
	static < E extends Enum< E > & Keyed > E find(final Class< E > type, final String value) {
		if (value == null) return null;
		final String v = value.trim();
		for (final E e : type.getEnumConstants())
			if (e.key().equalsIgnoreCase(v) || e.name().equalsIgnoreCase(v) || e.aliases().stream().anyMatch(v::equalsIgnoreCase)) return e;
		return null;
	}

	/**
	 * The value of {@code type} that {@code value} names.
	 *
	 * @param option the option's name, for the message
	 * @throws IllegalArgumentException naming the option, the value received and the accepted keys
	 */
	static < E extends Enum< E > & Keyed > E parse(final Class< E > type, final String option, final String value) {
		final E e = find(type, value);
		if (e == null) throw new IllegalArgumentException(option + ": unknown value '" + value + "'; use one of " + String.join(", ", keys(type)) + ".");
		return e;
	}
}
