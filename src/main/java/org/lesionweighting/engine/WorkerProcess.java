package org.lesionweighting.engine;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.lesionweighting.util.ProgressListener;

/**
 * Runs one engine job in a TensorFlow worker JVM ({@link WorkerClassPath#MAIN_CLASS}) and relays its
 * messages ({@link WorkerProtocol}): status and progress to a {@link ProgressListener}, log lines to a
 * consumer, training events ({@link TrainingEvent}) to an optional event consumer. Polls a cancel request
 * every {@value #POLL_MILLIS} ms; on cancel it sends the
 * {@value WorkerProtocol#CANCEL} line, waits up to the grace period ({@link WorkerSettings#graceSeconds()})
 * and then destroys the process. A worker that ends without a result (native crash, out of memory, killed)
 * gives a {@link WorkerException} naming the exit code and its last lines of standard error.
 * <pre>{@code
 * Map<String, Object> result = new WorkerProcess(WorkerSettings.fromEnvironment())
 *     .run(new DeviceReportJob(Device.CPU), listener, log::info, this::isCanceled, null);
 * }</pre>
 * Threading: {@link #run} blocks the caller; two daemon threads read the worker's output and end with it.
 */
public final class WorkerProcess {

	/** Interval at which the cancel request is polled. */
	public static final int POLL_MILLIS = 100;

	/** Lines of standard error kept for crash reports. */
	public static final int STDERR_LINES = 20;

	private final WorkerSettings settings;

	private volatile double lastCancelSeconds = Double.NaN;

	public WorkerProcess(final WorkerSettings settings) {
		if (settings == null) throw new IllegalArgumentException("WorkerProcess: settings must not be null; use WorkerSettings.fromEnvironment().");
		this.settings = settings;
	}

	/** Seconds from the last cancel request to the end of the worker process ({@code NaN} if none). */
	public double lastCancelSeconds() {
		return lastCancelSeconds;
	}

	/**
	 * JavaCPP option of the worker JVM: no limit on the process's physical memory. JavaCPP's default limit
	 * (twice the maximum heap) counts TensorFlow's native memory too, so a large job could fail with
	 * "Physical memory usage is too high" while the machine has memory to spare; and checking it reads the
	 * process's memory use at every native pointer allocation, which made building a training graph (many
	 * thousands of such allocations) about twice as slow here.
	 */
	public static final String NO_PHYSICAL_MEMORY_LIMIT = "-D" + WorkerSettings.JAVACPP_MAX_PHYSICAL_BYTES + "=0";

	/**
	 * The worker's command line: Java, {@code -Xmx} when set, {@link #NO_PHYSICAL_MEMORY_LIMIT}, the
	 * {@linkplain WorkerSettings#jvmOptions() extra JVM options}, the class path and the main class.
	 *
	 * @param classPath the class path ({@link WorkerClassPath#build})
	 */
	public List< String > command(final List< Path > classPath) {
		final List< String > cmd = new ArrayList<>(List.of(settings.java().toString()));
		if (settings.heap() != null) cmd.add("-Xmx" + settings.heap());
		cmd.addAll(List.of("-Djava.awt.headless=true", NO_PHYSICAL_MEMORY_LIMIT));
		cmd.addAll(settings.jvmOptions());
		cmd.addAll(List.of("-cp", WorkerClassPath.toString(classPath, File.pathSeparator), WorkerClassPath.MAIN_CLASS));
		return cmd;
	}

	/**
	 * TensorFlow's environment variable for the lowest severity it logs (0 INFO, 1 WARNING, 2 ERROR), read once
	 * by the native library; the worker gets {@value #TF_QUIET_LEVEL} (no INFO lines) unless this JVM's
	 * environment sets it.
	 */
	public static final String TF_LOG_LEVEL_VARIABLE = "TF_CPP_MIN_LOG_LEVEL";

	/** The worker's TensorFlow log level: warnings and errors, no INFO lines. */
	public static final String TF_QUIET_LEVEL = "1";

	/** The worker's process: {@link #command} with {@link #TF_LOG_LEVEL_VARIABLE} in its environment. */
	ProcessBuilder processBuilder(final List< Path > classPath) {
		final ProcessBuilder pb = new ProcessBuilder(command(classPath));
		pb.environment().putIfAbsent(TF_LOG_LEVEL_VARIABLE, TF_QUIET_LEVEL);
		return pb;
	}

