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
