package org.lesionweighting.tf.model;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.lesionweighting.tf.graph.TensorNames;
import org.lesionweighting.tf.graph.UNet3D;
import org.lesionweighting.util.AtomicFiles;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.types.TFloat32;

/**
 * Exports a trained network as a SavedModel folder: the SavedModel files ({@code saved_model.pb},
 * {@code variables/}) with tag {@value TensorNames#TAG} and signature {@value TensorNames#SIGNATURE_KEY}
 * (input {@value TensorNames#INPUT_IMAGE}, outputs {@value TensorNames#OUTPUT_LOGITS} and
 * {@value TensorNames#OUTPUT_PROBABILITIES}, see {@link TensorNames}), plus {@code model.json}
 * ({@link ModelMetadata}). {@link SegmentationModel#load} reads it back; deepImageJ/JDLL and bioimage.io tools
 * understand the same tag and signature.
 * <p>
 * The folder is dedicated to the export: it is written completely in a temporary sibling folder and then renamed
 * into place, replacing an existing folder of that name as a whole, so a failed export leaves either the old
 * folder or nothing. Trainers keep checkpoints elsewhere, e.g. export to {@code <model>/saved_model} with
 * checkpoints in {@code <model>/checkpoints}.
 */
public final class SavedModels {

	/** The default name of the SavedModel folder inside a trainer's model folder. */
	public static final String FOLDER_DEFAULT = "saved_model";

	private SavedModels() {}

	/**
	 * The serving signature of a built network.
	 *
	 * @param image the image placeholder the network was built on ({@link UNet3D#imagePlaceholder})
	 * @param net the built network (inference uses the default of its training flag: {@code false})
	 */
	public static Signature signature(final Operand< TFloat32 > image, final UNet3D.Network net) {
		return Signature.builder().key(TensorNames.SIGNATURE_KEY).input(TensorNames.INPUT_IMAGE, image).output(TensorNames.OUTPUT_LOGITS, net.logits())
				.output(TensorNames.OUTPUT_PROBABILITIES, net.probabilities()).build();
	}

	/**
	 * Exports the current variable values of {@code session} as a SavedModel folder with {@code model.json}.
	 *
	 * @param session a session of the graph holding the network, with initialised or trained variables; not closed
	 * @param image the image placeholder of the network
	 * @param net the network
	 * @param metadata written as {@code model.json}; its architecture should be {@code net.config()}
	 * @param folder the SavedModel folder to create or replace; its parent is created if needed
	 * @throws IOException if writing fails (nothing is left behind but a pre-existing folder)
	 * @throws IllegalArgumentException if the metadata's architecture differs from the network's
	 */
	public static void export(final Session session, final Operand< TFloat32 > image, final UNet3D.Network net, final ModelMetadata metadata, final Path folder)
			throws IOException {
		if (!metadata.architecture().equals(net.config()))
			throw new IllegalArgumentException("SavedModels.export: the metadata describes " + metadata.architecture() + " but the network was built from "
					+ net.config() + "; pass ModelMetadata.of(net.config()).");
		final Path target = folder.toAbsolutePath().normalize();
		final Path parent = target.getParent();
		Files.createDirectories(parent);
		final String name = target.getFileName().toString();
		final Path tmp = Files.createTempDirectory(parent, "." + name + ".tmp-");
		try {
			SavedModelBundle.exporter(tmp.toString()).withTags(TensorNames.TAG).withFunction(session.function(signature(image, net))).export();
			metadata.write(tmp);
			if (Files.exists(target)) {
				final Path old = Files.createTempDirectory(parent, "." + name + ".old-");
				Files.delete(old);
				move(target, old);
				try {
					move(tmp, target);
				}
				catch (final IOException e) {
					move(old, target);
					throw e;
				}
				AtomicFiles.deleteTree(old);
			}
			else {
				move(tmp, target);
			}
		}
		catch (final IOException | RuntimeException e) {
			AtomicFiles.deleteTree(tmp);
			throw e;
		}
	}

	/** Renames {@code from} to {@code to}, atomically where the file system can. */
	public static void move(final Path from, final Path to) throws IOException {
		try {
			Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (final AtomicMoveNotSupportedException e) {
			Files.move(from, to);
		}
	}

	/** Whether {@code folder} holds a SavedModel ({@code saved_model.pb}). */
	public static boolean isSavedModel(final Path folder) {
		return ModelInfo.isSavedModel(folder);
	}

}
