package org.lesionweighting.engine;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.lesionweighting.util.Exceptions;
import org.lesionweighting.util.Json;
import org.lesionweighting.util.ProgressListener;

/**
 * Main class of the TensorFlow worker JVM started by the Fiji commands ({@code engine.WorkerProcess}):
 * reads one job (a JSON line) from standard input, runs it with {@link EngineJobs#run}, and streams
 * {@link WorkerProtocol} messages to standard output (training events as {@code history} and {@code validation}
 * lines, the restored history of a resumed run in one line); a {@value WorkerProtocol#CANCEL} line (or the end of
 * standard input, e.g. when Fiji dies) cancels. Anything else that writes to {@code System.out} is
 * redirected to standard error so that the protocol stays clean.
 * <p>
 * Exit codes: 0 after a result or a cancellation, 1 after an error, 2 for a bad job line.
 */
public final class EngineWorker {

	private EngineWorker() {}

	/** Runs one job and exits. */
	public static void main(final String[] args) throws Exception {
		System.setProperty("java.awt.headless", "true");
		final PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
		System.setOut(System.err);
		final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		final String first = in.readLine();
		final Map< String, Object > job;
		try {
			job = Json.parseObject(first == null ? "" : first);
		}
		catch (final RuntimeException e) {
			send(protocol, WorkerProtocol.line("error", "error", "IllegalArgumentException", "message",
					"TensorFlow worker: the first input line must be a JSON job object, but was: " + first));
			System.exit(2);
			return;
		}
		final AtomicBoolean cancel = new AtomicBoolean();
		final Thread watcher = new Thread(() -> {
			try {
				for (String l; (l = in.readLine()) != null;)
					if (l.trim().equals(WorkerProtocol.CANCEL)) break;
			}
			catch (final Exception e) {
				// closed input = cancel
			}
			cancel.set(true);
		}, "lesion-weighting worker stdin");
		watcher.setDaemon(true);
		watcher.start();
		final ProgressListener listener = new ProgressListener() {

			@Override
			public void status(final String message) {
				send(protocol, WorkerProtocol.line("status", "message", message));
			}

			@Override
			public void progress(final double fraction) {
				send(protocol, WorkerProtocol.line("progress", "fraction", fraction));
			}
		};
		int code = 0; // after a result or a cancellation
		try {
			final Map< String, Object > result = EngineJobs.run(EngineJob.fromJson(job), listener,
					m -> send(protocol, WorkerProtocol.line("log", "level", "warn", "message", m)), cancel::get,
					event -> send(protocol, WorkerProtocol.PREFIX + WorkerProtocol.toLine(event.toMap())));
			send(protocol, WorkerProtocol.line("result", "result", result));
		}
		catch (final CancellationException e) {
			send(protocol, WorkerProtocol.line("cancelled", "message", String.valueOf(e.getMessage())));
		}
		catch (final Throwable e) {
			send(protocol, WorkerProtocol.line("error", "error", e.getClass().getSimpleName(), "message", Exceptions.message(e)));
			e.printStackTrace(System.err);
			code = 1;
		}
		protocol.flush();
		System.exit(code);
	}

	private static synchronized void send(final PrintStream out, final String line) {
		out.println(line);
	}
}
