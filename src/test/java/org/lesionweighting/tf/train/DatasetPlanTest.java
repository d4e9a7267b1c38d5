package org.lesionweighting.tf.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.tf.data.Preprocessing;
import org.lesionweighting.tf.data.TrainingCase;
import org.lesionweighting.tf.data.TrainingData;
import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.tf.model.ModelMetadata;
import org.lesionweighting.util.Json;

class DatasetPlanTest {

	private static final int N = 32;

	/**
	 * A 32³ case: background {@code background}, a 20³ body of intensity {@code body} (+ index % 3), cube lesions of
	 * the given edges (intensity {@code body + 100}) along x at y = z = 10.
	 */
	static TrainingCase mrLike(final String name, final float background, final float body, final double[] spacing, final int... edges) {
		final float[] img = new float[N * N * N];
		final byte[] t = new byte[N * N * N];
		for (int z = 0; z < N; z++)
			for (int y = 0; y < N; y++)
				for (int x = 0; x < N; x++) {
					final int i = (z * N + y) * N + x;
					img[i] = x >= 6 && x < 26 && y >= 6 && y < 26 && z >= 6 && z < 26 ? body + i % 3 : background;
				}
		int x0 = 8;
		for (final int e : edges) {
			for (int z = 10; z < 10 + e; z++)
				for (int y = 10; y < 10 + e; y++)
					for (int x = x0; x < x0 + e; x++) {
						final int i = (z * N + y) * N + x;
						t[i] = 1;
						img[i] = body + 100;
					}
			x0 += e + 2;
		}
		return TrainingCase.fromArrays(name, new int[] { N, N, N }, new float[][] { img }, t, spacing);
	}

	@Test
	void mrWithZeroBackgroundPlansAZscoreOverTheNonZeroVoxels() {
		final DatasetPlan p = DatasetPlan.of(List.of(mrLike("a", 0, 300, null, 1, 2, 3), mrLike("b", 0, 310, null, 2)), List.of("FLAIR"), false);
		assertEquals("MR", p.modality());
		assertEquals(Preprocessing.ZSCORE_NONZERO, p.preprocessing());
		assertEquals(2, p.cases());
		assertArrayEquals(new int[] { N, N, N }, p.medianShape());
		assertArrayEquals(new double[] { 1, 1, 1 }, p.medianSpacing());
		// lesions: 1, 8, 27 voxels in case a; 8 in case b
		assertEquals(4, p.lesions().count());
		assertArrayEquals(new int[] { 3, 1 }, p.lesions().perCase());
		assertEquals(1, p.lesions().voxelsMin());
		assertEquals(8, p.lesions().voxelsMedian());
		assertEquals(27, p.lesions().voxelsP90());
		assertEquals(27, p.lesions().voxelsMax());
		// body: the 20³ cube of each case (lesions included, they differ from the corner too)
		assertEquals(2 * 8000, p.channels().get(0).body().count());
		assertEquals(36 + 8, p.channels().get(0).lesion().count());
		assertEquals((36 * 400.0 + 8 * 410.0) / 44, p.channels().get(0).lesion().mean(), 1e-9, "lesions are 100 above the body");
		assertEquals(400, p.channels().get(0).lesion().p005(), 1e-9);
		assertEquals(410, p.channels().get(0).lesion().p995(), 1e-9);
		// the patch: 64 on a CPU, but not larger than the image (32, a multiple of the small network's 4)
		assertEquals(32, p.patchSize());
		assertTrue(p.outputBias() < -1, "lesions are a few percent of the patches: " + p.outputBias());
		assertEquals(UNetConfig.SMALL.withOutputBias(p.outputBias()), p.network());
		assertEquals(List.of(), p.warnings());
		final TrainingConfig c = p.trainingConfig(12);
		assertEquals(OptimizerKind.ADAM, c.optimizer());
		assertEquals(DatasetPlan.CPU_LEARNING_RATE, c.learningRate());
		assertEquals(12, c.timeBudgetMinutes());
		assertEquals(DatasetPlan.CPU_ITERATIONS_PER_EPOCH, c.iterationsPerEpoch());
		assertArrayEquals(new int[] { 32, 32, 32 }, c.patchSize());
		assertEquals(p.outputBias(), c.network().outputBias());
	}

	@Test
	void theOutputBiasIsTheLogitOfTheLesionFractionOfSampledPatches() {
		final DatasetPlan p = DatasetPlan.of(List.of(mrLike("a", 0, 300, null, 3)), List.of("FLAIR"), false);
		final double prior = 1 / (1 + Math.exp(-p.outputBias()));
		// half of the patches are centred on the 27-voxel lesion (all of it inside the 32³ patch); the uniform half
		// (a 32³ patch of a 32³ image) sees it too: every patch holds 27 of 32768 voxels
		assertEquals(27.0 / 32768, prior, 1e-9);
	}

