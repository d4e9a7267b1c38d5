package org.lesionweighting.io;

import java.util.List;
import java.util.stream.Collectors;

import org.lesionweighting.util.Csv;

/**
 * What a command does with the cases a dataset folder rejected ({@link Dataset#rejected()}: a label of the
 * wrong shape, an unreadable header, a missing label, ...): by default it fails and lists each with its reason;
 * with {@code skip_bad_cases=true} it continues without them and says so.
 */
public final class RejectedCases {

	/** The parameter that lets a command continue without the rejected cases. */
	public static final String SKIP_KEY = "skip_bad_cases";

	private RejectedCases() {}

	/**
	 * Checks the rejected cases of {@code dataset}.
	 *
	 * @param operation the command, for the message
	 * @param dataset the opened dataset folder
	 * @param skip continue without the rejected cases
	 * @return the rejected (skipped) cases; empty when there are none
	 * @throws IllegalArgumentException when cases were rejected and {@code skip} is false, listing each
	 */
	public static List< RejectedCase > require(final String operation, final Dataset dataset, final boolean skip) {
		final List< RejectedCase > rejected = dataset.rejected();
		if (rejected.isEmpty() || skip) return rejected;
		throw new IllegalArgumentException(operation + ": the dataset " + dataset.root() + " has " + rejected.size() + " rejected case(s): " + list(rejected)
				+ ". Fix or remove them, or give " + SKIP_KEY + "=true to continue without them.");
	}

	/** {@code name (reason); name (reason)}. */
	public static String list(final List< RejectedCase > rejected) {
		return rejected.stream().map(r -> r.name() + " (" + r.reason() + ")").collect(Collectors.joining("; "));
	}

	/** The cases as CSV: header {@code case,reason}, one line each. */
	public static String csv(final List< RejectedCase > rejected) {
		return rejected.stream().map(r -> Csv.quote(r.name()) + "," + Csv.quote(r.reason()) + "\n").collect(Collectors.joining("", "case,reason\n", ""));
	}
}
