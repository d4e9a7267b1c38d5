/**
 * Training data for the TensorFlow layer: intensity preprocessing, prepared training cases, the paper's
 * patch sampler with per-patch inverse-volume weights (doc/method.md §1.3, §3.3–3.4) and the background batch
 * queue.
 */
package org.lesionweighting.tf.data;
