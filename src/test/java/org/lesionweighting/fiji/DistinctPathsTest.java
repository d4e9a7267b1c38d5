package org.lesionweighting.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

/** Issue 15 item 1 and the .hdr output: refused before any work, inputs unchanged. */
class DistinctPathsTest extends CommandTestSupport {

	private Path mask() throws Exception {
		final Path m = dir.resolve("m.nii.gz");
		VolumeFiles.save(TestImages.mask(), m);
		return m;
	}

	private void assertRefused(final Class< ? extends org.scijava.command.Command > command, final Path input, final String expected, final Object... inputs)
			throws Exception {
		final byte[] before = Files.readAllBytes(input);
		final ExecutionException e = assertThrows(ExecutionException.class, () -> runCommand(command, inputs));
		assertTrue(messages(e).contains(expected), messages(e));
		assertArrayEquals(before, Files.readAllBytes(input), "the input is unchanged");
		try (var s = Files.list(input.getParent())) {
			assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary file remains");
		}
	}

	@Test
	void labelOutputThatIsTheInputIsRefused() throws Exception {
		final Path m = mask();
		assertRefused(LabelLesionsCommand.class, m, "is the input 'input'", "input", m.toFile(), "output", m.toFile());
	}

	@Test
	void outputReachingTheInputThroughDotDotOrASymlinkIsRefused() throws Exception {
		final Path m = mask();
		Files.createDirectories(dir.resolve("sub"));
		assertRefused(LabelLesionsCommand.class, m, "would destroy the input", "input", m.toFile(), "output", new File(dir + "/sub/../m.nii.gz"));
		final Path link = Files.createSymbolicLink(dir.resolve("link.nii.gz"), m);
		assertRefused(LesionWeightMapCommand.class, m, "would destroy the input", "input", m.toFile(), "output", link.toFile());
		final Path linkedDir = Files.createSymbolicLink(dir.resolve("linked"), dir);
		assertRefused(LesionWeightMapCommand.class, m, "would destroy the input", "input", linkedDir.resolve("m.nii.gz").toFile(), "output", m.toFile());
	}

	@Test
	void twoOutputsOnOneFileAreRefused() throws Exception {
		final Path m = mask();
		assertRefused(LabelLesionsCommand.class, m, "are the same file", "input", m.toFile(), "output", dir.resolve("x.csv").toFile(), "table",
				dir.resolve("x.csv").toFile());
	}

	@Test
	void hdrOutputIsRefusedBeforeTheWorkNamingTheTarget() throws Exception {
		final Path m = mask();
		final Path hdr = dir.resolve("labels.hdr");
		final ExecutionException e = assertThrows(ExecutionException.class,
				() -> runCommand(LabelLesionsCommand.class, "input", m.toFile(), "output", hdr.toFile(), "table", dir.resolve("t.csv").toFile()));
		assertTrue(messages(e).contains("Cannot write " + hdr + ": .hdr (NIfTI/Analyze pair) is read-only"), messages(e));
		assertFalse(messages(e).contains(".part"), "the message names the target, not a temporary file");
		assertFalse(Files.exists(dir.resolve("t.csv")), "no other output was written");
	}
}
