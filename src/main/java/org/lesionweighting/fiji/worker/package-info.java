/** Runs the TensorFlow engine in a separate worker JVM (isolated from Fiji's class path), detects foreign TensorFlow jars, and chooses the engine. */
package org.lesionweighting.fiji.worker;
