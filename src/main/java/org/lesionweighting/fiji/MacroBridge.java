package org.lesionweighting.fiji;

import java.io.File;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lesionweighting.util.Exceptions;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.convert.ConvertService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.Menus;
import ij.WindowManager;
import ij.macro.Interpreter;
import ij.measure.ResultsTable;

/**
 * Makes the suite's SciJava commands callable from ImageJ 1 macros with
 * {@code run("<Command Title>", "key=value key2=[value with spaces] flag")}, as imagej-legacy does in Fiji,
 * for ImageJ 1 installations and headless runs without imagej-legacy.
 * <p>
 * {@link #install(Context)} adds one entry per command of {@link CommandCatalog} to ImageJ's command table
 * ({@code Menus.getCommands()}), pointing at {@link MacroCommandPlugIn} with the command's class name as
 * argument. When the macro calls {@code run(...)}, {@link #runCommand} reads the options
 * ({@code Macro.getOptions()}) with ImageJ's own {@code Macro.getValue} for each parameter and converts them:
 * <ul>
 * <li>images ({@code ImagePlus}): the title of an open image ({@code WindowManager.getImage}); when the
 * command has one image parameter and neither it nor an input file (a file parameter with style
 * {@code "open"}) is given, the current image is used, as Fiji does;</li>
 * <li>files: the path as given (use {@code [ ]} around paths with spaces);</li>
 * <li>booleans: the bare key (ImageJ's checkbox syntax) or {@code key=true|false};</li>
 * <li>everything else: SciJava's {@link ConvertService} from the option text.</li>
 * </ul>
 * Keys not belonging to the command are an error (ImageJ would ignore them silently). Because
 * {@code Macro.getValue} matches a key also at the end of a longer key ({@code min_size=3} matches
 * {@code size}), no parameter name of a command may end with another one of the same command;
 * {@link CommandCatalog#suffixClashes} checks this and a test enforces it for every command.
 * <p>
 * Outputs: {@code ImagePlus} outputs become the current image; in batch mode (always when headless) they
 * are registered with {@code Interpreter.addBatchModeImage}, so {@code getTitle()}, {@code selectImage()}
 * and {@code saveAs()} work; otherwise they are shown. {@code ResultsTable} outputs become the
 * "Results" table ({@code nResults}, {@code getResult}). Other outputs are ignored.
 * <p>
 * Errors abort the macro with the command's message ({@link MacroRunner} reports it as a
 * {@link MacroException}).
 */
public final class MacroBridge {

	private static Context context;

	private static final ThreadLocal< String > LAST_ERROR = new ThreadLocal<>();

	/** One option: a key up to {@code =} or a space, then optionally {@code =[value]} (to the next {@code ]}) or {@code =value} (to the next space). */
	private static final Pattern OPTION = Pattern.compile("([^ =]*)(?:=(?:\\[[^\\]]*\\]?|[^ ]*))?");

	private MacroBridge() {}

	/**
	 * Registers every command of the suite in ImageJ's command table, and makes {@code ctx} the context in
	 * which macro calls run. Idempotent; a later call replaces the context.
	 *
	 * @param ctx a SciJava context with the command, module and convert services
	 * @return the titles registered
	 */
	public static synchronized List< String > install(final Context ctx) {
		context = ctx;
		final Hashtable< String, String > table = commandTable();
		final List< String > titles = new ArrayList<>();
		for (final CommandInfo info : CommandCatalog.commands(ctx.service(CommandService.class))) {
			table.put(info.getTitle(), MacroCommandPlugIn.class.getName() + "(\"" + info.getClassName() + "\")");
			titles.add(info.getTitle());
		}
		return titles;
	}

	/** The context of {@link #install}, or a new one created on first use (e.g. from ImageJ's plugins.config). */
	static synchronized Context context() {
		if (context == null) install(new Context());
		return context;
	}

