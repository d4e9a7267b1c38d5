package org.lesionweighting.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.Calibration;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

class ImagePlusBridgeTest {

	@Test
	void wrapsEightBitAsUnsignedBytesWithoutCopy() {
		final ImagePlus imp = IJ.createImage("a", "8-bit black", 5, 4, 3);
		final RandomAccessibleInterval< ? extends RealType< ? > > rai = ImagePlusBridge.wrap(imp);
		assertArrayEquals(new long[] { 5, 4, 3 }, Intervals.dimensionsAsLongArray(rai));
		assertInstanceOf(UnsignedByteType.class, rai.getType());
		final RandomAccess< ? extends RealType< ? > > ra = rai.randomAccess();
		ra.setPosition(new long[] { 3, 2, 1 });
		ra.get().setReal(200);
		assertEquals(200, TestImages.get(imp, 3, 2, 1));
		TestImages.set(imp, 4, 3, 2, 17);
		ra.setPosition(new long[] { 4, 3, 2 });
		assertEquals(17, ra.get().getRealDouble());
	}

	@Test
	void wrapsSixteenAndThirtyTwoBit() {
		final ImagePlus s = IJ.createImage("s", "16-bit black", 3, 3, 2);
		TestImages.set(s, 1, 1, 1, 60000);
		final RandomAccessibleInterval< ? extends RealType< ? > > a = ImagePlusBridge.wrap(s);
		assertInstanceOf(UnsignedShortType.class, a.getType());
		final RandomAccess< ? extends RealType< ? > > ra = a.randomAccess();
		ra.setPosition(new long[] { 1, 1, 1 });
		assertEquals(60000, ra.get().getRealDouble());
		final ImagePlus f = IJ.createImage("f", "32-bit black", 3, 3, 2);
		final RandomAccessibleInterval< ? extends RealType< ? > > b = ImagePlusBridge.wrap(f);
		assertInstanceOf(FloatType.class, b.getType());
		final RandomAccess< ? extends RealType< ? > > rb = b.randomAccess();
		rb.setPosition(new long[] { 2, 0, 1 });
		rb.get().setReal(-1.5);
		assertEquals(-1.5, TestImages.get(f, 2, 0, 1));
	}

	@Test
	void twoDimensionalImageIsVolumeOfDepthOne() {
		final ImagePlus imp = IJ.createImage("flat", "8-bit black", 7, 6, 1);
		assertArrayEquals(new long[] { 7, 6, 1 }, Intervals.dimensionsAsLongArray(ImagePlusBridge.wrap(imp)));
	}

