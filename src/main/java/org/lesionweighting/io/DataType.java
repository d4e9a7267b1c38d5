package org.lesionweighting.io;

import java.util.Arrays;
import java.util.function.Supplier;

import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedIntType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Voxel data types stored in NIfTI and MetaImage files, with their codes in both formats and the
 * ImgLib2 type used in memory.
 */
public enum DataType {

	/** Unsigned 8-bit ({@link UnsignedByteType}). */
	UINT8("uint8", 2, 1, "MET_UCHAR", 0, 255, UnsignedByteType::new),
	/** Signed 8-bit ({@link ByteType}). */
	INT8("int8", 256, 1, "MET_CHAR", Byte.MIN_VALUE, Byte.MAX_VALUE, ByteType::new),
	/** Unsigned 16-bit ({@link UnsignedShortType}). */
	UINT16("uint16", 512, 2, "MET_USHORT", 0, 65535, UnsignedShortType::new),
	/** Signed 16-bit ({@link ShortType}), e.g. CT in Hounsfield units. */
	INT16("int16", 4, 2, "MET_SHORT", Short.MIN_VALUE, Short.MAX_VALUE, ShortType::new),
	/** Unsigned 32-bit ({@link UnsignedIntType}). */
	UINT32("uint32", 768, 4, "MET_UINT", 0, 4294967295.0, UnsignedIntType::new),
	/** Signed 32-bit ({@link IntType}). */
	INT32("int32", 8, 4, "MET_INT", Integer.MIN_VALUE, Integer.MAX_VALUE, IntType::new),
	/** 32-bit float ({@link FloatType}). */
	FLOAT32("float32", 16, 4, "MET_FLOAT", -Float.MAX_VALUE, Float.MAX_VALUE, FloatType::new),
	/** 64-bit float ({@link DoubleType}). */
	FLOAT64("float64", 64, 8, "MET_DOUBLE", -Double.MAX_VALUE, Double.MAX_VALUE, DoubleType::new);

	private final String key;

	private final int niftiCode;

	private final int bytes;

	private final String metaType;

	private final double min, max;

	private final Supplier< NativeType< ? > > type;

	DataType(final String key, final int niftiCode, final int bytes, final String metaType, final double min, final double max,
			final Supplier< NativeType< ? > > type) {
		this.key = key;
		this.niftiCode = niftiCode;
		this.bytes = bytes;
		this.metaType = metaType;
		this.min = min;
		this.max = max;
		this.type = type;
	}

	/** The lowercase key used on the command line and in macros, e.g. {@code "int16"}. */
	public String key() {
		return key;
	}

	/** The NIfTI {@code datatype} code, e.g. 4 for int16. */
	public int niftiCode() {
		return niftiCode;
	}

	/** Bytes per voxel. */
	public int bytes() {
		return bytes;
	}

	/** The MetaImage {@code ElementType}, e.g. {@code MET_SHORT}. */
	public String metaType() {
		return metaType;
	}

	public boolean isInteger() {
		return this != FLOAT32 && this != FLOAT64;
	}

	/** Smallest representable value. */
	public double min() {
		return min;
	}

	/** Largest representable value. */
	public double max() {
		return max;
	}

	/** A new instance of the ImgLib2 type holding this data type in memory. */
	public NativeType< ? > createType() {
		return type.get();
	}

	/** The data type with this NIfTI code, or {@code null} if it is not supported. */
	public static DataType fromNiftiCode(final int code) {
		return Arrays.stream(values()).filter(t -> t.niftiCode == code).findFirst().orElse(null);
	}

	/** The data type with this MetaImage element type, or {@code null} if it is not supported. */
	public static DataType fromMetaType(final String metaType) {
		return Arrays.stream(values()).filter(t -> t.metaType.equalsIgnoreCase(metaType.trim())).findFirst().orElse(null);
	}

	/**
	 * The natural file data type for an ImgLib2 type: the matching type for the eight supported ones,
	 * UINT8 for boolean types, FLOAT32 for other real types and FLOAT64 for 64-bit integer types.
	 */
	public static DataType of(final RealType< ? > type) {
		for (final DataType t : values())
			if (t.createType().getClass().isInstance(type)) return t;
		if (type instanceof net.imglib2.type.BooleanType) return UINT8;
		if (type instanceof net.imglib2.type.numeric.integer.LongType || type instanceof net.imglib2.type.numeric.integer.UnsignedLongType) return FLOAT64;
		return type.getBitsPerPixel() > 32 ? FLOAT64 : FLOAT32;
	}

	/** The keys of all values, in order. */
	public static String[] keys() {
		return Arrays.stream(values()).map(DataType::key).toArray(String[]::new);
	}

	/**
	 * Parses a key ({@code "int16"}), an enum name ({@code "INT16"}) or a MetaImage type ({@code "MET_SHORT"}).
	 *
	 * @throws IllegalArgumentException naming the value and the accepted ones
	 */
	public static DataType fromString(final String value) {
		if (value != null) {
			final String v = value.trim();
			for (final DataType t : values())
				if (t.key.equalsIgnoreCase(v) || t.name().equalsIgnoreCase(v) || t.metaType.equalsIgnoreCase(v)) return t;
		}
		throw new IllegalArgumentException("DataType: unknown data type '" + value + "'; use one of " + String.join(", ", keys()) + ".");
	}

	@Override
	public String toString() {
		return key;
	}
}
