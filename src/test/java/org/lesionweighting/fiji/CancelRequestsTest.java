package org.lesionweighting.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.event.KeyEvent;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.scijava.command.ContextCommand;

import ij.IJ;

class CancelRequestsTest {

	private static final class Idle extends ContextCommand {

		@Override
		public void run() {}
	}

	@AfterEach
	void clear() {
		CancelRequests.clearAll();
		IJ.resetEscape();
		Thread.interrupted();
	}

	@Test
	void nothingRequestedMeansGoOn() {
		assertFalse(CancelRequests.of(new Idle()).getAsBoolean());
	}

	@Test
	void sciJavaCancellationStops() {
		final Idle c = new Idle();
		final BooleanSupplier r = CancelRequests.of(c);
		c.cancel("user");
		assertTrue(r.getAsBoolean());
	}

	@Test
	void escapeStopsButAnEarlierEscapeDoesNot() {
		IJ.setKeyDown(KeyEvent.VK_ESCAPE);
		final BooleanSupplier r = CancelRequests.of(new Idle());
		assertFalse(r.getAsBoolean(), "an Esc pressed before the run started is forgotten");
		IJ.setKeyDown(KeyEvent.VK_ESCAPE);
		assertTrue(r.getAsBoolean());
	}

	@Test
	void aProcessWideRequestStopsEveryCommandAndKeepsTheFirstReason() {
		final BooleanSupplier a = CancelRequests.of(new Idle()), b = CancelRequests.of(new Idle());
		assertNull(CancelRequests.allReason());
		CancelRequests.requestAll("SIGTERM");
		CancelRequests.requestAll("later");
		assertTrue(a.getAsBoolean());
		assertTrue(b.getAsBoolean());
		assertEquals("SIGTERM", CancelRequests.allReason());
		CancelRequests.clearAll();
		assertFalse(a.getAsBoolean());
	}

	@Test
	void anInterruptOfThePollingThreadStops() {
		final BooleanSupplier r = CancelRequests.of(new Idle());
		Thread.currentThread().interrupt();
		assertTrue(r.getAsBoolean());
	}

	@Test
	void aMissingCommandIsRejected() {
		assertThrows(IllegalArgumentException.class, () -> CancelRequests.of(null));
	}
}
