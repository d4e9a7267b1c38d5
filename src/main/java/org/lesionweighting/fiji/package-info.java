/**
 * Fiji layer: thin SciJava commands (Plugins &gt; Lesion Weighting), the ImagePlus/ImgLib2 bridge, volume
 * files by extension, progress adapters, and the ImageJ 1 macro bridge and headless macro runner.
 */
package org.lesionweighting.fiji;