	@Test
	void ctIsClippedAtTheBodyAndLesionPercentilesThenGloballyScored() {
		final DatasetPlan p = DatasetPlan.of(List.of(mrLike("ct1", -1000, 40, new double[] { 0.8, 0.8, 2 }, 2, 3)), List.of("CT"), false);
		assertEquals("CT", p.modality());
		assertEquals(Preprocessing.Kind.CLIP_ZSCORE, p.preprocessing().kind());
		assertTrue(p.preprocessing().lo() >= 40 && p.preprocessing().lo() <= 41, "0.5 percentile of the body: " + p.preprocessing().lo());
		assertEquals(140, p.preprocessing().hi(), 1e-9, "99.5 percentile: the lesions");
		assertEquals(p.channels().get(0).body().mean(), p.preprocessing().mean());
		assertEquals(0.8 * 0.8 * 2, p.lesions().voxelVolume(), 1e-12);
		assertEquals("MR", DatasetPlan.of(List.of(mrLike("x", -5, 40, null, 2)), List.of("T1 post-contrast"), false).modality());
		assertEquals(Preprocessing.ZSCORE, DatasetPlan.of(List.of(mrLike("x", -5, 40, null, 2)), List.of("T1"), false).preprocessing(),
				"a background that is not 0: z-score over the whole image");
	}

	@Test
	void differentSpacingsAreReportedAndAGpuPlanIsThePapers() {
		final DatasetPlan p = DatasetPlan.of(List.of(mrLike("a", 0, 300, new double[] { 1, 1, 1 }, 2), mrLike("b", 0, 300, new double[] { 1, 1, 3 }, 2),
				mrLike("c", 0, 300, new double[] { 1, 1, 1 }, 2)), List.of("0"), true);
		assertEquals(1, p.warnings().size());
		assertTrue(p.warnings().get(0).startsWith("case b has spacing [1.0, 1.0, 3.0]"), p.warnings().get(0));
		assertEquals(32, p.patchSize(), "the paper's 128, limited by the 32³ images");
		assertEquals("paper", p.network().preset());
		final TrainingConfig c = p.trainingConfig(5);
		assertEquals(OptimizerKind.SGD, c.optimizer());
		assertEquals(0, c.timeBudgetMinutes());
		assertEquals(100, c.epochs());
	}

	@Test
	void casesAtAnotherSpacingAreResampledToTheMedianBeforePlanning() {
		// case b is a 32³ volume of 1 x 1 x 2 mm: on the 1 mm grid of a and c it is 32 x 32 x 64 voxels
		final List< TrainingCase > read = List.of(mrLike("a", 0, 300, new double[] { 1, 1, 1 }, 2), mrLike("b", 0, 300, new double[] { 1, 1, 2 }, 2),
				mrLike("c", 0, 300, new double[] { 1, 1, 1 }, 3));
		assertArrayEquals(new double[] { 1, 1, 1 }, DatasetPlan.targetSpacing(read));
		final TrainingData grid = TrainingData.of("d", read).resampledTo(DatasetPlan.targetSpacing(read));
		assertSame(read.get(0), grid.training().get(0), "a case at the target spacing is not copied");
		final TrainingCase b = grid.training().get(1);
		assertArrayEquals(new int[] { N, N, 2 * N }, b.dims());
		assertArrayEquals(new double[] { 1, 1, 1 }, b.spacing());
		assertArrayEquals(new double[] { 1, 1, 2 }, b.sourceSpacing());
		assertEquals(1, b.numLesions());
		assertEquals(2 * 8, b.lesionSize(1), "a 2³ lesion of 1 x 1 x 2 mm is 16 voxels of 1 mm³");
		final DatasetPlan p = DatasetPlan.of(grid.allCases(), List.of("FLAIR"), false);
		assertEquals(List.of("b"), p.resampledCases());
		assertEquals(List.of(), p.warnings(), "resampled cases are no longer a warning");
		assertArrayEquals(new double[] { 1, 1, 1 }, DatasetPlan.targetSpacing(grid.allCases()), "the target comes from the spacings as read");
		assertArrayEquals(new double[] { 1, 1, 1 }, ModelMetadata.planTargetSpacing(p.toMap()));
		assertTrue(p.describe().contains("target spacing [1.0, 1.0, 1.0] (1 case(s) resampled)"), p.describe());
		assertNull(ModelMetadata.planTargetSpacing(Map.of("plan", Map.of())), "a plan from before resampling has no target");
	}

	@Test
	void writtenAsJsonWithWhatWasMeasuredAndWhatFollows(@TempDir final Path dir) throws Exception {
		final DatasetPlan p = DatasetPlan.of(List.of(mrLike("a", 0, 300, null, 1, 2)), List.of("FLAIR"), false);
		p.write(dir);
		final Map< String, Object > m = Json.parseObject(Files.readString(dir.resolve(DatasetPlan.FILE)));
		assertEquals("MR", ((Map< ?, ? >) m.get("data")).get("modality"));
		assertEquals("zscore_nonzero", ((Map< ?, ? >) m.get("plan")).get("preprocessing"));
		assertEquals(32.0, ((Number) ((Map< ?, ? >) m.get("plan")).get("patch_size")).doubleValue());
		assertTrue(p.describe().contains("2 lesions"), p.describe());
	}

	@Test
	void badInputIsRejected() {
		assertThrows(IllegalArgumentException.class, () -> DatasetPlan.of(List.of(), List.of("FLAIR"), false));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> DatasetPlan.of(List.of(mrLike("a", 0, 1, null, 1)), List.of("FLAIR", "T2"), false));
		assertTrue(e.getMessage().contains("2 channel names"), e.getMessage());
	}
}
