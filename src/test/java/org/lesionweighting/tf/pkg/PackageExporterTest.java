package org.lesionweighting.tf.pkg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.io.Npy;
import org.lesionweighting.phantom.LesionPhantom;
import org.lesionweighting.phantom.Phantom;
import org.lesionweighting.phantom.PhantomSpec;
import org.lesionweighting.tf.data.Preprocessing;
import org.lesionweighting.tf.data.TrainingCase;
import org.lesionweighting.tf.data.TrainingData;
import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.tf.infer.InferenceOutput;
import org.lesionweighting.tf.infer.InferenceResult;
import org.lesionweighting.tf.infer.ModelInference;
import org.lesionweighting.tf.infer.TilingOptions;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.tf.model.SegmentationModel;
import org.lesionweighting.tf.train.Trainer;
import org.lesionweighting.tf.train.TrainingConfig;
import org.lesionweighting.util.Yaml;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/** Export of a tiny trained model, its package's structure and checksums, and segmentation from the package. */
class PackageExporterTest {

	@TempDir
	static Path dir;

	static Path model, zip;

	static PackageExporter.Result result;

	static Phantom phantom;

	/** A phantom volume of 16³ voxels with two lesions, as a training case. */
	static TrainingCase phantomCase(final String name, final long seed) {
		final Phantom p = LesionPhantom.generate(new PhantomSpec().size(16, 16, 16).numLesions(2).minRadius(1.5).maxRadius(3).seed(seed));
		final float[] img = new float[16 * 16 * 16];
		final byte[] mask = new byte[img.length];
		int i = 0;
		for (final FloatType t : Views.flatIterable(p.image()))
			img[i++] = t.get();
		i = 0;
		for (final var t : Views.flatIterable(p.mask()))
			mask[i++] = (byte) t.get();
		return TrainingCase.fromArrays(name, new int[] { 16, 16, 16 }, new float[][] { img }, mask, new double[] { 1, 1, 1 });
	}

	/** Trains a network of one level (widths 4, 8; size multiple 2) for two iterations with z-score preprocessing. */
	static void trainTiny(final Path folder) throws IOException {
		final TrainingConfig config = new TrainingConfig().network(UNetConfig.SMALL.withWidths(4, 8)).patchSize(8).batchSize(2).epochs(1).iterationsPerEpoch(2)
				.sessionThreads(1, 1).preprocessing(Preprocessing.ZSCORE);
		final List< TrainingCase > cases = List.of(phantomCase("a", 1), phantomCase("b", 2));
		Trainer.create(config, TrainingData.of("phantoms", cases).preprocessedInPlace(config.preprocessing()), folder).run();
	}

	/** A copy of a model folder whose model.json states another preprocessing (same weights). */
	static Path withPreprocessing(final Path from, final Path to, final Preprocessing p) throws IOException {
		try (java.util.stream.Stream< Path > s = Files.walk(from)) {
			for (final Path f : s.toList()) {
				final Path t = to.resolve(from.relativize(f).toString());
				if (Files.isDirectory(f)) Files.createDirectories(t);
				else
					Files.copy(f, t);
			}
		}
		final Path saved = to.resolve("saved_model");
		final org.lesionweighting.tf.model.ModelMetadata m = org.lesionweighting.tf.model.ModelMetadata.read(saved);
		new org.lesionweighting.tf.model.ModelMetadata(m.architecture(), p.toMap(), m.patchSize(), m.voxelSpacing(), m.loss(), m.weighting(), m.seed(),
				m.device(),
				m.software(), m.history(), m.extra()).write(saved);
		return to;
	}

	/** The phantom's intensities with the half x &lt; 12 set to 0, as a skull-stripped scan's background. */
	static Img< FloatType > halfZero(final Phantom p) {
		final Img< FloatType > out = p.image().copy();
		final net.imglib2.Cursor< FloatType > c = out.localizingCursor();
		while (c.hasNext())
			if (c.next() != null && c.getIntPosition(0) < 12) c.get().set(0);
		return out;
	}

	@BeforeAll
	static void exportOnce() throws IOException {
		model = dir.resolve("model");
		trainTiny(model);
		phantom = LesionPhantom.generate(new PhantomSpec().size(40, 36, 20).numLesions(4).maxRadius(5).seed(7));
		zip = dir.resolve("out").resolve("tiny.zip");
		Files.createDirectories(zip.getParent());
		result = PackageExporter.export(model, zip, new PackageOptions("Tiny lesion model (test)", List.of("Jane Doe", "John Roe"), "MIT", List.of("FLAIR")),
				new TestCase("phantom7", List.of(phantom.image()), phantom.mask()), null);
	}

