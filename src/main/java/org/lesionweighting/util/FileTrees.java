package org.lesionweighting.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folder trees on disk. Thread-safe (stateless). */
public final class FileTrees {

	private FileTrees() {}

	/**
	 * Deletes a file or a folder with everything in it; nothing happens when it does not exist.
	 *
	 * @param p the file or folder, or null
	 * @throws IOException if an entry cannot be deleted (the ones before it are gone)
	 */
	public static void deleteTree(final Path p) throws IOException {
		if (p == null || !Files.exists(p)) return;
		try (Stream< Path > s = Files.walk(p)) {
			s.sorted(Comparator.reverseOrder()).forEach(q -> {
				try {
					Files.deleteIfExists(q);
				}
				catch (final IOException e) {
					throw new UncheckedIOException(e);
				}
			});
		}
		catch (final UncheckedIOException e) {
			throw e.getCause();
		}
	}
}
