package org.lesionweighting.tf.pkg;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.lesionweighting.io.Npy;
import org.lesionweighting.tf.data.Preprocessing;
import org.lesionweighting.tf.graph.TensorNames;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.tf.model.ModelInfo;
import org.lesionweighting.tf.model.ModelMetadata;
import org.lesionweighting.tf.model.SegmentationModel;
import org.lesionweighting.tf.train.DatasetPlan;
import org.lesionweighting.tf.train.Trainer;
import org.lesionweighting.util.AtomicFiles;
import org.lesionweighting.util.Json;
import org.lesionweighting.util.ProgressListener;
import org.lesionweighting.util.Yaml;
import org.tensorflow.TensorFlow;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * Writes a trained model folder as a bioimage.io model package: a zip holding {@code rdf.yaml} (model description
 * format {@value ModelPackage#FORMAT_VERSION}), the SavedModel zipped as {@value #WEIGHTS_FILE}, the test tensors
 * {@value #TEST_INPUT_FILE} and {@value #TEST_OUTPUT_FILE}, a generated {@value #README_FILE}, a cover image
 * {@value #COVER_FILE} and the training files ({@code history.csv}, {@code validation.csv}, {@code plan.json}) as
 * attachments. Each file the description can carry a checksum for ({@code weights}, test tensors, attachments) has
 * its SHA-256 there; the README's and the cover's are under {@code config.lesion_weighting.sha256}.
 * <p>
 * Tensors: input {@code image} with axes (batch, z, y, x, channel), the network's NDHWC layout, float32, spatial
 * sizes {@code min = step =} the network's size multiple (2^levels); output {@code probability}, the same axes with
 * one channel {@code lesion}, sized like the input. The test input is a raw crop (before preprocessing, as the spec
 * defines test inputs) of the given case, at most {@value #CROP_EDGE_DEFAULT} voxels a side, centred on its
 * lesions; the test output is what the SavedModel's {@code probabilities} give for the crop after the model's
 * preprocessing computed over the crop (per sample, as bioimage.io tools compute it). The description's output
 * is the SavedModel's first output ({@code logits}, in key order) with the spec's {@code sigmoid} postprocessing.
 * <p>
 * The zip is written to a temporary file and renamed: a failed export leaves no file. Runs the network once on the
 * CPU.
 */
public final class PackageExporter {

	/** The zipped SavedModel. */
	public static final String WEIGHTS_FILE = "saved_model.zip";

	/** The raw test input. */
	public static final String TEST_INPUT_FILE = "test_input.npy";

	/** The test output (probabilities). */
	public static final String TEST_OUTPUT_FILE = "test_output.npy";

	/** The generated documentation. */
	public static final String README_FILE = "README.md";

	public static final String COVER_FILE = "cover.png";

	/** The largest side of the test crop, in voxels. */
	public static final int CROP_EDGE_DEFAULT = 64;

	public static final String INPUT_ID = "image";

	public static final String OUTPUT_ID = "probability";

	/** Files of a trainer's model folder attached to the package when present. */
	public static final List< String > ATTACHMENTS = List.of(Trainer.HISTORY_FILE, Trainer.VALIDATION_FILE, DatasetPlan.FILE);

	/** The time stamp of every zip entry, so that the same model gives the same weights zip. */
	private static final long ZIP_TIME = 315532800000L; // 1980-01-01, the earliest zip time

	private PackageExporter() {}

	/**
	 * What an export wrote.
	 *
	 * @param output the package zip
	 * @param sha256 the SHA-256 of every file in the package, by name
	 * @param cropMin the crop's first voxel (x, y, z) in the test case
	 * @param cropSize the crop's size (x, y, z)
	 */
	public record Result(Path output, Map< String, String > sha256, long[] cropMin, long[] cropSize) {}

	/**
	 * Exports a model folder.
	 *
	 * @param modelFolder a trainer's model folder (or the SavedModel folder with {@code model.json})
	 * @param output the {@code .zip} to write (replaced if it exists)
	 * @param options name, authors, licence, channel names
	 * @param testCase the case to crop the test input from (raw intensities)
	 * @param listener progress; may be null
	 * @throws IOException if the model cannot be read or the zip cannot be written
	 * @throws IllegalArgumentException if the case does not fit the model (channels, size)
	 */
	public static Result export(final Path modelFolder, final Path output, final PackageOptions options, final TestCase testCase,
			final ProgressListener listener) throws IOException {
		final String op = "Export Model Package";
		final ProgressListener progress = ProgressListener.orNone(listener);
		if (output == null || !output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip"))
			throw new IllegalArgumentException(op + ": output '" + output + "' must be a .zip file; bioimage.io packages are zip files.");
		final Path dir = ModelInfo.savedModelFolder(modelFolder);
		final ModelMetadata meta = ModelMetadata.read(dir);
		final int channels = meta.architecture().inputChannels();
		if (testCase.channels().size() != channels)
			throw new IllegalArgumentException(op + ": the model takes " + channels + " input channel(s) but the test case '" + testCase.name() + "' has "
					+ testCase.channels().size() + "; give a case of the model's dataset.");
		final List< String > names = options.channelNames(channels);
		final Preprocessing pre = Preprocessing.fromStored(meta.preprocessing());
		final long[] dims = Intervals.dimensionsAsLongArray(testCase.channels().get(0));
		final long[][] crop = crop(dims, meta.architecture().sizeMultiple(), CROP_EDGE_DEFAULT, testCase.label());
		final long[] min = crop[0], size = crop[1];
		final int x = (int) size[0], y = (int) size[1], z = (int) size[2];
		progress.status(op + ": test crop " + x + "×" + y + "×" + z + " of case " + testCase.name());
		final float[] raw = new float[x * y * z * channels], prepared = new float[raw.length];
		final float[] rawFirst = new float[x * y * z];
		for (int c = 0; c < channels; c++) {
			final RandomAccessibleInterval< ? extends RealType< ? > > ch = testCase.channels().get(c);
			if (!Intervals.equalDimensions(ch, testCase.channels().get(0)))
				throw new IllegalArgumentException(op + ": the channels of test case '" + testCase.name() + "' differ in size; give volumes of one size.");
			final RandomAccessibleInterval< ? extends RealType< ? > > view = cropView(ch, min, size);
			final float[] r = Preprocessing.NONE.apply(view), p = pre.apply(view);
			for (int i = 0; i < r.length; i++) {
				raw[i * channels + c] = r[i];
				prepared[i * channels + c] = p[i];
			}
			if (c == 0) System.arraycopy(r, 0, rawFirst, 0, r.length);
		}
		progress.status(op + ": running the model on the test crop (CPU)");
		final float[] probabilities;
		try (SegmentationModel model = SegmentationModel.load(dir, Device.CPU)) {
			probabilities = model.predictProbabilities(prepared, 1, z, y, x);
		}
		final Map< String, byte[] > files = new LinkedHashMap<>();
		files.put(WEIGHTS_FILE, zipFolder(dir));
		files.put(TEST_INPUT_FILE, Npy.toBytes(new long[] { 1, z, y, x, channels }, raw));
		files.put(TEST_OUTPUT_FILE, Npy.toBytes(new long[] { 1, z, y, x, 1 }, probabilities));
		final Path trainer = ModelInfo.isSavedModel(modelFolder) ? modelFolder.toAbsolutePath().getParent() : modelFolder;
		final List< String > attached = new ArrayList<>();
		for (final String a : ATTACHMENTS)
			if (trainer != null && Files.isRegularFile(trainer.resolve(a))) {
				files.put(a, Files.readAllBytes(trainer.resolve(a)));
				attached.add(a);
			}
		if (!attached.contains(Trainer.HISTORY_FILE) && !meta.history().isEmpty()) {
			files.put(Trainer.HISTORY_FILE, PackageDocs.historyCsv(meta.history()).getBytes(StandardCharsets.UTF_8));
			attached.add(0, Trainer.HISTORY_FILE);
		}
		final SpecPreprocessing.Steps steps = SpecPreprocessing.toSpec(pre);
		final float[] labelCrop = testCase.label() == null ? null : Preprocessing.NONE.apply(cropView(testCase.label(), min, size));
		files.put(COVER_FILE, PackageDocs.cover(rawFirst, probabilities, labelCrop, x, y, z));
		files.put(README_FILE,
				PackageDocs.readme(meta, options, names, pre, steps.exact(), testCase.name(), min, size, attached).getBytes(StandardCharsets.UTF_8));
		final Map< String, String > sha = new LinkedHashMap<>();
		files.forEach((name, bytes) -> sha.put(name, sha256(bytes)));
		final Map< String, Object > rdf = description(meta, options, names, pre, steps, testCase.name(), min, size, attached, sha);
		final byte[] yaml = Yaml.write(rdf).getBytes(StandardCharsets.UTF_8);
		progress.status(op + ": writing " + output);
		final Path target = output.toAbsolutePath();
		AtomicFiles.write(target, tmp -> {
			try (OutputStream o = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(o)) {
				put(zip, ModelPackage.RDF_FILE, yaml);
				for (final Map.Entry< String, byte[] > e : files.entrySet())
					put(zip, e.getKey(), e.getValue());
			}
		});
		sha.put(ModelPackage.RDF_FILE, sha256(yaml));
		return new Result(target, sha, min, size);
	}

	private static RandomAccessibleInterval< ? extends RealType< ? > > cropView(final RandomAccessibleInterval< ? extends RealType< ? > > volume,
			final long[] min, final long[] size) {
		return Views.zeroMin(Views.interval(Views.zeroMin(volume), Intervals.createMinSize(min[0], min[1], min[2], size[0], size[1], size[2])));
	}

	/**
	 * The test crop: per axis (x, y, z) the largest multiple of {@code multiple} up to {@code maxEdge} and the
	 * image size, centred on the centroid of the label's non-zero voxels (the image centre without any), moved
	 * inside the image.
	 *
	 * @return {min, size}, each (x, y, z)
	 * @throws IllegalArgumentException if an axis is shorter than {@code multiple}
	 */
	static long[][] crop(final long[] dims, final int multiple, final int maxEdge, final RandomAccessibleInterval< ? extends RealType< ? > > label) {
		if (dims.length != 3)
			throw new IllegalArgumentException("Export Model Package: the test case must be 3D (x, y, z) but has " + dims.length + " dimensions.");
		final double[] centre = { dims[0] / 2.0, dims[1] / 2.0, dims[2] / 2.0 };
		if (label != null) {
			final double[] sum = new double[3];
			long n = 0;
			final net.imglib2.Cursor< ? extends RealType< ? > > c = Views.flatIterable(Views.zeroMin(label)).localizingCursor();
			while (c.hasNext())
				if (c.next().getRealDouble() != 0) {
					for (int d = 0; d < 3; d++)
						sum[d] += c.getDoublePosition(d);
					n++;
				}
			if (n > 0) for (int d = 0; d < 3; d++)
				centre[d] = sum[d] / n + 0.5;
		}
		final long[] min = new long[3], size = new long[3];
		for (int d = 0; d < 3; d++) {
			size[d] = Math.min(maxEdge, dims[d]) / multiple * multiple;
			if (size[d] < multiple)
				throw new IllegalArgumentException("Export Model Package: the test case is " + dims[0] + "×" + dims[1] + "×" + dims[2]
						+ " voxels, but the network needs at least " + multiple + " voxels on every axis; give a larger case.");
			min[d] = Math.max(0, Math.min(dims[d] - size[d], Math.round(centre[d] - size[d] / 2.0)));
		}
		return new long[][] { min, size };
	}

	private static Map< String, Object > description(final ModelMetadata meta, final PackageOptions options, final List< String > names,
			final Preprocessing pre, final SpecPreprocessing.Steps steps, final String caseName, final long[] min, final long[] size,
			final List< String > attached, final Map< String, String > sha) {
		final Map< String, Object > d = Json.object("format_version", ModelPackage.FORMAT_VERSION, "type", "model", "name", options.name(), "description",
				PackageDocs.summary(meta, pre), "authors", options.authors().stream().map(a -> Map.of("name", a)).toList(), "cite",
				List.of(Json.object("text", PackageDocs.PAPER, "doi", PackageDocs.PAPER_DOI, "url", PackageDocs.PAPER_URL),
						Json.object("text", PackageDocs.SUITE, "url", PackageDocs.SUITE_URL)),
				"license", options.license(), "git_repo", PackageDocs.SUITE_URL, "tags",
				List.of("3d", "segmentation", "lesion-segmentation", "unet", "tensorflow", "inverse-weighting", "lesion-weighting"), "documentation",
				README_FILE, "covers", List.of(COVER_FILE), "timestamp",
				OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
		if (!attached.isEmpty()) d.put("attachments", attached.stream().map(a -> file(a, sha)).toList());
		final int m = meta.architecture().sizeMultiple();
		final List< Object > inAxes = new ArrayList<>(), outAxes = new ArrayList<>();
		inAxes.add(Map.of("type", "batch"));
		outAxes.add(Map.of("type", "batch"));
		final List< Double > spacing = meta.voxelSpacing();
		for (final String a : SpecPreprocessing.SPATIAL_AXES) {
			final Map< String, Object > in = Json.object("type", "space", "id", a, "size", Json.object("min", m, "step", m));
			final Map< String, Object > out = Json.object("type", "space", "id", a, "size", Json.object("tensor_id", INPUT_ID, "axis_id", a));
			if (spacing != null && spacing.size() == 3) {
				final double s = spacing.get(2 - SpecPreprocessing.SPATIAL_AXES.indexOf(a));
				if (s > 0) for (final Map< String, Object > ax : List.of(in, out)) {
					ax.put("unit", "millimeter");
					ax.put("scale", s);
				}
			}
			inAxes.add(in);
			outAxes.add(out);
		}
		inAxes.add(Json.object("type", "channel", "channel_names", names));
		outAxes.add(Json.object("type", "channel", "channel_names", List.of("lesion")));
		d.put("inputs", List.of(Json.object("id", INPUT_ID, "description",
				"Raw intensities, one channel per training channel; the preprocessing below is applied per sample.", "axes", inAxes, "test_tensor",
				file(TEST_INPUT_FILE, sha), "data", Map.of("type", "float32"), "preprocessing", steps.steps())));
		d.put("outputs", List.of(Json.object("id", OUTPUT_ID, "description",
				"Lesion probability: the network's logits (SavedModel output 'logits') after a sigmoid.", "axes", outAxes, "test_tensor",
				file(TEST_OUTPUT_FILE, sha), "data", Json.object("type", "float32", "range", List.of(0.0, 1.0)), "postprocessing",
				List.of(Map.of("id", "sigmoid"), Json.object("id", "ensure_dtype", "kwargs", Map.of("dtype", "float32"))))));
		final Map< String, Object > tf = file(WEIGHTS_FILE, sha);
		tf.put("tensorflow_version", tensorflowVersion(meta));
		tf.put("comment",
				"SavedModel exported by TensorFlow Java " + meta.software().getOrDefault("tensorflow_java", "?") + "; tag '" + TensorNames.TAG
						+ "', signature '" + TensorNames.SIGNATURE_KEY + "' with input '" + TensorNames.INPUT_IMAGE + "' and outputs '"
						+ TensorNames.OUTPUT_LOGITS + "', '" + TensorNames.OUTPUT_PROBABILITIES + "'.");
		d.put("weights", Map.of(ModelPackage.WEIGHTS_FORMAT, tf));
		final Map< String, Object > ours = Json.object("format", "lesion-weighting-package", "format_version", 1, "preprocessing", pre.toString(),
				"preprocessing_exact_in_spec", steps.exact(), "test_input",
				"raw: before preprocessing; test_output = SavedModel probabilities of the crop after the preprocessing computed over the crop", "test_crop",
				Json.object("case", caseName, "min_xyz", min, "size_xyz", size), "architecture", meta.architecture().toMap(), "loss", meta.loss(), "weighting",
				meta.weighting(), "software", meta.software(), "sha256", Json.object(README_FILE, sha.get(README_FILE), COVER_FILE, sha.get(COVER_FILE)));
		d.put("config", Map.of(ModelPackage.CONFIG_KEY, ours));
		return d;
	}

	private static String tensorflowVersion(final ModelMetadata meta) {
		final String v = meta.software().get("tensorflow_native");
		final String s = v == null || v.isBlank() || v.equals("dev") ? TensorFlow.version() : v;
		final java.util.regex.Matcher mt = java.util.regex.Pattern.compile("\\d+(\\.\\d+)*").matcher(s);
		return mt.find() ? mt.group() : s;
	}

	private static Map< String, Object > file(final String name, final Map< String, String > sha) {
		return Json.object("source", name, "sha256", sha.get(name));
	}

	/** The files of a SavedModel folder as a zip (sorted entries, fixed time stamps). */
	static byte[] zipFolder(final Path dir) throws IOException {
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		final List< Path > files;
		try (Stream< Path > s = Files.walk(dir)) {
			files = s.filter(Files::isRegularFile).sorted().toList();
		}
		try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
			for (final Path f : files)
				put(zip, dir.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
		}
		return bytes.toByteArray();
	}

	private static void put(final ZipOutputStream zip, final String name, final byte[] data) throws IOException {
		final ZipEntry e = new ZipEntry(name);
		e.setTime(ZIP_TIME);
		zip.putNextEntry(e);
		zip.write(data);
		zip.closeEntry();
	}

	static String sha256(final byte[] data) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
		}
	}
}
