/** Fiji commands and the {@code VolumeFiles} format for NIfTI and MetaImage volumes. */
package org.lesionweighting.fiji.volume;
