package org.lesionweighting.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.cell.CellImgFactory;
import net.imglib2.parallel.Parallelization;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.LongType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.view.Views;

class LesionStatisticsTest {

	private static final double EPS = 1e-12;

	/**
	 * 5×4×3 image: label 1 = voxel (0, 0, 0) (on the border); label 3 = voxels (1, 1, 1), (2, 1, 1),
	 * (2, 2, 1) (interior); label 2 absent.
	 */
	private static Img< IntType > small() {
		final Img< IntType > l = ArrayImgs.ints(5, 4, 3);
		final RandomAccess< IntType > ra = l.randomAccess();
		ra.setPositionAndGet(new long[] { 0, 0, 0 }).set(1);
		ra.setPositionAndGet(new long[] { 1, 1, 1 }).set(3);
		ra.setPositionAndGet(new long[] { 2, 1, 1 }).set(3);
		ra.setPositionAndGet(new long[] { 2, 2, 1 }).set(3);
		return l;
	}

	@Test
	void handComputedMeasurements() {
		final LesionTable t = LesionStatistics.measure(small(), new double[] { 0.5, 2, 3 });
		assertEquals(2, t.size());
		final Lesion a = t.rows().get(0), b = t.rows().get(1);
		assertEquals(1, a.label());
		assertEquals(1, a.voxelCount());
		assertEquals(3.0, a.volume(), EPS);
		assertTrue(a.touchesBorder());
		assertEquals(3, b.label());
		assertEquals(3, b.voxelCount());
		assertEquals(9.0, b.volume(), EPS);
		assertEquals(Math.cbrt(18 / Math.PI), b.diameterVoxels(), EPS);
		assertEquals(Math.cbrt(54 / Math.PI), b.diameter(), EPS);
		assertArrayEquals(new double[] { 5.0 / 3, 4.0 / 3, 1 }, b.centroid(), EPS);
		assertArrayEquals(new double[] { 5.0 / 6, 8.0 / 3, 3 }, b.centroidCalibrated(), EPS);
		assertArrayEquals(new long[] { 1, 1, 1 }, b.bboxMin());
		assertArrayEquals(new long[] { 2, 2, 1 }, b.bboxMax());
		assertFalse(b.touchesBorder());
		assertNull(t.get(2));
		assertEquals(b, t.get(3));
		assertEquals(12.0, t.totalVolume(), EPS);
	}

	@Test
	void rowsCompareByValue() {
		assertEquals(LesionStatistics.measure(small(), new double[] { 1, 2, 3 }).rows(), LesionStatistics.measure(small(), new double[] { 1, 2, 3 }).rows());
		assertFalse(LesionStatistics.measure(small(), new double[] { 1, 2, 3 }).rows().equals(LesionStatistics.measure(small(), null).rows()));
	}

	@Test
	void coordinatesIncludeTheImageMin() {
		final LesionTable t = LesionStatistics.measure(Views.translate(small(), 10, 20, 30), null);
		final Lesion b = t.get(3);
		assertArrayEquals(new double[] { 10 + 5.0 / 3, 20 + 4.0 / 3, 31 }, b.centroid(), EPS);
		assertArrayEquals(new long[] { 11, 21, 31 }, b.bboxMin());
		assertFalse(b.touchesBorder());
		assertTrue(t.get(1).touchesBorder());
	}

	@Test
	void minVolumeFilterKeepsLargeLesions() {
		final LesionTable t = LesionStatistics.measure(small(), new double[] { 0.5, 2, 3 }, 5);
		assertEquals(1, t.size());
		assertEquals(3, t.rows().get(0).label());
		assertEquals(2, LesionStatistics.measure(small(), null, LesionStatistics.MIN_VOLUME_DEFAULT).size());
	}

	@Test
	void emptyImageHasAnEmptyTable() {
		final LesionTable t = LesionStatistics.measure(ArrayImgs.ints(3, 3, 3), null);
		assertEquals(0, t.size());
		assertEquals(LesionTable.COLUMNS.size(), t.toCsv().trim().split(",").length);
	}

	@Test
	void twoDimensionalImageIsADepthOneVolume() {
		final Img< UnsignedShortType > l = ArrayImgs.unsignedShorts(new short[] { 0, 0, 0, 0, 9, 9, 0, 0, 0 }, 3, 3);
		final LesionTable t = LesionStatistics.measure(l, new double[] { 2, 3 });
		final Lesion r = t.get(9);
		assertEquals(2, r.voxelCount());
		assertEquals(12.0, r.volume(), EPS);
		assertArrayEquals(new double[] { 1.5, 1, 0 }, r.centroid(), EPS);
		assertTrue(r.touchesBorder(), "x = 2 is the last column");
	}

