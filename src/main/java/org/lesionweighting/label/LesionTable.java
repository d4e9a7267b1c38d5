package org.lesionweighting.label;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.lesionweighting.util.AtomicFiles;

/**
 * The lesion table: one {@link Lesion} row per label, sorted by label, plus the voxel size it was
 * measured with. Immutable.
 * <p>
 * CSV columns ({@link #COLUMNS}), comma-separated, one header line, numbers in {@link Locale#ROOT}
 * (doubles with full precision, {@code true}/{@code false} for the flag):
 * {@code label, voxel_count, volume, diameter_voxels, diameter, centroid_x, centroid_y, centroid_z,
 * centroid_x_cal, centroid_y_cal, centroid_z_cal, bbox_min_x, bbox_min_y, bbox_min_z, bbox_max_x,
 * bbox_max_y, bbox_max_z, touches_border}.
 *
 * @param rows the rows, sorted by label
 * @param voxelSize the voxel size {x, y, z} the volumes were computed with
 */
public record LesionTable(List< Lesion > rows, double[] voxelSize) {

	/** The CSV column names, in order. */
	public static final List< String > COLUMNS = List.of("label", "voxel_count", "volume", "diameter_voxels", "diameter", "centroid_x", "centroid_y",
			"centroid_z", "centroid_x_cal", "centroid_y_cal", "centroid_z_cal", "bbox_min_x", "bbox_min_y", "bbox_min_z", "bbox_max_x", "bbox_max_y",
			"bbox_max_z", "touches_border");

	/** Copies the rows (kept in the given order, unmodifiable) and the voxel size. */
	public LesionTable {
		rows = List.copyOf(rows);
		voxelSize = voxelSize.clone();
	}

	public int size() {
		return rows.size();
	}

	/** A copy of the voxel size {x, y, z}. */
	@Override
	public double[] voxelSize() {
		return voxelSize.clone();
	}

	/** The row of {@code label}, or {@code null} when no row has it (binary search over rows sorted by label, else a scan). */
	public Lesion get(final long label) {
		int lo = 0, hi = rows.size() - 1;
		while (lo <= hi) {
			final int mid = (lo + hi) >>> 1;
			final long v = rows.get(mid).label();
			if (v < label) lo = mid + 1;
			else if (v > label) hi = mid - 1;
			else
				return rows.get(mid);
		}
		return rows.stream().filter(l -> l.label() == label).findFirst().orElse(null);
	}

	/** The total lesion volume in calibrated units. */
	public double totalVolume() {
		// a plain left-to-right sum (DoubleStream.sum would compensate and round differently)
		return rows.stream().mapToDouble(Lesion::volume).reduce(0, Double::sum);
	}

	/** The table as CSV text (header line + one line per row, each ending with {@code \n}). */
	public String toCsv() {
		final StringBuilder sb = new StringBuilder(64 + rows.size() * 160);
		sb.append(String.join(",", COLUMNS)).append('\n');
		for (final Lesion l : rows) {
			sb.append(l.label()).append(',').append(l.voxelCount()).append(',').append(l.volume()).append(',').append(l.diameterVoxels()).append(',')
					.append(l.diameter());
			Stream.of(l.centroid(), l.centroidCalibrated()).flatMapToDouble(Arrays::stream).forEach(c -> sb.append(',').append(c));
			LongStream.concat(Arrays.stream(l.bboxMin()), Arrays.stream(l.bboxMax())).forEach(c -> sb.append(',').append(c));
			sb.append(',').append(l.touchesBorder()).append('\n');
		}
		return sb.toString();
	}

	/**
	 * Writes {@link #toCsv()} to {@code file} atomically with {@link AtomicFiles}: through a temporary file
	 * in the same folder that is renamed onto the target, so a failure leaves no partial file.
	 *
	 * @throws IOException if the folder does not exist or is not writable
	 */
	public void writeCsv(final Path file) throws IOException {
		AtomicFiles.writeString(file, toCsv());
	}

	@Override
	public String toString() {
		return "LesionTable[" + rows.size() + " lesions, total volume " + totalVolume() + "]";
	}
}
