package org.lesionweighting.io;

import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Where the voxels of a volume are in the world: voxel size (spacing) and its unit, a 4×4
 * world-from-voxel affine, the time step of 4D files, and the raw NIfTI qform/sform fields so that
 * read → write keeps a file's geometry bit for bit.
 * <p>
 * <b>World coordinates follow the LPS convention of DICOM, ITK, SimpleITK and MetaImage</b> (x grows to
 * the patient's left, y to posterior, z to superior), so millimetre annotations made with those tools
 * (LUNA16 nodule centres, for example) map to voxels with {@link #toVoxel(double[])}. NIfTI stores RAS
 * coordinates; readers and writers convert (x and y change sign), and {@link #affineRas()} gives the
 * NIfTI/nibabel view. Voxel coordinates are (x, y, z) indices, x fastest, voxel centres at integers.
 * <p>
 * Instances are immutable and thread-safe. Example:
 * <pre>{@code
 * VolumeGeometry g = VolumeGeometry.of(new double[] {0.7, 0.7, 2.5}, new double[] {-180, -190, -300}, null);
 * double[] voxel = g.toVoxel(new double[] {-100.2, 10.5, -250.0});
 * }</pre>
 */
public final class VolumeGeometry {

	/** The default unit of medical volumes. */
	public static final String UNIT_DEFAULT = "mm";

	/**
	 * The raw orientation fields of a NIfTI header, as stored (widened to double), in NIfTI's RAS
	 * convention. Kept so that writing a volume that was read unchanged reproduces the header.
	 *
	 * @param qformCode {@code qform_code} (0 = none)
	 * @param sformCode {@code sform_code} (0 = none)
	 * @param quaternB {@code quatern_b}
	 * @param quaternC {@code quatern_c}
	 * @param quaternD {@code quatern_d}
	 * @param qoffsetX {@code qoffset_x}
	 * @param qoffsetY {@code qoffset_y}
	 * @param qoffsetZ {@code qoffset_z}
	 * @param qfac {@code pixdim[0]}: -1 for a left-handed voxel grid, otherwise 1
	 * @param srow {@code srow_x}, {@code srow_y}, {@code srow_z} (12 values, row-major)
	 */
	public record NiftiTransforms(int qformCode, int sformCode, double quaternB, double quaternC, double quaternD, double qoffsetX, double qoffsetY,
			double qoffsetZ, double qfac, double[] srow) {

		/** Copies {@code srow}. */
		public NiftiTransforms {
			if (srow == null || srow.length != 12)
				throw new IllegalArgumentException(
						"NiftiTransforms: srow must have 12 values (3 rows of 4), but has " + (srow == null ? "null" : srow.length) + ".");
			srow = srow.clone();
		}

		/** {@code srow_x}, {@code srow_y}, {@code srow_z}, a copy. */
		@Override
		public double[] srow() {
			return srow.clone();
		}

		/** The qform matrix (RAS) for the given voxel size, as NIfTI-1 defines it (3×4 row-major). */
		public double[] qformMatrix(final double[] spacing) {
			double b = quaternB, c = quaternC, d = quaternD;
			double a = 1 - (b * b + c * c + d * d);
			if (a < 1e-7) {
				a = 1 / Math.sqrt(b * b + c * c + d * d);
				b *= a;
				c *= a;
				d *= a;
				a = 0;
			}
			else
				a = Math.sqrt(a);
			final double xd = spacing[0] > 0 ? spacing[0] : 1, yd = spacing[1] > 0 ? spacing[1] : 1;
			double zd = spacing[2] > 0 ? spacing[2] : 1;
			if (qfac < 0) zd = -zd;
			return new double[] { //
				(a * a + b * b - c * c - d * d) * xd, 2 * (b * c - a * d) * yd, 2 * (b * d + a * c) * zd, qoffsetX, //
				2 * (b * c + a * d) * xd, (a * a + c * c - b * b - d * d) * yd, 2 * (c * d - a * b) * zd, qoffsetY, //
				2 * (b * d - a * c) * xd, 2 * (c * d + a * b) * yd, (a * a + d * d - c * c - b * b) * zd, qoffsetZ };
		}

		/**
		 * The affine a NIfTI reader uses (RAS, 3×4 row-major): the sform when {@code sformCode > 0},
		 * otherwise the qform when {@code qformCode > 0}, otherwise the voxel size alone.
		 */
		public double[] rasAffine(final double[] spacing) {
			if (sformCode > 0) return srow.clone();
			return qformCode > 0 ? qformMatrix(spacing) : diagonal(spacing);
		}

		/** Builds the qform (quaternion, offset, qfac) of a RAS affine, as NIfTI-1's reference code does. */
		public static NiftiTransforms fromRasAffine(final double[] m, final int qformCode, final int sformCode) {
			// the columns of the 3×3 part scaled to unit length; a zero column becomes its voxel axis
			final double[] u = new double[9];
			for (int col = 0; col < 3; col++) {
				final double n = Math.sqrt(m[col] * m[col] + m[4 + col] * m[4 + col] + m[8 + col] * m[8 + col]);
				for (int row = 0; row < 3; row++)
					u[3 * row + col] = n == 0 ? (row == col ? 1 : 0) : m[4 * row + col] / n;
			}
			double r11 = u[0], r12 = u[1], r13 = u[2], r21 = u[3], r22 = u[4], r23 = u[5], r31 = u[6], r32 = u[7], r33 = u[8];
			final double det = r11 * r22 * r33 - r11 * r32 * r23 - r21 * r12 * r33 + r21 * r32 * r13 + r31 * r12 * r23 - r31 * r22 * r13;
			double qfac = 1;
			if (det < 0) {
				qfac = -1;
				r13 = -r13;
				r23 = -r23;
				r33 = -r33;
			}
			double a = r11 + r22 + r33 + 1, b, c, d;
			if (a > 0.5) {
				a = 0.5 * Math.sqrt(a);
				b = 0.25 * (r32 - r23) / a;
				c = 0.25 * (r13 - r31) / a;
				d = 0.25 * (r21 - r12) / a;
			}
			else {
				final double xx = 1 + r11 - (r22 + r33), yy = 1 + r22 - (r11 + r33);
				if (xx > 1) {
					b = 0.5 * Math.sqrt(xx);
					a = 0.25 * (r32 - r23) / b;
					c = 0.25 * (r12 + r21) / b;
					d = 0.25 * (r13 + r31) / b;
				}
				else if (yy > 1) {
					c = 0.5 * Math.sqrt(yy);
					a = 0.25 * (r13 - r31) / c;
					b = 0.25 * (r12 + r21) / c;
					d = 0.25 * (r23 + r32) / c;
				}
				else {
					final double zz = 1 + r33 - (r11 + r22);
					d = 0.5 * Math.sqrt(zz);
					a = 0.25 * (r21 - r12) / d;
					b = 0.25 * (r13 + r31) / d;
					c = 0.25 * (r23 + r32) / d;
				}
				if (a < 0) {
					b = -b;
					c = -c;
					d = -d;
				}
			}
			return new NiftiTransforms(qformCode, sformCode, b, c, d, m[3], m[7], m[11], qfac, Arrays.copyOf(m, 12));
		}
	}

	private final double[] spacing;

	private final String unit;

	/** World (LPS) from voxel, 3×4 row-major. */
	private final double[] affine;

	private final double timeStep;

	private final String timeUnit;

	private final NiftiTransforms nifti;

	private VolumeGeometry(final double[] spacing, final String unit, final double[] affine, final double timeStep, final String timeUnit,
			final NiftiTransforms nifti) {
		this.spacing = spacing;
		this.unit = unit == null ? "" : unit;
		this.affine = affine;
		this.timeStep = timeStep;
		this.timeUnit = timeUnit == null ? "" : timeUnit;
		this.nifti = nifti;
	}

	/**
	 * A geometry with the given voxel size in millimetres, origin 0 and axes along the world axes.
	 *
	 * @param spacing three positive finite voxel sizes (x, y, z)
	 * @throws IllegalArgumentException if a spacing is not positive and finite
	 */
	public static VolumeGeometry ofSpacing(final double... spacing) {
		return of(spacing, (double[]) null, null);
	}

	/**
	 * A geometry from voxel size, origin (world position of voxel (0,0,0)) and direction cosines, in
	 * millimetres, as MetaImage and ITK describe it: world = origin + direction · diag(spacing) · voxel.
	 *
	 * @param spacing three positive finite voxel sizes (x, y, z)
	 * @param origin three values, or {@code null} for 0
	 * @param direction 3×3 matrix whose columns are the world directions of the voxel axes, or
	 *          {@code null} for the identity
	 * @throws IllegalArgumentException if a value is missing or not finite
	 */
	public static VolumeGeometry of(final double[] spacing, final double[] origin, final double[][] direction) {
		final double[] s = checkSpacing("VolumeGeometry.of", spacing);
		final double[] o = origin == null ? new double[3] : origin.clone();
		if (o.length != 3) throw new IllegalArgumentException("VolumeGeometry.of: origin must have 3 values, but has " + o.length + ".");
		final double[] a = new double[12];
		for (int r = 0; r < 3; r++) {
			for (int c = 0; c < 3; c++)
				a[4 * r + c] = (direction == null ? (r == c ? 1 : 0) : direction[r][c]) * s[c];
			a[4 * r + 3] = o[r];
		}
		return new VolumeGeometry(s, UNIT_DEFAULT, checkAffine("VolumeGeometry.of", a), 0, "", null);
	}

	/** Package-private: a geometry as read from a file. */
	static VolumeGeometry fromFile(final double[] spacing, final String unit, final double[] affine34, final double timeStep, final String timeUnit,
			final NiftiTransforms nifti) {
		return new VolumeGeometry(spacing.clone(), unit, affine34.clone(), timeStep, timeUnit, nifti);
	}

	private static double[] checkSpacing(final String op, final double[] spacing) {
		if (spacing == null || spacing.length != 3)
			throw new IllegalArgumentException(op + ": spacing must have 3 values (x, y, z), but has " + (spacing == null ? "null" : spacing.length) + ".");
		if (!Arrays.stream(spacing).allMatch(v -> v > 0 && Double.isFinite(v)))
			throw new IllegalArgumentException(op + ": spacing must be positive and finite, but is " + Arrays.toString(spacing) + ".");
		return spacing.clone();
	}

	private static double[] checkAffine(final String op, final double[] a) {
		if (!Arrays.stream(a).allMatch(Double::isFinite))
			throw new IllegalArgumentException(op + ": the affine must be finite, but is " + Arrays.toString(a) + ".");
		if (det3(a) == 0) throw new IllegalArgumentException(op + ": the affine is singular: " + Arrays.toString(a) + ".");
		return a;
	}

	/** The 3×4 row-major affine that only scales voxel axis i by {@code spacing[i]}. */
	static double[] diagonal(final double[] spacing) {
		return new double[] { spacing[0], 0, 0, 0, 0, spacing[1], 0, 0, 0, 0, spacing[2], 0 };
	}

	/** Determinant of the 3×3 part of a 3×4 row-major matrix. */
	static double det3(final double[] a) {
		return a[0] * (a[5] * a[10] - a[6] * a[9]) - a[1] * (a[4] * a[10] - a[6] * a[8]) + a[2] * (a[4] * a[9] - a[5] * a[8]);
	}

	/** Voxel size (x, y, z), a copy. */
	public double[] spacing() {
		return spacing.clone();
	}

	/** Spatial unit: {@code "mm"}, {@code "um"}, {@code "m"}, or empty if the file does not say. */
	public String unit() {
		return unit;
	}

	/** World (LPS) from voxel affine, 4×4, rows first, a copy. */
	public double[][] affine() {
		return rows(affine);
	}

	/** World (LPS) from voxel affine, 3×4, rows first, a copy. */
	double[] affine34() {
		return affine.clone();
	}

	/** The affine in NIfTI's RAS convention (x and y rows negated), 4×4, rows first. */
	public double[][] affineRas() {
		return rows(Nifti.rasToLps(affine));
	}

	private static double[][] rows(final double[] a) {
		return new double[][] { Arrays.copyOfRange(a, 0, 4), Arrays.copyOfRange(a, 4, 8), Arrays.copyOfRange(a, 8, 12), { 0, 0, 0, 1 } };
	}

	/** World position of voxel (0, 0, 0): the affine's translation. */
	public double[] origin() {
		return new double[] { affine[3], affine[7], affine[11] };
	}

	/** Direction cosines: 3×3, column c is the unit world direction of voxel axis c. */
	public double[][] direction() {
		final double[][] d = new double[3][3];
		for (int c = 0; c < 3; c++) {
			final double n = Math.sqrt(affine[c] * affine[c] + affine[4 + c] * affine[4 + c] + affine[8 + c] * affine[8 + c]);
			for (int r = 0; r < 3; r++)
				d[r][c] = affine[4 * r + c] / n;
		}
		return d;
	}

	/** Time between time points of a 4D file (NIfTI {@code pixdim[4]}), 0 if unknown. */
	public double timeStep() {
		return timeStep;
	}

	/** Unit of {@link #timeStep()}: {@code "s"}, {@code "ms"}, {@code "us"} or empty. */
	public String timeUnit() {
		return timeUnit;
	}

	/** The raw NIfTI orientation fields the volume was read with, or {@code null}. */
	public NiftiTransforms niftiTransforms() {
		return nifti;
	}

	/**
	 * Maps voxel coordinates (x, y, z; fractional allowed) to world coordinates (LPS).
	 *
	 * @param voxel at least 3 values; only the first 3 are used
	 * @return a new array of 3 world coordinates
	 */
	public double[] toWorld(final double[] voxel) {
		final double[] w = new double[3];
		for (int r = 0; r < 3; r++)
			w[r] = affine[4 * r] * voxel[0] + affine[4 * r + 1] * voxel[1] + affine[4 * r + 2] * voxel[2] + affine[4 * r + 3];
		return w;
	}

	/**
	 * Maps world coordinates (LPS, e.g. LUNA16 millimetres) to voxel coordinates (x, y, z), fractional;
	 * round to get the nearest voxel index.
	 *
	 * @param world at least 3 values; only the first 3 are used
	 * @return a new array of 3 voxel coordinates
	 */
	public double[] toVoxel(final double[] world) {
		final double[] a = affine;
		final double x = world[0] - a[3], y = world[1] - a[7], z = world[2] - a[11];
		final double det = det3(a);
		// inverse of the 3×3 part by cofactors
		final double i00 = (a[5] * a[10] - a[6] * a[9]) / det, i01 = (a[2] * a[9] - a[1] * a[10]) / det, i02 = (a[1] * a[6] - a[2] * a[5]) / det;
		final double i10 = (a[6] * a[8] - a[4] * a[10]) / det, i11 = (a[0] * a[10] - a[2] * a[8]) / det, i12 = (a[2] * a[4] - a[0] * a[6]) / det;
		final double i20 = (a[4] * a[9] - a[5] * a[8]) / det, i21 = (a[1] * a[8] - a[0] * a[9]) / det, i22 = (a[0] * a[5] - a[1] * a[4]) / det;
		return new double[] { i00 * x + i01 * y + i02 * z, i10 * x + i11 * y + i12 * z, i20 * x + i21 * y + i22 * z };
	}

	/** A copy with another spatial unit (the numbers are not converted). */
	public VolumeGeometry withUnit(final String newUnit) {
		return new VolumeGeometry(spacing, newUnit, affine, timeStep, timeUnit, nifti);
	}

	/** A copy with a time step for 4D volumes. */
	public VolumeGeometry withTimeStep(final double step, final String unitOfTime) {
		return new VolumeGeometry(spacing, unit, affine, step, unitOfTime, nifti);
	}

	/** Whether both geometries have equal spacing, each axis within {@code tolerance} relative to the larger of the two. */
	public boolean sameSpacing(final VolumeGeometry other, final double tolerance) {
		return IntStream.range(0, 3).noneMatch(i -> Math.abs(spacing[i] - other.spacing[i]) > tolerance * Math.max(spacing[i], other.spacing[i]));
	}

	/** Prefix of the lines written by {@link #toText()}. */
	public static final String TEXT_PREFIX = "lw.geometry.";

	/**
	 * The geometry as {@code key = value} lines (prefix {@value #TEXT_PREFIX}), exact (doubles in full
	 * precision), for storing in an image's info text; {@link #fromText(String)} reads it back.
	 */
	public String toText() {
		final StringBuilder sb = new StringBuilder();
		sb.append(TEXT_PREFIX).append("spacing = ").append(join(spacing)).append('\n');
		sb.append(TEXT_PREFIX).append("unit = ").append(unit).append('\n');
		sb.append(TEXT_PREFIX).append("affine = ").append(join(affine)).append('\n');
		if (timeStep != 0) sb.append(TEXT_PREFIX).append("time = ").append(timeStep).append(' ').append(timeUnit).append('\n');
		if (nifti != null) {
			final double[] q = { nifti.qformCode(), nifti.sformCode(), nifti.quaternB(), nifti.quaternC(), nifti.quaternD(), nifti.qoffsetX(), nifti
					.qoffsetY(), nifti.qoffsetZ(), nifti.qfac() };
			sb.append(TEXT_PREFIX).append("nifti = ").append(join(q)).append(' ').append(join(nifti.srow)).append('\n');
		}
		return sb.toString();
	}

	private static String join(final double[] v) {
		return Arrays.stream(v).mapToObj(Double::toString).collect(Collectors.joining(" "));
	}

	/**
	 * Reads a geometry written by {@link #toText()} from any text that contains its lines (other lines are
	 * ignored).
	 *
	 * @return the geometry, or {@code null} if the text holds no valid geometry
	 */
	public static VolumeGeometry fromText(final String text) {
		if (text == null) return null;
		double[] sp = null, af = null, nf = null;
		String u = "", tu = "";
		double ts = 0;
		try {
			for (final String raw : text.split("\\R")) {
				final String line = raw.trim();
				if (!line.startsWith(TEXT_PREFIX)) continue;
				final int eq = line.indexOf('=');
				if (eq < 0) continue;
				final String key = line.substring(TEXT_PREFIX.length(), eq).trim();
				final String value = line.substring(eq + 1).trim();
				switch (key) {
					case "spacing" -> sp = numbers(value);
					case "unit" -> u = value;
					case "affine" -> af = numbers(value);
					case "time" -> {
						final String[] p = value.split("\\s+");
						ts = Double.parseDouble(p[0]);
						tu = p.length > 1 ? p[1] : "";
					}
					case "nifti" -> nf = numbers(value);
					default -> {}
				}
			}
			if (sp == null || af == null || sp.length != 3 || af.length != 12) return null;
			checkSpacing("VolumeGeometry.fromText", sp);
			checkAffine("VolumeGeometry.fromText", af);
			NiftiTransforms x = null;
			if (nf != null && nf.length == 21)
				x = new NiftiTransforms((int) nf[0], (int) nf[1], nf[2], nf[3], nf[4], nf[5], nf[6], nf[7], nf[8], Arrays.copyOfRange(nf, 9, 21));
			return new VolumeGeometry(sp, u, af, ts, tu, x);
		}
		catch (final RuntimeException e) {
			return null;
		}
	}

	private static double[] numbers(final String s) {
		return Arrays.stream(s.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
	}

	@Override
	public String toString() {
		return "VolumeGeometry[spacing=" + Arrays.toString(spacing) + " " + unit + ", origin=" + Arrays.toString(origin()) + ", affine="
				+ Arrays.toString(affine) + (timeStep != 0 ? ", timeStep=" + timeStep + " " + timeUnit : "") + "]";
	}
}
