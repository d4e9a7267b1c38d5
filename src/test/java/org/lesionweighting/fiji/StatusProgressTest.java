package org.lesionweighting.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lesionweighting.util.ProgressListener;
import org.scijava.app.StatusService;
import org.scijava.app.event.StatusEvent;

class StatusProgressTest {

	@Test
	void streamPrintsStatusOnceAndProgressInTenths() {
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		final ProgressListener p = StatusProgress.toStream(new PrintStream(bytes, true, StandardCharsets.UTF_8));
		p.status("Labeling");
		p.status("Labeling");
		for (int i = 0; i <= 100; i++)
			p.progress(i / 100.0);
		final String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
		assertEquals("Labeling", lines[0]);
		assertEquals(12, lines.length, "one status line and 0 %, 10 %, ..., 100 %");
		assertEquals("  100 % Labeling", lines[11]);
	}

	@Test
	void statusServiceReceivesStatusAndProgressInThousandths() {
		final List< String > calls = new ArrayList<>();
		final StatusService service = new RecordingStatusService(calls);
		final ProgressListener p = StatusProgress.of(service);
		p.status("Weighting");
		p.progress(0.25);
		p.progress(2);
		assertEquals(List.of("status Weighting", "progress 250/1000", "progress 1000/1000"), calls);
	}

	/** Records calls; only the two methods StatusProgress uses are meaningful. */
	private static final class RecordingStatusService extends org.scijava.service.AbstractService implements StatusService {

		private final List< String > calls;

		RecordingStatusService(final List< String > calls) {
			this.calls = calls;
		}

		@Override
		public void showProgress(final int value, final int maximum) {
			calls.add("progress " + value + "/" + maximum);
		}

		@Override
		public void showStatus(final String message) {
			calls.add("status " + message);
		}

		@Override
		public void showStatus(final int progress, final int maximum, final String message) {}

		@Override
		public void showStatus(final int progress, final int maximum, final String message, final boolean warn) {}

		@Override
		public void warn(final String message) {}

		@Override
		public void clearStatus() {}

		@Override
		public String getStatusMessage(final String appName, final StatusEvent statusEvent) {
			return statusEvent.getStatusMessage();
		}
	}
}
