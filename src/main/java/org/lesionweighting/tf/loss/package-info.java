/** Weighted segmentation losses of doc/method.md §2 (Dice, ASL, focal, BCE, WCE, GDL) as TensorFlow graph ops. */
package org.lesionweighting.tf.loss;
