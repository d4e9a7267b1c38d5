package org.lesionweighting.tf.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.lesionweighting.tf.data.Preprocessing;
import org.lesionweighting.tf.graph.TensorNames;
import org.lesionweighting.tf.model.ModelInfo;
import org.lesionweighting.util.AtomicFiles;
import org.lesionweighting.util.Json;
import org.lesionweighting.util.Yaml;

/**
 * A model given as a model folder or as a bioimage.io model package (a {@code .zip} or its unpacked folder, see
 * {@link PackageExporter}), opened for segmentation: {@link #modelFolder()} is a folder that
 * {@link org.lesionweighting.tf.model.SegmentationModel#load} and {@link ModelInfo} read. Loads no TensorFlow class,
 * so the Fiji layer may open packages in a JVM whose TensorFlow runs in a worker.
 * <p>
 * A package is checked before anything is unpacked beyond its description: {@code type: model}, format 0.5.x,
 * weights {@code tensorflow_saved_model_bundle}, one input with axes (batch, z, y, x, channel), one output with
 * axes (batch, z, y, x, channel of size 1) and a {@code sigmoid} postprocessing, the SHA-256 of the weights and
 * test tensors. Its weights zip is unpacked into a temporary folder together with a {@code model.json} whose
 * preprocessing is the one the description's {@code inputs[0].preprocessing} states ({@link SpecPreprocessing});
 * when those steps are the spec form of the suite's own preprocessing recorded under
 * {@code config.lesion_weighting.preprocessing}, that exact preprocessing is used (it differs for
 * {@code zscore_nonzero}, which the spec cannot express). {@link #close()} deletes the temporary folder.
 * <pre>{@code
 * try (ModelPackage m = ModelPackage.open(Path.of("ms-lesions.zip"))) {
 *   InferenceResult r = ModelInference.segment(m.modelFolder(), channels, spacing, options, Device.CPU, null, null);
 * }
 * }</pre>
 */
public final class ModelPackage implements AutoCloseable {

	/** The description file name written by the exporter. */
	public static final String RDF_FILE = "rdf.yaml";

	/** Description file names read, in this order (the spec's current name and its former one). */
	public static final List< String > DESCRIPTION_FILES = List.of(RDF_FILE, "bioimageio.yaml");

	/** The model description format version written. */
	public static final String FORMAT_VERSION = "0.5.7";

	/** The weights format the suite runs. */
	public static final String WEIGHTS_FORMAT = "tensorflow_saved_model_bundle";

	/** The key of the suite's own entries under {@code config}. */
	public static final String CONFIG_KEY = "lesion_weighting";

	/** The input axes the suite runs, in order: the network's NDHWC layout. */
	public static final List< String > AXES = List.of("batch", "z", "y", "x", "channel");

	private final Path modelFolder;

	/** The folder the package was unpacked into; null for a model folder. */
	private final Path temporary;

	private final Preprocessing preprocessing;

	/** The checked test tensor files by {@code inputs}/{@code outputs}, as far as the description names them. */
	private final Map< String, Path > testTensors;

	private ModelPackage(final Path modelFolder, final Path temporary, final Preprocessing preprocessing, final Map< String, Path > testTensors) {
		this.modelFolder = modelFolder;
		this.temporary = temporary;
		this.preprocessing = preprocessing;
		this.testTensors = testTensors;
	}

	/** Whether {@code path} is a package: a {@code .zip} file or a folder with a description file. */
	public static boolean isPackage(final Path path) {
		if (Files.isRegularFile(path)) return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
		return descriptionFile(path) != null;
	}

