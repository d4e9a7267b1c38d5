package org.lesionweighting.engine;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * A job of the TensorFlow engine: {@link TrainJob}, {@link SegmentJob}, {@link DeviceReportJob}, {@link ExportPackageJob} or
 * {@link VerifyPackageJob}. Commands, the demo,
 * the launcher and the worker build the same immutable records; {@link #toJson} is the worker's job line and
 * {@link #fromJson} reads it back ({@code fromJson(job.toJson())} equals {@code job}).
 */
public sealed interface EngineJob permits TrainJob, SegmentJob, DeviceReportJob, ExportPackageJob, VerifyPackageJob {

	/** The JSON form: {@code kind} plus the job's fields, snake_case as the commands' parameters. */
	Map< String, Object > toJson();

	/**
	 * Reads a job from its JSON form.
	 *
	 * @param json a map with {@code kind} ({@code train}, {@code segment}, {@code device_report}, {@code export_package} or
	 *          {@code verify_package})
	 * @throws IllegalArgumentException for an unknown kind, a missing field or a value out of range
	 */
	static EngineJob fromJson(final Map< String, ? > json) {
		final Object kind = json.get("kind");
		return switch (kind == null ? "" : kind.toString()) {
			case TrainJob.KIND -> TrainJob.fromJson(json);
			case SegmentJob.KIND -> SegmentJob.fromJson(json);
			case DeviceReportJob.KIND -> DeviceReportJob.fromJson(json);
			case ExportPackageJob.KIND -> ExportPackageJob.fromJson(json);
			case VerifyPackageJob.KIND -> VerifyPackageJob.fromJson(json);
			default -> throw new IllegalArgumentException(
					"Engine job: unknown kind '" + kind + "'; use " + TrainJob.KIND + ", " + SegmentJob.KIND + ", " + DeviceReportJob.KIND
							+ ", " + ExportPackageJob.KIND + " or " + VerifyPackageJob.KIND + ".");
		};
	}

	/** A required path field of a job's JSON. */
	static Path path(final Map< String, ? > json, final String key) {
		final Object v = json.get(key);
		if (v == null || v.toString().isBlank()) throw new IllegalArgumentException("Engine job: '" + key + "' is required (a folder or file path).");
		return Paths.get(v.toString());
	}
}
