/** Java graph gradients that TensorFlow Java lacks for 3D networks (Conv3D and its transpose), registered once per process. */
package org.lesionweighting.tf.grad;
