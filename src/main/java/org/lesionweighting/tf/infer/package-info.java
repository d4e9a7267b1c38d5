/** Tiled (sliding-window) inference of a 3D segmentation network over whole volumes (doc/method.md §3.5). */
package org.lesionweighting.tf.infer;
