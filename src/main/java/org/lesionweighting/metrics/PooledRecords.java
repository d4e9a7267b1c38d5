package org.lesionweighting.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pools the records files of a folder image by image, and refuses two files that claim the same image id
 * with different records: they are two images under one name (e.g. {@code p07/mask.nii.gz} and
 * {@code p19/mask.nii.gz} both evaluated as {@code mask}), which would be merged into one image. A file whose
 * records of an image equal those already read (a copy) adds nothing.
 */
final class PooledRecords {

	private record Source(Path file, List< LesionRecord > records) {}

	private final Map< String, Source > byImage = new LinkedHashMap<>();

	/**
	 * Adds the records of one file.
	 *
	 * @throws IOException naming the image id and both files if the id was read before with other records
	 */
	void add(final Path file, final List< LesionRecord > records) throws IOException {
		final Map< String, List< LesionRecord > > own = new LinkedHashMap<>();
		for (final LesionRecord r : records)
			own.computeIfAbsent(r.image(), k -> new ArrayList<>()).add(r);
		for (final Map.Entry< String, List< LesionRecord > > e : own.entrySet()) {
			final Source before = byImage.get(e.getKey());
			if (before == null) byImage.put(e.getKey(), new Source(file, e.getValue()));
			else if (!before.records.equals(e.getValue()))
				throw new IOException("RecordsCsv.read: the image id '" + e.getKey() + "' is in " + before.file + " and in " + file
						+ " with different records: two images with one id would be pooled as one. Evaluate them again with distinct image_id values (the default id includes the case folder).");
		}
	}

	/** All records, image by image in the order first read. */
	List< LesionRecord > records() {
		final List< LesionRecord > all = new ArrayList<>();
		for (final Source s : byImage.values())
			all.addAll(s.records);
		return all;
	}
}