	@Test
	void rejectsRgbNamingDimensions() {
		final ImagePlus rgb = IJ.createImage("rgb", "RGB black", 4, 4, 2);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImagePlusBridge.wrap(rgb));
		assertTrue(e.getMessage().contains("RGB") && e.getMessage().contains("z=2"), e.getMessage());
	}

	@Test
	void rejectsChannelsAndTimePointsNamingThem() {
		final ImagePlus hyper = IJ.createImage("hyper", "8-bit black", 4, 4, 2 * 3 * 5);
		hyper.setDimensions(2, 3, 5);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImagePlusBridge.wrap(hyper));
		assertTrue(e.getMessage().contains("c=2") && e.getMessage().contains("z=3") && e.getMessage().contains("t=5"), e.getMessage());
	}

	@Test
	void rejectsNaNInFloatImage() {
		final ImagePlus f = IJ.createImage("f", "32-bit black", 3, 3, 2);
		TestImages.set(f, 2, 1, 1, Float.NaN);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImagePlusBridge.wrapFinite("Op", "image", f));
		assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("[2, 1, 1]"), e.getMessage());
	}

	@Test
	void calibrationBecomesVoxelSizeUnitAndOrigin() {
		final ImagePlus imp = IJ.createImage("c", "8-bit black", 3, 3, 2);
		final Calibration cal = imp.getCalibration();
		cal.pixelWidth = 0.5;
		cal.pixelHeight = 0.75;
		cal.pixelDepth = 3;
		cal.setUnit("mm");
		cal.xOrigin = 4; // voxel 4 is at x = 0, so voxel 0 is at -2 mm
		assertArrayEquals(new double[] { 0.5, 0.75, 3 }, ImagePlusBridge.voxelSize(imp));
		assertEquals("mm", ImagePlusBridge.unit(imp));
		assertArrayEquals(new double[] { -2, 0, 0 }, ImagePlusBridge.origin(imp), 1e-12);
	}

	@Test
	void voxelSizeRoundTripsThroughCalibration() {
		final ImagePlus imp = IJ.createImage("c", "8-bit black", 3, 3, 2);
		ImagePlusBridge.setCalibration(imp, new double[] { 0.9, 0.8, 2.5 }, "mm", new double[] { -10, 5, 7.5 });
		assertArrayEquals(new double[] { 0.9, 0.8, 2.5 }, ImagePlusBridge.voxelSize(imp));
		assertArrayEquals(new double[] { -10, 5, 7.5 }, ImagePlusBridge.origin(imp), 1e-12);
		assertEquals("mm", ImagePlusBridge.unit(imp));
		assertThrows(IllegalArgumentException.class, () -> ImagePlusBridge.setCalibration(imp, new double[] { 1, 0, 1 }, "mm", null));
	}

	@Test
	void copiesTypesToMatchingImagePlusTypes() {
		final Img< UnsignedByteType > b = ArrayImgs.unsignedBytes(4, 3, 2);
		b.randomAccess().setPositionAndGet(1, 2, 1).set(250);
		final ImagePlus ib = ImagePlusBridge.toImagePlus(b, "b");
		assertEquals(8, ib.getBitDepth());
		assertEquals(2, ib.getStackSize());
		assertEquals(250, TestImages.get(ib, 1, 2, 1));
		final Img< FloatType > f = ArrayImgs.floats(4, 3);
		f.randomAccess().setPositionAndGet(3, 0).set(0.25f);
		final ImagePlus iflt = ImagePlusBridge.toImagePlus(f, "f");
		assertEquals(32, iflt.getBitDepth());
		assertEquals(1, iflt.getStackSize());
		assertEquals(0.25, TestImages.get(iflt, 3, 0, 0));
	}

	@Test
	void labelsUpTo65535BecomeSixteenBit() {
		final Img< IntType > l = ArrayImgs.ints(3, 2, 2);
		l.randomAccess().setPositionAndGet(2, 1, 1).set(65535);
		final ImagePlus imp = ImagePlusBridge.toImagePlus(l, "l");
		assertEquals(16, imp.getBitDepth());
		assertEquals(65535, TestImages.get(imp, 2, 1, 1));
	}

	@Test
	void labelsAbove65535BecomeExactFloat() {
		final Img< IntType > l = ArrayImgs.ints(3, 2, 2);
		l.randomAccess().setPositionAndGet(2, 1, 1).set(70001);
		l.randomAccess().setPositionAndGet(0, 0, 0).set((1 << 24) - 1);
		final ImagePlus imp = ImagePlusBridge.toImagePlus(l, "l");
		assertEquals(32, imp.getBitDepth());
		assertEquals(70001, TestImages.get(imp, 2, 1, 1));
		assertEquals((1 << 24) - 1, TestImages.get(imp, 0, 0, 0));
	}

	@Test
	void labelsBeyondFloatPrecisionAreRejected() {
		final Img< IntType > l = ArrayImgs.ints(2, 2, 1);
		l.randomAccess().setPositionAndGet(1, 1, 0).set((1 << 24) + 1);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImagePlusBridge.toImagePlus(l, "l"));
		assertTrue(e.getMessage().contains(Integer.toString((1 << 24) + 1)), e.getMessage());
	}

	@Test
	void roundTripPreservesValues() {
		final ImagePlus imp = TestImages.mask();
		@SuppressWarnings({ "unchecked", "rawtypes" })
		final ImagePlus back = ImagePlusBridge.toImagePlus((RandomAccessibleInterval) ImagePlusBridge.wrap(imp), "back");
		assertEquals(8, back.getBitDepth());
		for (int z = 0; z < 4; z++)
			for (int y = 0; y < 10; y++)
				for (int x = 0; x < 12; x++)
					assertEquals(TestImages.get(imp, x, y, z), TestImages.get(back, x, y, z));
	}
}
