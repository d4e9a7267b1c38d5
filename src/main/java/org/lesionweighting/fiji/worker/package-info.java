/** The Fiji command that reports the TensorFlow engine and its devices. */
package org.lesionweighting.fiji.worker;
