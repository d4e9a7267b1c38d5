package org.lesionweighting.phantom;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.lesionweighting.label.LesionLabeling;
import org.lesionweighting.label.VoxelArrays;
import org.lesionweighting.util.Cancellation;
import org.lesionweighting.util.ProgressListener;

import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Synthetic 3D lesion images: the default data of the demo and of many tests.
 * <p>
 * Lesions are drawn one after the other from one random stream: a radius r log-uniform in
 * [minRadius, maxRadius] (many small lesions, few large ones, like real lesion-size distributions); a
 * shape, either an ellipsoid with semi-axes r·[0.75, 1.25] and a random orientation, or (with
 * probability {@code blobFraction}) an irregular blob, the union of 3 to 5 jittered, rotated ellipsoids
 * that all contain the lesion centre (so the blob stays connected); and a position: with probability
 * {@code touchingFraction} against a previously drawn lesion (their surfaces overlap, so they merge into
 * one component), with probability {@code borderFraction} near a random face so that the border cuts the
 * lesion, uniformly inside the image otherwise. The centre voxel always belongs to the lesion, so every
 * lesion has at least one voxel (when its centre is inside the image). Drawing touches only each
 * lesion's bounding box.
 * <p>
 * Intensity: background · (1 + biasAmplitude · smooth low-frequency field), plus contrast · (0.8..1.2
 * per lesion) inside lesions with a one-voxel partial-volume ramp at the edge, plus Gaussian noise of
 * {@code noiseSigma}. The noise of each z slice comes from its own seeded stream, so the result is the
 * same bit for bit for a seed whatever the number of threads. The intensity pass is multi-threaded
 * according to the current {@link net.imglib2.parallel.Parallelization} context.
 * <p>
 * Example (from {@code LesionPhantomTest}):
 *
 * <pre>
 * final Phantom p = LesionPhantom.generate(new PhantomSpec().size(64, 64, 32).numLesions(10).seed(3));
 * </pre>
 */
public final class LesionPhantom {

	private LesionPhantom() {}

	/** The fewest voxels per requested lesion: more lesions than voxels / 8 cannot be told apart and only cost time. */
	public static final int VOXELS_PER_LESION_MIN = 8;

	public static Phantom generate(final PhantomSpec spec) {
		return generate(spec, ProgressListener.NONE);
	}

