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

	/** Issue 15 item 4: a kill -9 during a save left a .part file that no later run removed. */
	@Test
	void staleTemporariesOfTheSameTargetAreRemovedOnTheNextWrite() throws Exception {
		final Process p = new ProcessBuilder("java", "-version").redirectErrorStream(true).start();
		p.getInputStream().readAllBytes();
		p.waitFor();
		final long deadPid = p.pid();
		final Path f = dir.resolve("c.nii.gz");
		final Path deadTagged = Files.writeString(dir.resolve(".c.nii.gz." + deadPid + "-1a2b.part"), "partial");
		final Path oldUntagged = Files.writeString(dir.resolve(".c.nii.gz.7f3e9a.part"), "partial of an older version");
		Files.setLastModifiedTime(oldUntagged,
				java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - (AtomicFiles.STALE_UNTAGGED_MINUTES + 1) * 60_000L));
		final Path freshUntagged = Files.writeString(dir.resolve(".c.nii.gz.7f3e9b.part"), "maybe being written");
		final Path liveTagged = Files.writeString(dir.resolve(".c.nii.gz." + ProcessHandle.current().parent().orElseThrow().pid() + "-99.part"),
				"being written by a running process");
		final Path otherTarget = Files.writeString(dir.resolve(".d.nii.gz." + deadPid + "-1a2b.part"), "another target's");
		AtomicFiles.writeString(f, "done");
		assertEquals("done", Files.readString(f));
		assertFalse(Files.exists(deadTagged), "the temporary of a process that no longer runs is removed");
		assertFalse(Files.exists(oldUntagged), "an old temporary without a process id is removed");
		assertTrue(Files.exists(freshUntagged), "a recent untagged temporary may belong to a running write");
		assertTrue(Files.exists(liveTagged), "a running process's temporary is kept");
		assertTrue(Files.exists(otherTarget), "only temporaries of the same target are cleaned");
	}
}
