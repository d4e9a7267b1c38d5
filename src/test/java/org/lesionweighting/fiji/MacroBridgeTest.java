package org.lesionweighting.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;

import ij.ImagePlus;
import ij.Menus;

/** ImageJ 1 macros calling the suite's commands through {@link MacroBridge}, run headless by {@link MacroRunner}. */
class MacroBridgeTest extends CommandTestSupport {

	private String save(final ImagePlus imp, final String name) throws Exception {
		final Path p = dir.resolve(name);
		VolumeFiles.save(imp, p);
		return p.toString();
	}

	@Test
	void installRegistersEveryCommandInImageJsTable() {
		final List< String > titles = MacroBridge.install(ctx);
		for (final CommandInfo info : CommandCatalog.commands(ctx.service(CommandService.class))) {
			assertTrue(titles.contains(info.getTitle()));
			assertTrue(String.valueOf(Menus.getCommands().get(info.getTitle())).startsWith(MacroCommandPlugIn.class.getName() + "(\""));
		}
		assertTrue(titles.contains("Label Lesions 3D"));
	}

	@Test
	void openImageTitleOutputsAndResultsReachTheMacro() throws Exception {
		final String mask = save(TestImages.mask(), "mask.tif");
		final String out = dir.resolve("saved.tif").toString();
		final String macro = "open('" + mask + "');\n" //
				+ "run('Label Lesions 3D', 'image=mask.tif connectivity=6');\n" //
				+ "t = getTitle(); n = nResults; v = getResult('voxel_count', 0);\n" //
				+ "saveAs('Tiff', '" + out + "');\n" //
				+ "return t + ',' + n + ',' + v;";
		assertEquals("mask-labels,4,8", MacroRunner.run(ctx, macro, ""));
		assertEquals(4, TestImages.get(VolumeFiles.open(Path.of(out)), 6, 7, 3));
	}

	@Test
	void currentImageIsUsedWhenNoImageKeyIsGiven() throws Exception {
		final String mask = save(TestImages.mask(), "m.tif");
		assertEquals("m-labels", MacroRunner.run(ctx, "open('" + mask + "'); run('Label Lesions 3D', ''); return getTitle();", ""));
	}

	@Test
	void bracketedPathsBooleanFlagsAndNumbers() throws Exception {
		Files.createDirectories(dir.resolve("with space"));
		final String lab = save(TestImages.mask(), "with space/labels in.tif");
		final Path table = dir.resolve("with space/t.csv");
		final String macro = "run('Label Lesions 3D', 'input=[" + lab + "] already_labeled min_volume=3 table=[" + table + "]'); return '' + nResults;";
		assertEquals("1", MacroRunner.run(ctx, macro, ""), "values 255 (9 voxels) and 1 (2 voxels) are labels; only 255 has volume >= 3");
		assertTrue(Files.readString(table).startsWith("label,"));
	}

	@Test
	void unknownKeyAbortsTheMacroWithTheMessage() throws Exception {
		final String mask = save(TestImages.mask(), "mask.tif");
		final MacroException e = assertThrows(MacroException.class,
				() -> MacroRunner.run(ctx, "open('" + mask + "'); run('Label Lesions 3D', 'conectivity=6'); print('not reached');", ""));
		assertTrue(e.getMessage().contains("unknown key 'conectivity'. Did you mean 'connectivity'? Keys: "), e.getMessage());
	}

	@Test
	void anOutputNameGivenAsKeyIsNamedAndTheFileParameterSuggested() throws Exception {
		final MacroException e = assertThrows(MacroException.class,
				() -> MacroRunner.run(ctx, "run('Segment Lesions', 'model=[/m] input=[/x.nii] probabilities=[p.nii.gz]');", ""));
		assertTrue(e.getMessage().contains(
				"unknown key 'probabilities'. 'probabilities' is an output of Segment Lesions, not a parameter. Did you mean 'probabilities_path'? Keys: model, "),
				e.getMessage());
	}

	@Test
	void commandErrorAbortsTheMacroAndWritesNothing() throws Exception {
		final String out = dir.resolve("labels.tif").toString();
		final MacroException e = assertThrows(MacroException.class, () -> MacroRunner.run(ctx,
				"newImage('rgb', 'RGB black', 8, 8, 2); run('Label Lesions 3D', 'output=[" + out + "]'); print('not reached');", ""));
		assertTrue(e.getMessage().contains("RGB"), e.getMessage());
		assertFalse(Files.exists(Path.of(out)));
	}

	@Test
	void missingRequiredKeysAreListed() {
		final MacroException e = assertThrows(MacroException.class, () -> MacroRunner.run(ctx, "run('Required Inputs Test', 'offset=2');", ""));
		assertTrue(e.getMessage().contains("missing required keys source, factor"), e.getMessage());
	}

	@Test
	void macroSyntaxErrorsAreReported() {
		assertThrows(MacroException.class, () -> MacroRunner.run(ctx, "x = ;", ""));
	}

	@Test
	void keysOfOptionStrings() {
		assertEquals(List.of("input", "flag", "min_volume"), MacroBridge.keys("input=[a b=c] flag min_volume=3"));
	}

	/** Issue 15 items 9 and 10 in macros: text for a number or a boolean, and out-of-range numbers, are errors. */
	@Test
	void unparsableOrOutOfRangeValuesAbortTheMacro() throws Exception {
		final String mask = save(TestImages.mask(), "mask.tif");
		final String[][] cases = { //
			{ "min_volume=1OO", "parameter 'min_volume' needs a number from 0 to", "'1OO'" }, //
			{ "already_labeled=yes", "parameter 'already_labeled' is true or false", "'yes'" }, //
			{ "min_volume=-1", "parameter 'min_volume' must be from 0 to", "'-1'" } };
		for (final String[] c : cases) {
			final MacroException e = assertThrows(MacroException.class,
					() -> MacroRunner.run(ctx, "run('Label Lesions 3D', 'input=[" + mask + "] " + c[0] + "'); print('not reached');", ""), c[0]);
			assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains(c[2]), e.getMessage());
		}
		final MacroException w = assertThrows(MacroException.class,
				() -> MacroRunner.run(ctx, "run('Generate Lesion Phantom', 'width=4294967336 height=8 depth=8 lesions=1');", ""));
		assertTrue(w.getMessage().contains("parameter 'width' must be from 1 to") && w.getMessage().contains("4294967336"), w.getMessage());
		assertEquals("1",
				MacroRunner.run(ctx,
						"run('Label Lesions 3D', 'input=[" + mask + "] already_labeled=false min_volume=3 connectivity=26'); return '' + nResults;", ""),
				"valid values still work: true/false and numbers");
	}
}
