/** Inverse-volume voxel weight maps W1 and legacy W0 of the inverse-weighting method (doc/method.md §1.2–1.4). */
package org.lesionweighting.weights;
