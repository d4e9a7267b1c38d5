package org.lesionweighting.label;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.parallel.Parallelization;
import net.imglib2.type.logic.NativeBoolType;
import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.LongType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedIntType;
import net.imglib2.type.numeric.integer.UnsignedLongType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Util;

/**
 * Low-level helper shared by the {@code label}, {@code weights} and {@code metrics} packages: direct access to the
 * primitive arrays behind {@link ArrayImg} and {@link PlanarImg} volumes of one-value-per-voxel types,
 * and running tasks on the current {@link Parallelization} context with readable exceptions. Not meant
 * as user API.
 */
public final class VoxelArrays {

	private VoxelArrays() {}

	/**
	 * The primitive storage of a 2D or 3D volume, plane by plane: plane {@code z} starts at
	 * {@code offsets[z]} of {@code arrays[z]}, x fastest then y.
	 *
	 * @param arrays one primitive array per z plane (the same array for every plane of an ArrayImg)
	 * @param offsets index of voxel (0, 0, z) in {@code arrays[z]}
	 */
	public record Planes(Object[] arrays, int[] offsets) {

		/** The storage array of plane z. */
		public Object array(final int z) {
			return arrays[z];
		}

		/** The index of voxel (0, 0, z) in {@link #array(int)}. */
		public int offset(final int z) {
			return offsets[z];
		}
	}

	/**
	 * Returns direct plane access for an {@link ArrayImg} or {@link PlanarImg} of a type that stores one
	 * primitive per voxel (byte, short, int, long, float or double based types; not BitType), or
	 * {@code null} when the image is anything else (views, cell images, packed types).
	 *
	 * @param img a 2D or 3D image
	 * @return the planes, or {@code null} when the generic cursor path must be used
	 */
	public static Planes planes(final RandomAccessibleInterval< ? > img) {
		final int n = img.numDimensions();
		if (n < 2 || n > 3) return null;
		if (!(img instanceof ArrayImg) && !(img instanceof PlanarImg)) return null;
		final Object t = Util.getTypeFromInterval(img);
		if (!isPrimitivePerVoxel(t)) return null;
		final long nxy = img.dimension(0) * img.dimension(1);
		final int nz = n == 3 ? (int) img.dimension(2) : 1;
		final Object[] arrays = new Object[nz];
		final int[] offsets = new int[nz];
		if (img instanceof ArrayImg< ?, ? > ai) {
			if (!(ai.update(null) instanceof ArrayDataAccess< ? > access)) return null;
			final Object a = access.getCurrentStorageArray();
			for (int z = 0; z < nz; z++) {
				arrays[z] = a;
				offsets[z] = (int) (z * nxy);
			}
		}
		else {
			final PlanarImg< ?, ? > p = (PlanarImg< ?, ? >) img;
			if (p.numSlices() != nz) return null;
			for (int z = 0; z < nz; z++) {
				final Object access = p.getPlane(z);
				if (!(access instanceof ArrayDataAccess)) return null;
				arrays[z] = ((ArrayDataAccess< ? >) access).getCurrentStorageArray();
			}
		}
		return new Planes(arrays, offsets);
	}

	private static boolean isPrimitivePerVoxel(final Object t) {
		return t instanceof UnsignedByteType || t instanceof ByteType || t instanceof NativeBoolType || t instanceof ShortType || t instanceof UnsignedShortType
				|| t instanceof IntType || t instanceof UnsignedIntType || t instanceof LongType || t instanceof UnsignedLongType || t instanceof FloatType
				|| t instanceof DoubleType;
	}

	/**
	 * Runs the tasks on the current {@link Parallelization} task executor and rethrows the first
	 * {@link IllegalArgumentException}, {@link CancellationException} or other runtime exception a task
	 * threw, unwrapped from the executor's wrapping.
	 */
	public static void runAll(final List< Runnable > tasks) {
		if (tasks.size() == 1) {
			tasks.get(0).run();
			return;
		}
		try {
			Parallelization.getTaskExecutor().runAll(tasks);
		}
		catch (final RuntimeException e) {
			Throwable c = e;
			while (c != null) {
				if (c instanceof IllegalArgumentException || c instanceof CancellationException || c instanceof IllegalStateException
						|| c instanceof OutOfMemoryError)
					break;
				if (!(c instanceof ExecutionException) && c.getCause() == null) break;
				c = c.getCause();
			}
			if (c instanceof RuntimeException) throw (RuntimeException) c;
			if (c instanceof Error) throw (Error) c;
			throw e;
		}
	}

	/** The work of one block: task index {@code task}, units {@code lo} (inclusive) to {@code hi} (exclusive). */
	@FunctionalInterface
	public interface Block {

		void run(int task, int lo, int hi);
	}

	/** The bounds of {@code nTasks} consecutive blocks of the units 0..n-1: block t is [n·t/nTasks, n·(t+1)/nTasks). */
	public static int[] bounds(final int n, final int nTasks) {
		final int[] bounds = new int[nTasks + 1];
		for (int t = 0; t <= nTasks; t++)
			bounds[t] = (int) ((long) n * t / nTasks);
		return bounds;
	}

	/** Runs {@code block.run(t, bounds[t], bounds[t + 1])} for every block t as tasks of {@link #runAll}. */
	public static void runBlocks(final int[] bounds, final Block block) {
		final List< Runnable > tasks = new ArrayList<>();
		for (int t = 0; t + 1 < bounds.length; t++) {
			final int task = t;
			tasks.add(() -> block.run(task, bounds[task], bounds[task + 1]));
		}
		runAll(tasks);
	}

	/** The number of tasks to split {@code n} independent units of work into. */
	public static int numTasks(final long n) {
		final int s = Math.max(1, Parallelization.getTaskExecutor().suggestNumberOfTasks());
		return (int) Math.max(1, Math.min(n, s));
	}
}
