package org.lesionweighting.tf.infer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.util.Json;

/**
 * What inference needs to know about a model, read from its metadata file {@value #METADATA_FILE} next to the
 * SavedModel: input channels, the network's down-sampling factor, the training voxel spacing and the per-channel
 * preprocessing.
 * <p>
 * Reading is tolerant of where the trainer put the fields: each is looked up by name anywhere in the JSON
 * tree (first match in document order): {@code input_channels}; {@code size_multiple} (or
 * {@code UNetConfig.sizeMultiple()} of the first map that has {@code widths}, i.e. {@code UNetConfig.toMap()}); {@code spacing} or
 * {@code voxel_size}; {@code preprocessing} (one value for all channels or a list, each a string like
 * {@code zscore} / {@code window:-300,300} or a map with {@code kind}).
 *
 * @param inputChannels channels the model expects, at least 1
 * @param sizeDivisor down-sampling factor per axis (x, y, z), each at least 1
 * @param spacing training voxel spacing (x, y, z), or {@code null} if unknown
 * @param preprocessing per-channel preprocessing as stored (String or Map), {@code inputChannels} entries
 */
public record ModelSpec(int inputChannels, int[] sizeDivisor, double[] spacing, List< Object > preprocessing) {

	/** The metadata file name ({@link org.lesionweighting.tf.graph.TensorNames#METADATA_FILE}). */
	public static final String METADATA_FILE = org.lesionweighting.tf.graph.TensorNames.METADATA_FILE;

	/** Checks and copies the arguments. */
	public ModelSpec {
		if (inputChannels < 1) throw new IllegalArgumentException("ModelSpec: input_channels must be at least 1, but was " + inputChannels + ".");
		if (sizeDivisor == null || sizeDivisor.length != 3 || Arrays.stream(sizeDivisor).anyMatch(d -> d < 1)) throw new IllegalArgumentException("ModelSpec: size divisor must be 3 positive values (x, y, z), but was " + Arrays.toString(sizeDivisor) + ".");
		if (spacing != null && spacing.length != 3) throw new IllegalArgumentException("ModelSpec: spacing must have 3 values (x, y, z), but was " + Arrays.toString(spacing) + ".");
		if (preprocessing == null || preprocessing.size() != inputChannels) throw new IllegalArgumentException("ModelSpec: preprocessing must have one entry per input channel (" + inputChannels + "), but was " + preprocessing + ".");
		sizeDivisor = sizeDivisor.clone();
		spacing = spacing == null ? null : spacing.clone();
		preprocessing = Collections.unmodifiableList(new ArrayList<>(preprocessing));
	}

	/**
	 * Reads {@value #METADATA_FILE} from a model folder.
	 *
	 * @param modelDir the model folder
	 * @return the spec
	 * @throws IOException if the file is missing, unreadable or not JSON, naming the file
	 */
	public static ModelSpec read(final Path modelDir) throws IOException {
		final Path file = modelDir.resolve(METADATA_FILE);
		if (!Files.isRegularFile(file)) throw new IOException("ModelSpec.read: " + file + " does not exist; give the folder of a model written by Train Lesion Segmenter (it contains " + METADATA_FILE + " and saved_model.pb).");
		final Object json;
		try {
			json = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
		} catch (final IllegalArgumentException e) {
			throw new IOException("ModelSpec.read: " + file + " is not valid JSON: " + e.getMessage(), e);
		}
		return fromJson(json, file.toString());
	}

	/** Builds a spec from parsed metadata (see the class description for the fields); {@code source} names it in errors. */
	static ModelSpec fromJson(final Object json, final String source) throws IOException {
		try {
			final Object ch = find(json, "input_channels");
			final int channels = ch instanceof Number n ? n.intValue() : 1;
			final int divisor;
			final Object mult = find(json, "size_multiple");
			final Map< String, ? > network = findMapWith(json, "widths");
			if (mult instanceof Number n) divisor = n.intValue();
			else if (network != null) divisor = UNetConfig.fromMap(network).sizeMultiple();
			else divisor = 1;
			Object sp = find(json, "spacing");
			if (sp == null) sp = find(json, "voxel_size");
			double[] spacing = null;
			if (sp instanceof List< ? > l && l.size() == 3) {
				spacing = new double[3];
				for (int i = 0; i < 3; i++)
					spacing[i] = ((Number) l.get(i)).doubleValue();
			}
			final Object pre = find(json, "preprocessing");
			final List< Object > pres = new ArrayList<>();
			for (int c = 0; c < channels; c++)
				pres.add(pre instanceof List< ? > l ? l.get(Math.min(c, l.size() - 1)) : pre == null ? "none" : pre);
			return new ModelSpec(channels, new int[] { divisor, divisor, divisor }, spacing, pres);
		} catch (final ClassCastException | IndexOutOfBoundsException | IllegalArgumentException e) {
			throw new IOException("ModelSpec: unexpected metadata in " + source + ": " + e.getMessage(), e);
		}
	}

	/** Depth-first search for the first map that has {@code key}. */
	@SuppressWarnings("unchecked")
	private static Map< String, ? > findMapWith(final Object node, final String key) {
		if (node instanceof Map< ?, ? > m) {
			if (m.containsKey(key)) return (Map< String, ? >) m;
			for (final Object v : m.values()) {
				final Map< String, ? > f = findMapWith(v, key);
				if (f != null) return f;
			}
		} else if (node instanceof List< ? > l) {
			for (final Object v : l) {
				final Map< String, ? > f = findMapWith(v, key);
				if (f != null) return f;
			}
		}
		return null;
	}

	/** Depth-first search for the first value stored under {@code key}. */
	private static Object find(final Object node, final String key) {
		if (node instanceof Map< ?, ? > m) {
			if (m.containsKey(key)) return m.get(key);
			for (final Object v : m.values()) {
				final Object f = find(v, key);
				if (f != null) return f;
			}
		} else if (node instanceof List< ? > l) {
			for (final Object v : l) {
				final Object f = find(v, key);
				if (f != null) return f;
			}
		}
		return null;
	}
}