	/**
	 * Generates a phantom from {@code spec}, reporting progress.
	 *
	 * @param spec the parameters (copied)
	 * @param listener receives status and progress; may be {@code null}
	 * @throws IllegalArgumentException if minRadius &gt; maxRadius, or more lesions than voxels /
	 *           {@link #VOXELS_PER_LESION_MIN} are asked for
	 * @throws java.util.concurrent.CancellationException if the thread is interrupted, or {@code listener} throws
	 *           it (a cancellable listener)
	 */
	public static Phantom generate(final PhantomSpec spec, final ProgressListener listener) {
		final String op = "LesionPhantom.generate";
		final ProgressListener pl = ProgressListener.orNone(listener);
		final PhantomSpec s = spec.copy();
		if (s.minRadius() > s.maxRadius())
			throw new IllegalArgumentException(op + ": minRadius (" + s.minRadius() + ") is larger than maxRadius (" + s.maxRadius() + "); swap them.");
		final long[] size = s.size();
		final long voxels = size[0] * size[1] * size[2];
		if (s.numLesions() > voxels / VOXELS_PER_LESION_MIN)
			throw new IllegalArgumentException(
					op + ": " + s.numLesions() + " lesions do not fit in " + size[0] + "×" + size[1] + "×" + size[2] + " = " + voxels + " voxels; at most "
							+ voxels / VOXELS_PER_LESION_MIN + " (one per " + VOXELS_PER_LESION_MIN + " voxels). Ask for fewer lesions or a larger volume.");
		final int nx = (int) size[0], ny = (int) size[1], nz = (int) size[2];
		final boolean is2d = nz == 1;
		final ArrayImg< FloatType, FloatArray > image = is2d ? ArrayImgs.floats(nx, ny) : ArrayImgs.floats(nx, ny, nz);
		final ArrayImg< UnsignedByteType, ByteArray > mask = is2d ? ArrayImgs.unsignedBytes(nx, ny) : ArrayImgs.unsignedBytes(nx, ny, nz);
		final float[] img = image.update(null).getCurrentStorageArray();
		final byte[] msk = mask.update(null).getCurrentStorageArray();

		pl.status("Drawing " + s.numLesions() + " lesions");
		final SplittableRandom rng = new SplittableRandom(s.seed());
		final List< Shape > shapes = new ArrayList<>();
		final double[] radii = new double[s.numLesions()];
		final double logMin = Math.log(s.minRadius()), logMax = Math.log(s.maxRadius());
		for (int i = 0; i < s.numLesions(); i++) {
			Cancellation.check(op);
			final double r = Math.exp(logMin + (logMax - logMin) * rng.nextDouble());
			radii[i] = r;
			final double u = rng.nextDouble();
			final double[] c = new double[3];
			if (u < s.touchingFraction() && !shapes.isEmpty()) {
				final Shape other = shapes.get(rng.nextInt(shapes.size()));
				final double[] dir = unitVector(rng, is2d);
				final double dist = 0.8 * (other.radius + r);
				for (int d = 0; d < 3; d++)
					c[d] = other.center[d] + dir[d] * dist;
			}
			else if (u < s.touchingFraction() + s.borderFraction()) {
				for (int d = 0; d < 3; d++)
					c[d] = rng.nextDouble() * (size[d] - 1);
				final int axis = rng.nextInt(is2d ? 2 : 3);
				final double inset = r * (rng.nextDouble() * 0.8 - 0.3);
				c[axis] = rng.nextBoolean() ? inset : size[axis] - 1 - inset;
			}
			else {
				for (int d = 0; d < 3; d++) {
					final double lo = Math.min(r, (size[d] - 1) / 2.0);
					c[d] = lo + rng.nextDouble() * Math.max(0, size[d] - 1 - 2 * lo);
				}
			}
			if (is2d) c[2] = 0;
			final Shape shape = new Shape(c, r);
			if (rng.nextDouble() < s.blobFraction()) shape.addBlob(rng, is2d);
			else
				shape.addPart(c, Shape.axes(rng, r, 0.75, 1.25, is2d), rotation(rng, is2d));
			shape.level = (float) (s.contrast() * (0.8 + 0.4 * rng.nextDouble()));
			shapes.add(shape);
			shape.draw(img, msk, nx, ny, nz);
			pl.progress(0.5 * (i + 1) / s.numLesions());
		}

		pl.status("Adding tissue and noise");
		final long seed = s.seed();
		final double bg = s.background(), amp = s.biasAmplitude(), sigma = s.noiseSigma();
		final SplittableRandom fr = new SplittableRandom(seed ^ 0x5DEECE66DL);
		final double[] fx = smooth1d(fr, nx), fy = smooth1d(fr, ny), fz = smooth1d(fr, nz), gx = smooth1d(fr, nx), gy = smooth1d(fr, ny);
		VoxelArrays.runBlocks(VoxelArrays.bounds(nz, VoxelArrays.numTasks(nz)), (t, z0, z1) -> {
			for (int z = z0; z < z1; z++) {
				Cancellation.check(op);
				final SplittableRandom noise = new SplittableRandom(mix(seed, z));
				final double[] pair = new double[2];
				int have = 0;
				for (int y = 0; y < ny; y++) {
					final int o = (z * ny + y) * nx;
					for (int x = 0; x < nx; x++) {
						final double field = 0.35 * fx[x] + 0.35 * fy[y] + 0.3 * fz[z] + 0.3 * gx[x] * gy[y];
						double v = bg * (1 + amp * Math.max(-1, Math.min(1, field)));
						if (sigma > 0) {
							if (have == 0) {
								gaussianPair(noise, pair);
								have = 2;
							}
							v += sigma * pair[--have];
						}
						img[o + x] += (float) v;
					}
				}
			}
		});
		pl.progress(0.8);

		pl.status("Labeling the phantom mask");
		final Img< IntType > labels = is2d ? ArrayImgs.ints(nx, ny) : ArrayImgs.ints(nx, ny, nz);
		final int k = LesionLabeling.label(mask, labels, s.connectivity());
		pl.progress(1);
		return new Phantom(image, mask, labels, k, radii, s);
	}

