package org.lesionweighting.label;

import java.util.List;

import org.lesionweighting.util.Keyed;

/**
 * Which neighbours of a voxel belong to the same lesion in 3D. In 2D (a volume of depth 1) SIX acts as
 * 4-connectivity and EIGHTEEN and TWENTY_SIX as 8-connectivity.
 */
public enum Connectivity implements Keyed {

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

	@Override
	public List< String > aliases() {
		return List.of(label);
	}

	@Override
	public String key() {
		return key;
	}

	/** The keys of all values, in order: {@code 6, 18, 26}. */
	public static String[] keys() {
		return Keyed.keys(Connectivity.class);
	}

	/**
	 * Parses a key ({@code "26"}), a display label, or an enum name ({@code "TWENTY_SIX"}).
	 *
	 * @throws IllegalArgumentException naming the value and the accepted ones
	 */
	public static Connectivity fromString(final String value) {
		return Keyed.parse(Connectivity.class, "connectivity", value);
	}
}
