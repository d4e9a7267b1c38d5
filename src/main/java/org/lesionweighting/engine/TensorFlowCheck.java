package org.lesionweighting.engine;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Which TensorFlow a class loader would give the suite, found without loading any {@code org.tensorflow}
 * class (resource look-ups only, so that the check itself cannot trigger a native-library clash).
 * <p>
 * TensorFlow Java 1.1.0 is recognised by its jar name {@code tensorflow-core-api-1.1.0.jar}. Any other jar
 * that defines {@code org/tensorflow/TensorFlow.class} (for example {@code libtensorflow-1.15.0.jar} of
 * CSBDeep, N2V or StarDist) is <em>foreign</em>: its classes share names with TensorFlow Java's, and two
 * TensorFlow native runtimes in one JVM abort the process (ECOSYSTEM.md §2).
 * <pre>{@code
 * TensorFlowCheck.Status s = TensorFlowCheck.inspect(getClass().getClassLoader());
 * if (s.foreign()) log.warn(s.message());
 * }</pre>
 */
public final class TensorFlowCheck {

	/** The resource probed for. */
	public static final String TENSORFLOW_CLASS = "org/tensorflow/TensorFlow.class";

	/** The jar name of the TensorFlow Java version the suite is built for. */
	public static final String EXPECTED_JAR = "tensorflow-core-api-1.1.0.jar";

	private TensorFlowCheck() {}

	/**
	 * What was found.
	 *
	 * @param ours locations of TensorFlow Java 1.1.0 ({@link #EXPECTED_JAR}, or a class folder of it)
	 * @param foreign locations of other jars that define {@code org.tensorflow.TensorFlow}
	 */
	public record Status(List< String > ours, List< String > foreignJars) {

		/** Whether TensorFlow Java 1.1.0 is loadable and nothing foreign is present. */
		public boolean usable() {
			return !ours.isEmpty() && foreignJars.isEmpty();
		}

		/** Whether a foreign TensorFlow jar is present. */
		public boolean foreign() {
			return !foreignJars.isEmpty();
		}

		/** A user-facing explanation: what was found and how to fix it; empty when {@link #usable()}. */
		public String message() {
			if (usable()) return "";
			if (foreign())
				return "A foreign TensorFlow is on Fiji's class path: " + String.join(", ", foreignJars)
						+ " defines org.tensorflow.TensorFlow but is not TensorFlow Java 1.1.0 (" + EXPECTED_JAR
						+ "). It is usually the TensorFlow 1 jar of CSBDeep, N2V or StarDist; its classes share "
						+ "names with TensorFlow Java, and two TensorFlow native runtimes in one JVM abort Fiji. "
						+ "Fix: run the engine in the worker (engine=worker, or engine=auto, which does so), or "
						+ "remove that jar from Fiji's jars/ folder (and the update site that installs it) if you do " + "not need those plugins.";
			return "TensorFlow Java 1.1.0 is not on this JVM's class path (Fiji keeps it in lib/" + WorkerClassPath.FIJI_FOLDER
					+ "/ on purpose); the engine runs in the worker (engine=worker or auto).";
		}
	}

	/**
	 * Inspects the TensorFlow visible through {@code loader}.
	 *
	 * @param loader the class loader whose view is checked (Fiji's: the command's own loader)
	 * @return the jars found; never {@code null}
	 */
	public static Status inspect(final ClassLoader loader) {
		final List< String > ours = new ArrayList<>(), foreign = new ArrayList<>();
		try {
			for (final URL url : Collections.list(loader.getResources(TENSORFLOW_CLASS))) {
				final Path p = WorkerClassPath.location(url, TENSORFLOW_CLASS);
				final String where = p == null ? url.toString() : p.toString();
				// class folders are foreign
				(p != null && p.getFileName() != null && p.getFileName().toString().equals(EXPECTED_JAR) ? ours : foreign).add(where);
			}
		}
		catch (final IOException e) {
			foreign.add("(unreadable class path: " + e.getMessage() + ")");
		}
		return new Status(List.copyOf(ours), List.copyOf(foreign));
	}
}