	/**
	 * Opens a model folder (returned as it is, nothing copied) or a model package (checked and unpacked).
	 *
	 * @param path a model folder, a package {@code .zip} or an unpacked package folder
	 * @throws IOException if files are missing, unreadable or damaged (checksums), naming them
	 * @throws IllegalArgumentException if the package is not one the suite runs, naming what it is
	 */
	public static ModelPackage open(final Path path) throws IOException {
		if (!isPackage(path)) return new ModelPackage(path, null, null, Map.of());
		final Path tmp = Files.createTempDirectory("lesion-weighting-package");
		try {
			Path root = path;
			if (Files.isRegularFile(path)) {
				root = tmp.resolve("package");
				unzip(path, root);
			}
			final Path rdf = descriptionFile(root);
			if (rdf == null)
				throw new IllegalArgumentException("Model package: " + path + " holds no " + String.join(" or ", DESCRIPTION_FILES)
						+ "; it is not a bioimage.io model package. Give a package .zip written by Export Model Package, or a model folder.");
			final Map< String, Object > d;
			try {
				d = Yaml.parseMap(Files.readString(rdf, StandardCharsets.UTF_8));
			}
			catch (final IllegalArgumentException e) {
				throw new IllegalArgumentException("Model package: " + rdf.getFileName() + " of " + path + " is not readable: " + e.getMessage(), e);
			}
			final Preprocessing pre = check(path, d);
			final Map< String, Object > weights = map(map(d, "weights"), WEIGHTS_FORMAT);
			final Path weightsZip = packageFile(path, root, weights);
			final Map< String, Path > testTensors = new HashMap<>();
			for (final String io : List.of("inputs", "outputs")) {
				final Object t = map(list(d, io).get(0)).get("test_tensor");
				if (t != null) testTensors.put(io, packageFile(path, root, map(t)));
			}
			final Path folder = tmp.resolve("model");
			unzip(weightsZip, folder);
			final Path saved = ModelInfo.savedModelFolder(folder);
			final Path json = saved.resolve(TensorNames.METADATA_FILE);
			if (!ModelInfo.isSavedModel(saved) || !Files.isRegularFile(json))
				throw new IllegalArgumentException("Model package: the weights " + weights.get("source") + " of " + path + " hold "
						+ (ModelInfo.isSavedModel(saved) ? "a SavedModel without " + TensorNames.METADATA_FILE : "no " + ModelInfo.SAVED_MODEL_FILE)
						+ "; Segment Lesions runs packages exported by Lesion Weighting (Export Model Package), whose SavedModel has the suite's signature and "
						+ TensorNames.METADATA_FILE + ".");
			final Map< String, Object > meta = Json.parseObject(Files.readString(json, StandardCharsets.UTF_8));
			final int channels = ((List< ? >) map(list(map(list(d, "inputs").get(0)), "axes").get(4)).get("channel_names")).size();
			final int expected = org.lesionweighting.tf.graph.UNetConfig.fromMap(ModelInfo.architecture(meta)).inputChannels();
			if (channels != expected)
				throw new IllegalArgumentException("Model package: " + path + " names " + channels + " input channel(s) but its network takes " + expected
						+ "; the description does not fit the weights.");
			meta.put("preprocessing", pre.toMap());
			AtomicFiles.writeString(json, Json.write(meta));
			return new ModelPackage(saved, tmp, pre, testTensors);
		}
		catch (final IOException | RuntimeException e) {
			AtomicFiles.deleteTree(tmp);
			throw e;
		}
	}

	/** Checks the description and returns the preprocessing it states. */
	private static Preprocessing check(final Path path, final Map< String, Object > d) {
		final String op = "Model package: " + path;
		if (!"model".equals(d.get("type"))) throw new IllegalArgumentException(op + " describes a '" + d.get("type") + "', not a model (type: model).");
		final String version = String.valueOf(d.get("format_version"));
		if (!version.startsWith("0.5."))
			throw new IllegalArgumentException(op + " has format_version " + version
					+ "; the suite reads 0.5.x. Update the description with bioimage.io's tools (bioimageio update-format).");
		final Map< String, Object > weights = map(d, "weights");
		if (!(weights.get(WEIGHTS_FORMAT) instanceof Map))
			throw new IllegalArgumentException(
					op + " has weights in " + weights.keySet() + " but not " + WEIGHTS_FORMAT + "; Segment Lesions runs TensorFlow SavedModel weights only.");
		final List< Object > inputs = list(d, "inputs"), outputs = list(d, "outputs");
		if (inputs.size() != 1 || outputs.size() != 1)
			throw new IllegalArgumentException(op + " has " + inputs.size() + " input(s) and " + outputs.size()
					+ " output(s); the suite runs 3D single-input, single-output segmentation models.");
		final List< Object > in = list(map(inputs.get(0)), "axes"), out = list(map(outputs.get(0)), "axes");
		if (!AXES.equals(axisIds(in)) || !AXES.equals(axisIds(out)))
			throw new IllegalArgumentException(op + " has input axes " + axisIds(in) + " and output axes " + axisIds(out)
					+ "; the suite runs 3D segmentation models with axes " + AXES + " on both.");
		final int outChannels = ((List< ? >) map(out.get(4)).get("channel_names")).size();
		if (outChannels != 1)
			throw new IllegalArgumentException(op + " has " + outChannels + " output channels; the suite runs single-output (one lesion class) models.");
		final List< ? > post = map(outputs.get(0)).get("postprocessing") instanceof List< ? > l ? l : List.of();
		if (post.stream().noneMatch(p -> p instanceof Map< ?, ? > m && "sigmoid".equals(m.get("id"))))
			throw new IllegalArgumentException(op + " has the output postprocessing " + post
					+ " without sigmoid; the suite runs models whose output is a lesion logit map turned into probabilities by a sigmoid.");
		final List< ? > steps = map(inputs.get(0)).get("preprocessing") instanceof List< ? > l ? l : List.of();
		final Preprocessing stated = SpecPreprocessing.fromSpec(steps);
		if (d.get("config") instanceof Map< ?, ? > c && c.get(CONFIG_KEY) instanceof Map< ?, ? > ours && ours.get("preprocessing") != null) {
			final Preprocessing exact = Preprocessing.fromString(String.valueOf(ours.get("preprocessing")));
			if (SpecPreprocessing.toSpec(exact).steps().equals(normalise(steps))) return exact;
		}
		return stated;
	}

