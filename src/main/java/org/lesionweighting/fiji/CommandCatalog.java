package org.lesionweighting.fiji;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.log.Logger;
import org.scijava.module.ModuleItem;
import org.scijava.service.Service;

/**
 * Finds the suite's commands in the SciJava plugin index and describes their user-facing parameters.
 * <p>
 * A command belongs to the suite when its class is in a package under {@code org.lesionweighting} and it
 * has a menu path. Commands added later in any package of the suite are found without registration.
 * <p>
 * Thread-safe (stateless).
 */
public final class CommandCatalog {

	/** Root package of the suite's commands. */
	public static final String PACKAGE = "org.lesionweighting.";

	private CommandCatalog() {}

	/** The suite's commands, sorted by title. */
	public static List< CommandInfo > commands(final CommandService commandService) {
		return commandService.getCommands().stream()
				.filter(info -> info.getClassName().startsWith(PACKAGE) && info.getMenuPath() != null && !info.getMenuPath().isEmpty())
				.sorted(Comparator.comparing(CommandInfo::getTitle, String.CASE_INSENSITIVE_ORDER)).toList();
	}

	/**
	 * Finds a command of the suite by menu leaf title ({@code "Label Lesions 3D"}, case-insensitive;
	 * underscores count as spaces, as in Fiji's {@code --run}) or by fully qualified or simple class name.
	 *
	 * @return the command, or null if none matches
	 */
	public static CommandInfo find(final CommandService commandService, final String titleOrClass) {
		if (titleOrClass == null) return null;
		final String t = titleOrClass.trim(), spaced = t.replace('_', ' ');
		final List< CommandInfo > all = commands(commandService);
		return all.stream().filter(info -> info.getTitle().equalsIgnoreCase(t) || info.getTitle().equalsIgnoreCase(spaced)).findFirst()
				.or(() -> all.stream().filter(info -> info.getClassName().equals(t) || simpleName(info).equals(t)).findFirst()).orElse(null);
	}

	private static String simpleName(final CommandInfo info) {
		return info.getClassName().substring(info.getClassName().lastIndexOf('.') + 1);
	}

	/**
	 * The inputs a user sets (macro keys): every input except services, the context and loggers, in
	 * declaration order.
	 */
	public static List< ModuleItem< ? > > userInputs(final CommandInfo info) {
		return StreamSupport.stream(info.inputs().spliterator(), false).filter(CommandCatalog::isUserItem).toList();
	}

	/** The outputs of a command, in declaration order. */
	public static List< ModuleItem< ? > > outputs(final CommandInfo info) {
		return StreamSupport.stream(info.outputs().spliterator(), false).toList();
	}

	/** The user input named {@code name}, or null. */
	public static ModuleItem< ? > userInput(final CommandInfo info, final String name) {
		return userInputs(info).stream().filter(item -> item.getName().equals(name)).findFirst().orElse(null);
	}

	/** Comma-separated names of the user inputs, for messages. */
	public static String inputNames(final CommandInfo info) {
		return userInputs(info).stream().map(ModuleItem::getName).collect(Collectors.joining(", "));
	}

	/**
	 * What to say after "unknown parameter 'key'": that the key names an output of the command, if it does, and
	 * the closest parameter name ({@link #closestInput}), if there is one; empty otherwise. Starts with a space.
	 *
	 * @param key the unknown key
	 */
	public static String unknownKeyHint(final CommandInfo info, final String key) {
		final StringBuilder hint = new StringBuilder();
		for (final ModuleItem< ? > item : outputs(info))
			if (item.getName().equalsIgnoreCase(key))
				hint.append(" '").append(key).append("' is an output of ").append(info.getTitle()).append(", not a parameter.");
		final String closest = closestInput(info, key);
		if (closest != null) hint.append(" Did you mean '").append(closest).append("'?");
		return hint.toString();
	}

	/**
	 * The user input whose name is closest to {@code key} (case-insensitive): the shortest name containing the
	 * key or contained in it ({@code probabilities} → {@code probabilities_path}), else the name with the fewest
	 * edits (insertions, deletions, substitutions) if they are at most a third of the key's length, at least 2
	 * ({@code inptu} → {@code input}); {@code null} when no name is that close.
	 */
	public static String closestInput(final CommandInfo info, final String key) {
		final String k = key.toLowerCase(Locale.ROOT);
		final ToIntFunction< ModuleItem< ? > > score = item -> {
			final String n = item.getName().toLowerCase(Locale.ROOT);
			return n.contains(k) || k.contains(n) ? Math.abs(n.length() - k.length()) - 1000 : edits(k, n);
		};
		return userInputs(info).stream().min(Comparator.comparingInt(score)) // the first of the lowest scores
				.filter(best -> score.applyAsInt(best) <= Math.max(2, k.length() / 3)).map(ModuleItem::getName).orElse(null); // substring matches score < 0
	}

	/** The Levenshtein distance of two strings. */
	static int edits(final String a, final String b) {
		int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++)
			prev[j] = j;
		for (int i = 1; i <= a.length(); i++) {
			cur[0] = i;
			for (int j = 1; j <= b.length(); j++)
				cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
			final int[] t = prev;
			prev = cur;
			cur = t;
		}
		return prev[b.length()];
	}

	/**
	 * Pairs of input names where one ends with the other, which ImageJ 1's macro option lookup
	 * ({@code Macro.getValue}) would confuse: {@code min_size=3} also matches the key {@code size}. Empty for
	 * a well-formed command.
	 */
	public static List< String > suffixClashes(final CommandInfo info) {
		final List< String > names = userInputs(info).stream().map(item -> item.getName().toLowerCase(Locale.ROOT)).toList();
		return names.stream()
				.flatMap(x -> names.stream().filter(y -> !x.equals(y) && x.endsWith(y)).map(y -> info.getTitle() + ": '" + x + "' ends with '" + y + "'"))
				.toList();
	}

	/** A short type name for help texts: {@code file}, {@code image}, {@code number}, {@code integer}, ... */
	public static String typeName(final ModuleItem< ? > item) {
		final Class< ? > t = item.getType();
		if (t == java.io.File.class) {
			final String style = item.getWidgetStyle();
			return style != null && style.contains("directory") ? "folder" : "file";
		}
		if (t.getName().equals("ij.ImagePlus")) return "image";
		if (t == boolean.class || t == Boolean.class) return "boolean";
		if (t == int.class || t == Integer.class || t == long.class || t == Long.class) return "integer";
		if (t == double.class || t == Double.class || t == float.class || t == Float.class) return "number";
		if (t == String.class) {
			final List< ? > choices = item.getChoices();
			return choices != null && !choices.isEmpty() ? "one of " + choices.stream().map(String::valueOf).collect(Collectors.joining("|")) : "text";
		}
		return t.getSimpleName();
	}

	/** The one-line description of a command: its {@code description} attribute, or its label. */
	public static String description(final CommandInfo info) {
		final String d = info.getDescription();
		return d != null && !d.isEmpty() ? d : Objects.requireNonNullElse(info.getLabel(), "");
	}

	/** Whether a module item is a user-facing input rather than an injected service or context. */
	static boolean isUserItem(final ModuleItem< ? > item) {
		final Class< ? > t = item.getType();
		return !(Service.class.isAssignableFrom(t) || Context.class.isAssignableFrom(t) || Logger.class.isAssignableFrom(t))
				&& item.getVisibility() != org.scijava.ItemVisibility.MESSAGE;
	}

}
