/** The Fiji command that trains a lesion segmentation network: Plugins &gt; Lesion Weighting &gt; Train Lesion Segmenter. */
package org.lesionweighting.fiji.train;
