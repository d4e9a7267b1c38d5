package org.lesionweighting.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.engine.WorkerProcess;

/**
 * Quiet TensorFlow runs: which lines are TensorFlow INFO lines (real lines of a demo run), when the launcher
 * relaunches itself, and the relaunched child's environment and exit code in a separate JVM.
 */
class TensorFlowLogsTest {

	/** Lines of standard error of the quick demo before the change (TensorFlow 1.1.0 on Linux x86-64). */
	private static final String[] INFO = { //
		"I0000 00:00:1796222928.257158    5483 mlir_graph_optimization_pass.cc:401] MLIR V1 optimization pass is not enabled", //
		"2026-12-02 14:49:43.158065: I tensorflow/cc/saved_model/loader.cc:466] SavedModel load for tags { serve }; Status: success: OK. Took 1556137 microseconds.", //
		"2026-12-02 14:48:44.362950: I tensorflow/core/platform/cpu_feature_guard.cc:210] This TensorFlow binary is optimized to use available CPU instructions in performance-critical operations.", //
		"2026-12-02 14:48:46.093290: I /home/runner/work/java/java/tensorflow-core/tensorflow-core-native/src/main/native/org/tensorflow/internal/c_api/tfj_gradients_impl.cc:64] Calling Java gradient function for operation of type Conv3D", //
		TensorFlowLogs.ABSL_NOTICE };

	/** Lines that stay: the suite's progress and errors, TensorFlow's warnings and errors. */
	private static final String[] KEPT = { //
		"Iteration 1/40, loss 0.8289, lr 0.0100, 5.14 s/it, 3 min 20 s left", //
		"  10 % Generating phantom 2 of 6", //
		"Error: Train Lesion Segmenter: dataset folder /x does not exist.", //
		"2026-12-02 14:49:43.158065: W tensorflow/core/framework/op_kernel.cc:1840] OP_REQUIRES failed", //
		"E0000 00:00:1796222928.257158    5483 cuda_driver.cc:152] failed call to cuInit", //
		"I tensorflow is great" };

	@Test
	void infoLinesAreRecognisedAndNothingElse() {
		for (final String l : INFO)
			assertTrue(TensorFlowLogs.isInfoLine(l), l);
		for (final String l : KEPT)
			assertFalse(TensorFlowLogs.isInfoLine(l), l);
	}

	@Test
	void theFilterDropsInfoLinesAndKeepsTheRestInOrder() {
		final List< String > in = new ArrayList<>();
		for (int i = 0; i < KEPT.length; i++) {
			in.add(KEPT[i]);
			in.add(INFO[i % INFO.length]);
		}
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		TensorFlowLogs.copyFiltered(new ByteArrayInputStream((String.join("\r\n", in) + "\nno newline at the end").getBytes(StandardCharsets.UTF_8)), out);
		assertEquals(String.join("\r\n", KEPT) + "\r\nno newline at the end", out.toString(StandardCharsets.UTF_8));
	}

	@Test
	void onlyRunsAndMacrosWithoutDebugOrAnExplicitLevelAreRelaunched() {
		assertTrue(TensorFlowLogs.relaunchWanted(new String[] { "--run", "Lesion Weighting Demo", "quick=true" }, Map.of()));
		assertTrue(TensorFlowLogs.relaunchWanted(new String[] { "--macro", "a.ijm" }, Map.of("PATH", "/bin")));
		assertFalse(TensorFlowLogs.relaunchWanted(new String[] { "--debug", "--run", "X" }, Map.of()), "--debug shows TensorFlow's lines");
		assertFalse(TensorFlowLogs.relaunchWanted(new String[] { "--run", "X" }, Map.of(WorkerProcess.TF_LOG_LEVEL_VARIABLE, "0")),
				"an explicit level is the user's");
		assertFalse(TensorFlowLogs.relaunchWanted(new String[] { "--help" }, Map.of()));
	}

	/** Runs the launcher's main in a new JVM without TF_CPP_MIN_LOG_LEVEL; standard output and the exit code. */
	private static String[] main(final String... args) throws Exception {
		final List< String > cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djava.awt.headless=true",
				"-cp", System.getProperty("java.class.path"), Launcher.class.getName()));
		cmd.addAll(List.of(args));
		final ProcessBuilder pb = new ProcessBuilder(cmd);
		pb.environment().remove(WorkerProcess.TF_LOG_LEVEL_VARIABLE);
		final Process p = pb.start();
		final byte[] err = p.getErrorStream().readAllBytes();
		final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		return new String[] { out.strip(), Integer.toString(p.waitFor()), new String(err, StandardCharsets.UTF_8) };
	}

	@Test
	void aMacroRunsInAChildJvmWithTheQuietLevelUnlessDebug(@TempDir final Path dir) throws Exception {
		final Path macro = Files.writeString(dir.resolve("env.ijm"),
				"print(call(\"java.lang.System.getenv\", \"" + WorkerProcess.TF_LOG_LEVEL_VARIABLE + "\"));\n");
		final String[] quiet = main("--macro", macro.toString());
		assertEquals("0", quiet[1], quiet[2]);
		assertEquals(WorkerProcess.TF_QUIET_LEVEL, quiet[0], "the child JVM has the quiet level");
		final String[] debug = main("--debug", "--macro", macro.toString());
		assertEquals("0", debug[1], debug[2]);
		assertEquals("", debug[0], "--debug: no relaunch (the variable is unset: ImageJ's call gives an empty string), TensorFlow logs INFO");
		final String[] failed = main("--macro", dir.resolve("none.ijm").toString());
		assertEquals(Integer.toString(Launcher.EXIT_FAILED), failed[1], "the child's exit code: " + failed[2]);
		assertTrue(failed[2].contains("none.ijm"), failed[2]);
	}
}