	/**
	 * Runs a job in a new worker process and relays its events ({@link TrainingEvent}, read from the
	 * {@code history} and {@code validation} lines) to {@code events}.
	 *
	 * @param job the job, sent as {@link EngineJob#toJson}
	 * @param listener receives status and progress; may be {@code null}
	 * @param log receives the worker's log lines and warnings; may be {@code null}
	 * @param cancel polled; {@code true} asks the worker to stop; may be {@code null}
	 * @param events receives the events on the calling thread; may be {@code null} (events are then dropped).
	 *          A {@link RuntimeException} it throws is logged once and no further events are delivered; the
	 *          job goes on.
	 * @return the job's result object
	 * @throws CancellationException if the job was cancelled before producing a result
	 * @throws WorkerException if the job failed or the worker crashed
	 * @throws IllegalStateException if the worker cannot be started (no Java, TensorFlow jars not found)
	 */
	public Map< String, Object > run(final EngineJob job, final ProgressListener listener, final Consumer< String > log, final BooleanSupplier cancel,
			final Consumer< TrainingEvent > events) {
		final ProgressListener progress = ProgressListener.orNone(listener);
		final Consumer< String > logger = log == null ? s -> {} : log;
		final List< Path > classPath = WorkerClassPath.build(settings, WorkerProcess.class.getClassLoader(), System.getProperty("os.name", ""),
				System.getProperty("os.arch", ""));
		final Map< String, Object > message = job.toJson();
		message.put("protocol", WorkerProtocol.VERSION);
		final Process process;
		try {
			process = processBuilder(classPath).start();
		}
		catch (final IOException e) {
			throw new IllegalStateException("TensorFlow worker: cannot start " + settings.java() + " (" + e.getMessage() + "); set "
					+ WorkerSettings.JAVA_PROPERTY + " to a Java 11+ executable.", e);
		}
		final BlockingQueue< String > lines = new LinkedBlockingQueue<>();
		final String eof = new String("<eof>");
		final Deque< String > stderr = new ArrayDeque<>();
		reader("lesion-weighting worker stdout", process.getInputStream(), lines::add, () -> lines.add(eof));
		final Thread err = reader("lesion-weighting worker stderr", process.getErrorStream(), l -> {
			synchronized (stderr) {
				stderr.addLast(l);
				if (stderr.size() > STDERR_LINES) stderr.removeFirst();
			}
		}, () -> {});
		// a PrintWriter never throws: a worker that died at start is reported below with its exit code and standard error
		final PrintWriter stdin = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
		Map< String, Object > result = null;
		String error = null;
		boolean cancelled = false;
		long cancelAt = -1;
		Consumer< TrainingEvent > eventSink = events;
		try {
			stdin.print(WorkerProtocol.toLine(message) + "\n");
			stdin.flush();
			while (true) {
				final String line = lines.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
				if (line == eof) break;
				if (line != null) {
					final Map< String, Object > m = WorkerProtocol.parse(line);
					switch (m == null ? "" : String.valueOf(m.get("type"))) { // not a protocol line: default
						case "status" -> progress.status(String.valueOf(m.get("message")));
						case "progress" -> progress.progress(((Number) m.get("fraction")).doubleValue());
						case "log" -> logger.accept(String.valueOf(m.get("message")));
						case "result" -> result = asMap(m.get("result"));
						case "error" -> error = String.valueOf(m.get("message"));
						case "cancelled" -> cancelled = true;
						case TrainingEvent.HISTORY, TrainingEvent.VALIDATION -> {
							try {
								if (eventSink != null) eventSink.accept(TrainingEvent.fromMap(m));
							}
							catch (final RuntimeException e) {
								eventSink = null;
								logger.accept("TensorFlow worker: the training event receiver failed (" + e + "); the job goes on without events.");
							}
						}
						default -> logger.accept(line);
					}
				}
				if (cancelAt < 0 && cancel != null && cancel.getAsBoolean()) {
					cancelAt = System.nanoTime();
					progress.status("Cancelling the TensorFlow worker (up to " + settings.graceSeconds() + " s for its checkpoint)");
					stdin.print(WorkerProtocol.CANCEL + "\n");
					stdin.flush();
				}
				if (cancelAt >= 0 && (System.nanoTime() - cancelAt) * 1e-9 > settings.graceSeconds()) {
					logger.accept("TensorFlow worker: no exit " + settings.graceSeconds() + " s after the cancel request; destroying it.");
					process.destroyForcibly();
				}
			}
			final int code = process.waitFor();
			err.join(2000);
			if (cancelAt >= 0) lastCancelSeconds = (System.nanoTime() - cancelAt) * 1e-9;
			if (error != null) throw new WorkerException(error, code);
			if (result != null) return result;
			if (cancelled || cancelAt >= 0) throw new CancellationException("TensorFlow worker: cancelled");
			final List< String > tail;
			synchronized (stderr) {
				tail = new ArrayList<>(stderr);
			}
			throw new WorkerException("The TensorFlow worker ended without a result (exit code " + code + describe(code)
					+ "). Fiji is unaffected; the last lines it wrote to standard error:\n  " + (tail.isEmpty() ? "(none)" : String.join("\n  ", tail))
					+ "\nIf it ran out of memory, raise the worker heap (" + WorkerSettings.HEAP_PROPERTY + ") or lower the patch/batch size.", code);
		}
		catch (final InterruptedException e) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new CancellationException("TensorFlow worker: interrupted");
		}
		finally {
			if (process.isAlive()) process.destroyForcibly();
			stdin.close();
		}
	}

	/** A hint for well-known exit codes (signals are 128 + n). */
	static String describe(final int code) {
		return switch (code) {
			case 134 -> ", SIGABRT: the native library aborted";
			case 137 -> ", SIGKILL: killed, often by the system's out-of-memory killer";
			case 139 -> ", SIGSEGV: the native library crashed";
			default -> "";
		};
	}

	@SuppressWarnings("unchecked")
	private static Map< String, Object > asMap(final Object o) {
		return o instanceof Map ? (Map< String, Object >) o : new LinkedHashMap<>();
	}

	/** Starts a daemon thread that passes each UTF-8 line of {@code in} to {@code line} until the process ends, then runs {@code end}. */
	private static Thread reader(final String name, final InputStream in, final Consumer< String > line, final Runnable end) {
		final Thread t = new Thread(() -> {
			try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
				for (String l; (l = r.readLine()) != null;)
					line.accept(l);
			}
			catch (final IOException e) {
				// the process ended
			}
			finally {
				end.run();
			}
		}, name);
		t.setDaemon(true);
		t.start();
		return t;
	}
}
