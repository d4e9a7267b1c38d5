package org.lesionweighting.fiji.volume;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.lesionweighting.io.ReadOptions;
import org.lesionweighting.io.VolumeFormat;
import org.lesionweighting.io.WriteOptions;

import ij.ImagePlus;

/**
 * Plugs NIfTI ({@code .nii}, {@code .nii.gz}, {@code .hdr} for reading) and MetaImage ({@code .mhd},
 * {@code .mha}) into {@link org.lesionweighting.fiji.VolumeFiles}, so that every file parameter of the
 * suite accepts them. Registered in {@code META-INF/services/org.lesionweighting.fiji.ImageFileFormat}.
 */
public class MedicalVolumeFormat implements org.lesionweighting.fiji.ImageFileFormat {

	@Override
	public List< String > extensions() {
		return List.of(".nii.gz", ".nii", ".mhd", ".mha", ".hdr");
	}

	@Override
	public ImagePlus read(final Path file) throws IOException {
		return MedicalVolumes.open(file, ReadOptions.DEFAULT);
	}

	@Override
	public void checkWritable(final Path file, final String extension) throws IOException {
		final VolumeFormat f = VolumeFormat.of(Path.of("x" + extension));
		if (f == null || f == VolumeFormat.NIFTI_PAIR)
			throw new IOException("Cannot write " + file + ": " + extension + " (NIfTI/Analyze pair) is read-only; save as .nii or .nii.gz.");
	}

	@Override
	public void write(final ImagePlus imp, final Path file, final String extension) throws IOException {
		checkWritable(file, extension);
		final VolumeFormat f = VolumeFormat.of(Path.of("x" + extension));
		final String dataName = f == VolumeFormat.METAIMAGE_MHD
				? VolumeFormat.stripExtension(finalName(file.getFileName().toString(), extension)) + ".raw"
				: null;
		MedicalVolumes.saveAs(imp, file, f, dataName, WriteOptions.DEFAULT);
	}

	/**
	 * The target name behind a temporary name {@code .<target><random>.part} used by {@code AtomicFiles}
	 * and {@code OutputFiles}; the name itself if it does not look like one.
	 */
	static String finalName(final String name, final String extension) {
		final int i = name.toLowerCase(Locale.ROOT).lastIndexOf(extension);
		if (name.startsWith(".") && i > 0) return name.substring(1, i + extension.length());
		return name;
	}
}
