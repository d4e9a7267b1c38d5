package org.lesionweighting.fiji;

import java.math.BigDecimal;
import java.util.Locale;

import org.scijava.module.ModuleItem;

/**
 * Strict conversion of command-line and macro values to boolean and numeric parameters: text that is not a
 * number or a boolean is an error (SciJava's converter turns {@code '1OO'} into 0 and {@code 'yes'} into
 * false), integers never wrap around ({@code 4294967336} is not 40), and every number must lie in the range of
 * its {@code @Parameter} ({@code min}/{@code max}, listed by {@code --help}). Used by the launcher and the
 * macro bridge.
 */
public final class ParameterValues {

	private ParameterValues() {}

	/** Whether {@code type} is a boolean or a primitive or boxed number, which {@link #convert} handles. */
	public static boolean handles(final Class< ? > type) {
		return isBoolean(type) || isInteger(type) || type == double.class || type == Double.class || type == float.class || type == Float.class;
	}

	/**
	 * Converts {@code value} (text, a number or a boolean) to the type of {@code item}.
	 *
	 * @param operation the command title, for messages
	 * @param item a parameter whose type {@link #handles}
	 * @param value the value given
	 * @return the converted value, within the parameter's range
	 * @throws IllegalArgumentException naming the parameter, the value and what it accepts
	 */
	public static Object convert(final String operation, final ModuleItem< ? > item, final Object value) {
		final Class< ? > type = item.getType();
		if (isBoolean(type)) {
			if (value instanceof Boolean) return value;
			final String s = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
			if (s.equals("true") || s.equals("false")) return Boolean.valueOf(s);
			throw new IllegalArgumentException(operation + ": parameter '" + item.getName() + "' is true or false, but got " + describe(value) + ".");
		}
		final BigDecimal v = number(value);
		if (v == null || isInteger(type) && v.stripTrailingZeros().scale() > 0)
			throw new IllegalArgumentException(operation + ": parameter '" + item.getName() + "' needs " + (isInteger(type) ? "an integer" : "a number")
					+ range(item) + ", but got " + describe(value) + ".");
		final BigDecimal min = bound(item.getMinimumValue()), max = bound(item.getMaximumValue());
		final BigDecimal typeMin = typeBound(type, false), typeMax = typeBound(type, true);
		if ((min != null && v.compareTo(min) < 0) || (max != null && v.compareTo(max) > 0) || v.compareTo(typeMin) < 0 || v.compareTo(typeMax) > 0) {
			throw new IllegalArgumentException(operation + ": parameter '" + item.getName() + "' must be" + range(item) + ", but got " + describe(value) + ".");
		}
		if (type == int.class || type == Integer.class) return v.intValueExact();
		if (type == long.class || type == Long.class) return v.longValueExact();
		if (type == short.class || type == Short.class) return v.shortValueExact();
		if (type == byte.class || type == Byte.class) return v.byteValueExact();
		if (type == float.class || type == Float.class) return v.floatValue();
		return v.doubleValue();
	}

	/** {@code " from <min> to <max>"}, {@code " >= <min>"}, {@code " <= <max>"} or empty. */
	public static String range(final ModuleItem< ? > item) {
		final Object min = item.getMinimumValue(), max = item.getMaximumValue();
		if (min != null && max != null) return " from " + plain(min) + " to " + plain(max);
		if (min != null) return " >= " + plain(min);
		if (max != null) return " <= " + plain(max);
		return "";
	}

	private static String plain(final Object bound) {
		final BigDecimal b = bound(bound);
		return b == null ? String.valueOf(bound) : b.stripTrailingZeros().toPlainString();
	}

	private static BigDecimal number(final Object value) {
		if (value instanceof Double || value instanceof Float) {
			final double d = ((Number) value).doubleValue();
			return Double.isFinite(d) ? new BigDecimal(Double.toString(d)) : null;
		}
		if (value instanceof Number) return new BigDecimal(value.toString());
		if (!(value instanceof String s)) return null;
		try {
			return new BigDecimal(s.trim());
		}
		catch (final NumberFormatException e) {
			return null;
		}
	}

	private static BigDecimal bound(final Object b) {
		return b instanceof Number ? number(b) : null;
	}

	private static BigDecimal typeBound(final Class< ? > type, final boolean upper) {
		if (type == int.class || type == Integer.class) return BigDecimal.valueOf(upper ? Integer.MAX_VALUE : Integer.MIN_VALUE);
		if (type == long.class || type == Long.class) return BigDecimal.valueOf(upper ? Long.MAX_VALUE : Long.MIN_VALUE);
		if (type == short.class || type == Short.class) return BigDecimal.valueOf(upper ? Short.MAX_VALUE : Short.MIN_VALUE);
		if (type == byte.class || type == Byte.class) return BigDecimal.valueOf(upper ? Byte.MAX_VALUE : Byte.MIN_VALUE);
		if (type == float.class || type == Float.class) return new BigDecimal(Float.toString(upper ? Float.MAX_VALUE : -Float.MAX_VALUE));
		return new BigDecimal(Double.toString(upper ? Double.MAX_VALUE : -Double.MAX_VALUE));
	}

	private static boolean isBoolean(final Class< ? > t) {
		return t == boolean.class || t == Boolean.class;
	}

	private static boolean isInteger(final Class< ? > t) {
		return t == int.class || t == Integer.class || t == long.class || t == Long.class || t == short.class || t == Short.class || t == byte.class
				|| t == Byte.class;
	}

	private static String describe(final Object value) {
		return value instanceof String ? "'" + value + "'" : String.valueOf(value);
	}
}
