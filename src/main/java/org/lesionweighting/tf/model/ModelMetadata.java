package org.lesionweighting.tf.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.lesionweighting.tf.graph.TensorNames;
import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.util.AtomicFiles;
import org.lesionweighting.util.Json;
import org.tensorflow.TensorFlow;

/**
 * What a model folder says about its network and training, stored as {@code model.json}
 * ({@link TensorNames#METADATA_FILE}) beside the SavedModel files. Immutable; build with {@link #of(UNetConfig)}
 * or the canonical constructor.
 * <p>
 * JSON keys: {@code format} ("lesion-weighting-model"), {@code format_version} (1), {@code architecture}
 * ({@link UNetConfig#toMap()}), {@code preprocessing} (free map written by the data pipeline, e.g.
 * {@code {"kind": "window", "lo": -300, "hi": 300}}), {@code patch_size} [z, y, x], {@code voxel_spacing} [x, y, z]
 * of the training data (or null), {@code loss}, {@code weighting}, {@code seed}, {@code device} (the device used for
 * training), {@code software} ({@code tensorflow_java}, {@code tensorflow_native}, {@code lesion_weighting}),
 * {@code history} (list of maps, e.g. iteration, loss, learning_rate, seconds), {@code extra} (free map).
 * Seeds beyond ±2^53 are written as strings so that they survive JSON numbers.
 *
 * @param architecture the network configuration (never null)
 * @param preprocessing how images were preprocessed for training (free map; empty when unknown)
 * @param patchSize the training patch size [z, y, x] (empty when unknown)
 * @param voxelSpacing the voxel spacing [x, y, z] of the training data, or null when unknown
 * @param loss the loss key, e.g. {@code dice}
 * @param weighting the weighting key, e.g. {@code inverse_volume}
 * @param seed the training seed
 * @param device the device used for training ({@link Devices.Selection#used()})
 * @param software software versions ({@link #currentSoftware()})
 * @param history the training history, one map per logged step
 * @param extra free entries
 */
