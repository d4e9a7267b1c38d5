package org.lesionweighting.io;

import java.util.Arrays;
import java.util.Locale;

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
	UINT8("uint8", 2, 1, "MET_UCHAR"),
	/** Signed 8-bit ({@link ByteType}). */
	INT8("int8", 256, 1, "MET_CHAR"),
	/** Unsigned 16-bit ({@link UnsignedShortType}). */
	UINT16("uint16", 512, 2, "MET_USHORT"),
	/** Signed 16-bit ({@link ShortType}), e.g. CT in Hounsfield units. */
	INT16("int16", 4, 2, "MET_SHORT"),
	/** Unsigned 32-bit ({@link UnsignedIntType}). */
	UINT32("uint32", 768, 4, "MET_UINT"),
	/** Signed 32-bit ({@link IntType}). */
	INT32("int32", 8, 4, "MET_INT"),
	/** 32-bit float ({@link FloatType}). */
	FLOAT32("float32", 16, 4, "MET_FLOAT"),
	/** 64-bit float ({@link DoubleType}). */
	FLOAT64("float64", 64, 8, "MET_DOUBLE");

	private final String key;

	private final int niftiCode;

	private final int bytes;

	private final String metaType;

	DataType(final String key, final int niftiCode, final int bytes, final String metaType) {
		this.key = key;
		this.niftiCode = niftiCode;
		this.bytes = bytes;
		this.metaType = metaType;
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
		return switch (this) {
			case INT8 -> Byte.MIN_VALUE;
			case INT16 -> Short.MIN_VALUE;
			case INT32 -> Integer.MIN_VALUE;
			case FLOAT32 -> -Float.MAX_VALUE;
			case FLOAT64 -> -Double.MAX_VALUE;
			default -> 0;
		};
	}

	/** Largest representable value. */
	public double max() {
		return switch (this) {
			case UINT8 -> 255;
			case INT8 -> Byte.MAX_VALUE;
			case UINT16 -> 65535;
			case INT16 -> Short.MAX_VALUE;
			case UINT32 -> 4294967295.0;
			case INT32 -> Integer.MAX_VALUE;
			case FLOAT32 -> Float.MAX_VALUE;
			case FLOAT64 -> Double.MAX_VALUE;
		};
	}

	/** A new instance of the ImgLib2 type holding this data type in memory. */
	public NativeType< ? > createType() {
		return switch (this) {
			case UINT8 -> new UnsignedByteType();
			case INT8 -> new ByteType();
			case UINT16 -> new UnsignedShortType();
			case INT16 -> new ShortType();
			case UINT32 -> new UnsignedIntType();
			case INT32 -> new IntType();
			case FLOAT32 -> new FloatType();
			case FLOAT64 -> new DoubleType();
		};
	}

	/** The data type with this NIfTI code, or {@code null} if it is not supported. */
	public static DataType fromNiftiCode(final int code) {
		for (final DataType t : values())
			if (t.niftiCode == code) return t;
		return null;
	}

	/** The data type with this MetaImage element type, or {@code null} if it is not supported. */
	public static DataType fromMetaType(final String metaType) {
		for (final DataType t : values())
			if (t.metaType.equalsIgnoreCase(metaType.trim())) return t;
		return null;
	}

	/**
	 * The natural file data type for an ImgLib2 type: the matching type for the eight supported ones,
	 * UINT8 for boolean types, FLOAT32 for other real types and FLOAT64 for 64-bit integer types.
	 */
	public static DataType of(final RealType< ? > type) {
		if (type instanceof UnsignedByteType) return UINT8;
		if (type instanceof ByteType) return INT8;
		if (type instanceof UnsignedShortType) return UINT16;
		if (type instanceof ShortType) return INT16;
		if (type instanceof UnsignedIntType) return UINT32;
		if (type instanceof IntType) return INT32;
		if (type instanceof FloatType) return FLOAT32;
		if (type instanceof DoubleType) return FLOAT64;
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
			for (final DataType t : values()) {
				if (t.key.equalsIgnoreCase(v) || t.name().equalsIgnoreCase(v) || t.metaType.equalsIgnoreCase(v)) return t;
			}
		}
		throw new IllegalArgumentException("DataType: unknown data type '" + value + "'; use one of " + String.join(", ", keys()) + ".");
	}

	@Override
	public String toString() {
		return key.toLowerCase(Locale.ROOT);
	}
}
