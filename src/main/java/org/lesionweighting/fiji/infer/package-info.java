/** Fiji command of tiled inference: Segment Lesions. */
package org.lesionweighting.fiji.infer;
