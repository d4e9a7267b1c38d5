package org.lesionweighting.fiji.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;
import org.lesionweighting.fiji.CancelRequests;
import org.lesionweighting.fiji.CommandTestSupport;
import org.scijava.command.CommandModule;

/** Issue 15 item 11: the demo ignored the launcher's stop request (SIGTERM, Ctrl-C) and trained on. */
class LesionWeightingDemoCommandTest extends CommandTestSupport {

	/** Issue 13: on a platform without TensorFlow's native library the demo says so in one line, before any work. */
	@Test
	void onAPlatformWithoutTensorFlowTheDemoSaysWhatIsMissing() {
		final String os = System.getProperty("os.name"), arch = System.getProperty("os.arch");
		System.setProperty("os.name", "Mac OS X");
		System.setProperty("os.arch", "x86_64");
		final java.util.concurrent.ExecutionException e;
		try {
			e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
					() -> runCommand(LesionWeightingDemoCommand.class, "output", dir.resolve("out").toFile(), "quick", true));
		}
		finally {
			System.setProperty("os.name", os);
			System.setProperty("os.arch", arch);
		}
		assertTrue(
				messages(e)
						.contains(org.lesionweighting.engine.FijiPlatform.missingNative(org.lesionweighting.engine.FijiPlatform.MACOS64, "Mac OS X", "x86_64")),
				messages(e));
		assertFalse(Files.exists(dir.resolve("out")), "nothing was written");
	}

	@Test
	void aStopRequestCancelsTheDemoBeforeTraining() throws Exception {
		CancelRequests.requestAll("SIGTERM");
		try {
			final CommandModule m = runCommand(LesionWeightingDemoCommand.class, "output", dir.toFile(), "quick", true, "iterations", 4);
			assertTrue(m.isCanceled(), "cancelled");
			assertTrue(m.getCancelReason().contains("no report was written"), m.getCancelReason());
			assertFalse(Files.exists(dir.resolve("models")), "no loss was trained");
		}
		finally {
			CancelRequests.clearAll();
		}
	}
}
