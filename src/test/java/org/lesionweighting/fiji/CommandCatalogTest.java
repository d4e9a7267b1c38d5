package org.lesionweighting.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;

import ij.Macro;

/** Rules every command of the suite must follow, checked over the whole plugin index. */
class CommandCatalogTest {

	private static Context ctx;

	private static List< CommandInfo > commands;

	@BeforeAll
	static void context() {
		ctx = new Context();
		commands = CommandCatalog.commands(ctx.service(CommandService.class));
	}

	@AfterAll
	static void dispose() {
		ctx.dispose();
	}

	@Test
	void discoveryFindsTheSuitesCommands() {
		assertFalse(commands.isEmpty());
		assertNotNull(CommandCatalog.find(ctx.service(CommandService.class), "Label Lesions 3D"));
		assertNotNull(CommandCatalog.find(ctx.service(CommandService.class), "label lesions 3d"));
		assertNotNull(CommandCatalog.find(ctx.service(CommandService.class), LabelLesionsCommand.class.getName()));
	}

	@Test
	void noParameterNameEndsWithAnotherOfTheSameCommand() {
		final List< String > clashes = new ArrayList<>();
		for (final CommandInfo info : commands)
			clashes.addAll(CommandCatalog.suffixClashes(info));
		assertEquals(List.of(), clashes, "ImageJ's Macro.getValue matches keys by suffix; rename these parameters");
	}

	@Test
	void suffixMatchingIsRealInImageJ() {
		// why the rule above exists: 'volume' is found inside 'min_volume=3'
		assertEquals("3", Macro.getValue("min_volume=3", "volume", null));
	}

	@Test
	void parameterNamesAreLowerCaseMacroKeys() {
		for (final CommandInfo info : commands)
			for (final ModuleItem< ? > item : CommandCatalog.userInputs(info))
				assertTrue(item.getName().matches("[a-z][a-z0-9_]*"), info.getTitle() + ": '" + item.getName() + "' is not a snake_case macro key");
	}

	@Test
	void everyCommandIsInTheSuiteMenuWithDescription() {
		for (final CommandInfo info : commands) {
			assertTrue(info.getMenuPath().toString().toLowerCase(Locale.ROOT).contains("lesion weighting"), info.getTitle() + ": " + info.getMenuPath());
			assertFalse(CommandCatalog.description(info).isBlank(), info.getTitle());
		}
	}

	/** Issue 15 item 10: each numeric parameter has a documented range, and its default lies in it. */
	@Test
	void everyNumericParameterHasAMinimumAndMaximumAroundItsDefault() {
		final List< String > bad = new ArrayList<>();
		for (final CommandInfo info : commands) {
			final org.scijava.module.Module defaults = ctx.service(org.scijava.module.ModuleService.class).createModule(info);
			for (final ModuleItem< ? > item : CommandCatalog.userInputs(info)) {
				final Class< ? > t = item.getType();
				if (!ParameterValues.handles(t) || t == boolean.class || t == Boolean.class) continue;
				final Object min = item.getMinimumValue(), max = item.getMaximumValue();
				if (min == null || max == null) {
					bad.add(info.getTitle() + "." + item.getName() + " has no " + (min == null ? "min" : "max"));
					continue;
				}
				final Object def = defaults.getInput(item.getName());
				if (def == null) continue;
				final double d = ((Number) def).doubleValue();
				if (d < ((Number) min).doubleValue() || d > ((Number) max).doubleValue())
					bad.add(info.getTitle() + "." + item.getName() + ": default " + d + " outside " + min + ".." + max);
			}
		}
		assertTrue(bad.isEmpty(), String.join("\n", bad));
	}
}
