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

	/** Regression: a status per training iteration printed the progress line again after every status line. */
	@Test
	void aStatusPerStepDoesNotRepeatTheProgressLine() {
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		final ProgressListener p = StatusProgress.toStream(new PrintStream(bytes, true, StandardCharsets.UTF_8));
		for (int i = 1; i <= 20; i++) {
			p.status("Iteration " + i + "/20");
			p.progress(i / 20.0);
		}
		p.status("Exporting");
		p.progress(0);
		p.progress(1);
		final List< String > lines = List.of(bytes.toString(StandardCharsets.UTF_8).split("\n"));
		assertEquals(20 + 11 + 3, lines.size(), "20 iteration lines, 0 %..100 % once each, the new phase's status, its 0 % and 100 %");
		assertEquals(List.of("Iteration 1/20", "  0 % Iteration 1/20", "Iteration 2/20", "  10 % Iteration 2/20", "Iteration 3/20", "Iteration 4/20",
				"  20 % Iteration 4/20"), lines.subList(0, 7));
		assertEquals(List.of("Exporting", "  0 % Exporting", "  100 % Exporting"), lines.subList(31, 34));
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
