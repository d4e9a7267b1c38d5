/** The 3D residual U-Net of doc/method.md §3.1 as a TensorFlow Java graph, its configuration and the tensor names of the exported signature. */
package org.lesionweighting.tf.graph;
