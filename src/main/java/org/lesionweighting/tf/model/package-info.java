/** SavedModel export and loading of trained networks, model metadata, and device (CPU/GPU) selection. */
package org.lesionweighting.tf.model;
