package org.lesionweighting.tf.train;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.lesionweighting.tf.model.SavedModels;

/**
 * Protects a model folder during a training run: {@link #acquire} refuses a folder that holds files the run
 * would not write (an exported model of another run, a user's files; unless {@code overwrite}) and locks the
 * folder for the run with {@value #LOCK_FILE} (the owner's process id and start time), so that a second run
 * into the same folder fails at once naming the first. A lock whose process no longer runs (a killed run) is
 * stale and replaced. {@link #close} removes the lock (and the folder, if the run created it and left it empty).
 * <pre>{@code
 * try (ModelFolderGuard guard = ModelFolderGuard.acquire("Train Lesion Segmenter", folder, resume, overwrite)) {
 *     Trainer.create(config, data, folder).run();
 * }
 * }</pre>
 */
public final class ModelFolderGuard implements AutoCloseable {

	/** The lock file inside the model folder. */
	public static final String LOCK_FILE = ".training.lock";

	/** The file listing the dataset cases a run skipped ({@code skip_bad_cases=true}). */
	public static final String SKIPPED_CASES_FILE = "skipped_cases.csv";

	/** The names a training run writes into its model folder ({@link Trainer}, {@link SavedModels}), besides hidden temporaries. */
	public static final Set< String > RUN_FILES = Set.of(Trainer.TRAINING_FOLDER, Trainer.HISTORY_FILE, Trainer.VALIDATION_FILE, SavedModels.FOLDER_DEFAULT,
			Trainer.LAST_FOLDER, DatasetPlan.FILE, SKIPPED_CASES_FILE, LOCK_FILE);

	/** What a SavedModel export writes into {@link SavedModels#FOLDER_DEFAULT}. */
	public static final Set< String > SAVED_MODEL_FILES = Set.of("saved_model.pb", "saved_model.pbtxt", "variables", "assets", "fingerprint.pb", "model.json");

	private static final long PID = ProcessHandle.current().pid();

	private final Path lock;

	/** The model folder if this run created it (removed again at {@link #close} when still empty), else null. */
	private final Path created;

	private ModelFolderGuard(final Path lock, final Path created) {
		this.lock = lock;
		this.created = created;
	}

	/**
	 * Checks the folder's content and locks it for this run.
	 *
	 * @param operation names the command in messages
	 * @param folder the model folder (created if missing)
	 * @param resume whether the run continues the folder's checkpoint (then the files of that run are expected)
	 * @param overwrite allow a folder that holds other files; the run replaces the ones it writes
	 * @throws IOException if the folder holds foreign files and {@code overwrite} is false (the message lists
	 *           some), or another running process holds the lock (the message names it)
	 */
	public static ModelFolderGuard acquire(final String operation, final Path folder, final boolean resume, final boolean overwrite) throws IOException {
		final Path created = Files.isDirectory(folder) ? null : folder;
		Files.createDirectories(folder);
		final Path lock = folder.resolve(LOCK_FILE);
		final String content = "pid=" + PID + "\nstarted=" + ProcessHandle.current().info().startInstant().map(Instant::toString).orElse("") + "\nlocked="
				+ Instant.now() + "\n";
		for (int attempt = 0;; attempt++) {
			try {
				Files.writeString(lock, content, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
				break;
			}
			catch (final FileAlreadyExistsException e) {
				final String owner = liveOwner(lock);
				if (owner != null)
					throw new IOException(operation + ": the model folder " + folder + " is in use by another training run (" + owner
							+ "); wait for it to finish or choose another folder. If no such run exists, delete " + lock + ".");
				Files.deleteIfExists(lock);
				if (attempt > 3)
					throw new IOException(
							operation + ": cannot lock the model folder " + folder + " (" + lock + " keeps reappearing); another run is starting there.");
			}
		}
		final ModelFolderGuard guard = new ModelFolderGuard(lock, created);
		try {
			if (!overwrite) {
				final List< String > foreign = foreign(folder, resume);
				if (!foreign.isEmpty())
					throw new IOException(operation + ": the model folder " + folder + " holds files this training run did not write: "
							+ String.join(", ", foreign) + (foreign.size() == MAX_LISTED ? ", …" : "")
							+ ". Choose an empty or new folder, or give overwrite=true to train there anyway (the run replaces " + SavedModels.FOLDER_DEFAULT
							+ "/, " + Trainer.HISTORY_FILE + " and " + Trainer.TRAINING_FOLDER + "/).");
			}
			return guard;
		}
		catch (final IOException | RuntimeException e) {
			guard.close();
			throw e;
		}
	}

	private static final int MAX_LISTED = 5;

	/** Entries a new run (all of them) or a resumed run (those no run writes) did not write. */
	private static List< String > foreign(final Path folder, final boolean resume) throws IOException {
		final List< String > out = new ArrayList<>();
		if (!resume && (Trainer.hasCheckpoint(folder) || Files.exists(folder.resolve(Trainer.HISTORY_FILE)))) return out; // the trainer refuses it: "resume it"
		try (DirectoryStream< Path > s = Files.newDirectoryStream(folder)) {
			for (final Path p : s) {
				final String n = p.getFileName().toString();
				if (n.equals(LOCK_FILE) || out.size() >= MAX_LISTED) continue;
				if (!resume || !(RUN_FILES.contains(n) || isTemporary(n))) out.add(n);
				else if (n.equals(SavedModels.FOLDER_DEFAULT) && Files.isDirectory(p)) {
					try (DirectoryStream< Path > m = Files.newDirectoryStream(p)) {
						for (final Path q : m)
							if (!SAVED_MODEL_FILES.contains(q.getFileName().toString()) && out.size() < MAX_LISTED) out.add(n + "/" + q.getFileName());
					}
				}
			}
		}
		return out;
	}

	/** Hidden temporaries of atomic writes and exports ({@code .history.csv.<pid>-<random>.part}, {@code .saved_model.tmp-…}). */
	private static boolean isTemporary(final String name) {
		return name.startsWith(".") && (name.endsWith(".part") || name.contains(".tmp-") || name.contains(".old-"));
	}

	/** A description of the lock's owner if that process still runs, else {@code null} (a stale lock). */
	private static String liveOwner(final Path lock) throws IOException {
		final Properties p = new Properties();
		try (Reader r = Files.newBufferedReader(lock, StandardCharsets.UTF_8)) {
			p.load(r);
		}
		catch (final NoSuchFileException e) {
			return null;
		}
		long pid;
		try {
			pid = Long.parseLong(p.getProperty("pid", "-1").trim());
		}
		catch (final NumberFormatException e) {
			pid = -1;
		}
		final String started = p.getProperty("started", "").trim(), locked = p.getProperty("locked", "").trim();
		if (pid < 0) return "a lock file without a process id";
		final Optional< ProcessHandle > h = ProcessHandle.of(pid);
		if (h.isEmpty() || !h.get().isAlive()) return null;
		final String now = h.get().info().startInstant().map(Instant::toString).orElse("");
		if (!started.isEmpty() && !now.isEmpty() && !started.equals(now)) return null; // the id was reused by another process
		return "process " + pid + (pid == PID ? " (this one)" : "") + ", locked at " + locked;
	}

	/** Removes the lock, and the model folder if this run created it and wrote nothing (a refused run). */
	@Override
	public void close() throws IOException {
		Files.deleteIfExists(lock);
		if (created != null) {
			try (DirectoryStream< Path > s = Files.newDirectoryStream(created)) {
				if (!s.iterator().hasNext()) Files.deleteIfExists(created);
			}
		}
	}
}
