package org.lesionweighting.tf.infer;

import java.util.List;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * What {@link TiledPredictor} produced. Each map has the input's dimensions (a 2D input gives maps of depth 1)
 * with minimum 0; a map that was not requested is {@code null}.
 *
 * @param probabilities averaged per-window sigmoid probabilities, or {@code null}
 * @param logits averaged raw logits, or {@code null}
 * @param mask probability {@code > 0.5} as 0/1, or {@code null}
 * @param labels 26-connected components of the mask (0 = background), or {@code null}
 * @param numLesions number of components in {@code labels}, or -1 when labels were not requested
 * @param numWindows number of windows predicted
 * @param batchSizes the batch size of every network call attempted, in order, including calls that ran out
 *          of memory (so a back-off from 4 shows as {@code 4, 2, 2, ...})
 */
public record InferenceResult(Img< FloatType > probabilities, Img< FloatType > logits, Img< UnsignedByteType > mask, Img< IntType > labels, int numLesions,
		long numWindows, List< Integer > batchSizes) {}
