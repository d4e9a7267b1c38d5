package org.lesionweighting.tf.graph;

/**
 * The only place where tensor, signature and tag names live. Inference code loads a model by
 * {@link #SIGNATURE_KEY} and feeds/fetches by the signature keys {@link #INPUT_IMAGE}, {@link #OUTPUT_LOGITS} and
 * {@link #OUTPUT_PROBABILITIES}; it never uses graph operation names.
 * <p>
 * Signature contract ({@code serving_default}, tag {@code serve}):
 * <ul>
 * <li>input {@code image}: float32 {@code [batch, z, y, x, channels]}, any batch, spatial sizes multiples of
 * {@link UNetConfig#sizeMultiple()}, preprocessed as the model metadata says;</li>
 * <li>output {@code logits}: float32 {@code [batch, z, y, x, 1]}, same spatial size;</li>
 * <li>output {@code probabilities}: {@code sigmoid(logits)}, same shape.</li>
 * </ul>
 */
public final class TensorNames {

	private TensorNames() {}

	/** The SavedModel tag of the exported graph. */
	public static final String TAG = "serve";

	/** The signature key of the exported inference function. */
	public static final String SIGNATURE_KEY = "serving_default";

	/** The signature input key of the image tensor. */
	public static final String INPUT_IMAGE = "image";

	/** The signature output key of the logits. */
	public static final String OUTPUT_LOGITS = "logits";

	/** The signature output key of the sigmoid probabilities. */
	public static final String OUTPUT_PROBABILITIES = "probabilities";

	/** The graph operation name of the image placeholder made by {@link UNet3D#imagePlaceholder}. */
	public static final String IMAGE_OP = "image";

	/** The graph operation name of the logits identity (inference pass: batch norm with the moving statistics). */
	public static final String LOGITS_OP = "logits";

	/**
	 * The graph operation name of the logits of the training pass (batch norm with the batch statistics), the input
	 * of a training loss; present only with {@link Normalization#BATCH}.
	 */
	public static final String TRAINING_LOGITS_OP = "training_logits";

	/** The graph operation name of the probabilities. */
	public static final String PROBABILITIES_OP = "probabilities";

	/** The graph operation name of the grouped moving-statistics update op of {@link UNet3D.Network#updateOp()}. */
	public static final String UPDATE_OP = "unet_update_moving_statistics";

	/** The name scope of all network variables and of the training pass. */
	public static final String SCOPE = "unet";

	/** The name scope of the inference pass of a batch-normalised network, which reuses the variables of {@link #SCOPE}. */
	public static final String INFERENCE_SCOPE = "unet_inference";

	/** The file name of the model metadata written beside the SavedModel files. */
	public static final String METADATA_FILE = "model.json";
}
