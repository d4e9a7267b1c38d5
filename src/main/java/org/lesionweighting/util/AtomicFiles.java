package org.lesionweighting.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a failure leaves no partial output: the content goes to a temporary file in the
 * target's folder, which is then renamed over the target (atomically where the file system allows).
 */
public final class AtomicFiles {

	/** Writes a file given its (temporary) path. */
	@FunctionalInterface
	public interface IOConsumer {

		/** Writes the complete content to {@code path}. */
		void accept(Path path) throws IOException;
	}

	private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

	private AtomicFiles() {}

	/**
	 * Calls {@code writer} with a temporary path next to {@code target}, then renames it to {@code target}.
	 * If the writer throws, the temporary file is deleted and {@code target} is left untouched.
	 *
	 * @throws IOException if the folder does not exist or is not writable (the message names it), or the
	 *           writer fails
	 */
	public static void write(final Path target, final IOConsumer writer) throws IOException {
		final Path abs = target.toAbsolutePath();
		final Path dir = abs.getParent();
		if (dir == null || !Files.isDirectory(dir)) throw new IOException("Cannot write " + abs + ": the folder " + dir + " does not exist. Create it first or choose another output path.");
		if (Files.isDirectory(abs)) throw new IOException("Cannot write " + abs + ": it is a folder. Give a file name.");
		final Path tmp;
		try {
			// createFile (not createTempFile) so that the result gets the usual umask permissions, not 0600
			tmp = Files.createFile(dir.resolve("." + abs.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".part"));
		}
		catch (final IOException e) {
			throw new IOException("Cannot write " + abs + ": the folder " + dir + " is not writable (" + e.getMessage() + ").", e);
		}
		boolean done = false;
		try {
			writer.accept(tmp);
			try {
				Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (final AtomicMoveNotSupportedException e) {
				Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
			}
			done = true;
		}
		finally {
			if (!done) Files.deleteIfExists(tmp);
		}
	}

	/** Writes {@code text} as UTF-8, atomically. */
	public static void writeString(final Path target, final String text) throws IOException {
		write(target, p -> Files.write(p, text.getBytes(StandardCharsets.UTF_8)));
	}
}