	/** The steps as {@link SpecPreprocessing#toSpec} writes them (numbers as doubles), for comparison. */
	private static Object normalise(final List< ? > steps) {
		return Yaml.parse(Yaml.write(Map.of("s", steps))) instanceof Map< ?, ? > m ? m.get("s") : steps;
	}

	private static List< Object > axisIds(final List< Object > axes) {
		return axes.stream().map(ModelPackage::map).map(m -> m.get("id") != null ? m.get("id") : m.get("type")).toList();
	}

	/** A file named by a {@code source} (and {@code sha256}) entry: inside the package, with the stated checksum. */
	private static Path packageFile(final Path path, final Path root, final Map< String, Object > descr) throws IOException {
		final String source = String.valueOf(descr.get("source"));
		if (source.contains("://"))
			throw new IllegalArgumentException(
					"Model package: " + path + " refers to " + source + " outside the package; download the full package (bioimageio package) and give that.");
		final Path f = root.resolve(source).normalize();
		if (!f.startsWith(root.normalize()) || !Files.isRegularFile(f))
			throw new IOException("Model package: " + path + " names the file " + source + ", which is missing from the package.");
		if (descr.get("sha256") != null) {
			final String actual = sha256(f);
			if (!actual.equalsIgnoreCase(String.valueOf(descr.get("sha256")).strip()))
				throw new IOException("Model package: " + source + " in " + path + " has SHA-256 " + actual + " but the description states "
						+ descr.get("sha256") + "; the package is damaged or was changed. Export it again.");
		}
		return f;
	}

	/** The folder to load: the given model folder, or the unpacked SavedModel of a package. */
	public Path modelFolder() {
		return modelFolder;
	}

	/** Whether a package was opened (else a plain model folder). */
	public boolean isPackage() {
		return temporary != null;
	}

	/** The preprocessing the package states (null for a model folder). */
	public Preprocessing preprocessing() {
		return preprocessing;
	}

	/**
	 * The test tensor file of the input ({@code inputs}) or output ({@code outputs}), or null when the
	 * description names none (or this is a model folder).
	 */
	public Path testTensor(final String io) {
		return testTensors.get(io);
	}

	/** Deletes the temporary folder of a package. */
	@Override
	public void close() throws IOException {
		AtomicFiles.deleteTree(temporary);
	}

	/** The lowercase hex SHA-256 of a file. */
	public static String sha256(final Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			final MessageDigest md = MessageDigest.getInstance("SHA-256");
			final byte[] buf = new byte[1 << 16];
			for (int n; (n = in.read(buf)) > 0;)
				md.update(buf, 0, n);
			return HexFormat.of().formatHex(md.digest());
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
		}
	}

	private static Path descriptionFile(final Path folder) {
		if (!Files.isDirectory(folder)) return null;
		for (final String n : DESCRIPTION_FILES)
			if (Files.isRegularFile(folder.resolve(n))) return folder.resolve(n);
		try (Stream< Path > s = Files.list(folder)) {
			return s.filter(p -> p.getFileName().toString().endsWith(".bioimageio.yaml")).findFirst().orElse(null);
		}
		catch (final IOException e) {
			return null;
		}
	}

	/** Unpacks a zip into {@code target}, refusing entries that would land outside it. */
	static void unzip(final Path zip, final Path target) throws IOException {
		Files.createDirectories(target);
		try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
			for (ZipEntry e; (e = in.getNextEntry()) != null;) {
				final Path out = target.resolve(e.getName()).normalize();
				if (!out.startsWith(target))
					throw new IOException("Model package: the entry " + e.getName() + " of " + zip + " points outside the package; refusing to unpack it.");
				if (e.isDirectory()) Files.createDirectories(out);
				else {
					Files.createDirectories(out.getParent());
					Files.copy(in, out);
				}
			}
		}
		catch (final java.util.zip.ZipException e) {
			throw new IOException("Model package: " + zip + " is not a readable zip file (" + e.getMessage() + ").", e);
		}
	}

	@SuppressWarnings("unchecked")
	static Map< String, Object > map(final Object o) {
		if (!(o instanceof Map)) throw new IllegalArgumentException("Model package: expected a mapping in the description but found " + o + ".");
		return (Map< String, Object >) o;
	}

	static Map< String, Object > map(final Map< String, Object > m, final String key) {
		if (!(m.get(key) instanceof Map))
			throw new IllegalArgumentException("Model package: the description has no '" + key + "' mapping (found " + m.get(key) + ").");
		return map(m.get(key));
	}

	@SuppressWarnings("unchecked")
	static List< Object > list(final Map< String, Object > m, final String key) {
		if (!(m.get(key) instanceof List< ? > l) || l.isEmpty())
			throw new IllegalArgumentException("Model package: the description has no '" + key + "' list (found " + m.get(key) + ").");
		return (List< Object >) m.get(key);
	}
}
