/** Fiji commands of lesion-wise evaluation: Evaluate Lesion Detection and Lesion FROC (METHOD.md §5). */
package org.lesionweighting.fiji.eval;
