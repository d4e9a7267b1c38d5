package org.lesionweighting.app;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.lesionweighting.engine.WorkerProcess;

/**
 * Quiet TensorFlow runs: TensorFlow's native library writes INFO lines to standard error (one
 * "Calling Java gradient function ..." per Conv3D gradient, SavedModel loading, CPU features; 89 in the
 * quick demo), which bury the suite's progress lines.
 * <p>
 * TensorFlow reads its log level from the environment variable {@code TF_CPP_MIN_LOG_LEVEL} once, when it
 * logs the first time, and Java cannot set an environment variable of its own process. So the launcher's
 * {@code --run} and {@code --macro} start the launcher once more in a child JVM ({@link #relaunch}) with
 * {@code TF_CPP_MIN_LOG_LEVEL=1} (warnings and errors stay; {@link WorkerProcess#TF_QUIET_LEVEL}), and pass the
 * child's standard error through a filter that also drops the INFO lines of the libraries that log through
 * Abseil instead ({@link #isInfoLine}); standard input and output are the child's own. The worker JVM gets the
 * same variable ({@code WorkerProcess}). A signal to the launcher is passed on to the child, which stops
 * cleanly as without the relaunch, and the launcher exits with the child's code.
 * <p>
 * Not quiet: with {@code --debug}, or when {@code TF_CPP_MIN_LOG_LEVEL} is set already
 * ({@code TF_CPP_MIN_LOG_LEVEL=0} shows every line); then the launcher runs in its own JVM.
 */
final class TensorFlowLogs {

	/** Abseil's INFO format: {@code I1202 14:49:43.158065   5483 file.cc:401] text} (also {@code I0000 00:00:...}). */
	private static final Pattern ABSL_INFO = Pattern.compile("I\\d{4} \\d\\d:\\d\\d:\\d+\\.\\d+ +\\d+ [^ \\]]+:\\d+\\] .*");

	/** TensorFlow's own INFO format: {@code 2026-12-02 14:49:43.158065: I tensorflow/...] text}. */
	private static final Pattern TF_INFO = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+: I [^ \\]]+\\] .*");

	/** Abseil's one-time notice before its first message (not a message itself). */
	static final String ABSL_NOTICE = "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR";

	private TensorFlowLogs() {}

	/**
	 * Whether the launcher should run its arguments in a quiet child JVM: a {@code --run} or {@code --macro}
	 * (they may load TensorFlow), no {@code --debug}, and no {@code TF_CPP_MIN_LOG_LEVEL} in the environment.
	 */
	static boolean relaunchWanted(final String[] args, final Map< String, String > environment) {
		final List< String > a = Arrays.asList(args);
		return !environment.containsKey(WorkerProcess.TF_LOG_LEVEL_VARIABLE) && !a.contains("--debug") && (a.contains("--run") || a.contains("--macro"));
	}

	/** Whether a line of standard error is an INFO line of TensorFlow's native library or Abseil's notice. */
	static boolean isInfoLine(final String line) {
		return ABSL_INFO.matcher(line).matches() || TF_INFO.matcher(line).matches() || line.equals(ABSL_NOTICE);
	}

	/**
	 * Runs {@code mainClass} with {@code args} in a child JVM with {@code TF_CPP_MIN_LOG_LEVEL=1} and filtered
	 * standard error, and waits for it. A stop signal to this JVM (SIGINT, SIGTERM) is passed on as
	 * SIGTERM; this JVM then waits for the child, at most {@code graceSeconds} plus 30 s, and halts with its code.
	 *
	 * @param mainClass the class to run
	 * @param args its arguments
	 * @param graceSeconds how long the child may take to stop after a signal
	 * @return the child's exit code, or {@code null} when the child JVM cannot be started
	 */
	static Integer relaunch(final String mainClass, final String[] args, final int graceSeconds) {
		// this JVM's Java, JVM options and class path
		final List< String > cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
		cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
		cmd.addAll(Arrays.asList(args));
		final ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT).redirectOutput(ProcessBuilder.Redirect.INHERIT);
		pb.environment().put(WorkerProcess.TF_LOG_LEVEL_VARIABLE, WorkerProcess.TF_QUIET_LEVEL);
		final Process child;
		try {
			child = pb.start();
		}
		catch (final IOException e) {
			return null;
		}
		final Thread pump = new Thread(() -> copyFiltered(child.getErrorStream(), System.err), "lesion-weighting stderr filter");
		pump.setDaemon(true);
		pump.start();
		final Thread forward = new Thread(() -> {
			if (!child.isAlive()) return;
			// SIGTERM: the child's own hook cancels the command cleanly; unlike Process.destroy() it leaves the child's
			// standard error open for its last lines
			child.toHandle().destroy();
			try {
				final boolean ended = child.waitFor(graceSeconds + 30L, TimeUnit.SECONDS);
				pump.join(5_000);
				System.err.flush();
				Runtime.getRuntime().halt(ended ? child.exitValue() : Launcher.EXIT_FAILED);
			}
			catch (final InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}, "lesion-weighting signal forward");
		Runtime.getRuntime().addShutdownHook(forward);
		try {
			final int code = child.waitFor();
			pump.join();
			return code;
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			child.destroy();
			return Launcher.EXIT_FAILED;
		}
		finally {
			try {
				Runtime.getRuntime().removeShutdownHook(forward);
			}
			catch (final IllegalStateException e) {
				// shutting down already: the hook passes the signal on
			}
		}
	}

	/**
	 * Copies {@code in} to {@code out} line by line, dropping {@link #isInfoLine} lines; a line ends at
	 * {@code \n} (kept) and anything else is passed on when the stream ends.
	 */
	static void copyFiltered(final InputStream in, final OutputStream out) {
		final ByteArrayOutputStream line = new ByteArrayOutputStream();
		try (InputStream buffered = new BufferedInputStream(in)) {
			for (int b; (b = buffered.read()) >= 0;) {
				line.write(b);
				if (b == '\n') flushLine(line, out);
			}
			flushLine(line, out);
		}
		catch (final IOException e) {
			// the child ended
		}
	}

	private static void flushLine(final ByteArrayOutputStream line, final OutputStream out) throws IOException {
		if (line.size() == 0) return;
		final String text = line.toString(StandardCharsets.UTF_8).stripTrailing();
		if (!isInfoLine(text)) {
			line.writeTo(out);
			out.flush();
		}
		line.reset();
	}
}
