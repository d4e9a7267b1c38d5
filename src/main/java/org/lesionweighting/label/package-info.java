/** 3D connected-component labeling of lesion masks and per-lesion measurements (doc/method.md §1.1). */
package org.lesionweighting.label;
