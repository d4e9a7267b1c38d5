package org.lesionweighting.app;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lesionweighting.util.Exceptions;
import org.lesionweighting.fiji.CancelRequests;
import org.lesionweighting.fiji.CommandCatalog;
import org.lesionweighting.fiji.MacroRunner;
import org.lesionweighting.fiji.ParameterValues;
import org.lesionweighting.fiji.StatusProgress;
import org.lesionweighting.fiji.VolumeFiles;
import org.lesionweighting.engine.Engines;
import org.lesionweighting.engine.WorkerSettings;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.convert.ConvertService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.parse.Items;
import org.scijava.parse.ParseService;

import ij.ImagePlus;

/**
 * The suite's command-line launcher, main class of {@code lesion-weighting-app.jar}.
 *
 * <pre>
 * java -jar lesion-weighting-app.jar --help
 * java -jar lesion-weighting-app.jar --help "Label Lesions 3D"
 * java -jar lesion-weighting-app.jar --run "Label Lesions 3D" "input='mask.tif',output='labels.tif',table='lesions.csv'"
 * java -jar lesion-weighting-app.jar --macro macros/label_and_weight_folder.ijm /data/masks/
 * java -jar lesion-weighting-app.jar --worker --run "Segment Lesions" "model='/models/m1',input='ct.nii.gz',mask_path='mask.nii.gz'"
 * </pre>
 *
 * {@code --run} takes the same arguments as headless Fiji ({@code ImageJ-linux64 --headless --run "Title"
 * "key='value',key2=3"}): the argument string is parsed by SciJava's {@link ParseService}, values are
 * converted to the parameter types by SciJava's {@link ConvertService} (image parameters also accept a file
 * path, which is opened), and the command runs through {@link CommandService} in a real SciJava
 * {@link Context}. Commands are found by menu title or class name. Simple outputs (numbers, text, files) are
 * printed to standard output as {@code name=value}; progress and errors go to standard error.
 * <p>
 * Exit codes: 0 success, 1 the command failed, 2 usage error (unknown command, bad or missing arguments).
 * Errors are one line; {@code --debug} adds the stack trace.
 */
public final class Launcher {

	/** Exit code of a successful run. */
	public static final int EXIT_OK = 0;

	/** Exit code when the command itself failed (bad input data, unreadable file, ...). */
	public static final int EXIT_FAILED = 1;

	/** Exit code for usage errors: unknown command or option, unparsable or missing arguments. */
	public static final int EXIT_USAGE = 2;

	private static final String USAGE = String.join("\n", //
			"Usage: java -jar lesion-weighting-app.jar [--debug] <action>", //
			"  --help                       list the commands", //
			"  --help \"<Command Title>\"     list a command's parameters", //
			"  --run \"<Command Title>\" \"key='value',key2=3,...\"", //
			"                               run a command (same syntax as Fiji's --headless --run)", //
			"  --macro <file.ijm> [argument]  run an ImageJ macro headless with the suite's commands", //
			"  --debug                      print stack traces of errors", //
			"  --worker                     run TensorFlow in a separate worker JVM (engine=auto means worker)");

	private Launcher() {}

	/**
	 * System property: seconds the launcher waits, after SIGINT (Ctrl-C) or SIGTERM, for the running command to
	 * stop cleanly (training finishes its step and writes a checkpoint); default
	 * {@value #SHUTDOWN_GRACE_SECONDS_DEFAULT}.
	 */
	public static final String SHUTDOWN_GRACE_PROPERTY = "lesionweighting.shutdown.grace";

	/** Default of {@link #SHUTDOWN_GRACE_PROPERTY}: a paper-size training step on a CPU can take a minute. */
	public static final int SHUTDOWN_GRACE_SECONDS_DEFAULT = 120;

