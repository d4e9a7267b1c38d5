package org.lesionweighting.tf.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.lesionweighting.tf.graph.TensorNames;
import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.util.AtomicFiles;
import org.lesionweighting.util.Json;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.types.TFloat32;

/**
 * Exports the trained network as a SavedModel (tag {@code serve}, signature {@code serving_default},
 * input {@code image}, output {@code logits}; names from {@link TensorNames}) plus the metadata file, into
 * the model folder. The SavedModel is written to a temporary folder first and then moved in.
 */
final class ModelWriter {

	private ModelWriter() {}

	static void export(final Path folder, final Session session, final UNetConfig net, final Operand< TFloat32 > image, final Operand< TFloat32 > logits, final Map< String, Object > metadata) throws IOException {
		final Path tmp = folder.resolve(".export.tmp");
		Trainer.deleteTree(tmp);
		final Signature sig = Signature.builder().key(TensorNames.SIGNATURE_KEY).input(TensorNames.INPUT_IMAGE, image).output(TensorNames.OUTPUT_LOGITS, logits).build();
		final SessionFunction f = session.function(sig);
		SavedModelBundle.exporter(tmp.toString()).withFunction(f).export();
		for (final String name : new String[] { "saved_model.pb", "variables" }) {
			final Path target = folder.resolve(name);
			Trainer.deleteTree(target);
			if (Files.exists(tmp.resolve(name))) Trainer.move(tmp.resolve(name), target);
		}
		Trainer.deleteTree(tmp);
		AtomicFiles.writeString(folder.resolve(TensorNames.METADATA_FILE), Json.write(metadata));
	}
}
