/** Deterministic synthetic 3D lesion images and masks for demos, tests and benchmarks. */
package org.lesionweighting.phantom;
