package org.lesionweighting.util;

import java.util.Arrays;

import net.imglib2.Interval;
import net.imglib2.util.Intervals;

/**
 * Eager validation of inputs. Every message names the operation, the parameter, the value received and
 * what to do instead.
 */
public final class Checks {

	private Checks() {}

	/** Returns a printable form of an interval: {@code [0, 0, 0] - [127, 127, 63]}. */
	public static String toString(final Interval interval) {
		return Arrays.toString(Intervals.minAsLongArray(interval)) + " - " + Arrays.toString(Intervals.maxAsLongArray(interval));
	}

	/** Throws if the two intervals differ. */
	public static void requireSameInterval(final String operation, final String nameA, final Interval a, final String nameB, final Interval b) {
		if (!Intervals.equals(a, b))
			throw new IllegalArgumentException(operation + ": " + nameA + " and " + nameB + " must cover the same interval, but " + nameA + " is " + toString(a)
					+ " and " + nameB + " is " + toString(b) + ". Crop or resample one of them to the other's grid.");
	}

	/**
	 * Throws unless the interval is a volume: 2 or 3 dimensions (a 2D image is a volume of depth 1).
	 */
	public static void requireVolume(final String operation, final String name, final Interval interval) {
		final int n = interval.numDimensions();
		if (n < 2 || n > 3)
			throw new IllegalArgumentException(operation + ": " + name + " must be a 2D or 3D volume (x, y[, z]), but it has " + n + " dimensions "
					+ Arrays.toString(Intervals.dimensionsAsLongArray(interval)) + ". Split channels or time points first and pass one 3D volume.");
	}

	/** Throws unless {@code value} is finite and in [min, max]. */
	public static double requireInRange(final String operation, final String name, final double value, final double min, final double max) {
		if (!(value >= min && value <= max))
			throw new IllegalArgumentException(operation + ": " + name + " must be in [" + min + ", " + max + "], but was " + value + ".");
		return value;
	}

	/** Throws unless {@code value} is finite and strictly positive. */
	public static double requirePositive(final String operation, final String name, final double value) {
		if (!(value > 0 && Double.isFinite(value)))
			throw new IllegalArgumentException(operation + ": " + name + " must be a positive finite number, but was " + value + ".");
		return value;
	}
}
