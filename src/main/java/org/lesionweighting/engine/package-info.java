/**
 * The TensorFlow engine behind every command and the demo: typed jobs ({@link org.lesionweighting.engine.TrainJob},
 * {@link org.lesionweighting.engine.SegmentJob}, {@link org.lesionweighting.engine.DeviceReportJob}) run in this JVM
 * ({@link org.lesionweighting.engine.EngineJobs}) or in a worker JVM ({@link org.lesionweighting.engine.WorkerProcess},
 * {@link org.lesionweighting.engine.EngineWorker}), chosen by {@link org.lesionweighting.engine.Engines}. Depends on
 * the core and {@code tf}, never on {@code fiji}, {@code app}, SciJava or ImageJ.
 */
package org.lesionweighting.engine;