	private static long mix(final long seed, final long z) {
		long h = seed * 0x9E3779B97F4A7C15L + z * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L;
		h ^= h >>> 33;
		h *= 0xFF51AFD7ED558CCDL;
		h ^= h >>> 33;
		return h;
	}

	/** Marsaglia's polar method: two independent standard normal values. */
	private static void gaussianPair(final SplittableRandom r, final double[] out) {
		double u, v, q;
		do {
			u = 2 * r.nextDouble() - 1;
			v = 2 * r.nextDouble() - 1;
			q = u * u + v * v;
		} while (q >= 1 || q == 0);
		final double f = Math.sqrt(-2 * Math.log(q) / q);
		out[0] = u * f;
		out[1] = v * f;
	}

	/** A smooth 1D profile in [-1, 1]: one or two random cosines of at most 1.5 periods over the axis. */
	private static double[] smooth1d(final SplittableRandom r, final int n) {
		final double f1 = 0.3 + 1.2 * r.nextDouble(), p1 = 2 * Math.PI * r.nextDouble();
		final double f2 = 0.2 + 0.8 * r.nextDouble(), p2 = 2 * Math.PI * r.nextDouble();
		final double[] a = new double[n];
		for (int i = 0; i < n; i++) {
			final double t = n > 1 ? (double) i / (n - 1) : 0;
			a[i] = 0.6 * Math.cos(2 * Math.PI * f1 * t + p1) + 0.4 * Math.cos(2 * Math.PI * f2 * t + p2);
		}
		return a;
	}

	private static double[] unitVector(final SplittableRandom r, final boolean is2d) {
		while (true) {
			final double x = 2 * r.nextDouble() - 1, y = 2 * r.nextDouble() - 1, z = is2d ? 0 : 2 * r.nextDouble() - 1;
			final double n = Math.sqrt(x * x + y * y + z * z);
			if (n > 1e-3 && n <= 1) return new double[] { x / n, y / n, z / n };
		}
	}

	/** A random rotation matrix (rows = the ellipsoid axes), about z only in 2D. */
	private static double[][] rotation(final SplittableRandom r, final boolean is2d) {
		if (is2d) {
			final double a = 2 * Math.PI * r.nextDouble(), c = Math.cos(a), s = Math.sin(a);
			return new double[][] { { c, s, 0 }, { -s, c, 0 }, { 0, 0, 1 } };
		}
		// uniform random unit quaternion
		final double u1 = r.nextDouble(), u2 = r.nextDouble(), u3 = r.nextDouble();
		final double a = Math.sqrt(1 - u1), b = Math.sqrt(u1);
		final double qw = a * Math.sin(2 * Math.PI * u2), qx = a * Math.cos(2 * Math.PI * u2), qy = b * Math.sin(2 * Math.PI * u3),
				qz = b * Math.cos(2 * Math.PI * u3);
		return new double[][] { { 1 - 2 * (qy * qy + qz * qz), 2 * (qx * qy - qz * qw), 2 * (qx * qz + qy * qw) }, { 2 * (qx * qy + qz * qw), 1
				- 2 * (qx * qx + qz * qz), 2 * (qy * qz - qx * qw) }, { 2 * (qx * qz - qy * qw), 2 * (qy * qz + qx * qw), 1 - 2 * (qx * qx + qy * qy) } };
	}

	/** A lesion: a union of rotated ellipsoids. */
	private static final class Shape {

		final double[] center;

		final double radius;

		final List< double[] > parts = new ArrayList<>(); // cx, cy, cz, a, b, c, r00..r22

		float level;

		Shape(final double[] center, final double radius) {
			this.center = center;
			this.radius = radius;
		}

		/** An irregular blob: 3 to 5 jittered, rotated ellipsoids that all contain the centre. */
		void addBlob(final SplittableRandom r, final boolean is2d) {
			final int n = 3 + r.nextInt(3);
			for (int i = 0; i < n; i++) {
				final double[] ax = axes(r, radius, 0.45, 0.85, is2d);
				final double minAx = Math.min(ax[0], Math.min(ax[1], is2d ? Double.MAX_VALUE : ax[2]));
				final double[] dir = unitVector(r, is2d);
				final double off = 0.8 * minAx * r.nextDouble();
				addPart(new double[] { center[0] + dir[0] * off, center[1] + dir[1] * off, center[2] + dir[2] * off }, ax, rotation(r, is2d));
			}
		}

