package org.lesionweighting.fiji;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.lesionweighting.util.AtomicFiles;
import org.lesionweighting.util.AtomicFiles.IOConsumer;

import ij.ImagePlus;

/**
 * The files one command writes, committed together: each is first written to a temporary file in its
 * target folder, and only when all of them are written are they renamed to their targets. If any write
 * fails, every temporary file is deleted and no target is touched.
 * <p>
 * Not thread-safe; one instance per command run.
 */
public final class OutputFiles {

	private record Pending(Path target, IOConsumer writer) {}

	private final List< Pending > pending = new ArrayList<>();

	/**
	 * Adds a volume to write with {@link VolumeFiles#save} semantics.
	 *
	 * @param target the file, or null to skip
	 * @return this
	 */
	public OutputFiles volume(final ImagePlus imp, final Path target) {
		if (target != null) pending.add(new Pending(target, tmp -> VolumeFiles.saveTo(imp, target, tmp)));
		return this;
	}

	/**
	 * Adds any file written by {@code writer} (given a temporary path).
	 *
	 * @return this
	 */
	public OutputFiles file(final Path target, final IOConsumer writer) {
		if (target != null) pending.add(new Pending(target, writer));
		return this;
	}

	/**
	 * Writes all files to temporary files, then renames them to their targets.
	 *
	 * @throws IOException if any write fails; then no target was changed and no temporary file remains
	 */
	public void commit() throws IOException {
		final List< Path > temps = new ArrayList<>();
		boolean ok = false;
		try {
			for (final Pending p : pending) {
				final Path abs = requireFolder(p.target);
				final Path tmp = AtomicFiles.temporary(abs);
				temps.add(tmp);
				p.writer.accept(tmp);
			}
			for (int i = 0; i < pending.size(); i++) {
				final Path target = pending.get(i).target.toAbsolutePath();
				try {
					Files.move(temps.get(i), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
				}
				catch (final AtomicMoveNotSupportedException e) {
					Files.move(temps.get(i), target, StandardCopyOption.REPLACE_EXISTING);
				}
			}
			ok = true;
		}
		finally {
			if (!ok) for (final Path t : temps)
				Files.deleteIfExists(t);
			pending.clear();
		}
	}

	/**
	 * The absolute form of {@code target}, after checking that its folder exists.
	 *
	 * @throws IOException naming the target and its folder
	 */
	public static Path requireFolder(final Path target) throws IOException {
		final Path abs = target.toAbsolutePath();
		final Path dir = abs.getParent();
		if (dir == null || !Files.isDirectory(dir))
			throw new IOException("Cannot write " + abs + ": the folder " + dir + " does not exist. Create it first or choose another output path.");
		return abs;
	}
}
