/**
 * Training of the lesion segmentation network in TensorFlow Java: configuration with the paper's defaults,
 * the learning-rate schedule and optimizers, the training loop with checkpoints, resume, cancellation,
 * validation and export (doc/method.md §3.2).
 */
package org.lesionweighting.tf.train;