	@Test
	void hugeSparseLabelIdsGoThroughTheHash() {
		final Img< LongType > l = ArrayImgs.longs(new long[] { 5_000_000_000L, 0, 7, 5_000_000_000L, 1L << 40, 7 }, 3, 2);
		final LesionTable t = LesionStatistics.measure(l, null);
		assertEquals(List.of(7L, 5_000_000_000L, 1L << 40), t.rows().stream().map(Lesion::label).toList());
		assertEquals(2, t.get(5_000_000_000L).voxelCount());
		assertArrayEquals(new double[] { 2, 0.5, 0 }, t.get(7).centroid(), EPS);
	}

	@Test
	void disconnectedPiecesOfOneLabelAreOneRow() {
		final Img< IntType > l = ArrayImgs.ints(new int[] { 4, 0, 0, 4 }, 4, 1, 1);
		final Lesion r = LesionStatistics.measure(l, null).get(4);
		assertEquals(2, r.voxelCount());
		assertArrayEquals(new long[] { 0, 0, 0 }, r.bboxMin());
		assertArrayEquals(new long[] { 3, 0, 0 }, r.bboxMax());
	}

	@Test
	void negativeLabelsAreRejected() {
		final Img< IntType > l = small();
		l.randomAccess().setPositionAndGet(new long[] { 4, 3, 2 }).set(-2);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LesionStatistics.measure(l, null));
		assertTrue(e.getMessage().contains("-2") && e.getMessage().contains("(4, 3, 2)"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> LesionStatistics.voxelCounts(l, 3));
	}

	@Test
	void badVoxelSizeIsRejected() {
		assertThrows(IllegalArgumentException.class, () -> LesionStatistics.measure(small(), new double[] { 1, 1 }));
		assertThrows(IllegalArgumentException.class, () -> LesionStatistics.measure(small(), new double[] { 1, 0, 1 }));
		assertThrows(IllegalArgumentException.class, () -> LesionStatistics.measure(small(), new double[] { 1, Double.NaN, 1 }));
		assertThrows(IllegalArgumentException.class, () -> LesionStatistics.measure(small(), null, -1));
	}

	@Test
	void voxelCountsEqualBruteForce() {
		final Random r = new Random(2);
		final Img< IntType > l = ArrayImgs.ints(37, 21, 13);
		final long[] expected = new long[51];
		for (final IntType t : l) {
			final int v = r.nextDouble() < 0.5 ? 0 : r.nextInt(51);
			t.set(v);
			expected[v]++;
		}
		assertArrayEquals(expected, Parallelization.runSingleThreaded(() -> LesionStatistics.voxelCounts(l, 50)));
		assertArrayEquals(expected, Parallelization.runMultiThreaded(() -> LesionStatistics.voxelCounts(l, 50)));
		final Img< IntType > cells = new CellImgFactory<>(new IntType(), 8).create(37, 21, 13);
		net.imglib2.loops.LoopBuilder.setImages(l, cells).forEachPixel((a, b) -> b.set(a));
		assertArrayEquals(expected, LesionStatistics.voxelCounts(Views.translate(cells, 1, 2, 3), 50));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LesionStatistics.voxelCounts(l, 40));
		assertTrue(e.getMessage().contains("numLabels = 40"), e.getMessage());
	}

	@Test
	void measureMatchesLabelingCounts() {
		final Random r = new Random(3);
		final Img< IntType > mask = ArrayImgs.ints(30, 20, 10);
		for (final IntType t : mask)
			t.set(r.nextDouble() < 0.3 ? 1 : 0);
		final Img< IntType > labels = ArrayImgs.ints(30, 20, 10);
		final long[] counts = LesionLabeling.labelWithCounts(mask, labels, Connectivity.SIX);
		final LesionTable t = LesionStatistics.measure(labels, null);
		assertEquals(counts.length - 1, t.size());
		for (final Lesion row : t.rows())
			assertEquals(counts[(int) row.label()], row.voxelCount());
	}

	@Test
	void csvHasTheDocumentedColumnsAndIsWrittenAtomically(@TempDir final Path dir) throws IOException {
		final LesionTable t = LesionStatistics.measure(small(), new double[] { 0.5, 2, 3 });
		final String csv = t.toCsv();
		final String[] lines = csv.split("\n");
		assertEquals(3, lines.length);
		assertEquals(String.join(",", LesionTable.COLUMNS), lines[0]);
		assertEquals("3,3,9.0," + Math.cbrt(18 / Math.PI) + "," + Math.cbrt(54 / Math.PI) + "," + 5.0 / 3 + "," + 4.0 / 3 + ",1.0," + 5.0 / 6 + "," + 8.0 / 3
				+ ",3.0,1,1,1,2,2,1,false", lines[2]);
		final Path f = dir.resolve("lesions.csv");
		t.writeCsv(f);
		assertEquals(csv, Files.readString(f));
		try (var s = Files.list(dir)) {
			assertEquals(1, s.count(), "no temporary file left");
		}
		assertThrows(IOException.class, () -> t.writeCsv(dir.resolve("missing/lesions.csv")));
	}
}