public record ModelMetadata(UNetConfig architecture, Map< String, Object > preprocessing, List< Integer > patchSize, List< Double > voxelSpacing, String loss,
		String weighting, long seed, String device, Map< String, String > software, List< Map< String, Object > > history, Map< String, Object > extra) {

	/** The value of the {@code format} key. */
	public static final String FORMAT = "lesion-weighting-model";

	/** The current {@code format_version}. */
	public static final int FORMAT_VERSION = 1;

	private static final java.util.Set< String > KNOWN_KEYS = java.util.Set.of("format", "format_version", ModelInfo.ARCHITECTURE_KEY,
			ModelInfo.ARCHITECTURE_KEY_ALIAS, "preprocessing", "patch_size", "voxel_spacing", "loss", "weighting", "seed", "device", "software", "history",
			"extra");

	/** Copies the collections into unmodifiable ones; nulls become empty (voxel spacing stays null if unknown). */
	public ModelMetadata {
		if (architecture == null) throw new IllegalArgumentException("ModelMetadata: architecture must not be null.");
		preprocessing = preprocessing == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(preprocessing));
		patchSize = patchSize == null ? List.of() : List.copyOf(patchSize);
		voxelSpacing = voxelSpacing == null ? null : List.copyOf(voxelSpacing);
		software = software == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(software));
		history = history == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(history));
		extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
	}

	/**
	 * Metadata for {@code config} with the current {@link #currentSoftware() software versions}, seed 0, loss and
	 * weighting empty, device empty and no history.
	 */
	public static ModelMetadata of(final UNetConfig config) {
		return new ModelMetadata(config, null, null, null, "", "", 0, "", currentSoftware(), null, null);
	}

	/** The key of the spacing inference resamples to, in the {@code plan} section of a dataset plan's map. */
	public static final String TARGET_SPACING_KEY = "target_spacing";

	/**
	 * The spacing this model's inputs are resampled to before inference: the target spacing of the dataset plan stored
	 * in {@code extra.plan} ({@link #planTargetSpacing}); {@code null} for a model trained without a plan (inference
	 * then only warns about a differing spacing).
	 */
	public double[] targetSpacing() {
		return planTargetSpacing(extra.get("plan"));
	}

	/**
	 * The target spacing of a dataset plan's map (as in {@code plan.json}: {@code plan.target_spacing}), or
	 * {@code null} when there is none (no plan, or a plan written before the suite resampled).
	 *
	 * @param planMap the plan's map, or anything else (gives {@code null})
	 */
	public static double[] planTargetSpacing(final Object planMap) {
		if (!(planMap instanceof Map< ?, ? > m) || !(m.get("plan") instanceof Map< ?, ? > p) || !(p.get(TARGET_SPACING_KEY) instanceof List< ? > l)
				|| l.size() != 3)
			return null;
		final double[] s = new double[3];
		for (int d = 0; d < 3; d++) {
			if (!(l.get(d) instanceof Number n) || !(n.doubleValue() > 0)) return null;
			s[d] = n.doubleValue();
		}
		return s;
	}

	/**
	 * The versions of this process: {@code tensorflow_java} (from the tensorflow-core-api jar), {@code tensorflow_native}
	 * ({@link TensorFlow#version()}), {@code lesion_weighting} (from the jar manifest, {@code dev} when run from classes),
	 * {@code java}.
	 */
	public static Map< String, String > currentSoftware() {
		final Map< String, String > m = new LinkedHashMap<>();
		m.put("tensorflow_java", mavenVersion("org.tensorflow", "tensorflow-core-api", TensorFlow.class));
		m.put("tensorflow_native", TensorFlow.version());
		final String ours = ModelMetadata.class.getPackage().getImplementationVersion();
		m.put("lesion_weighting", ours != null ? ours : mavenVersion("org.lesionweighting", "lesion-weighting", ModelMetadata.class));
		m.put("java", System.getProperty("java.version"));
		return m;
	}

	private static String mavenVersion(final String group, final String artifact, final Class< ? > anchor) {
		try (InputStream in = anchor.getClassLoader().getResourceAsStream("META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
			if (in != null) {
				final Properties p = new Properties();
				p.load(in);
				return p.getProperty("version", "dev");
			}
		}
		catch (final IOException e) {
			// fall through: unknown
		}
		return "dev";
	}

	/** The metadata as a JSON-ready map (see the class documentation for the keys). */
	public Map< String, Object > toMap() {
		return Json.object("format", FORMAT, "format_version", FORMAT_VERSION, ModelInfo.ARCHITECTURE_KEY, architecture.toMap(), "preprocessing",
				preprocessing, "patch_size", patchSize, "voxel_spacing", voxelSpacing, "loss", loss, "weighting", weighting, "seed",
				Math.abs(seed) <= (1L << 53) ? (Object) seed : (Object) Long.toString(seed), "device", device, "software", software, "history", history,
				"extra", extra);
	}

	public String toJson() {
		return Json.write(toMap());
	}

	/**
	 * Reads a map written by {@link #toMap()}; missing keys take the values of {@link #of(UNetConfig)} except that
	 * missing software versions stay empty. Tolerant of other writers: {@code network} is accepted for
	 * {@code architecture}, a string seed is parsed, a history entry that is not an object is kept as
	 * {@code {"values": entry}}, and keys this class does not know are kept in
	 * {@link #extra()}.
	 *
	 * @throws IllegalArgumentException if the format is not {@value #FORMAT}, the version is newer than
	 *         {@value #FORMAT_VERSION}, or a value has the wrong type
	 */
	@SuppressWarnings("unchecked")
	public static ModelMetadata fromMap(final Map< String, Object > m) {
		final String op = "ModelMetadata.fromMap";
		if (m.get("format") != null && !FORMAT.equals(m.get("format")))
			throw new IllegalArgumentException(
					op + ": format is '" + m.get("format") + "' but expected '" + FORMAT + "'; this is not a Lesion Weighting model.");
		try {
			if (m.get("format_version") != null && ((Number) m.get("format_version")).intValue() > FORMAT_VERSION)
				throw new IllegalArgumentException(op + ": format_version " + m.get("format_version") + " is newer than this software reads (" + FORMAT_VERSION
						+ "); update Lesion Weighting.");
			final UNetConfig config = UNetConfig.fromMap(ModelInfo.architecture(m));
			final List< Integer > patch = m.get("patch_size") == null
					? null
					: ((List< Object >) m.get("patch_size")).stream().map(o -> ((Number) o).intValue()).toList();
			final List< Double > spacing = m.get("voxel_spacing") == null
					? null
					: ((List< Object >) m.get("voxel_spacing")).stream().map(o -> ((Number) o).doubleValue()).toList();
			final Object s = m.get("seed");
			final long seed = s == null ? 0 : s instanceof Number ? ((Number) s).longValue() : Long.parseLong(s.toString());
			final Map< String, String > software = new LinkedHashMap<>();
			if (m.get("software") != null) ((Map< String, Object >) m.get("software")).forEach((k, v) -> software.put(k, String.valueOf(v)));
			final List< Map< String, Object > > history = new ArrayList<>();
			if (m.get("history") != null) for (final Object o : (List< Object >) m.get("history"))
				history.add(o instanceof Map ? (Map< String, Object >) o : Collections.singletonMap("values", o));
			final Map< String, Object > extra = new LinkedHashMap<>();
			if (m.get("extra") != null) extra.putAll((Map< String, Object >) m.get("extra"));
			for (final Map.Entry< String, Object > e : m.entrySet())
				if (!KNOWN_KEYS.contains(e.getKey())) extra.put(e.getKey(), e.getValue());
			return new ModelMetadata(config, (Map< String, Object >) m.get("preprocessing"), patch, spacing, string(m.get("loss")), string(m.get("weighting")),
					seed, string(m.get("device")), software, history, extra);
		}
		catch (final ClassCastException | NumberFormatException e) {
			throw new IllegalArgumentException(op + ": a value has the wrong type: " + e.getMessage(), e);
		}
	}

	private static String string(final Object o) {
		return o == null ? "" : o.toString();
	}

	/** Parses JSON text written by {@link #toJson()}. */
	public static ModelMetadata fromJson(final String json) {
		return fromMap(Json.parseObject(json));
	}

	/** Writes {@code model.json} into {@code folder} atomically (temporary file and rename). */
	public void write(final Path folder) throws IOException {
		AtomicFiles.writeString(folder.resolve(TensorNames.METADATA_FILE), toJson());
	}

	/**
	 * Reads {@code model.json} from a model folder.
	 *
	 * @throws IOException if the file is missing or unreadable, naming the path
	 * @throws IllegalArgumentException if its content is not valid metadata
	 */
	public static ModelMetadata read(final Path folder) throws IOException {
		final Path file = folder.resolve(TensorNames.METADATA_FILE);
		if (!Files.isRegularFile(file))
			throw new IOException("ModelMetadata.read: no " + TensorNames.METADATA_FILE + " in " + folder
					+ "; is this a Lesion Weighting model folder (written by the trainer's export)?");
		try {
			return fromJson(Files.readString(file, StandardCharsets.UTF_8));
		}
		catch (final IllegalArgumentException e) {
			throw new IllegalArgumentException("ModelMetadata.read: " + file + ": " + e.getMessage(), e);
		}
	}
}
