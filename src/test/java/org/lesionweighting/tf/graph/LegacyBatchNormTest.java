package org.lesionweighting.tf.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lesionweighting.tf.grad.Conv3dGradients;
import org.lesionweighting.tf.model.SegmentationModel;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The new graph (fused or elementary training-pass batch norm, inference pass with folded batch norms) against the
 * elementary-op batch norm with a {@code training} placeholder it replaced. The fixture {@code legacy-batchnorm.zip}
 * was made by the code before the change (main at 90f2661): a SavedModel of {@code SMALL.withWidths(2, 4)} with
 * random scales and shifts and moving statistics after two updates, and {@code expected.bin} with, for the input
 * {@code random(1024, 1)} of shape 2×8³×1: the inference logits, the training-mode logits, the gradients of
 * Σ training logits · {@code random(1024, 4)} with respect to every trainable variable, and the moving statistics
 * after one more update on the input (big-endian: block count, then per block its length and floats).
 */
class LegacyBatchNormTest {

	private static final UNetConfig CONFIG = UNetConfig.SMALL.withWidths(2, 4);

	private static final long[] SHAPE = { 2, 8, 8, 8, 1 };

	/** Relative-and-absolute float tolerance: the kernels sum in another order. */
	private static final float TOLERANCE = 2e-4f;

	@TempDir
	static Path dir;

	private static List< float[] > expected;

	@BeforeAll
	static void unpack() throws IOException {
		try (InputStream in = LegacyBatchNormTest.class.getResourceAsStream("legacy-batchnorm.zip")) {
			assertNotNull(in, "fixture legacy-batchnorm.zip missing");
			try (ZipInputStream zip = new ZipInputStream(in)) {
				for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
					final Path p = dir.resolve(e.getName()).normalize();
					assertTrue(p.startsWith(dir), e.getName());
					if (e.isDirectory()) Files.createDirectories(p);
					else {
						Files.createDirectories(p.getParent());
						Files.copy(zip, p);
					}
				}
			}
		}
		expected = new ArrayList<>();
		try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve("expected.bin")))) {
			final int blocks = in.readInt();
			for (int b = 0; b < blocks; b++) {
				final float[] a = new float[in.readInt()];
				for (int i = 0; i < a.length; i++)
					a[i] = in.readFloat();
				expected.add(a);
			}
		}
	}

	private static Path savedModel() {
		return dir.resolve("saved_model");
	}

	@Test
	void testLegacySavedModelLoadsAndPredictsAsWhenExported() throws IOException {
		try (SegmentationModel m = SegmentationModel.load(savedModel())) {
			assertEquals(CONFIG, m.config());
			final float[] logits = m.predictLogits(UNet3DTest.random(1024, 1), 2, 8, 8, 8);
			assertArrayEquals(expected.get(0), logits, 1e-5f);
		}
	}

	/** @param fusedMinChannels 1: every training-pass batch norm fused; {@code Integer.MAX_VALUE}: none */
	@ParameterizedTest
	@ValueSource(ints = { 1, Integer.MAX_VALUE })
	void testNewGraphReproducesLegacyOutputsGradientsAndMovingStatistics(final int fusedMinChannels) {
		Conv3dGradients.ensureRegistered();
		try (Graph g = new Graph(); Session s = new Session(g)) {
			final Ops tf = Ops.create(g);
			final Placeholder< TFloat32 > image = UNet3D.imagePlaceholder(tf, 1);
			final UNet3D.Network net = UNet3D.build(tf, CONFIG, image, UNet3D.SEED_DEFAULT, fusedMinChannels);
			final Placeholder< TFloat32 > r = tf.placeholder(TFloat32.class);
			final Operand< TFloat32 > objective = tf.reduceSum(tf.math.mul(net.trainingLogits(), r), tf.constant(new int[] { 0, 1, 2, 3, 4 }));
			final List< Variable< TFloat32 > > vars = net.trainableVariables();
			final Output< ? >[] grads = g.addGradients(objective.asOutput(), vars.stream().map(Variable::asOutput).toArray(Output< ? >[]::new));
			assertEquals(2 + grads.length + net.movingStatistics().size(), expected.size());
			// the legacy variables (same names) restore into the fused graph
			s.restore(savedModel().resolve("variables").resolve("variables").toString());
			try (TFloat32 x = UNet3DTest.tensor(UNet3DTest.random(1024, 1), SHAPE); TFloat32 rt = UNet3DTest.tensor(UNet3DTest.random(1024, 4), SHAPE)) {
				try (Result res = s.runner().feed(image, x).fetch(net.logits()).fetch(net.trainingLogits()).run()) {
					assertClose("inference logits", expected.get(0), UNet3DTest.toArray((TFloat32) res.get(0)));
					assertClose("training logits", expected.get(1), UNet3DTest.toArray((TFloat32) res.get(1)));
				}
				final Session.Runner gr = s.runner().feed(image, x).feed(r, rt);
				for (final Output< ? > o : grads)
					gr.fetch(o);
				try (Result res = gr.run()) {
					for (int i = 0; i < grads.length; i++)
						assertClose("gradient of " + vars.get(i).op().name(), expected.get(2 + i), UNet3DTest.toArray((TFloat32) res.get(i)));
				}
				s.runner().feed(image, x).addTarget(net.updateOp()).run();
				final Session.Runner mr = s.runner();
				for (final Variable< TFloat32 > v : net.movingStatistics())
					mr.fetch(v);
				try (Result res = mr.run()) {
					for (int i = 0; i < net.movingStatistics().size(); i++)
						assertClose("updated " + net.movingStatistics().get(i).op().name(), expected.get(2 + grads.length + i),
								UNet3DTest.toArray((TFloat32) res.get(i)));
				}
			}
		}
	}

	/** |a − b| ≤ TOLERANCE · (1 + max |expected|) elementwise, so that large gradients get a relative bound. */
	private static void assertClose(final String what, final float[] want, final float[] got) {
		assertEquals(want.length, got.length, what);
		float scale = 1;
		for (final float v : want)
			scale = Math.max(scale, Math.abs(v));
		assertArrayEquals(want, got, TOLERANCE * scale, what);
	}
}
