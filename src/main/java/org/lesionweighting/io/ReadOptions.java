package org.lesionweighting.io;

import org.lesionweighting.util.ProgressListener;

/**
 * Options of {@link VolumeIO#read(java.nio.file.Path, ReadOptions)}. Immutable; build with the
 * {@code with*} methods, e.g. {@code ReadOptions.DEFAULT.withRawValues(true)}.
 *
 * @param rawValues whether stored values are kept (scaling not applied)
 * @param progress the progress listener ({@code null} becomes {@link ProgressListener#NONE})
 * @param arrayLimit volumes with more voxels than this are read into a cell image; 1 to 2^31 - 65 (the default)
 * @param dataFilesAnywhere whether a MetaImage {@code ElementDataFile} may lie outside the header's folder
 */
public record ReadOptions(boolean rawValues, ProgressListener progress, long arrayLimit, boolean dataFilesAnywhere) {

	/**
	 * System property: {@code true} makes {@link #DEFAULT} read MetaImage data files outside the header's folder
	 * ({@code -Dlesionweighting.mhd.dataFilesAnywhere=true}); by default a {@code .mhd} may only name a data file
	 * in its own folder or below, not {@code ../../etc/passwd} or an absolute path.
	 */
	public static final String DATA_FILES_ANYWHERE_PROPERTY = "lesionweighting.mhd.dataFilesAnywhere";

	/** Apply NIfTI scaling, report no progress. */
	public static final ReadOptions DEFAULT = new ReadOptions(false, ProgressListener.NONE, Integer.MAX_VALUE - 64,
			Boolean.getBoolean(DATA_FILES_ANYWHERE_PROPERTY));

	/** Keep stored values (no {@code scl_slope}/{@code scl_inter}), e.g. for label images. */
	public static final ReadOptions RAW = DEFAULT.withRawValues(true);

	/**
	 * Checks the array limit (a Java array holds at most about 2^31 values).
	 *
	 * @throws IllegalArgumentException unless {@code arrayLimit} is in [1, 2^31 - 65]
	 */
	public ReadOptions {
		if (arrayLimit < 1 || arrayLimit > Integer.MAX_VALUE - 64)
			throw new IllegalArgumentException("ReadOptions: arrayLimit must be in [1, 2^31 - 65], but was " + arrayLimit + ".");
		progress = ProgressListener.orNone(progress);
	}

	/** A copy that reads MetaImage data files anywhere ({@code true}) or only in the header's folder or below. */
	public ReadOptions withDataFilesAnywhere(final boolean anywhere) {
		return new ReadOptions(rawValues, progress, arrayLimit, anywhere);
	}

	/** A copy that keeps stored values ({@code true}) or applies NIfTI scaling ({@code false}). */
	public ReadOptions withRawValues(final boolean raw) {
		return new ReadOptions(raw, progress, arrayLimit, dataFilesAnywhere);
	}

	/** A copy reporting progress to {@code listener} ({@code null} for none). */
	public ReadOptions withProgress(final ProgressListener listener) {
		return new ReadOptions(rawValues, listener, arrayLimit, dataFilesAnywhere);
	}

	/** For tests: a copy reading volumes above {@code maxVoxels} into cell images. */
	ReadOptions withArrayLimit(final long maxVoxels) {
		return new ReadOptions(rawValues, progress, maxVoxels, dataFilesAnywhere);
	}
}
