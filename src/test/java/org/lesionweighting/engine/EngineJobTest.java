package org.lesionweighting.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lesionweighting.tf.infer.Blending;
import org.lesionweighting.tf.infer.InferenceOutput;
import org.lesionweighting.tf.infer.TilingOptions;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.tf.train.TrainingChoices;
import org.lesionweighting.util.Json;

/** The jobs' JSON form is produced from the record and read back into it in one place: through the worker's JSON line, a job stays the same. */
class EngineJobTest {

	/** A job after the trip through the worker's job line: JSON text, parsed (numbers come back as doubles). */
	private static EngineJob throughTheWorkerLine(final EngineJob job) {
		return EngineJob.fromJson(Json.parseObject(WorkerProtocol.toLine(job.toJson())));
	}

	@Test
	void aTrainJobComesBackEqual() {
		final TrainingChoices choices = TrainingChoices
				.parse(Map.of("preset", "small", "patch_size", "16×16×8", "epochs", 10, "learning_rate", "0.002", "weighting", "none", "seed", "-3"));
		final TrainJob job = new TrainJob(Path.of("/data/ds"), Path.of("/models/m"), choices, true, true, true, 2, 5, 1, 1);
		assertEquals(job, throughTheWorkerLine(job));
		final TrainJob defaults = new TrainJob(Path.of("d"), Path.of("m"), TrainingChoices.parse(Map.of()));
		assertEquals(defaults, throughTheWorkerLine(defaults));
		assertEquals(-1L, defaults.stopAfter());
	}

	@Test
	void aSegmentJobComesBackEqual() {
		final TilingOptions tiling = new TilingOptions().patchSize(64, 64, 32).stride(48, 48, 24).blending(Blending.GAUSSIAN).batchSize(3);
		final SegmentJob job = new SegmentJob(Path.of("/models/m"), List.of(Path.of("a_0000.nii.gz"), Path.of("a_0001.nii.gz")),
				Map.of(InferenceOutput.MASK, Path.of("mask.nii"), InferenceOutput.LOGITS, Path.of("logits.nii")), tiling, Device.CPU);
		final SegmentJob back = (SegmentJob) throughTheWorkerLine(job);
		assertEquals(job, back);
		assertArrayEquals(new int[] { 64, 64, 32 }, back.tiling().patchSize());
		assertArrayEquals(new int[] { 48, 48, 24 }, back.tiling().stride());
		assertEquals(3, back.tiling().batchSize());
		assertEquals(EnumSet.of(InferenceOutput.LOGITS, InferenceOutput.MASK), back.tiling().outputs(), "the maps produced are those with a file");
	}

	@Test
	void aDeviceReportJobComesBackEqual() {
		assertEquals(new DeviceReportJob(Device.GPU), throughTheWorkerLine(new DeviceReportJob(Device.GPU)));
		assertEquals(Device.DEVICE_DEFAULT, ((DeviceReportJob) EngineJob.fromJson(Map.of("kind", "device_report"))).device());
	}

	@Test
	void packageJobsComeBackEqual() {
		final ExportPackageJob export = new ExportPackageJob(Path.of("/models/m"), Path.of("/out/m.zip"), "MS lesions", "Jane Doe; John Roe", "MIT",
				Path.of("/data/ms"));
		assertEquals(export, throughTheWorkerLine(export));
		final ExportPackageJob defaults = new ExportPackageJob(Path.of("m"), null, " ", null, "", null);
		assertEquals(defaults, throughTheWorkerLine(defaults));
		assertEquals(null, defaults.name(), "a blank name is the default, not a name");
		assertEquals(new VerifyPackageJob(Path.of("m.zip"), Device.CPU), throughTheWorkerLine(new VerifyPackageJob(Path.of("m.zip"), Device.CPU)));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> EngineJob.fromJson(Map.of("kind", "export_package"))).getMessage()
				.contains("'model' is required"));
	}

	@Test
	void badJobsNameWhatIsMissing() {
		assertTrue(assertThrows(IllegalArgumentException.class, () -> EngineJob.fromJson(Map.of("kind", "bake"))).getMessage().contains("unknown kind 'bake'"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> EngineJob.fromJson(Map.of("kind", "train", "model", "m"))).getMessage()
				.contains("'dataset' is required"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> EngineJob.fromJson(Map.of("kind", "segment", "model", "m", "inputs", List.of("a.nii"))))
				.getMessage()
				.contains("no 'outputs'"));
	}
}
