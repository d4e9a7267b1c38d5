package org.lesionweighting.tf.pkg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.lesionweighting.io.Dataset;
import org.lesionweighting.io.DatasetCase;
import org.lesionweighting.io.Datasets;
import org.lesionweighting.io.Npy;
import org.lesionweighting.io.VolumeIO;
import org.lesionweighting.phantom.LesionPhantom;
import org.lesionweighting.phantom.Phantom;
import org.lesionweighting.phantom.PhantomSpec;
import org.lesionweighting.tf.infer.InferenceOutput;
import org.lesionweighting.tf.infer.InferenceResult;
import org.lesionweighting.tf.infer.ModelInference;
import org.lesionweighting.tf.infer.TilingOptions;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.tf.model.ModelInfo;
import org.lesionweighting.tf.model.ModelMetadata;
import org.lesionweighting.util.Json;
import org.lesionweighting.util.ProgressListener;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * The model-package jobs ({@code engine.ExportPackageJob}, {@code engine.VerifyPackageJob}), run in-process or in the
 * TensorFlow worker like training and segmentation:
 * <ul>
 * <li>{@code export_package}: {@code model} (folder), {@code output} (zip; default {@code <model>/}{@value #PACKAGE_FILE}),
 * {@code name}, {@code authors} (separated by ';'), {@code license}, {@code dataset} (optional folder: channel names
 * and the test case, a validation case of the model when the folder has one, else its first training case; without
 * it a generated phantom of {@value #PHANTOM_EDGE}³ voxels). Result: {@code output}, {@code sha256}
 * (file → hash), {@code test_case}, {@code crop_min}, {@code crop_size} (x, y, z).</li>
 * <li>{@code verify_package}: {@code model} (package zip or folder), {@code device}. Segments the package's test
 * input as Segment Lesions does (one window) and compares the probabilities with its test output. Result:
 * {@code max_abs_difference}, {@code tolerance} ({@value #VERIFY_TOLERANCE}), {@code passed}, {@code voxels}.</li>
 * </ul>
 */
public final class PackageJobs {

	/** The package a training run writes into its model folder with {@code export_package=true}. */
	public static final String PACKAGE_FILE = "bioimageio.zip";

	/** The largest absolute probability difference {@code verify_package} accepts. */
	public static final double VERIFY_TOLERANCE = 1e-4;

	/** The side of the generated phantom used without a dataset. */
	public static final int PHANTOM_EDGE = 64;

	private PackageJobs() {}

	/**
	 * Exports a model folder as a package ({@code export_package}).
	 *
	 * @param zip the zip to write; {@code null} = {@code <model>/}{@value #PACKAGE_FILE}
	 * @param name the package name; {@code null} or blank = {@link PackageOptions#NAME_DEFAULT}
	 * @param authors authors separated by ';' (may be blank)
	 * @param license SPDX licence; {@code null} or blank = {@link PackageOptions#LICENSE_DEFAULT}
	 * @param dataset the model's dataset folder for the test case and channel names, or {@code null} (a phantom)
	 * @throws IOException if files cannot be read or written
	 * @throws IllegalArgumentException for bad parameters
	 * @throws CancellationException if {@code cancel} says so between steps
	 */
	public static Map< String, Object > export(final Path model, final Path zip, final String name, final String authors, final String license,
			final Path dataset, final ProgressListener listener,
			final BooleanSupplier cancel) throws IOException {
		final ProgressListener progress = ProgressListener.orNone(listener);
		final Path output = zip == null ? model.resolve(PACKAGE_FILE) : zip;
		final ModelMetadata meta = ModelMetadata.read(ModelInfo.savedModelFolder(model));
		final List< String > names = new ArrayList<>();
		final TestCase testCase = testCase(dataset, meta, names, progress);
		if (cancel != null && cancel.getAsBoolean()) throw new CancellationException("Export Model Package was cancelled.");
		final PackageOptions options = new PackageOptions(blank(name) ? PackageOptions.NAME_DEFAULT : name,
				PackageOptions.parseAuthors(authors), blank(license) ? PackageOptions.LICENSE_DEFAULT : license,
				names.isEmpty() ? null : names);
		final PackageExporter.Result r = PackageExporter.export(model, output, options, testCase, progress);
		return Json.object("output", r.output().toString(), "sha256", r.sha256(), "test_case", testCase.name(), "crop_min",
				List.of(r.cropMin()[0], r.cropMin()[1], r.cropMin()[2]), "crop_size", List.of(r.cropSize()[0], r.cropSize()[1], r.cropSize()[2]));
	}

	/**
	 * The test case: a validation case of the model (by name, from {@code model.json}) in the dataset, else its first
	 * training case with a label; without a dataset a generated phantom (one copy per model channel). Adds the
	 * dataset's channel names to {@code names}.
	 */
	static TestCase testCase(final Path dataset, final ModelMetadata meta, final List< String > names, final ProgressListener progress) throws IOException {
		final int channels = meta.architecture().inputChannels();
		if (dataset == null) {
			progress.status("Export Model Package: no dataset given; the test input is a crop of a generated phantom");
			final Phantom p = LesionPhantom.generate(new PhantomSpec().size(PHANTOM_EDGE, PHANTOM_EDGE, PHANTOM_EDGE).numLesions(8).maxRadius(8));
			return new TestCase("phantom (seed " + p.spec().seed() + ")", Collections.nCopies(channels, p.image()), p.mask());
		}
		final Dataset ds = Datasets.open(dataset);
		names.addAll(ds.channelNames());
		final List< ? > validation = meta.extra().get("validation_cases") instanceof List< ? > l ? l : List.of();
		final DatasetCase chosen = Stream.concat(ds.cases().stream().filter(c -> validation.contains(c.name())), ds.trainingCases().stream())
				.filter(c -> c.label() != null).findFirst().orElseThrow(() -> new IllegalArgumentException(
						"Export Model Package: the dataset " + dataset + " has no labelled case for the test input; give the model's training dataset."));
		progress.status("Export Model Package: the test input is a crop of case " + chosen.name()
				+ (validation.contains(chosen.name()) ? " (a validation case)" : " (a training case)"));
		final List< RandomAccessibleInterval< ? extends RealType< ? > > > ch = new ArrayList<>();
		for (final Path f : chosen.channels())
			ch.add(VolumeIO.read(f).requireSingle3D("Export Model Package"));
		return new TestCase(chosen.name(), ch, VolumeIO.read(chosen.label()).requireSingle3D("Export Model Package"));
	}

	/** Segments the package's test input as Segment Lesions does and compares with its test output. */
	public static Map< String, Object > verify(final Path pkg, final Device device, final ProgressListener progress, final BooleanSupplier cancel)
			throws IOException {
		final String op = "Segment Lesions (verify)";
		try (ModelPackage m = ModelPackage.open(pkg)) {
			if (!m.isPackage())
				throw new IllegalArgumentException(
						op + ": " + pkg + " is a model folder, not a model package; verify=true checks a package against its test tensors.");
			final Path in = m.testTensor("inputs"), out = m.testTensor("outputs");
			if (in == null || out == null) throw new IllegalArgumentException(op + ": the package " + pkg + " has no test tensors to check against.");
			final Npy.Array input = Npy.fromBytes(Files.readAllBytes(in), in.getFileName().toString()),
					expected = Npy.fromBytes(Files.readAllBytes(out), out.getFileName().toString());
			final long[] s = input.shape();
			if (s.length != 5 || s[0] != 1)
				throw new IllegalArgumentException(
						op + ": the test input of " + pkg + " has shape " + java.util.Arrays.toString(s) + "; expected (1, z, y, x, channels).");
			final int z = (int) s[1], y = (int) s[2], x = (int) s[3], c = (int) s[4];
			final List< Img< FloatType > > channels = new ArrayList<>();
			for (int k = 0; k < c; k++) {
				final float[] v = new float[x * y * z];
				for (int i = 0; i < v.length; i++)
					v[i] = input.data()[i * c + k];
				channels.add(ArrayImgs.floats(v, x, y, z));
			}
			if (expected.data().length != x * y * z)
				throw new IllegalArgumentException(op + ": the test output of " + pkg + " has shape " + java.util.Arrays.toString(expected.shape())
						+ "; expected (1, " + z + ", " + y + ", " + x + ", 1).");
			final TilingOptions options = new TilingOptions().patchSize(x, y, z).stride(x, y, z).outputs(EnumSet.of(InferenceOutput.PROBABILITIES));
			final InferenceResult r = ModelInference.segment(m.modelFolder(), channels, null, options, device,
					ProgressListener.cancellable(progress, cancel == null ? () -> false : cancel, op), null);
			double max = 0;
			int i = 0;
			for (final FloatType t : net.imglib2.view.Views.flatIterable(r.probabilities()))
				max = Math.max(max, Math.abs(t.get() - expected.data()[i++]));
			return Json.object("max_abs_difference", max, "tolerance", VERIFY_TOLERANCE, "passed", max <= VERIFY_TOLERANCE, "voxels",
					(long) x * y * z);
		}
	}

	private static boolean blank(final String s) {
		return s == null || s.isBlank();
	}
}
