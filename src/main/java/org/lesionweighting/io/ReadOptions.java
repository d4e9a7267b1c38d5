package org.lesionweighting.io;

import org.lesionweighting.util.ProgressListener;

/**
 * Options of {@link VolumeIO#read(java.nio.file.Path, ReadOptions)}. Immutable; build with the
 * {@code with*} methods, e.g. {@code ReadOptions.DEFAULT.withRawValues(true)}.
 */
public final class ReadOptions {

	/** Apply NIfTI scaling, report no progress. */
	public static final ReadOptions DEFAULT = new ReadOptions(false, ProgressListener.NONE, Integer.MAX_VALUE - 64);

	/** Keep stored values (no {@code scl_slope}/{@code scl_inter}), e.g. for label images. */
	public static final ReadOptions RAW = DEFAULT.withRawValues(true);

	private final boolean rawValues;
	private final ProgressListener progress;
	private final long arrayLimit;

	private ReadOptions(final boolean rawValues, final ProgressListener progress, final long arrayLimit) {
		this.rawValues = rawValues;
		this.progress = ProgressListener.orNone(progress);
		this.arrayLimit = arrayLimit;
	}

	/** Whether stored values are kept (scaling not applied). */
	public boolean rawValues() {
		return rawValues;
	}

	/** The progress listener (never null). */
	public ProgressListener progress() {
		return progress;
	}

	/** Volumes with more voxels than this are read into a cell image (2^31 - 65 by default). */
	long arrayLimit() {
		return arrayLimit;
	}

	/** A copy that keeps stored values ({@code true}) or applies NIfTI scaling ({@code false}). */
	public ReadOptions withRawValues(final boolean raw) {
		return new ReadOptions(raw, progress, arrayLimit);
	}

	/** A copy reporting progress to {@code listener} ({@code null} for none). */
	public ReadOptions withProgress(final ProgressListener listener) {
		return new ReadOptions(rawValues, listener, arrayLimit);
	}

	/** For tests: a copy reading volumes above {@code maxVoxels} into cell images. */
	ReadOptions withArrayLimit(final long maxVoxels) {
		return new ReadOptions(rawValues, progress, maxVoxels);
	}
}