	/**
	 * ImageJ's command table. When ImageJ has not been initialised: with a display, ImageJ's own
	 * initialisation builds it; headless (where building AWT menus fails), it is created from the command
	 * list in ImageJ's {@code IJ_Props.txt} so that built-in commands stay reachable from macros.
	 */
	@SuppressWarnings("unchecked")
	private static Hashtable< String, String > commandTable() {
		if (Menus.getCommands() == null) {
			try {
				if (!java.awt.GraphicsEnvironment.isHeadless()) {
					final Method init = IJ.class.getDeclaredMethod("init");
					init.setAccessible(true);
					init.invoke(null);
				}
				else {
					final java.lang.reflect.Field f = Menus.class.getDeclaredField("pluginsTable");
					f.setAccessible(true);
					f.set(null, builtInCommands());
				}
			}
			catch (final ReflectiveOperationException | RuntimeException | java.io.IOException e) {
				throw new IllegalStateException("Cannot initialise ImageJ's command table: " + (e.getCause() != null ? e.getCause() : e), e);
			}
		}
		final Hashtable< String, String > t = Menus.getCommands();
		if (t == null) throw new IllegalStateException("ImageJ's command table (Menus.getCommands()) is not available.");
		return t;
	}

	/** ImageJ's menu commands listed in {@code IJ_Props.txt}: {@code new01="Image...[n]",ij.plugin.Commands("new")}. */
	private static Hashtable< String, String > builtInCommands() throws java.io.IOException {
		final Hashtable< String, String > table = new Hashtable<>();
		try (java.io.InputStream in = IJ.class.getResourceAsStream("/IJ_Props.txt")) {
			if (in == null) return table;
			final Pattern line = Pattern.compile("^[a-z_]+[0-9]+=\"([^\"]+)\",(.+)$");
			for (final String l : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1).split("\r?\n")) {
				final Matcher m = line.matcher(l.trim());
				if (!m.matches()) continue;
				String title = m.group(1);
				final int shortcut = title.indexOf('[');
				if (shortcut > 0 && title.endsWith("]")) title = title.substring(0, shortcut);
				table.put(title.trim(), m.group(2).trim());
			}
		}
		return table;
	}

	/** The message of the last failed command on this thread (read and cleared by {@link MacroRunner}). */
	static String takeLastError() {
		final String e = LAST_ERROR.get();
		LAST_ERROR.remove();
		return e;
	}

	/**
	 * Runs a command for a macro {@code run(...)} call.
	 *
	 * @param classNameOrTitle the command's class name (as registered) or title
	 * @param options the macro options ({@code Macro.getOptions()}); null means none
	 * @return the finished module
	 * @throws IllegalArgumentException for unknown keys, unconvertible values, missing inputs, unknown image
	 *           titles, and the command's own input errors
	 */
	public static Module runCommand(final String classNameOrTitle, final String options) throws Exception {
		final Context ctx = context();
		final CommandService cs = ctx.service(CommandService.class);
		final CommandInfo info = CommandCatalog.find(cs, classNameOrTitle);
		if (info == null) throw new IllegalArgumentException("Unknown Lesion Weighting command '" + classNameOrTitle + "'.");
		final Map< String, Object > inputs = inputs(ctx, info, options == null ? "" : options);
		final CommandModule module;
		try {
			module = cs.run(info, true, inputs).get();
		}
		catch (final ExecutionException e) {
			throw Exceptions.unwrap(e) instanceof Exception x ? x : e;
		}
		if (module == null || module.isCanceled())
			throw new IllegalStateException(
					info.getTitle() + " was cancelled" + (module == null || module.getCancelReason() == null ? "." : ": " + module.getCancelReason()));
		publishOutputs(info, module);
		return module;
	}

	/** Converts macro options into the command's typed inputs. */
	static Map< String, Object > inputs(final Context ctx, final CommandInfo info, final String options) {
		final String title = info.getTitle();
		final List< ModuleItem< ? > > items = CommandCatalog.userInputs(info);
		final List< String > known = items.stream().map(item -> item.getName().toLowerCase(Locale.ROOT)).toList();
		final List< String > given = keys(options);
		for (final String key : given)
			if (!known.contains(key))
				throw new IllegalArgumentException(
						title + ": unknown key '" + key + "'." + CommandCatalog.unknownKeyHint(info, key) + " Keys: " + CommandCatalog.inputNames(info) + ".");
		final ConvertService convert = ctx.service(ConvertService.class);
		final Module defaults = ctx.service(ModuleService.class).createModule(info);
		final Map< String, Object > out = new LinkedHashMap<>();
		final List< String > missing = new ArrayList<>();
		boolean imageOrFileGiven = false;
		ModuleItem< ? > imageItem = null;
		int imageItems = 0;
		for (final ModuleItem< ? > item : items) {
			final String key = item.getName().toLowerCase(Locale.ROOT);
			final Class< ? > type = item.getType();
			final String v = Macro.getValue(options, key, null);
			if (type == boolean.class || type == Boolean.class) {
				if (v != null) out.put(item.getName(), ParameterValues.convert(title, item, v));
				else if (given.contains(key)) out.put(item.getName(), true); // a bare flag
				else if (!options.isBlank()) out.put(item.getName(), false); // IJ1 semantics: an absent checkbox key is false
				continue;
			}
			if (type == ImagePlus.class) {
				imageItems++;
				imageItem = item;
			}
			if (v == null) {
				if (item.isRequired() && defaults.getInput(item.getName()) == null && type != ImagePlus.class) missing.add(item.getName());
				continue;
			}
			final Object value;
			if (type == ImagePlus.class) {
				value = WindowManager.getImage(v);
				if (value == null)
					throw new IllegalArgumentException(title + ": no open image titled '" + v + "' for key '" + key + "'. Open images: " + openTitles() + ".");
			}
			else if (type == File.class) value = new File(v);
			else if (ParameterValues.handles(type)) value = ParameterValues.convert(title, item, v);
			else {
				value = convert.convert(v, type);
				if (value == null)
					throw new IllegalArgumentException(title + ": key '" + key + "' needs " + CommandCatalog.typeName(item) + ", but got '" + v + "'.");
			}
			if (type == ImagePlus.class || (type == File.class && item.getWidgetStyle() != null && item.getWidgetStyle().contains("open")))
				imageOrFileGiven = true;
			out.put(item.getName(), value);
		}
		if (imageItems == 1 && !imageOrFileGiven) {
			final ImagePlus current = WindowManager.getCurrentImage();
			if (current != null) out.put(imageItem.getName(), current);
			else if (imageItem.isRequired()) missing.add(imageItem.getName());
		}
		if (!missing.isEmpty())
			throw new IllegalArgumentException(title + ": missing required key" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing) + ".");
		return out;
	}

	/** Keys present in an IJ1 option string: {@code key=value}, {@code key=[a b]} and bare flags. */
	static List< String > keys(final String options) {
		return OPTION.matcher(options).results().filter(m -> m.end() > m.start()).map(m -> m.group(1).toLowerCase(Locale.ROOT)).toList();
	}

	private static String openTitles() {
		final String[] t = WindowManager.getImageTitles();
		return t.length == 0 ? "none" : String.join(", ", t);
	}

	private static void publishOutputs(final CommandInfo info, final Module module) {
		ImagePlus last = null;
		for (final ModuleItem< ? > item : info.outputs()) {
			final Object v = module.getOutput(item.getName());
			if (v instanceof ImagePlus imp) {
				if (Interpreter.isBatchMode() || java.awt.GraphicsEnvironment.isHeadless()) Interpreter.addBatchModeImage(imp);
				else
					imp.show();
				last = imp;
			}
			else if (v instanceof ResultsTable rt) {
				final ResultsTable system = ResultsTable.getResultsTable();
				if (system != null && system != rt) {
					system.reset();
					for (int r = 0; r < rt.size(); r++) {
						system.incrementCounter();
						for (final String h : rt.getHeadings())
							if (rt.columnExists(h)) system.addValue(h, rt.getValue(h, r));
					}
				}
				if (!Interpreter.isBatchMode() && !java.awt.GraphicsEnvironment.isHeadless()) system.show("Results");
			}
		}
		if (last != null) WindowManager.setTempCurrentImage(last);
	}

	/** Records {@code message} as this thread's last error. */
	static void recordError(final String message) {
		LAST_ERROR.set(message);
	}
}
