package org.lesionweighting.engine;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lesionweighting.tf.infer.InferenceOutput;
import org.lesionweighting.tf.infer.TilingOptions;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.util.Json;

/**
 * Segment one volume file (one file per channel) with a trained model and write the wanted maps to files
 * ({@link EngineJobs}). Result map: {@code lesions, windows, outputs}.
 *
 * @param model the model folder
 * @param inputs the channel files, in the model's order
 * @param outputs the file of each map to produce
 * @param tiling windows, stride, blending and batch size (its outputs are those of {@code outputs})
 * @param device the device choice
 */
public record SegmentJob(Path model, List< Path > inputs, Map< InferenceOutput, Path > outputs, TilingOptions tiling, Device device) implements EngineJob {

	static final String KIND = "segment";

	/** Checks that there is an input and an output; keeps immutable copies. */
	public SegmentJob {
		if (model == null) throw new IllegalArgumentException("Segment Lesions: no model; give the folder of a trained model.");
		if (inputs == null || inputs.isEmpty()) throw new IllegalArgumentException("Segment Lesions: the job has no 'inputs' (volume files, one per channel).");
		if (outputs == null || outputs.isEmpty())
			throw new IllegalArgumentException("Segment Lesions: the job has no 'outputs' (map from probabilities/logits/mask/labels to a file).");
		inputs = List.copyOf(inputs);
		outputs = Collections.unmodifiableMap(new EnumMap<>(outputs));
		tiling = (tiling == null ? new TilingOptions() : tiling.copy()).outputs(EnumSet.copyOf(outputs.keySet()));
		if (device == null) device = Device.DEVICE_DEFAULT;
	}

	/** A copy of the tiling options, whose outputs are the keys of {@link #outputs}. */
	@Override
	public TilingOptions tiling() {
		return tiling.copy();
	}

	@Override
	public Map< String, Object > toJson() {
		final Map< String, Object > out = new LinkedHashMap<>();
		outputs.forEach((k, v) -> out.put(k.key(), v.toString()));
		final Map< String, Object > m = Json.object("kind", KIND, "model", model.toString(), "inputs", inputs.stream().map(Path::toString).toList(),
				"outputs", out);
		m.putAll(tiling.toJson());
		m.put("device", device.key());
		return m;
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof SegmentJob s && toJson().equals(s.toJson());
	}

	@Override
	public int hashCode() {
		return toJson().hashCode();
	}
}
