package org.lesionweighting.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

	@TempDir
	Path dir;

	@Test
	void writesAndReplaces() throws IOException {
		final Path f = dir.resolve("a.txt");
		AtomicFiles.writeString(f, "one");
		AtomicFiles.writeString(f, "two");
		assertEquals("two", Files.readString(f));
		if (f.getFileSystem().supportedFileAttributeViews().contains("posix")) {
			final Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
			assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f), "same permissions as a plain write (umask), not 0600");
			Files.delete(plain);
		}
		try (Stream< Path > s = Files.list(dir)) {
			assertEquals(1, s.count(), "no temporary file may remain");
		}
	}

	@Test
	void failedWriterLeavesNothing() throws IOException {
		final Path f = dir.resolve("b.txt");
		assertThrows(IOException.class, () -> AtomicFiles.write(f, p -> {
			Files.writeString(p, "partial");
			throw new IOException("boom");
		}));
		try (Stream< Path > s = Files.list(dir)) {
			assertEquals(0, s.count());
		}
		assertFalse(Files.exists(f));
	}

	@Test
	void missingFolderIsNamed() {
		final Path f = dir.resolve("nope/c.txt");
		final IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(f, "x"));
		assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
	}
}