	/**
	 * Runs {@link #run(String[], PrintStream, PrintStream)} headless and exits with its code. SIGINT (Ctrl-C) and
	 * SIGTERM cancel the running command ({@link CancelRequests#requestAll}) and wait for it to stop cleanly, at
	 * most {@link #SHUTDOWN_GRACE_PROPERTY} seconds: an interrupted training run leaves a checkpoint of the
	 * iteration it reached. {@code kill -9} skips this (the last periodic checkpoint remains). {@code --run} and
	 * {@code --macro} run in a child JVM without TensorFlow's INFO lines ({@link TensorFlowLogs}) unless
	 * {@code --debug} is given or {@code TF_CPP_MIN_LOG_LEVEL} is set.
	 */
	public static void main(final String[] args) {
		if (TensorFlowLogs.relaunchWanted(args, System.getenv())) {
			final Integer code = TensorFlowLogs.relaunch(Launcher.class.getName(), args,
					Integer.getInteger(SHUTDOWN_GRACE_PROPERTY, SHUTDOWN_GRACE_SECONDS_DEFAULT));
			if (code != null) System.exit(code); // else no child JVM: run here, with TensorFlow's INFO lines
		}
		System.setProperty("java.awt.headless", "true");
		// as in the worker (WorkerProcess.NO_PHYSICAL_MEMORY_LIMIT): JavaCPP's check of the physical memory counts
		// TensorFlow's native buffers and runs on every native call; without it graph building is 2-4 times faster
		if (System.getProperty(WorkerSettings.JAVACPP_MAX_PHYSICAL_BYTES) == null) System.setProperty(WorkerSettings.JAVACPP_MAX_PHYSICAL_BYTES, "0");
		final CountDownLatch done = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> stopGracefully(done, System.err), "lesion-weighting shutdown"));
		final int code = run(args, System.out, System.err);
		done.countDown();
		System.exit(code);
	}

	/** The shutdown hook: nothing after a normal end; after a signal, cancel and wait for the command. */
	private static void stopGracefully(final CountDownLatch done, final PrintStream err) {
		if (done.getCount() == 0) return;
		final int grace = Integer.getInteger(SHUTDOWN_GRACE_PROPERTY, SHUTDOWN_GRACE_SECONDS_DEFAULT);
		CancelRequests.requestAll("the launcher received a stop signal");
		err.println("Stop signal: cancelling the running command and waiting up to " + grace
				+ " s for it to finish cleanly (training writes a checkpoint; kill -9 forces)");
		try {
			if (!done.await(grace, TimeUnit.SECONDS))
				err.println("The command did not stop within " + grace + " s; exiting anyway (" + SHUTDOWN_GRACE_PROPERTY + " sets the wait).");
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Runs the launcher in-process.
	 *
	 * @param args command-line arguments (see the class documentation)
	 * @param out receives help texts and simple outputs
	 * @param err receives progress and errors
	 * @return the exit code: {@link #EXIT_OK}, {@link #EXIT_FAILED} or {@link #EXIT_USAGE}
	 */
	public static int run(final String[] args, final PrintStream out, final PrintStream err) {
		final List< String > list = new ArrayList<>(Arrays.asList(args));
		final boolean debug = list.remove("--debug");
		final boolean worker = list.remove("--worker");
		final String engineBefore = System.getProperty(Engines.ENGINE_PROPERTY);
		if (worker) System.setProperty(Engines.ENGINE_PROPERTY, "worker");
		try {
			if (list.isEmpty()) {
				err.println(USAGE);
				return EXIT_USAGE;
			}
			final String action = list.get(0);
			switch (action) {
				case "--help", "-h":
					if (list.size() > 2)
						throw new UsageException("--help takes at most one command title; quote titles with spaces: --help \"Label Lesions 3D\"");
					return help(list.size() > 1 ? list.get(1) : null, out);
				case "--run":
					if (list.size() < 2) throw new UsageException("--run needs a command title: --run \"<Command Title>\" \"key='value',...\"");
					if (list.size() > 3)
						throw new UsageException("--run takes a title and one argument string, but got " + (list.size() - 1) + " arguments "
								+ list.subList(1, list.size()) + "; put all key='value' pairs in one quoted string separated by commas.");
					return runCommand(list.get(1), list.size() > 2 ? list.get(2) : "", out, err, debug);
				case "--macro":
					if (list.size() < 2 || list.size() > 3)
						throw new UsageException("--macro needs a macro file and optionally one argument: --macro file.ijm [argument]");
					return runMacro(Paths.get(list.get(1)), list.size() > 2 ? list.get(2) : "", out, err, debug);
				default:
					throw new UsageException("unknown option '" + action + "'.\n" + USAGE);
			}
		}
		catch (final UsageException e) {
			err.println("Error: " + e.getMessage());
			if (debug) e.printStackTrace(err);
			return EXIT_USAGE;
		}
		catch (final Exception e) {
			err.println("Error: " + message(e));
			if (debug) e.printStackTrace(err);
			return EXIT_FAILED;
		}
		finally {
			if (worker && engineBefore == null) System.clearProperty(Engines.ENGINE_PROPERTY);
			else if (worker) System.setProperty(Engines.ENGINE_PROPERTY, engineBefore);
		}
	}

	private static int help(final String title, final PrintStream out) {
		try (Context ctx = newContext(false)) {
			final CommandService cs = ctx.service(CommandService.class);
			if (title == null) {
				out.println("Lesion Weighting commands (run with --run \"<Title>\" \"key='value',...\"; details with --help \"<Title>\"):");
				final List< CommandInfo > commands = CommandCatalog.commands(cs);
				final int width = commands.stream().mapToInt(info -> info.getTitle().length()).max().orElse(0);
				for (final CommandInfo info : commands)
					out.println("  " + info.getTitle() + " ".repeat(width - info.getTitle().length()) + "  " + CommandCatalog.description(info));
				out.println();
				out.println(USAGE);
				return EXIT_OK;
			}
			final CommandInfo info = require(cs, title);
			out.println(info.getTitle() + " (" + info.getMenuPath().getMenuString() + ")");
			out.println("  " + CommandCatalog.description(info));
			out.println("Parameters (macro/launcher key, type, default: description):");
			final Module defaults = ctx.service(ModuleService.class).createModule(info);
			for (final ModuleItem< ? > item : CommandCatalog.userInputs(info)) {
				final Object def = defaults.getInput(item.getName());
				final String label = item.getLabel(), desc = item.getDescription();
				out.println("  " + item.getName() + " (" + CommandCatalog.typeName(item) + ParameterValues.range(item)
						+ (def != null ? ", default " + def : item.isRequired() ? ", required" : ", optional") + "): "
						+ (label == null || label.isEmpty() ? item.getName() : label) + (desc == null || desc.isEmpty() ? "" : ". " + desc));
			}
			final List< ModuleItem< ? > > outputs = CommandCatalog.outputs(info);
			if (!outputs.isEmpty()) {
				out.println("Outputs:");
				for (final ModuleItem< ? > item : outputs) {
					final String desc = item.getDescription();
					out.println("  " + item.getName() + " (" + CommandCatalog.typeName(item) + "): "
							+ (item.getLabel() == null ? item.getName() : item.getLabel()) + (desc == null || desc.isEmpty() ? "" : ". " + desc));
				}
			}
			out.println("Example: java -jar lesion-weighting-app.jar --run \"" + info.getTitle() + "\" \"" + example(info) + "\"");
			return EXIT_OK;
		}
	}

	private static int runCommand(final String title, final String arguments, final PrintStream out, final PrintStream err, final boolean debug)
			throws Exception {
		try (Context ctx = newContext(debug)) {
			final CommandService cs = ctx.service(CommandService.class);
			final CommandInfo info = require(cs, title);
			final Map< String, Object > inputs = convertInputs(ctx, info, parse(ctx, info, arguments));
			final Module defaults = ctx.service(ModuleService.class).createModule(info);
			final List< String > missing = new ArrayList<>();
			for (final ModuleItem< ? > item : CommandCatalog.userInputs(info))
				if (item.isRequired() && !inputs.containsKey(item.getName()) && defaults.getInput(item.getName()) == null) missing.add(item.getName());
			if (!missing.isEmpty())
				throw new UsageException(info.getTitle() + ": missing required parameter" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
						+ ". See --help \"" + info.getTitle() + "\".");
			StatusProgress.setEcho(err);
			final CommandModule module;
			try {
				module = cs.run(info, true, inputs).get();
			}
			finally {
				StatusProgress.setEcho(null);
			}
			if (module == null || module.isCanceled()) {
				final String reason = module == null ? null : module.getCancelReason();
				err.println("Error: " + info.getTitle() + " was cancelled" + (reason == null ? "." : ": " + reason));
				return EXIT_FAILED;
			}
			for (final ModuleItem< ? > item : CommandCatalog.outputs(info)) {
				final Object v = module.getOutput(item.getName());
				if (v instanceof Number || v instanceof CharSequence || v instanceof Boolean || v instanceof File || v instanceof Path)
					out.println(item.getName() + "=" + v);
			}
			return EXIT_OK;
		}
	}

	private static int runMacro(final Path macro, final String argument, final PrintStream out, final PrintStream err, final boolean debug) throws Exception {
		StatusProgress.setEcho(err);
		try (Context ctx = newContext(debug)) {
			final String result = MacroRunner.runFile(ctx, macro, argument);
			if (result != null && !result.isEmpty()) out.println(result);
			return EXIT_OK;
		}
		finally {
			StatusProgress.setEcho(null);
		}
	}

	/**
	 * A new context for one launcher action. Unless debugging, SciJava's own error log of failed modules is
	 * silenced, since the launcher prints one clear message per error itself.
	 */
	private static Context newContext(final boolean debug) {
		final Context ctx = new Context();
		if (!debug) ctx.service(LogService.class).setLevel("org.scijava", LogLevel.NONE);
		return ctx;
	}

	private static CommandInfo require(final CommandService cs, final String title) {
		final CommandInfo info = CommandCatalog.find(cs, title);
		if (info != null) return info;
		final List< String > titles = CommandCatalog.commands(cs).stream().map(CommandInfo::getTitle).toList();
		throw new UsageException("unknown command '" + title + "'. Commands: " + String.join(", ", titles) + " (see --help).");
	}

	private static Map< String, Object > parse(final Context ctx, final CommandInfo info, final String arguments) {
		if (arguments == null || arguments.isBlank()) return new LinkedHashMap<>();
		final Items items;
		try {
			items = ctx.service(ParseService.class).parse(arguments);
		}
		catch (final RuntimeException e) {
			throw new UsageException(info.getTitle() + ": cannot parse the arguments \"" + arguments + "\" (" + e.getMessage()
					+ "). Write key='value' pairs separated by commas, with text and paths in single quotes: \"input='/data/mask.tif',connectivity=26\".");
		}
		if (!items.isMap())
			throw new UsageException(info.getTitle() + ": every argument needs a key: \"" + arguments
					+ "\". Write key='value' pairs separated by commas; keys: " + CommandCatalog.inputNames(info) + ".");
		return items.asMap();
	}

	private static Map< String, Object > convertInputs(final Context ctx, final CommandInfo info, final Map< String, Object > raw) throws IOException {
		final ConvertService convert = ctx.service(ConvertService.class);
		final Map< String, Object > out = new LinkedHashMap<>();
		for (final Map.Entry< String, Object > e : raw.entrySet()) {
			final ModuleItem< ? > item = CommandCatalog.userInput(info, e.getKey());
			if (item == null)
				throw new UsageException(info.getTitle() + ": unknown parameter '" + e.getKey() + "'." + CommandCatalog.unknownKeyHint(info, e.getKey())
						+ " Parameters: " + CommandCatalog.inputNames(info) + ".");
			final Object value = e.getValue();
			final Class< ? > type = item.getType();
			final Object converted;
			if (value == null) converted = null;
			else if (type == ImagePlus.class && value instanceof String path) converted = VolumeFiles.open(Paths.get(path));
			else if (type == String.class && item.getChoices() != null && !item.getChoices().isEmpty()) converted = choice(info, item, value);
			else if (ParameterValues.handles(type)) {
				try {
					converted = ParameterValues.convert(info.getTitle(), item, value);
				}
				catch (final IllegalArgumentException ex) {
					throw new UsageException(ex.getMessage());
				}
			}
			else
				converted = convert.convert(value, type);
			if (value != null && converted == null)
				throw new UsageException(
						info.getTitle() + ": parameter '" + e.getKey() + "' needs " + CommandCatalog.typeName(item) + ", but got " + describe(value) + ".");
			out.put(e.getKey(), converted);
		}
		return out;
	}

	/** An example argument string naming the command's file parameters. */
	private static String example(final CommandInfo info) {
		final List< String > parts = new ArrayList<>();
		for (final ModuleItem< ? > item : CommandCatalog.userInputs(info)) {
			if (item.getType() != File.class) continue;
			final String style = item.getWidgetStyle() == null ? "" : item.getWidgetStyle();
			// a file's extension: the one its description names (.csv, .json, …), else a table's .csv or an image's .tif
			final Matcher m = EXTENSION.matcher(item.getDescription() == null ? "" : item.getDescription());
			final String extension = m.find() ? m.group(1) : item.getName().contains("table") || item.getName().contains("csv") ? ".csv" : ".tif";
			parts.add(item.getName() + "='/data/" + item.getName() + (style.contains("directory") ? "/" : extension) + "'");
		}
		if (parts.isEmpty()) parts.add("key='value'");
		return String.join(",", parts);
	}

	private static final Pattern EXTENSION = Pattern.compile("(\\.(?:csv|json|png|ijm|nii\\.gz|nii|mha|mhd))\\b");

	private static String choice(final CommandInfo info, final ModuleItem< ? > item, final Object value) {
		String s = String.valueOf(value);
		if (value instanceof Double d && d == Math.rint(d)) s = Long.toString(d.longValue());
		for (final Object c : item.getChoices())
			if (String.valueOf(c).equalsIgnoreCase(s)) return String.valueOf(c);
		throw new UsageException(
				info.getTitle() + ": parameter '" + item.getName() + "' must be one of " + item.getChoices() + ", but got " + describe(value) + ".");
	}

	private static String describe(final Object value) {
		return value instanceof String ? "'" + value + "'" : value + " (" + value.getClass().getSimpleName() + ")";
	}

	/** The most useful message of an exception chain: the first user-facing message from the root up. */
	static String message(final Throwable t) {
		final Throwable e = Exceptions.unwrap(t);
		if (e instanceof OutOfMemoryError)
			return "out of Java heap memory (" + e.getMessage() + "; the heap may grow to " + Runtime.getRuntime().maxMemory() / (1 << 20)
					+ " MB). Give Java more heap, e.g. java -Xmx16g -jar lesion-weighting-app.jar ..., or use a smaller volume; no output was written.";
		return Exceptions.message(e);
	}

	/** A usage error: exit code 2, message without stack trace. */
	private static final class UsageException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		UsageException(final String message) {
			super(message);
		}
	}
}
