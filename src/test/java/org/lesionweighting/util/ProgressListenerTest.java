package org.lesionweighting.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class ProgressListenerTest {

	@Test
	void cancellableForwardsAndStopsAfterTheProgressReportOnceCancelled() {
		final List< String > seen = new ArrayList<>();
		final AtomicBoolean cancel = new AtomicBoolean();
		final ProgressListener p = ProgressListener.cancellable(new ProgressListener() {

			@Override
			public void status(final String message) {
				seen.add(message);
			}

			@Override
			public void progress(final double fraction) {
				seen.add("" + fraction);
			}
		}, cancel::get, "Segment Lesions");
		p.status("windows");
		p.progress(0.25);
		cancel.set(true);
		p.status("still told");
		final CancellationException e = assertThrows(CancellationException.class, () -> p.progress(0.5));
		assertEquals("Segment Lesions: cancelled", e.getMessage());
		assertEquals(List.of("windows", "0.25", "still told", "0.5"), seen, "the report that sees the cancel is still delivered");
	}

	@Test
	void cancellableAcceptsNoDelegate() {
		final ProgressListener p = ProgressListener.cancellable(null, () -> true, "op");
		p.status("x");
		assertThrows(CancellationException.class, () -> p.progress(1));
	}
}
