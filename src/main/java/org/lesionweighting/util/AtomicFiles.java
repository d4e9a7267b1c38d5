package org.lesionweighting.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
		if (dir == null || !Files.isDirectory(dir))
			throw new IOException("Cannot write " + abs + ": the folder " + dir + " does not exist. Create it first or choose another output path.");
		if (Files.isDirectory(abs)) throw new IOException("Cannot write " + abs + ": it is a folder. Give a file name.");
		final Path tmp = temporary(abs);
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

	/**
	 * Creates the empty temporary file {@code .<name>.<pid>-<random>.part} next to {@code target}, after deleting
	 * the stale temporaries of the same target that earlier runs left behind (a process killed while writing):
	 * those of processes that no longer run, and those without a process id (older versions) unchanged for
	 * {@value #STALE_UNTAGGED_MINUTES} minutes. Unlike {@code Files.createTempFile} (owner-only permissions), the
	 * file gets the default permissions of new files (umask), which the renamed output keeps.
	 *
	 * @param target the absolute path of the file that will be written
	 * @throws IOException if the folder is not writable (the message names it)
	 */
	public static Path temporary(final Path target) throws IOException {
		final Path dir = target.getParent();
		final String prefix = "." + target.getFileName() + ".";
		deleteStale(dir, prefix);
		for (int attempt = 0;; attempt++) {
			final Path tmp = dir.resolve(prefix + PID + "-" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE) + SUFFIX);
			try {
				return Files.createFile(tmp);
			}
			catch (final FileAlreadyExistsException e) {
				if (attempt > 100) throw e;
			}
			catch (final IOException e) {
				throw new IOException("Cannot write " + target + ": the folder " + dir + " is not writable (" + e.getMessage() + ").", e);
			}
		}
	}

	/** Minutes after which a temporary without a process id in its name counts as stale. */
	public static final int STALE_UNTAGGED_MINUTES = 10;

	private static final String SUFFIX = ".part";

	private static final long PID = ProcessHandle.current().pid();

	/** {@code <pid>-<random>}; at most 18 digits, so that the pid always parses as a long. */
	private static final Pattern TAGGED = Pattern.compile("(\\d{1,18})-[0-9a-f]+");

	private static void deleteStale(final Path dir, final String prefix) {
		try (DirectoryStream< Path > s = Files.newDirectoryStream(dir, p -> {
			final String n = p.getFileName().toString();
			return n.startsWith(prefix) && n.endsWith(SUFFIX) && n.length() > prefix.length() + SUFFIX.length();
		})) {
			for (final Path p : s) {
				final String n = p.getFileName().toString();
				if (isStale(p, n.substring(prefix.length(), n.length() - SUFFIX.length()))) Files.deleteIfExists(p);
			}
		}
		catch (final IOException | UncheckedIOException e) {
			// cleaning is best effort; the write itself reports a folder that cannot be written
		}
	}

	private static boolean isStale(final Path p, final String tag) throws IOException {
		final Matcher m = TAGGED.matcher(tag);
		if (m.matches()) {
			final long pid = Long.parseLong(m.group(1));
			return pid != PID && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
		}
		if (!tag.matches("[0-9a-f]+")) return false;
		final long age = System.currentTimeMillis() - Files.getLastModifiedTime(p).toMillis();
		return age > STALE_UNTAGGED_MINUTES * 60_000L;
	}

	/** Writes {@code text} as UTF-8, atomically. */
	public static void writeString(final Path target, final String text) throws IOException {
		write(target, p -> Files.write(p, text.getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * Deletes a file or a folder with everything in it; nothing when it does not exist or is {@code null}.
	 *
	 * @throws IOException if something cannot be deleted (what was deleted before stays deleted)
	 */
	public static void deleteTree(final Path p) throws IOException {
		if (p == null || !Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
		try (java.util.stream.Stream< Path > s = Files.walk(p)) {
			for (final Path q : (Iterable< Path >) s.sorted(java.util.Comparator.reverseOrder())::iterator)
				Files.deleteIfExists(q);
		}
	}
}
