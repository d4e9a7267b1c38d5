package org.lesionweighting.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lesionweighting.label.Connectivity;
import org.lesionweighting.label.Lesion;
import org.lesionweighting.label.LesionLabeling;
import org.lesionweighting.label.LesionStatistics;
import org.lesionweighting.label.LesionTable;

import net.imglib2.Cursor;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.parallel.Parallelization;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;

class LesionPhantomTest {

	private static PhantomSpec spec() {
		return new PhantomSpec().size(64, 48, 32).numLesions(25).minRadius(1).maxRadius(8).seed(3);
	}

	@SuppressWarnings("unchecked")
	private static float[] image(final Phantom p) {
		return ((ArrayImg< FloatType, FloatArray >) p.image()).update(null).getCurrentStorageArray();
	}

	@SuppressWarnings("unchecked")
	private static byte[] mask(final Phantom p) {
		return ((ArrayImg< UnsignedByteType, ByteArray >) p.mask()).update(null).getCurrentStorageArray();
	}

	@Test
	void sameSeedGivesTheSamePhantomWithAnyNumberOfThreads() {
		final Phantom a = Parallelization.runSingleThreaded(() -> LesionPhantom.generate(spec()));
		final Phantom b = Parallelization.runMultiThreaded(() -> LesionPhantom.generate(spec()));
		assertArrayEquals(image(a), image(b));
		assertArrayEquals(mask(a), mask(b));
		assertArrayEquals(a.radii(), b.radii());
		assertEquals(a.numLesions(), b.numLesions());
	}

	@Test
	void differentSeedsGiveDifferentPhantoms() {
		final Phantom a = LesionPhantom.generate(spec());
		final Phantom b = LesionPhantom.generate(spec().seed(4));
		assertFalse(java.util.Arrays.equals(mask(a), mask(b)));
	}

	@Test
	void lesionCountAndRadii() {
		final Phantom p = LesionPhantom.generate(spec());
		assertEquals(25, p.radii().length);
		for (final double r : p.radii())
			assertTrue(r >= 1 && r <= 8, "radius " + r);
		// touching lesions may merge; lesions never split (blobs contain their centre)
		assertTrue(p.numLesions() >= 15 && p.numLesions() <= 25, "numLesions " + p.numLesions());
		assertEquals(p.numLesions(), LesionLabeling.label(p.mask(), net.imglib2.img.array.ArrayImgs.ints(64, 48, 32), Connectivity.TWENTY_SIX));
	}

	@Test
	void radiiAreLogUniform() {
		// log-uniform in [1, 27]: the median is about 27^0.5 = 5.2 (uniform radii would have a median of 14)
		final Phantom p = LesionPhantom.generate(new PhantomSpec().size(32, 32, 32).numLesions(401).minRadius(1).maxRadius(27).seed(5).noiseSigma(0));
		final double[] r = p.radii();
		java.util.Arrays.sort(r);
		assertTrue(r[200] > 3.5 && r[200] < 7.5, "median " + r[200]);
	}

	@Test
	void maskLabelsAndImageAreConsistent() {
		final Phantom p = LesionPhantom.generate(spec());
		final Cursor< UnsignedByteType > m = p.mask().cursor();
		final Cursor< IntType > l = p.labels().cursor();
		final Cursor< FloatType > im = p.image().cursor();
		double in = 0, out = 0;
		long nIn = 0, nOut = 0;
		while (m.hasNext()) {
			final int v = m.next().get();
			final int lab = l.next().get();
			final float x = im.next().get();
			assertTrue(v == 0 || v == 1);
			assertEquals(v == 1, lab > 0);
			assertTrue(Float.isFinite(x));
			if (v == 1) {
				in += x;
				nIn++;
			}
			else {
				out += x;
				nOut++;
			}
		}
		assertTrue(nIn > 0 && nOut > 0);
		final PhantomSpec s = spec();
		// lesions are brighter by about the contrast (60); noise and tissue variation are much smaller on average
		assertTrue(in / nIn - out / nOut > s.contrast() / 2, "contrast " + (in / nIn - out / nOut));
		assertEquals(s.background(), out / nOut, s.background() * s.biasAmplitude() + 0.1 * s.contrast());
	}

	@Test
	void borderLesionsTouchTheBorder() {
		final Phantom p = LesionPhantom.generate(spec().borderFraction(1).touchingFraction(0).numLesions(10));
		final LesionTable t = LesionStatistics.measure(p.labels(), null);
		for (final Lesion r : t.rows())
			assertTrue(r.touchesBorder(), "lesion " + r.label());
		final Phantom q = LesionPhantom.generate(spec().borderFraction(0).touchingFraction(0).numLesions(10).maxRadius(4));
		assertTrue(LesionStatistics.measure(q.labels(), null).rows().stream().noneMatch(Lesion::touchesBorder));
	}

	@Test
	void touchingLesionsMerge() {
		final Phantom p = LesionPhantom.generate(spec().touchingFraction(0.9).borderFraction(0).numLesions(20));
		assertTrue(p.numLesions() < 20, "numLesions " + p.numLesions());
	}

	@Test
	void twoDimensionalPhantom() {
		final Phantom p = LesionPhantom.generate(new PhantomSpec().size(80, 60).numLesions(8).maxRadius(6).seed(9));
		assertEquals(2, p.image().numDimensions());
		assertTrue(p.numLesions() >= 1);
	}

	@Test
	void noLesionsNoNoise() {
		final Phantom p = LesionPhantom.generate(spec().numLesions(0).noiseSigma(0).biasAmplitude(0));
		assertEquals(0, p.numLesions());
		for (final float v : image(p))
			assertEquals((float) PhantomSpec.BACKGROUND_DEFAULT, v);
	}

	@Test
	void badSpecsAreRejected() {
		assertThrows(IllegalArgumentException.class, () -> new PhantomSpec().minRadius(0));
		assertThrows(IllegalArgumentException.class, () -> new PhantomSpec().size(10));
		assertThrows(IllegalArgumentException.class, () -> new PhantomSpec().size(10, 0, 3));
		assertThrows(IllegalArgumentException.class, () -> new PhantomSpec().numLesions(-1));
		assertThrows(IllegalArgumentException.class, () -> new PhantomSpec().blobFraction(1.5));
		assertThrows(IllegalArgumentException.class, () -> new PhantomSpec().noiseSigma(Double.NaN));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> LesionPhantom.generate(new PhantomSpec().minRadius(5).maxRadius(2)));
		assertTrue(e.getMessage().contains("minRadius"), e.getMessage());
	}

	@Test
	void specIsCopied() {
		final PhantomSpec s = spec();
		final Phantom p = LesionPhantom.generate(s);
		s.seed(99);
		assertEquals(3, p.spec().seed());
	}
}
