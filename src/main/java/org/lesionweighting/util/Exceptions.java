package org.lesionweighting.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;

/**
 * The exception a user should read, out of the wrappers that threads, reflection and lambdas put around it: the one
 * helper of the launcher, the macro bridge, the ImageJ menu adapter and the TensorFlow worker.
 */
public final class Exceptions {

	private Exceptions() {}

	/**
	 * Strips wrappers: {@link ExecutionException}, {@link UncheckedIOException}, {@link InvocationTargetException},
	 * a plain {@link RuntimeException} and any exception without a message, as long as they have a cause.
	 */
	public static Throwable unwrap(final Throwable t) {
		Throwable e = t;
		while (e.getCause() != null && e.getCause() != e && (e instanceof ExecutionException || e instanceof UncheckedIOException
				|| e instanceof InvocationTargetException || e.getClass() == RuntimeException.class || e.getMessage() == null))
			e = e.getCause();
		return e;
	}

	/**
	 * The message of {@link #unwrap}: as it is for bad input, files, state and cancellation
	 * ({@link IllegalArgumentException}, {@link IOException}, {@link IllegalStateException},
	 * {@link CancellationException}) and for the project's own exceptions, which carry user-facing messages; otherwise
	 * prefixed with the exception's simple name.
	 */
	public static String message(final Throwable t) {
		final Throwable e = unwrap(t);
		final String m = e.getMessage();
		if (e instanceof IllegalArgumentException || e instanceof IOException || e instanceof IllegalStateException || e instanceof CancellationException
				|| e.getClass().getName().startsWith("org.lesionweighting."))
			return m;
		return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
	}
}
