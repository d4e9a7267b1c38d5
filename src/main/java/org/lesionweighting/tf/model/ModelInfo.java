package org.lesionweighting.tf.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.lesionweighting.tf.graph.TensorNames;
import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.util.Json;

/**
 * What a model folder's {@code model.json} says, read without TensorFlow: this class loads no
 * {@code org.tensorflow} class (nor {@link ModelMetadata}, which does), so the Fiji layer may use it in a JVM
 * whose TensorFlow runs in a worker. {@link ModelMetadata} reads the architecture through
 * {@link #architecture(Map)} too, so the key names live here only; the keys of the architecture itself are
 * {@link UNetConfig}'s.
 * <pre>{@code
 * int channels = ModelInfo.inputChannels(modelFolder); // 2 for a FLAIR + T2 model
 * }</pre>
 * Thread-safe (stateless).
 */
public final class ModelInfo {

	/** The key of the network description in {@code model.json}. */
	public static final String ARCHITECTURE_KEY = "architecture";

	/** The older key of the network description, still accepted when reading. */
	public static final String ARCHITECTURE_KEY_ALIAS = "network";

	/** The file that marks a SavedModel folder. */
	public static final String SAVED_MODEL_FILE = "saved_model.pb";

	private ModelInfo() {}

	/**
	 * The network description of parsed {@code model.json} content: the value of {@value #ARCHITECTURE_KEY},
	 * or of {@value #ARCHITECTURE_KEY_ALIAS} when the former is missing.
	 *
	 * @param metadata the parsed JSON object
	 * @return the architecture map
	 * @throws IllegalArgumentException if neither key holds a JSON object
	 */
	@SuppressWarnings("unchecked")
	public static Map< String, Object > architecture(final Map< String, ? > metadata) {
		final Object arch = metadata.get(ARCHITECTURE_KEY) != null ? metadata.get(ARCHITECTURE_KEY) : metadata.get(ARCHITECTURE_KEY_ALIAS);
		if (!(arch instanceof Map)) throw new IllegalArgumentException("Model metadata: the key '" + ARCHITECTURE_KEY + "' is missing or not an object.");
		return (Map< String, Object >) arch;
	}

	/** Whether {@code folder} holds a SavedModel ({@value #SAVED_MODEL_FILE}). */
	public static boolean isSavedModel(final Path folder) {
		return Files.isRegularFile(folder.resolve(SAVED_MODEL_FILE));
	}

	/**
	 * The SavedModel folder a user's choice stands for: {@code folder} itself, or its
	 * {@value SavedModels#FOLDER_DEFAULT} sub-folder when only that holds a SavedModel (a trainer's output folder).
	 *
	 * @param folder the folder the user chose
	 * @return the folder to load; {@code folder} when neither holds a SavedModel
	 */
	public static Path savedModelFolder(final Path folder) {
		if (!isSavedModel(folder) && isSavedModel(folder.resolve(SavedModels.FOLDER_DEFAULT))) return folder.resolve(SavedModels.FOLDER_DEFAULT);
		return folder;
	}

	/**
	 * The number of input channels the model of {@code folder} expects ({@link UNetConfig#inputChannels()} of
	 * its {@code model.json}; 1 when the file does not say).
	 *
	 * @param folder a model folder holding {@code model.json} ({@link TensorNames#METADATA_FILE}), or a trainer's
	 *        folder holding it in {@value SavedModels#FOLDER_DEFAULT} (see {@link #savedModelFolder})
	 * @return the channel count, at least 1
	 * @throws IOException if {@code model.json} is missing or unreadable (the message names the folder)
	 * @throws IllegalArgumentException if its content is not a model description
	 */
	public static int inputChannels(final Path folder) throws IOException {
		final Path file = savedModelFolder(folder).resolve(TensorNames.METADATA_FILE);
		if (!Files.isRegularFile(file))
			throw new IOException(folder + " is not a model folder (no " + SAVED_MODEL_FILE + " and " + TensorNames.METADATA_FILE + " in it or in its '"
					+ SavedModels.FOLDER_DEFAULT + "' sub-folder). Choose the folder written by Train Lesion Segmenter.");
		try {
			return UNetConfig.fromMap(architecture(Json.parseObject(Files.readString(file, StandardCharsets.UTF_8)))).inputChannels();
		}
		catch (final IllegalArgumentException e) {
			throw new IllegalArgumentException("ModelInfo.inputChannels: " + file + ": " + e.getMessage(), e);
		}
	}
}
