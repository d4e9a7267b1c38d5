package org.lesionweighting.engine;

import java.util.Map;

import org.lesionweighting.util.Json;

/**
 * The line protocol between Fiji (the client) and the TensorFlow worker (see {@code doc/distribution.md}).
 * <ul>
 * <li>Client to worker, on the worker's standard input: first line = the job, one JSON object with a
 * {@code kind} ({@code train}, {@code segment}, {@code device_report}); later the line {@value #CANCEL}
 * asks the worker to stop (training writes a checkpoint first). End of input also means cancel.</li>
 * <li>Worker to client, on standard output: lines starting with {@value #PREFIX} followed by one JSON
 * object with a {@code type}: {@code status} ({@code message}), {@code progress} ({@code fraction}),
 * {@code log} ({@code level}, {@code message}), {@code result} ({@code result}: object), {@code error}
 * ({@code error}: exception class, {@code message}), {@code cancelled} ({@code message}); while a
 * {@code train} job runs also {@code history} ({@code rows}: {@code [[iteration, loss, learning_rate,
 * seconds], ...]}, {@code iterations_per_epoch}, {@code total_iterations}; one line at the start with the rows
 * restored on resume, then one line per iteration) and {@code validation} ({@code epoch}, {@code iteration},
 * {@code dice}), see {@link TrainingEvent}. Other lines
 * (e.g. native libraries writing to standard output) are forwarded as log lines. Standard error is free
 * text (TensorFlow's own log); the client keeps its last lines for crash reports.</li>
 * </ul>
 * Exit code 0 after {@code result} or {@code cancelled}; 1 after {@code error}; anything else is a crash.
 */
public final class WorkerProtocol {

	/** Prefix of every protocol line written by the worker. */
	public static final String PREFIX = "@lw ";

	/** The cancel request line. */
	public static final String CANCEL = "cancel";

	/** Protocol version, sent in every job as {@code protocol}. */
	public static final int VERSION = 1;

	private WorkerProtocol() {}

	/** A protocol line of type {@code type} with the given key/value pairs (alternating). */
	public static String line(final String type, final Object... keyValues) {
		final Map< String, Object > m = Json.object("type", type);
		m.putAll(Json.object(keyValues));
		return PREFIX + toLine(m);
	}

	/**
	 * {@code value} as JSON on one line ({@link Json#write} indents; JSON strings never hold a raw line break,
	 * so removing the line breaks and their indentation keeps the value).
	 */
	public static String toLine(final Object value) {
		return Json.write(value).replaceAll("\n *", "");
	}

	/**
	 * Parses a line of the worker's standard output.
	 *
	 * @return the message (with {@code type}), or {@code null} if the line is not a protocol line
	 */
	public static Map< String, Object > parse(final String line) {
		if (line == null || !line.startsWith(PREFIX)) return null;
		try {
			return Json.parseObject(line.substring(PREFIX.length()));
		}
		catch (final RuntimeException e) {
			return null;
		}
	}
}
