package org.lesionweighting.engine;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * How the TensorFlow worker JVM is started: Java executable, heap, where the TensorFlow Java jars are, and
 * how long a cancelled worker may take before it is destroyed. Immutable; {@code with*} return copies, checked as the
 * constructor checks them.
 * <p>
 * {@link #fromEnvironment()} reads, for each setting, a system property, else an environment variable, else
 * the default:
 * <table>
 * <caption>settings</caption>
 * <tr><td>{@value #JAVA_PROPERTY} / {@code LESION_WEIGHTING_WORKER_JAVA}</td><td>Java executable; default
 * {@code <java.home>/bin/java} (Fiji's own Java)</td></tr>
 * <tr><td>{@value #HEAP_PROPERTY} / {@code LESION_WEIGHTING_WORKER_HEAP}</td><td>{@code -Xmx} value such as
 * {@code 8g}; default none (the JVM's default, a quarter of the RAM)</td></tr>
 * <tr><td>{@value #TF_JARS_PROPERTY} / {@code LESION_WEIGHTING_TF_JARS}</td><td>folder of the TensorFlow Java
 * jars; default {@code <Fiji>/lib/lesion-weighting/} (see {@link WorkerClassPath})</td></tr>
 * <tr><td>{@value #GRACE_PROPERTY} / {@code LESION_WEIGHTING_WORKER_GRACE}</td><td>seconds between the cancel
 * line and destroying the process; default {@value #GRACE_SECONDS_DEFAULT}</td></tr>
 * <tr><td>{@value #JVM_OPTIONS_PROPERTY} / {@code LESION_WEIGHTING_WORKER_JVM_OPTIONS}</td><td>extra options of the
 * worker JVM, separated by spaces (e.g. {@code -XX:+UseSerialGC -XX:TieredStopAtLevel=1}, which the tests use
 * for short jobs); default none</td></tr>
 * </table>
 *
 * @param java the Java executable
 * @param heap the {@code -Xmx} value such as {@code 8g} or {@code 4096m} (a leading {@code -Xmx} is dropped), or
 *        {@code null} for the JVM default
 * @param tensorFlowJars the folder of the TensorFlow Java jars, or {@code null} to find it ({@link WorkerClassPath})
 * @param graceSeconds the cancel grace period in seconds, finite and ≥ 0
 * @param jvmOptions extra JVM options placed before the class path on the worker's command line, each starting with
 *        {@code -} (e.g. {@code -XX:+UseSerialGC}) and none setting the class path; empty = none
 */
public record WorkerSettings(Path java, String heap, Path tensorFlowJars, double graceSeconds, List< String > jvmOptions) {

	/** System property naming the worker's Java executable. */
	public static final String JAVA_PROPERTY = "lesionweighting.worker.java";

	/** System property with the worker's maximum heap ({@code -Xmx} value). */
	public static final String HEAP_PROPERTY = "lesionweighting.worker.heap";

	/** System property naming the folder of the TensorFlow Java jars. */
	public static final String TF_JARS_PROPERTY = "lesionweighting.worker.tfjars";

	/**
	 * JavaCPP's limit of the process's physical memory (a system property of the TensorFlow JVM); the worker and
	 * the launcher set it to 0, no limit ({@link WorkerProcess#NO_PHYSICAL_MEMORY_LIMIT}).
	 */
	public static final String JAVACPP_MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";

	/** System property with the cancel grace period in seconds. */
	public static final String GRACE_PROPERTY = "lesionweighting.worker.grace";

	/** System property with extra worker JVM options, separated by spaces. */
	public static final String JVM_OPTIONS_PROPERTY = "lesionweighting.worker.jvmoptions";

	/**
	 * Seconds a cancelled worker may take to finish its step, checkpoint, export and exit before it is destroyed: a
	 * paper-size step at 128³, batch 2, is estimated at 35 s on a 2-core CPU (4.4 s measured at 64³, 8 times fewer voxels).
	 */
	public static final double GRACE_SECONDS_DEFAULT = 120;

	/** Checks every setting; a blank heap is the default, the options are copied. */
	public WorkerSettings {
		if (java == null)
			throw new IllegalArgumentException("TensorFlow worker: the Java executable must not be null; give the path of a java binary (Java 11 or newer).");
		final String h = heap == null || heap.isBlank() ? null : heap.trim().replaceFirst("^-Xmx", "");
		if (h != null && !h.matches("\\d+[kKmMgGtT]?"))
			throw new IllegalArgumentException("TensorFlow worker: heap must look like 8g or 4096m, but was '" + heap + "'.");
		heap = h;
		if (!(graceSeconds >= 0) || Double.isInfinite(graceSeconds))
			throw new IllegalArgumentException(
					"TensorFlow worker: the grace period must be a finite number of seconds ≥ 0, but was " + graceSeconds + ".");
		if (jvmOptions == null) throw new IllegalArgumentException("TensorFlow worker: the JVM options must not be null; give an empty list for none.");
		for (final String o : jvmOptions)
			if (o == null || !o.startsWith("-") || o.isBlank() || o.equals("-cp") || o.equals("-classpath") || o.equals("--class-path"))
				throw new IllegalArgumentException(
						"TensorFlow worker: each JVM option must start with '-' and must not set the class path, but got '" + o + "' in " + jvmOptions + ".");
		jvmOptions = List.copyOf(jvmOptions);
	}

	/**
	 * The defaults: this JVM's Java, default heap, TensorFlow jars found by {@link WorkerClassPath},
	 * {@value #GRACE_SECONDS_DEFAULT} s grace, no extra JVM options.
	 */
	public static WorkerSettings defaults() {
		return new WorkerSettings(Paths.get(System.getProperty("java.home"), "bin", "java"), null, null, GRACE_SECONDS_DEFAULT, List.of());
	}

	/** The defaults overridden by system properties and environment variables (see the class documentation). */
	public static WorkerSettings fromEnvironment() {
		WorkerSettings s = defaults();
		final String java = setting(JAVA_PROPERTY, "LESION_WEIGHTING_WORKER_JAVA"), heap = setting(HEAP_PROPERTY, "LESION_WEIGHTING_WORKER_HEAP"),
				jars = setting(TF_JARS_PROPERTY, "LESION_WEIGHTING_TF_JARS"), grace = setting(GRACE_PROPERTY, "LESION_WEIGHTING_WORKER_GRACE"),
				options = setting(JVM_OPTIONS_PROPERTY, "LESION_WEIGHTING_WORKER_JVM_OPTIONS");
		if (java != null) s = s.withJava(Paths.get(java));
		if (heap != null) s = s.withHeap(heap);
		if (jars != null) s = s.withTensorFlowJars(Paths.get(jars));
		if (options != null) s = s.withJvmOptions(List.of(options.split("\\s+")));
		if (grace != null) {
			try {
				s = s.withGraceSeconds(Double.parseDouble(grace));
			}
			catch (final NumberFormatException e) {
				throw new IllegalArgumentException("TensorFlow worker: " + GRACE_PROPERTY + " must be a number of seconds, but was '" + grace + "'.");
			}
		}
		return s;
	}

	private static String setting(final String property, final String variable) {
		final String p = System.getProperty(property);
		if (p != null && !p.isBlank()) return p.trim();
		final String env = System.getenv(variable);
		return env == null || env.isBlank() ? null : env.trim();
	}

	/** A copy with another Java executable. */
	public WorkerSettings withJava(final Path executable) {
		return new WorkerSettings(executable, heap, tensorFlowJars, graceSeconds, jvmOptions);
	}

	/** A copy with another maximum heap ({@code null} or empty = the JVM default). */
	public WorkerSettings withHeap(final String xmx) {
		return new WorkerSettings(java, xmx, tensorFlowJars, graceSeconds, jvmOptions);
	}

	/** A copy with another folder of TensorFlow Java jars ({@code null} = find it, see {@link WorkerClassPath}). */
	public WorkerSettings withTensorFlowJars(final Path folder) {
		return new WorkerSettings(java, heap, folder, graceSeconds, jvmOptions);
	}

	/** A copy with another cancel grace period (seconds, ≥ 0). */
	public WorkerSettings withGraceSeconds(final double seconds) {
		return new WorkerSettings(java, heap, tensorFlowJars, seconds, jvmOptions);
	}

	/** A copy with other extra JVM options. */
	public WorkerSettings withJvmOptions(final List< String > options) {
		return new WorkerSettings(java, heap, tensorFlowJars, graceSeconds, options);
	}

	@Override
	public String toString() {
		return "java=" + java + ", heap=" + (heap == null ? "default" : heap) + ", tf_jars=" + (tensorFlowJars == null ? "auto" : tensorFlowJars) + ", grace="
				+ graceSeconds
				+ " s" + (jvmOptions.isEmpty() ? "" : ", jvm_options=" + String.join(" ", jvmOptions));
	}
}
