package org.lesionweighting.tf.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.tf.graph.UNet3D;
import org.lesionweighting.tf.graph.UNetConfig;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** SavedModel export, atomic replacement, loading and bit-identical inference. */
class SegmentationModelTest {

	private static final UNetConfig CONFIG = UNetConfig.SMALL.withWidths(4, 8, 8).withInputChannels(2);

	@TempDir
	static Path shared;

	/** The trainer-style model folder; the export went to its {@code saved_model} sub-folder, replacing a stale one. */
	private static Path modelFolder;

	private static float[] input;

	private static float[] expected;

	/** One export for all tests: into a pre-existing folder with a stale file, which the export must replace. */
	@BeforeAll
	static void exportOnce() throws IOException {
		modelFolder = shared.resolve("model");
		final Path folder = modelFolder.resolve(SavedModels.FOLDER_DEFAULT);
		Files.createDirectories(folder);
		Files.writeString(folder.resolve("stale.txt"), "old");
		input = random(2 * 4 * 8 * 4 * 2, 7);
		expected = exportModel(folder, input, 2, 4, 8, 4, 2);
	}

	private static float[] random(final int n, final long seed) {
		final Random r = new Random(seed);
		final float[] a = new float[n];
		for (int i = 0; i < n; i++)
			a[i] = (float) r.nextGaussian();
		return a;
	}

	/** Builds, "trains" the moving statistics with two updates, exports, and returns the in-session logits of {@code x}. */
	private static float[] exportModel(final Path folder, final float[] x, final long... shape) throws IOException {
		try (Graph g = new Graph(); Session s = new Session(g)) {
			final Ops tf = Ops.create(g);
			final Placeholder< TFloat32 > image = UNet3D.imagePlaceholder(tf, CONFIG.inputChannels());
			final UNet3D.Network net = UNet3D.build(tf, CONFIG, image, 42);
			s.initialize();
			try (TFloat32 t1 = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(random(x.length, 1), true, false))) {
				s.runner().feed(image, t1).addTarget(net.updateOp()).run();
				s.runner().feed(image, t1).addTarget(net.updateOp()).run();
			}
			SavedModels.export(s, image, net, new ModelMetadata(CONFIG, null, null, null, "dice", "", 42, "", ModelMetadata.currentSoftware(), null, null),
					folder);
			try (TFloat32 t = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(x, true, false));
					TFloat32 out = (TFloat32) s.runner().feed(image, t).fetch(net.logits()).run().get(0)) {
				final float[] a = new float[(int) out.shape().size()];
				out.copyTo(DataBuffers.of(a, false, false));
				return a;
			}
		}
	}

	@Test
	void testRoundTripGivesBitIdenticalLogits() throws IOException {
		final Path folder = modelFolder.resolve(SavedModels.FOLDER_DEFAULT);
		assertTrue(Files.isRegularFile(folder.resolve("saved_model.pb")));
		assertTrue(Files.isRegularFile(folder.resolve("model.json")));
		try (SegmentationModel m = SegmentationModel.load(modelFolder, Device.CPU)) {
			assertEquals(CONFIG, m.config());
			assertEquals("dice", m.metadata().loss());
			assertEquals(2, m.config().inputChannels());
			assertFalse(m.device().gpu());
			final float[] logits = m.predictLogits(input, 2, 4, 8, 4);
			assertArrayEquals(expected, logits, 0f);
			final float[] p = m.predictProbabilities(input, 2, 4, 8, 4);
			for (int i = 0; i < p.length; i++)
				assertEquals(1 / (1 + Math.exp(-logits[i])), p[i], 1e-6);
			// a different window size works with the same model
			assertEquals(8 * 4 * 4, m.predictLogits(random(8 * 4 * 4 * 2, 3), 1, 8, 4, 4).length);
		}
	}

	@Test
	void testExportReplacedTheFolderWithoutLeftovers() throws IOException {
		final Path folder = modelFolder.resolve(SavedModels.FOLDER_DEFAULT);
		assertFalse(Files.exists(folder.resolve("stale.txt")));
		try (Stream< Path > s = Files.list(modelFolder)) {
			final List< String > names = s.map(p -> p.getFileName().toString()).collect(Collectors.toList());
			assertEquals(List.of(SavedModels.FOLDER_DEFAULT), names);
		}
	}

	@Test
	void testNotAModelFolder(@TempDir final Path dir) {
		final IOException e = assertThrows(IOException.class, () -> SegmentationModel.load(dir));
		assertTrue(e.getMessage().contains("not a model folder"), e.getMessage());
	}

	@Test
	void testBadWindowsRejected() throws IOException {
		try (SegmentationModel m = SegmentationModel.load(modelFolder.resolve(SavedModels.FOLDER_DEFAULT), Device.AUTO)) {
			final IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> m.predictLogits(new float[6 * 4 * 4 * 2], 1, 6, 4, 4));
			assertTrue(size.getMessage().contains("multiples of 2^2 = 4"), size.getMessage());
			final IllegalArgumentException length = assertThrows(IllegalArgumentException.class, () -> m.predictLogits(new float[64], 1, 4, 4, 4));
			assertTrue(length.getMessage().contains("128 values, but has 64"), length.getMessage());
			assertThrows(IllegalArgumentException.class, () -> m.predictLogits(new float[0], 0, 4, 4, 4));
		}
	}

	@Test
	void testMetadataMustMatchNetwork(@TempDir final Path dir) {
		final UNet3D.Network net = new UNet3D.Network(CONFIG, null, null, null, List.of(), List.of(), List.of(), null);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> SavedModels.export(null, null, net, ModelMetadata.of(UNetConfig.SMALL), dir.resolve("x")));
		assertTrue(e.getMessage().contains("ModelMetadata.of(net.config())"), e.getMessage());
		assertFalse(Files.exists(dir.resolve("x")));
	}
}
