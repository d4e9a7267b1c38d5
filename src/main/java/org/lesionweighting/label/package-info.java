/** 3D connected-component labeling of lesion masks and per-lesion measurements (METHOD.md §1.1). */
package org.lesionweighting.label;