	static Map< String, byte[] > entries(final Path zipFile) throws IOException {
		final Map< String, byte[] > out = new LinkedHashMap<>();
		try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zipFile))) {
			for (ZipEntry e; (e = in.getNextEntry()) != null;)
				out.put(e.getName(), in.readAllBytes());
		}
		return out;
	}

	@SuppressWarnings("unchecked")
	static Map< String, Object > map(final Object o) {
		return (Map< String, Object >) o;
	}

	@Test
	void thePackageHoldsEveryFileWithItsChecksum() throws IOException {
		final Map< String, byte[] > files = entries(zip);
		assertEquals("rdf.yaml", files.keySet().iterator().next(), "the description comes first");
		assertEquals(java.util.Set.of("rdf.yaml", "saved_model.zip", "test_input.npy", "test_output.npy", "history.csv", "cover.png", "README.md"),
				files.keySet());
		final Map< String, Object > rdf = Yaml.parseMap(new String(files.get("rdf.yaml"), StandardCharsets.UTF_8));
		assertEquals("0.5.7", rdf.get("format_version"));
		assertEquals("model", rdf.get("type"));
		assertEquals("Tiny lesion model (test)", rdf.get("name"));
		assertEquals("MIT", rdf.get("license"));
		assertEquals(List.of(Map.of("name", "Jane Doe"), Map.of("name", "John Roe")), rdf.get("authors"));
		assertEquals("10.48550/arXiv.2007.10033", map(((List< ? >) rdf.get("cite")).get(0)).get("doi"));
		// every checksum in the description is the entry's SHA-256
		final Map< String, Object > in = map(((List< ? >) rdf.get("inputs")).get(0)), out = map(((List< ? >) rdf.get("outputs")).get(0));
		final Map< String, Object > weights = map(map(rdf.get("weights")).get("tensorflow_saved_model_bundle"));
		final List< Map< String, Object > > described = new ArrayList<>(List.of(map(in.get("test_tensor")), map(out.get("test_tensor")), weights));
		for (final Object a : (List< ? >) rdf.get("attachments"))
			described.add(map(a));
		for (final Map< String, Object > d : described)
			assertEquals(PackageExporter.sha256(files.get((String) d.get("source"))), d.get("sha256"), String.valueOf(d.get("source")));
		final Map< String, Object > ours = map(map(rdf.get("config")).get("lesion_weighting"));
		assertEquals(PackageExporter.sha256(files.get("README.md")), map(ours.get("sha256")).get("README.md"));
		assertEquals(PackageExporter.sha256(files.get("cover.png")), map(ours.get("sha256")).get("cover.png"));
		assertEquals(result.sha256().get("saved_model.zip"), weights.get("sha256"));
		assertEquals(List.of("history.csv"), ((List< ? >) rdf.get("attachments")).stream().map(a -> map(a).get("source")).toList());
		assertEquals("zscore", ours.get("preprocessing"));
		assertEquals(true, ours.get("preprocessing_exact_in_spec"));
		// the weights zip is the SavedModel folder
		try (ZipInputStream w = new ZipInputStream(new ByteArrayInputStream(files.get("saved_model.zip")))) {
			final List< String > names = new ArrayList<>();
			for (ZipEntry e; (e = w.getNextEntry()) != null;)
				names.add(e.getName());
			assertTrue(names.containsAll(List.of("saved_model.pb", "model.json", "variables/variables.index")), names.toString());
		}
	}

	@Test
	void axesAndPreprocessingFollowTheNetworkAndTheSpec() throws IOException {
		final Map< String, Object > rdf = Yaml.parseMap(new String(entries(zip).get("rdf.yaml"), StandardCharsets.UTF_8));
		final Map< String, Object > in = map(((List< ? >) rdf.get("inputs")).get(0)), out = map(((List< ? >) rdf.get("outputs")).get(0));
		final List< ? > axes = (List< ? >) in.get("axes");
		assertEquals(Map.of("type", "batch"), axes.get(0));
		for (int a = 1; a <= 3; a++) {
			final Map< String, Object > ax = map(axes.get(a));
			assertEquals(List.of("z", "y", "x").get(a - 1), ax.get("id"));
			assertEquals(Map.of("min", 2L, "step", 2L), ax.get("size"), "one pooling level: multiples of 2");
			assertEquals("millimeter", ax.get("unit"));
			assertEquals(1.0, ax.get("scale"));
		}
		assertEquals(List.of("FLAIR"), map(axes.get(4)).get("channel_names"));
		assertEquals(Map.of("tensor_id", "image", "axis_id", "y"), map(((List< ? >) out.get("axes")).get(2)).get("size"));
		assertEquals(List.of("lesion"), map(((List< ? >) out.get("axes")).get(4)).get("channel_names"));
		assertEquals(Preprocessing.ZSCORE, SpecPreprocessing.fromSpec((List< ? >) in.get("preprocessing")));
		assertEquals("sigmoid", map(((List< ? >) out.get("postprocessing")).get(0)).get("id"));
	}

	/** The crop (≤ 64, multiples of 2, centred on the lesions) and the output the SavedModel gives for it. */
	@Test
	void theTestOutputIsTheModelsProbabilityOfThePreprocessedCrop() throws IOException {
		final Map< String, byte[] > files = entries(zip);
		final Npy.Array input = Npy.fromBytes(files.get("test_input.npy"), "in"), output = Npy.fromBytes(files.get("test_output.npy"), "out");
		assertArrayEquals(new long[] { 1, 20, 36, 40, 1 }, input.shape(), "the whole phantom fits: 40 × 36 × 20 are multiples of 2");
		assertArrayEquals(new long[] { 1, 20, 36, 40, 1 }, output.shape());
		assertArrayEquals(new long[] { 0, 0, 0 }, result.cropMin());
		int i = 0;
		for (final FloatType t : Views.flatIterable(phantom.image()))
			assertEquals(t.get(), input.data()[i++], "the test input is raw");
		final float[] prepared = Preprocessing.ZSCORE.apply(phantom.image());
		try (SegmentationModel m = SegmentationModel.load(model, Device.CPU)) {
			assertArrayEquals(m.predictProbabilities(prepared, 1, 20, 36, 40), output.data());
		}
	}

	@Test
	void theCoverIsAPngOfTwoSquares() throws IOException {
		final BufferedImage cover = ImageIO.read(new ByteArrayInputStream(entries(zip).get("cover.png")));
		assertEquals(2 * cover.getHeight(), cover.getWidth());
		assertTrue(cover.getHeight() >= 256, "at least 256 pixels high: " + cover.getHeight());
		final String readme = new String(entries(zip).get("README.md"), StandardCharsets.UTF_8);
		assertTrue(readme.contains("## Validation") && readme.contains("| loss | dice |") && readme.contains("phantom7"), readme);
	}

	@Test
	void theCropIsCentredOnTheLesionsAndFitsTheNetwork() {
		final Img< net.imglib2.type.numeric.integer.UnsignedByteType > label = net.imglib2.img.array.ArrayImgs.unsignedBytes(100, 50, 30);
		final var ra = label.randomAccess();
		ra.setPosition(new int[] { 90, 10, 5 });
		ra.get().set(1);
		final long[][] c = PackageExporter.crop(new long[] { 100, 50, 30 }, 8, 64, label);
		assertArrayEquals(new long[] { 64, 48, 24 }, c[1], "largest multiples of 8 up to 64 and the image size");
		assertArrayEquals(new long[] { 36, 0, 0 }, c[0], "centred on (90.5, 10.5, 5.5), moved inside the image");
		assertArrayEquals(new long[] { 18, 1, 3 }, PackageExporter.crop(new long[] { 100, 50, 30 }, 8, 64, null)[0], "no lesion: the centre");
		assertThrows(IllegalArgumentException.class, () -> PackageExporter.crop(new long[] { 100, 50, 4 }, 8, 64, null));
	}

	/** The round trip: segmenting from the zip gives the probabilities of the model folder, bit for bit. */
	@Test
	void segmentingFromThePackageEqualsSegmentingFromTheFolder() throws IOException {
		final Phantom p = LesionPhantom.generate(new PhantomSpec().size(30, 26, 18).numLesions(3).maxRadius(4).seed(11));
		final TilingOptions options = new TilingOptions().patchSize(16).stride(12).outputs(EnumSet.of(InferenceOutput.PROBABILITIES));
		final InferenceResult folder = ModelInference.segment(model, List.of(p.image()), new double[] { 1, 1, 1 }, options, Device.CPU, null, null);
		final InferenceResult packaged;
		try (ModelPackage m = ModelPackage.open(zip)) {
			assertTrue(m.isPackage());
			assertEquals(Preprocessing.ZSCORE, m.preprocessing());
			packaged = ModelInference.segment(m.modelFolder(), List.of(p.image()), new double[] { 1, 1, 1 }, options, Device.CPU, null, null);
		}
		final float[] a = new float[30 * 26 * 18], b = new float[a.length];
		int i = 0;
		for (final FloatType t : Views.flatIterable(folder.probabilities()))
			a[i++] = t.get();
		i = 0;
		for (final FloatType t : Views.flatIterable(packaged.probabilities()))
			b[i++] = t.get();
		assertArrayEquals(a, b);
	}

	@Test
	void verifyReproducesTheTestOutput() throws IOException {
		final Map< String, Object > v = PackageJobs.verify(zip, Device.CPU, null, null);
		assertEquals(true, v.get("passed"), v.toString());
		assertTrue(((Number) v.get("max_abs_difference")).doubleValue() <= 1e-6, v.toString());
		assertEquals(20L * 36 * 40, v.get("voxels"));
	}

	/** zscore_nonzero: the spec's zero_mean_unit_variance in rdf.yaml, the exact rule in the suite (verified). */
	@Test
	void zscoreNonzeroPackagesKeepTheExactRule() throws IOException {
		final Path nonzero = withPreprocessing(model, dir.resolve("nonzero"), Preprocessing.ZSCORE_NONZERO);
		final Path z = dir.resolve("nonzero.zip");
		PackageExporter.export(nonzero, z, new PackageOptions("Tiny lesion model (nonzero)", List.of("Jane Doe"), "MIT", null),
				new TestCase("half", List.of(halfZero(phantom)), phantom.mask()), null);
		final Map< String, Object > rdf = Yaml.parseMap(new String(entries(z).get("rdf.yaml"), StandardCharsets.UTF_8));
		assertEquals(false, map(map(rdf.get("config")).get("lesion_weighting")).get("preprocessing_exact_in_spec"));
		try (ModelPackage m = ModelPackage.open(z)) {
			assertEquals(Preprocessing.ZSCORE_NONZERO, m.preprocessing());
		}
		final Map< String, Object > v = PackageJobs.verify(z, Device.CPU, null, null);
		assertTrue(((Number) v.get("max_abs_difference")).doubleValue() <= 1e-6, v.toString());
		assertTrue(new String(entries(z).get("README.md"), StandardCharsets.UTF_8).contains("approximate it"), "the README says so");
	}

	@Test
	void aChangedFileIsRefusedByItsChecksum() throws IOException {
		final Path damaged = dir.resolve("damaged.zip");
		try (OutputStream o = Files.newOutputStream(damaged); ZipOutputStream z = new ZipOutputStream(o)) {
			for (final Map.Entry< String, byte[] > e : entries(zip).entrySet()) {
				z.putNextEntry(new ZipEntry(e.getKey()));
				final byte[] data = e.getValue().clone();
				if (e.getKey().equals("test_output.npy")) data[data.length - 1] ^= 1;
				z.write(data);
				z.closeEntry();
			}
		}
		final IOException e = assertThrows(IOException.class, () -> ModelPackage.open(damaged));
		assertTrue(e.getMessage().contains("test_output.npy") && e.getMessage().contains("SHA-256"), e.getMessage());
	}

	@Test
	void exportRefusesBadOptionsBeforeWriting() {
		assertThrows(IllegalArgumentException.class, () -> new PackageOptions("a/b", List.of("x"), "MIT", null));
		assertThrows(IllegalArgumentException.class, () -> new PackageOptions("Good name", List.of("a/b"), "MIT", null));
		assertThrows(IllegalArgumentException.class, () -> new PackageOptions("Good name", List.of("x"), "my licence", null));
		final Path txt = dir.resolve("x.txt");
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PackageExporter.export(model, txt,
				new PackageOptions("Good name", List.of("x"), "MIT", null), new TestCase("p", List.of(phantom.image()), null), null));
		assertTrue(e.getMessage().contains(".zip"), e.getMessage());
		assertFalse(Files.exists(txt));
		assertEquals(List.of("FLAIR", "T2_w", "c0", "None_"),
				new PackageOptions("Good name", List.of("x"), "MIT", List.of("FLAIR", "T2-w", "0", "None")).channelNames(4));
	}
}
