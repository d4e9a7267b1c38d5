package org.lesionweighting.label;

import java.util.Arrays;

/**
 * Which neighbours of a voxel belong to the same lesion in 3D. In 2D (a volume of depth 1) SIX acts as
 * 4-connectivity and EIGHTEEN and TWENTY_SIX as 8-connectivity.
 */
public enum Connectivity {

	/** Voxels sharing a face. */
	SIX("6", "6 (faces)"),
	/** Voxels sharing a face or an edge. */
	EIGHTEEN("18", "18 (faces and edges)"),
	/** Voxels sharing a face, an edge or a corner: full connectivity, as the paper uses. */
	TWENTY_SIX("26", "26 (faces, edges and corners)");

	private final String key;

	private final String label;

	Connectivity(final String key, final String label) {
		this.key = key;
		this.label = label;
	}

	/** The short key used in macros and on the command line: {@code "6"}, {@code "18"} or {@code "26"}. */
	public String key() {
		return key;
	}

	/** The display label of dialogs. */
	public String label() {
		return label;
	}

	/** The keys of all values, in order: {@code 6, 18, 26}. */
	public static String[] keys() {
		return Arrays.stream(values()).map(Connectivity::key).toArray(String[]::new);
	}

	/**
	 * Parses a key ({@code "26"}), a display label, or an enum name ({@code "TWENTY_SIX"}).
	 *
	 * @throws IllegalArgumentException naming the value and the accepted ones
	 */
	public static Connectivity fromString(final String value) {
		if (value != null) {
			final String v = value.trim();
			for (final Connectivity c : values()) {
				if (c.key.equals(v) || c.label.equalsIgnoreCase(v) || c.name().equalsIgnoreCase(v)) return c;
			}
		}
		throw new IllegalArgumentException("connectivity: unknown value '" + value + "'; use one of " + String.join(", ", keys()) + ".");
	}
}
