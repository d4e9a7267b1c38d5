/** Fiji commands of lesion-wise evaluation: Evaluate Lesion Detection and Lesion FROC (doc/method.md §5). */
package org.lesionweighting.fiji.eval;
