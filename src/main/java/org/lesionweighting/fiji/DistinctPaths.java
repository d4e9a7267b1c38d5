package org.lesionweighting.fiji;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses, before any work, a command whose output file is one of its input files or another of its outputs:
 * {@code input='m.nii.gz',output='m.nii.gz'} would replace the mask by its labels. Paths are compared after
 * resolving symbolic links and {@code ..} (the output's folder when the output does not exist yet).
 * <pre>{@code
 * DistinctPaths.of(TITLE).input("input", input).output("output", output).output("table", table).check();
 * }</pre>
 */
public final class DistinctPaths {

	private record Named(String key, Path path, Path resolved) {}

	private final String operation;

	private final List< Named > inputs = new ArrayList<>();

	private final List< Named > outputs = new ArrayList<>();

	private DistinctPaths(final String operation) {
		this.operation = operation;
	}

	/** A new check for the command {@code operation} (its title, for messages). */
	public static DistinctPaths of(final String operation) {
		return new DistinctPaths(operation);
	}

	/** Adds an input file parameter; null or empty is skipped. */
	public DistinctPaths input(final String key, final File file) {
		return input(key, CommandInputs.isEmpty(file) ? null : file.toPath());
	}

	/** Adds an input file given as a path; null is skipped. */
	public DistinctPaths input(final String key, final Path file) {
		if (file != null) inputs.add(named(key, file));
		return this;
	}

	/** Adds an output file parameter; null or empty is skipped. */
	public DistinctPaths output(final String key, final File file) {
		if (!CommandInputs.isEmpty(file)) outputs.add(named(key, file.toPath()));
		return this;
	}

	/**
	 * Checks that no output is an input or another output.
	 *
	 * @throws IllegalArgumentException naming both parameters and the file
	 */
	public void check() {
		for (int i = 0; i < outputs.size(); i++) {
			final Named out = outputs.get(i);
			for (final Named in : inputs)
				if (out.resolved.equals(in.resolved))
					throw new IllegalArgumentException(operation + ": the output '" + out.key + "' (" + out.path + ") is the input '" + in.key + "' ("
							+ in.resolved + "); writing it would destroy the input. Choose another output file; nothing was written.");
			for (int j = 0; j < i; j++) {
				final Named other = outputs.get(j);
				if (out.resolved.equals(other.resolved))
					throw new IllegalArgumentException(operation + ": the outputs '" + other.key + "' and '" + out.key + "' are the same file (" + out.resolved
							+ "); give each output its own file.");
			}
		}
	}

	private static Named named(final String key, final Path path) {
		return new Named(key, path, resolve(path));
	}

	/** The real path of {@code p} (links and {@code ..} resolved), or of its nearest existing ancestor plus the rest. */
	static Path resolve(final Path p) {
		final Path abs = p.toAbsolutePath().normalize();
		Path existing = abs;
		Path rest = null;
		while (existing != null && !Files.exists(existing)) {
			rest = rest == null ? existing.getFileName() : existing.getFileName().resolve(rest);
			existing = existing.getParent();
		}
		if (existing == null) return abs;
		try {
			final Path real = existing.toRealPath();
			return rest == null ? real : real.resolve(rest);
		}
		catch (final IOException e) {
			return abs;
		}
	}
}
