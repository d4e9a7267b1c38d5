/** The command-line launcher {@code lesion-weighting-app.jar}: runs the suite's commands and macros headless. */
package org.lesionweighting.app;
