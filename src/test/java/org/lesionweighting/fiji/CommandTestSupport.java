package org.lesionweighting.fiji;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;

/**
 * Shared setup of the Fiji-layer command tests: one SciJava {@link Context} per test class (SciJava logging
 * silenced, disposed after the class), a fresh temporary folder per test, and a helper that runs a command
 * headless and waits for it. Test classes run sequentially (no JUnit parallel execution is configured), so the
 * one static context is never shared by two classes at a time.
 */
public abstract class CommandTestSupport {

	/** The context of the running test class. */
	protected static Context ctx;

	/** A fresh temporary folder for each test. */
	@TempDir
	protected Path dir;

	@BeforeAll
	static void createContext() {
		ctx = new Context();
		ctx.service(LogService.class).setLevel("org.scijava", LogLevel.NONE);
	}

	@AfterAll
	static void disposeContext() {
		ctx.dispose();
	}

	/**
	 * Runs a command with pre- and post-processing and waits for it.
	 *
	 * @param command the command class
	 * @param inputs alternating parameter names and values
	 * @return the finished module (outputs via {@code getOutput})
	 * @throws Exception an {@link java.util.concurrent.ExecutionException} when the command failed
	 */
	protected static CommandModule runCommand(final Class< ? extends Command > command, final Object... inputs) throws Exception {
		return ctx.service(CommandService.class).run(command, true, inputs).get();
	}

	/** The messages of an exception and all its causes, joined by {@code " | "}, for assertions on error texts. */
	public static String messages(final Throwable t) {
		final StringBuilder sb = new StringBuilder();
		for (Throwable c = t; c != null; c = c.getCause())
			sb.append(c.getMessage()).append(" | ");
		return sb.toString();
	}
}
