package org.lesionweighting.io;

import java.nio.file.Path;
import java.util.Locale;

/** Volume file formats, chosen by file name extension. */
public enum VolumeFormat {

	/** NIfTI single file {@code .nii}. */
	NIFTI,
	/** gzip-compressed NIfTI {@code .nii.gz}. */
	NIFTI_GZ,
	/** NIfTI/Analyze header and image pair {@code .hdr} + {@code .img} (read only). */
	NIFTI_PAIR,
	/** MetaImage header {@code .mhd} with a {@code .raw} or {@code .zraw} data file. */
	METAIMAGE_MHD,
	/** MetaImage single file {@code .mha}. */
	METAIMAGE_MHA;

	public boolean isNifti() {
		return this == NIFTI || this == NIFTI_GZ || this == NIFTI_PAIR;
	}

	/** The format of a file name, or {@code null} if the extension is not a supported volume format. */
	public static VolumeFormat of(final Path path) {
		final String n = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
		if (n.endsWith(".nii.gz")) return NIFTI_GZ;
		if (n.endsWith(".nii")) return NIFTI;
		if (n.endsWith(".hdr") || n.endsWith(".hdr.gz") || n.endsWith(".img") || n.endsWith(".img.gz")) return NIFTI_PAIR;
		if (n.endsWith(".mhd")) return METAIMAGE_MHD;
		if (n.endsWith(".mha")) return METAIMAGE_MHA;
		return null;
	}

	/** The file name without its volume extension ({@code "case_0000.nii.gz"} → {@code "case_0000"}). */
	public static String stripExtension(final String fileName) {
		final String n = fileName.toLowerCase(Locale.ROOT);
		for (final String e : new String[] { ".nii.gz", ".hdr.gz", ".img.gz", ".nii", ".hdr", ".img", ".mhd", ".mha", ".tiff", ".tif" })
			if (n.endsWith(e)) return fileName.substring(0, fileName.length() - e.length());
		final int dot = fileName.lastIndexOf('.');
		return dot > 0 ? fileName.substring(0, dot) : fileName;
	}
}