		static double[] axes(final SplittableRandom r, final double radius, final double lo, final double hi, final boolean is2d) {
			return new double[] { radius * (lo + (hi - lo) * r.nextDouble()), radius
					* (lo + (hi - lo) * r.nextDouble()), is2d ? 1 : radius * (lo + (hi - lo) * r.nextDouble()) };
		}

		void addPart(final double[] c, final double[] ax, final double[][] rot) {
			parts.add(new double[] { c[0], c[1], c[2], ax[0], ax[1], ax[2], //
				rot[0][0], rot[0][1], rot[0][2], rot[1][0], rot[1][1], rot[1][2], rot[2][0], rot[2][1], rot[2][2] });
		}

		/**
		 * Rasterizes into the mask (q ≤ 1) and adds the lesion level to the image with a one-voxel ramp at
		 * the edge (the level of overlapping lesions is the maximum, not the sum).
		 */
		void draw(final float[] img, final byte[] msk, final int nx, final int ny, final int nz) {
			double ext = 0;
			for (final double[] p : parts)
				ext = Math.max(ext, Math.max(p[3], Math.max(p[4], nz == 1 ? 0 : p[5])) + Math
						.sqrt((p[0] - center[0]) * (p[0] - center[0]) + (p[1] - center[1]) * (p[1] - center[1]) + (p[2] - center[2]) * (p[2] - center[2])));
			ext += 1.5;
			final int x0 = clamp((int) Math.floor(center[0] - ext), nx), x1 = clamp((int) Math.ceil(center[0] + ext), nx);
			final int y0 = clamp((int) Math.floor(center[1] - ext), ny), y1 = clamp((int) Math.ceil(center[1] + ext), ny);
			final int z0 = nz == 1 ? 0 : clamp((int) Math.floor(center[2] - ext), nz), z1 = nz == 1 ? 0 : clamp((int) Math.ceil(center[2] + ext), nz);
			for (int z = z0; z <= z1; z++)
				for (int y = y0; y <= y1; y++) {
					final int o = (z * ny + y) * nx;
					for (int x = x0; x <= x1; x++) {
						// smallest normalised radius over the parts: sqrt(q) <= 1 inside
						double best = Double.MAX_VALUE, bestScale = 1;
						for (final double[] p : parts) {
							final double dx = x - p[0], dy = y - p[1], dz = z - p[2];
							final double u = (p[6] * dx + p[7] * dy + p[8] * dz) / p[3];
							final double v = (p[9] * dx + p[10] * dy + p[11] * dz) / p[4];
							final double w = nz == 1 ? 0 : (p[12] * dx + p[13] * dy + p[14] * dz) / p[5];
							final double q = u * u + v * v + w * w;
							if (q < best) {
								best = q;
								bestScale = Math.min(p[3], Math.min(p[4], nz == 1 ? Double.MAX_VALUE : p[5]));
							}
						}
						final double rho = Math.sqrt(best);
						// ramp: 1 well inside, 0.5 on the surface, 0 one voxel outside
						final double f = Math.max(0, Math.min(1, (1 - rho) * bestScale + 0.5));
						if (f <= 0) continue;
						final float val = (float) (level * f);
						if (Math.abs(val) > Math.abs(img[o + x])) img[o + x] = val;
						if (rho <= 1) msk[o + x] = 1;
					}
				}
			// the centre voxel always belongs to the lesion
			final int cx = (int) Math.round(center[0]), cy = (int) Math.round(center[1]), cz = (int) Math.round(center[2]);
			if (cx >= 0 && cx < nx && cy >= 0 && cy < ny && cz >= 0 && cz < nz) {
				final int i = (cz * ny + cy) * nx + cx;
				msk[i] = 1;
				if (Math.abs(level) > Math.abs(img[i])) img[i] = level;
			}
		}

		private static int clamp(final int v, final int n) {
			return Math.max(0, Math.min(n - 1, v));
		}
	}
}
