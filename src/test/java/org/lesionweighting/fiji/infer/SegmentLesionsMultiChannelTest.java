package org.lesionweighting.fiji.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.fiji.CommandTestSupport;
import org.lesionweighting.fiji.MacroRunner;
import org.lesionweighting.io.VolumeGeometry;
import org.lesionweighting.io.VolumeIO;
import org.lesionweighting.tf.infer.InferenceOutput;
import org.lesionweighting.tf.infer.InferenceResult;
import org.lesionweighting.tf.infer.ModelInference;
import org.lesionweighting.tf.infer.TestModels;
import org.lesionweighting.tf.infer.TilingOptions;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.util.ProgressListener;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * Segment Lesions with a 2-channel model (a 3³ convolution over both channels): a 2-channel hyperstack, an nnU-Net
 * {@code _0000} file with its {@code _0001} sibling, an explicit {@code channel_files} list and the worker all give
 * the probabilities of {@link ModelInference#segment} with the two channels.
 */
class SegmentLesionsMultiChannelTest {

	private static final int W = 12, H = 10, D = 8;

	private static Context ctx;

	@TempDir
	static Path dir;

	static Path model;

	static float[][] channels;

	static float[] expected;

	@BeforeAll
	static void setUp() throws Exception {
		ctx = new Context();
		ctx.service(LogService.class).setLevel("org.scijava", LogLevel.NONE);
		model = dir.resolve("model2");
		TestModels.exportConv(model, 2);
		final SplittableRandom r = new SplittableRandom(5);
		channels = new float[2][W * H * D];
		for (final float[] c : channels)
			for (int i = 0; i < c.length; i++)
				c[i] = (float) r.nextGaussian();
		final List< RandomAccessibleInterval< ? extends RealType< ? > > > in = List.of(ArrayImgs.floats(channels[0], W, H, D),
				ArrayImgs.floats(channels[1], W, H, D));
		final InferenceResult ref = ModelInference.segment(model, in, new double[] { 1, 1, 2 },
				new TilingOptions().patchSize(8).stride(6).outputs(EnumSet.of(InferenceOutput.PROBABILITIES)), Device.CPU, ProgressListener.NONE, null);
		expected = floats(ref.probabilities());
		// the second channel matters: the model applied to channel 0 twice gives other probabilities
		final float[] same = floats(ModelInference
				.segment(model, List.of(in.get(0), in.get(0)), null,
						new TilingOptions().patchSize(8).stride(6).outputs(EnumSet.of(InferenceOutput.PROBABILITIES)), Device.CPU, ProgressListener.NONE, null)
				.probabilities());
		assertTrue(maxDifference(expected, same) > 1e-3, "channel 1 changes the result");
	}

	@AfterAll
	static void dispose() {
		ctx.dispose();
	}

	private static float[] floats(final RandomAccessibleInterval< ? extends RealType< ? > > rai) {
		final float[] out = new float[W * H * D];
		int i = 0;
		for (final RealType< ? > t : Views.flatIterable(rai))
			out[i++] = t.getRealFloat();
		assertEquals(out.length, i);
		return out;
	}

	private static float[] floats(final ImagePlus imp) {
		final float[] out = new float[W * H * D];
		for (int z = 0; z < imp.getStackSize(); z++)
			System.arraycopy((float[]) imp.getStack().getProcessor(z + 1).convertToFloat().getPixels(), 0, out, z * W * H, W * H);
		return out;
	}

	private static double maxDifference(final float[] a, final float[] b) {
		double m = 0;
		for (int i = 0; i < a.length; i++)
			m = Math.max(m, Math.abs(a[i] - b[i]));
		return m;
	}

	/** A single-channel 32-bit image of {@code channels[c]}, voxel size 1, 1, 2. */
	private static ImagePlus channelImage(final int c, final String title) {
		final ImageStack s = new ImageStack(W, H);
		for (int z = 0; z < D; z++) {
			final float[] px = new float[W * H];
			System.arraycopy(channels[c], z * W * H, px, 0, W * H);
			s.addSlice(null, px);
		}
		final ImagePlus imp = new ImagePlus(title, s);
		imp.getCalibration().pixelDepth = 2;
		return imp;
	}

	/** Writes {@code channels[c]} as NIfTI with voxel size 1, 1, 2. */
	private static Path channelFile(final int c, final Path file) throws Exception {
		Files.createDirectories(file.getParent());
		VolumeIO.write(file, ArrayImgs.floats(channels[c].clone(), W, H, D), VolumeGeometry.ofSpacing(1, 1, 2));
		return file;
	}

	private static CommandModule run(final Object... inputs) throws Exception {
		final List< Object > all = new ArrayList<>(
				List.of("model", model.toFile(), "outputs", "probabilities", "patch_size", "8", "stride", "6", "device", "cpu"));
		all.addAll(List.of(inputs));
		return ctx.service(CommandService.class).run(SegmentLesionsCommand.class, true, all.toArray()).get();
	}

	@Test
	void aTwoChannelHyperstackGivesTheProbabilitiesOfTheJavaApi() throws Exception {
		final ImagePlus imp = IJ.createImage("flair-t2.tif", "32-bit black", W, H, 2, D, 1);
		for (int c = 0; c < 2; c++)
			for (int z = 0; z < D; z++)
				System.arraycopy(channels[c], z * W * H, (float[]) imp.getStack().getPixels(imp.getStackIndex(c + 1, z + 1, 1)), 0, W * H);
		imp.getCalibration().pixelDepth = 2;
		final ImagePlus p = (ImagePlus) run("image", imp, "engine", "in_process").getOutput("probabilities");
		assertEquals("flair-t2-probabilities", p.getTitle());
		assertEquals(D, p.getNSlices());
		assertEquals(2, p.getCalibration().pixelDepth, "the calibration of the first channel");
		assertArrayEquals(expected, floats(p));
	}

	@Test
	void anNnUNetFirstChannelFileBringsItsSiblings() throws Exception {
		final Path first = channelFile(0, dir.resolve("imagesTs/caseA_0000.nii.gz"));
		channelFile(1, dir.resolve("imagesTs/caseA_0001.nii.gz"));
		final ImagePlus p = (ImagePlus) run("input", first.toFile(), "engine", "in_process").getOutput("probabilities");
		assertEquals("caseA-probabilities", p.getTitle(), "titled after the case");
		assertEquals(2, p.getCalibration().pixelDepth, 1e-6);
		assertArrayEquals(expected, floats(p));
	}

	/** Regression: Fiji fills the image parameter with the active image, and image + input was an error ("not both"). */
	@Test
	void anInputFileWinsOverTheOpenImageThatFijiFillsIn() throws Exception {
		final Path first = channelFile(0, dir.resolve("active/caseC_0000.nii.gz"));
		channelFile(1, dir.resolve("active/caseC_0001.nii.gz"));
		final ImagePlus p = (ImagePlus) run("input", first.toFile(), "image", channelImage(0, "unrelated.tif"), "engine", "in_process")
				.getOutput("probabilities");
		assertEquals("caseC-probabilities", p.getTitle());
		assertArrayEquals(expected, floats(p), "the two channels of the files, not the open one-channel image");
	}

	@Test
	void siblingsAreFoundInOrderWithTheSameExtension() throws Exception {
		final Path first = channelFile(0, dir.resolve("sib/p7_0000.nii.gz"));
		channelFile(1, dir.resolve("sib/p7_0001.nii.gz"));
		channelFile(1, dir.resolve("sib/p7_0002.nii.gz"));
		channelFile(1, dir.resolve("sib/p7_0001.nii"));
		assertEquals(List.of(first, dir.resolve("sib/p7_0001.nii.gz"), dir.resolve("sib/p7_0002.nii.gz")), SegmentationInputs.siblings(first, 3));
		assertEquals("p7", SegmentationInputs.caseName(first));
		assertEquals(null, SegmentationInputs.caseName(dir.resolve("sib/p7_0001.nii.gz")));
		assertEquals(null, SegmentationInputs.caseName(dir.resolve("sib/p7_0000.txt")));
		assertEquals(List.of(Path.of("a b.nii"), Path.of("/x/c.tif")), SegmentationInputs.parseList("T", " a b.nii ;; /x/c.tif;"));
	}

	@Test
	void anExplicitChannelListFromAMacroGivesTheSameProbabilities() throws Exception {
		final Path flair = channelFile(0, dir.resolve("list/flair.nii"));
		final Path t2 = dir.resolve("list/t2.tif");
		IJ.saveAsTiff(channelImage(1, "t2"), t2.toString());
		final Path out = dir.resolve("list/out-probabilities.nii");
		// an open image (the macro bridge passes the current image as 'image') does not get in the way
		MacroRunner.run(ctx,
				"newImage(\"distractor\", \"32-bit black\", 6, 6, 6);\nrun(\"Segment Lesions\", \"model=[" + model + "] channel_files=[" + flair + ";" + t2
						+ "] outputs=probabilities patch_size=8 stride=6 device=cpu engine=in_process probabilities_path=[" + out + "]\");\nclose(\"*\");\n",
				"");
		assertArrayEquals(expected, floats(VolumeIO.read(out).requireSingle3D("test")));
	}

	@Test
	void theFolderMacroSegmentsEachNnUNetCaseOnceFromItsFirstChannel() throws Exception {
		final Path images = dir.resolve("macro/imagesTs");
		for (final String c : new String[] { "caseA", "caseC" }) {
			channelFile(0, images.resolve(c + "_0000.nii.gz"));
			channelFile(1, images.resolve(c + "_0001.nii.gz"));
		}
		final String n = MacroRunner.runFile(ctx, Path.of("macros", "segment_folder.ijm"),
				model + "|" + images + "|patch_size=8 stride=6 device=cpu engine=in_process");
		assertEquals("2", n);
		try (var files = Files.list(images.resolve("segmentation"))) {
			assertEquals(List.of("caseA-mask.tif", "caseA-probabilities.tif", "caseC-mask.tif", "caseC-probabilities.tif"),
					files.map(f -> f.getFileName().toString()).sorted().toList());
		}
		assertArrayEquals(expected, floats(IJ.openImage(images.resolve("segmentation/caseC-probabilities.tif").toString())));
	}

	@Test
	void theWorkerGetsEveryChannel() throws Exception {
		// one channel passed as its NIfTI file, the other (TIFF) as a temporary NIfTI: both branches of the worker path
		final Path flair = channelFile(0, dir.resolve("worker/flair.nii.gz"));
		final Path t2 = dir.resolve("worker/t2.tif");
		IJ.saveAsTiff(channelImage(1, "t2"), t2.toString());
		final ImagePlus p = (ImagePlus) run("channel_files", flair + ";" + t2, "engine", "worker").getOutput("probabilities");
		assertEquals("flair-probabilities", p.getTitle());
		assertEquals(2, p.getCalibration().pixelDepth, 1e-6);
		assertArrayEquals(expected, floats(p));
	}

	@Test
	void aMissingSiblingNamesTheExpectedFile() throws Exception {
		final Path first = channelFile(0, dir.resolve("lonely/caseB_0000.nii.gz"));
		final ExecutionException e = assertThrows(ExecutionException.class, () -> run("input", first.toFile()));
		assertTrue(CommandTestSupport.messages(e).contains(dir.resolve("lonely/caseB_0001.nii.gz").toAbsolutePath().toString()),
				CommandTestSupport.messages(e));
	}

	@Test
	void channelsOfDifferentSizesAreRejectedNamingBothShapes() throws Exception {
		final Path a = channelFile(0, dir.resolve("sizes/a.nii"));
		final Path b = dir.resolve("sizes/b.nii");
		VolumeIO.write(b, ArrayImgs.floats(W, H, D + 2), VolumeGeometry.ofSpacing(1, 1, 2));
		final ExecutionException e = assertThrows(ExecutionException.class, () -> run("channel_files", a + ";" + b));
		final String m = CommandTestSupport.messages(e);
		assertTrue(m.contains("all channels must have the same dimensions"), m);
		assertTrue(m.contains("[12, 10, 10]") && m.contains("[12, 10, 8]") && m.contains("channel_files"), m);
	}

	@Test
	void aSingleChannelImageForATwoChannelModelSaysWhatToGive() {
		final ExecutionException e = assertThrows(ExecutionException.class, () -> run("image", channelImage(0, "flair.tif")));
		final String m = CommandTestSupport.messages(e);
		assertTrue(m.contains("expects 2 input channel(s)") && m.contains("'flair.tif' has 1 channel(s)") && m.contains("channel_files"), m);
	}

	@Test
	void aFileOutsideTheNnUNetNamingSaysHowToNameOrListTheChannels() throws Exception {
		final Path f = channelFile(0, dir.resolve("plain/flair.nii.gz"));
		final ExecutionException e = assertThrows(ExecutionException.class, () -> run("input", f.toFile()));
		final String m = CommandTestSupport.messages(e);
		assertTrue(m.contains("expects 2 input channel(s)") && m.contains("<case>_0000") && m.contains("channel_files"), m);
	}

	@Test
	void aListOfTheWrongLengthIsRejected() throws Exception {
		final Path f = channelFile(0, dir.resolve("one/flair.nii"));
		final ExecutionException e = assertThrows(ExecutionException.class, () -> run("channel_files", f + ";" + f + ";" + f));
		assertTrue(CommandTestSupport.messages(e).contains("'channel_files' lists 3 file(s)"), CommandTestSupport.messages(e));
	}

	@Test
	void severalTimePointsAreRejected() {
		final ImagePlus imp = IJ.createImage("movie", "32-bit black", W, H, 2, D, 3);
		final ExecutionException e = assertThrows(ExecutionException.class, () -> run("image", imp));
		assertTrue(CommandTestSupport.messages(e).contains("t=3 time points"), CommandTestSupport.messages(e));
	}

	@Test
	void inputAndChannelFilesTogetherAreRejected() throws Exception {
		final Path f = channelFile(0, dir.resolve("both/flair.nii"));
		final ExecutionException e = assertThrows(ExecutionException.class, () -> run("input", f.toFile(), "channel_files", f + ";" + f));
		assertTrue(CommandTestSupport.messages(e).contains("either 'input'") && CommandTestSupport.messages(e).contains("not both"),
				CommandTestSupport.messages(e));
	}

	@Test
	void hyperstackChannelsAreViewsOnTheImage() {
		final ImagePlus imp = IJ.createImage("hs", "16-bit black", 4, 3, 3, 2, 1);
		final List< RandomAccessibleInterval< ? extends RealType< ? > > > ch = org.lesionweighting.fiji.ImagePlusBridge.channels("T", "image", imp);
		assertEquals(3, ch.size());
		final net.imglib2.RandomAccess< ? extends RealType< ? > > ra = ch.get(2).randomAccess();
		ra.setPosition(new long[] { 1, 2, 1 });
		ra.get().setReal(77);
		assertEquals(77, imp.getStack().getProcessor(imp.getStackIndex(3, 2, 1)).get(1, 2), "channel 3, slice 2 changed in place");
		assertEquals(0, imp.getStack().getProcessor(imp.getStackIndex(2, 2, 1)).get(1, 2));
		assertArrayEquals(new long[] { 4, 3, 2 }, net.imglib2.util.Intervals.dimensionsAsLongArray(ch.get(0)));
	}
}
