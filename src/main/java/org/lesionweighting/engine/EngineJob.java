package org.lesionweighting.engine;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.lesionweighting.io.RejectedCases;
import org.lesionweighting.tf.data.TrainingDatasets;
import org.lesionweighting.tf.infer.InferenceOutput;
import org.lesionweighting.tf.infer.TilingOptions;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.tf.train.TrainingChoices;

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
			case TrainJob.KIND -> {
				final List< ? > threads = json.get("session_threads") instanceof List< ? > t && t.size() == 2 ? t : List.of(0, 0);
				yield new TrainJob(path(json, "dataset"), path(json, "model"), TrainingChoices.parse(json), flag(json, "resume"), flag(json, "overwrite"),
						flag(json, RejectedCases.SKIP_KEY), number(json, "validation_cases", TrainingDatasets.VALIDATION_CASES_DEFAULT).intValue(),
						number(json, "stop_after", -1).longValue(), ((Number) threads.get(0)).intValue(), ((Number) threads.get(1)).intValue());
			}
			case SegmentJob.KIND -> {
				final List< Path > inputs = json.get("inputs") instanceof List< ? > l ? l.stream().map(o -> Paths.get(String.valueOf(o))).toList() : List.of();
				final Map< InferenceOutput, Path > outputs = new EnumMap<>(InferenceOutput.class);
				if (json.get("outputs") instanceof Map< ?, ? > o) for (final Map.Entry< ?, ? > e : o.entrySet())
					outputs.put(InferenceOutput.fromString(String.valueOf(e.getKey())), Paths.get(String.valueOf(e.getValue())));
				yield new SegmentJob(path(json, "model"), inputs, outputs, TilingOptions.parse(json), device(json));
			}
			case DeviceReportJob.KIND -> new DeviceReportJob(device(json));
			case ExportPackageJob.KIND -> new ExportPackageJob(path(json, "model"), optionalPath(json, "output"), text(json, "name"), text(json, "authors"),
					text(json, "license"), optionalPath(json, "dataset"));
			case VerifyPackageJob.KIND -> new VerifyPackageJob(path(json, "model"), device(json));
			default -> throw new IllegalArgumentException(
					"Engine job: unknown kind '" + kind + "'; use " + TrainJob.KIND + ", " + SegmentJob.KIND + ", " + DeviceReportJob.KIND
							+ ", " + ExportPackageJob.KIND + " or " + VerifyPackageJob.KIND + ".");
		};
	}

	/** A required path field of a job's JSON. */
	private static Path path(final Map< String, ? > json, final String key) {
		final Path p = optionalPath(json, key);
		if (p == null) throw new IllegalArgumentException("Engine job: '" + key + "' is required (a folder or file path).");
		return p;
	}

	/** An optional path field: {@code null} when missing or blank. */
	private static Path optionalPath(final Map< String, ? > json, final String key) {
		final String v = text(json, key);
		return v == null ? null : Paths.get(v);
	}

	/** A text field: {@code null} when missing or blank. */
	private static String text(final Map< String, ? > json, final String key) {
		final Object v = json.get(key);
		return v == null || v.toString().isBlank() ? null : v.toString();
	}

	/** The {@code device} field: {@code null} (the job's default) when missing. */
	private static Device device(final Map< String, ? > json) {
		final Object d = json.get("device");
		return d == null ? null : Device.fromString(d.toString());
	}

	private static boolean flag(final Map< String, ? > json, final String key) {
		return Boolean.parseBoolean(String.valueOf(json.get(key)));
	}

	private static Number number(final Map< String, ? > json, final String key, final Number fallback) {
		final Object v = json.get(key);
		return v instanceof Number n ? n : v == null ? fallback : Long.valueOf(v.toString().trim());
	}
}
