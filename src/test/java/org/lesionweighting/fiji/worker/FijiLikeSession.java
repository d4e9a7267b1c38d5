package org.lesionweighting.fiji.worker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.lesionweighting.app.Launcher;
import org.lesionweighting.fiji.StatusProgress;
import org.lesionweighting.fiji.train.TrainLesionSegmenterCommand;
import org.scijava.Cancelable;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;

/**
 * Main class run in the Fiji-like JVM of {@link FijiLikeClassPathTest} (no TensorFlow Java on its class path):
 * one session that trains, cancels, resumes and segments, all with {@code engine=auto}, which means the worker
 * there.
 * <ol>
 * <li><i>Train Lesion Segmenter</i> through SciJava's module service (as Fiji runs a menu command), cancelled
 * (as Fiji's cancel does: {@link Cancelable#cancel}) as soon as the file {@code cancelWhenExists} appears
 * (the first periodic checkpoint). Prints {@code cancelled.training_status}, {@code cancelled.iterations_done}
 * and {@code cancelled.seconds} (from the cancel request to the command's return).</li>
 * <li>The same command with {@code resume=true} through the launcher's {@code --run}, to the end (SavedModel
 * export); prints the launcher's {@code name=value} outputs.</li>
 * <li><i>Segment Lesions</i> with the freshly trained model through {@code --run}.</li>
 * </ol>
 * Arguments: {@code <dataset> <model> <cancelWhenExists> <iterations> <checkpointEvery> <segmentArguments>}.
 * Exit code: the first non-zero launcher exit code, else 0.
 */
public final class FijiLikeSession {

	private FijiLikeSession() {}

	/** Runs the session (see the class documentation). */
	public static void main(final String[] args) throws Exception {
		final Path dataset = Paths.get(args[0]), model = Paths.get(args[1]), cancelWhenExists = Paths.get(args[2]);
		final Map< String, Object > inputs = new LinkedHashMap<>();
		inputs.put("dataset", dataset.toFile());
		inputs.put("model", model.toFile());
		inputs.put("preset", "small");
		inputs.put("patch_size", "16");
		inputs.put("batch_size", 1);
		inputs.put("epochs", 1);
		inputs.put("iterations_per_epoch", Integer.parseInt(args[3]));
		inputs.put("checkpoint_every", Integer.parseInt(args[4]));
		inputs.put("optimizer", "adam");
		inputs.put("learning_rate", 1e-3);
		inputs.put("device", "cpu");
		inputs.put("seed", 7L);
		inputs.put("engine", "auto");
		try (Context ctx = new Context()) {
			ctx.service(LogService.class).setLevel("org.scijava", LogLevel.NONE);
			final Module module = ctx.service(ModuleService.class)
					.createModule(ctx.service(CommandService.class).getCommand(TrainLesionSegmenterCommand.class));
			final AtomicLong cancelledAt = new AtomicLong();
			final Thread watcher = new Thread(() -> {
				try {
					while (!Files.exists(cancelWhenExists))
						Thread.sleep(10);
					cancelledAt.set(System.nanoTime());
					((Cancelable) module).cancel("cancelled by FijiLikeSession after the first checkpoint");
				}
				catch (final InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			}, "cancel after the first checkpoint");
			watcher.setDaemon(true);
			watcher.start();
			StatusProgress.setEcho(System.err);
			final Module done = ctx.service(ModuleService.class).run(module, true, inputs).get();
			final long end = System.nanoTime();
			StatusProgress.setEcho(null);
			System.out.println("cancelled.training_status=" + done.getOutput("training_status"));
			System.out.println("cancelled.iterations_done=" + done.getOutput("iterations_done"));
			System.out.println(String.format(Locale.ROOT, "cancelled.seconds=%.3f", cancelledAt.get() == 0 ? Double.NaN : (end - cancelledAt.get()) * 1e-9));
		}
		int code = Launcher.run(new String[] { "--run", TrainLesionSegmenterCommand.TITLE, "dataset='" + dataset + "',model='" + model + "',resume=true" },
				System.out, System.err);
		if (code == Launcher.EXIT_OK) code = Launcher.run(new String[] { "--run", "Segment Lesions", args[5] }, System.out, System.err);
		System.exit(code);
	}
}
