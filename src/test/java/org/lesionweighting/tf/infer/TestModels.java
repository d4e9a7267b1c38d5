package org.lesionweighting.tf.infer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.lesionweighting.tf.graph.TensorNames;
import org.lesionweighting.tf.graph.UNet3D;
import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.tf.model.ModelMetadata;
import org.lesionweighting.tf.model.SavedModels;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

/** Tiny deterministic SavedModels exported in tests with this project's signature contract. */
public final class TestModels {

	private TestModels() {}

	/**
	 * One 3×3×3 convolution ("same" zero padding) with fixed pseudo-random weights plus a bias: translation-equivariant
	 * up to padding effects one voxel deep.
	 */
	public static void exportConv(final Path dir, final int channels) throws IOException {
		try (Graph g = new Graph(); Session s = new Session(g)) {
			final Ops tf = Ops.create(g);
			final Placeholder< TFloat32 > image = tf.withName(TensorNames.IMAGE_OP).placeholder(TFloat32.class,
					Placeholder.shape(Shape.of(-1, -1, -1, -1, channels)));
			final float[] w = new float[27 * channels];
			final Random r = new Random(42);
			for (int i = 0; i < w.length; i++)
				w[i] = (float) r.nextGaussian() * 0.5f;
			final Operand< TFloat32 > filter = tf.constant(Shape.of(3, 3, 3, channels, 1), DataBuffers.of(w));
			final Operand< TFloat32 > conv = tf.nn.conv3d(image, filter, List.of(1L, 1L, 1L, 1L, 1L), "SAME");
			final Operand< TFloat32 > logits = tf.withName(TensorNames.LOGITS_OP).identity(tf.math.add(conv, tf.constant(-0.25f)));
			final Signature sig = Signature.builder().key(TensorNames.SIGNATURE_KEY).input(TensorNames.INPUT_IMAGE, image)
					.output(TensorNames.OUTPUT_LOGITS, logits).build();
			SavedModelBundle.exporter(dir.toString()).withTags(TensorNames.TAG).withFunction(s.function(sig)).export();
		}
		// metadata of a one-level network: windows must be multiples of 2
		ModelMetadata.of(UNetConfig.SMALL.withWidths(2, 2).withInputChannels(channels)).write(dir);
	}

	/** The SMALL U-Net of tfnet with its seeded initial weights (inference mode, moving statistics). */
	public static void exportUNet(final Path dir) throws IOException {
		try (Graph g = new Graph(); Session s = new Session(g)) {
			final Ops tf = Ops.create(g);
			final Placeholder< TFloat32 > image = UNet3D.imagePlaceholder(tf, 1);
			final UNet3D.Network net = UNet3D.build(tf, UNetConfig.SMALL, image);
			s.initialize();
			SavedModels.export(s, image, net,
					new ModelMetadata(UNetConfig.SMALL, null, null, List.of(1.0, 1.0, 1.0), "", "", 0, "", ModelMetadata.currentSoftware(), null, null), dir);
		}
	}

	/** A volume of uniform random values in [-1, 1) from {@code new Random(seed)}, x fastest. */
	public static Img< FloatType > randomVolume(final long seed, final long... dims) {
		final Img< FloatType > img = ArrayImgs.floats(dims);
		final Random r = new Random(seed);
		for (final FloatType t : img)
			t.set(r.nextFloat() * 2 - 1);
		return img;
	}
}
