package demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.lesionweighting.io.ReadOptions;
import org.lesionweighting.io.Volume;
import org.lesionweighting.io.VolumeIO;
import org.lesionweighting.label.Connectivity;
import org.lesionweighting.label.LesionLabeling;

/**
 * Manual check (not a test): opens the MS lesion masks and a FLAIR image of
 * {@code /work/shared/data/ms-lesions} (or the folder given as argument) and prints size, spacing and
 * 26-connected lesion counts.
 */
public class MsLesionsDemo {

	public static void main(final String[] args) throws IOException {
		final Path root = Paths.get(args.length > 0 ? args[0] : "/work/shared/data/ms-lesions");
		final Volume flair = VolumeIO.read(root.resolve("patient07_images/patient07_FLAIR_MNI.nii.gz"));
		System.out.println("patient07 FLAIR: " + flair.dimensionsString() + " " + flair.image().getType().getClass().getSimpleName() + " spacing "
				+ Arrays.toString(flair.spacing()) + " " + flair.unit() + " origin " + Arrays.toString(flair.geometry().origin())
				+ (flair.isScaled() ? " scaled " + flair.scaleSlope() + "/" + flair.scaleIntercept() : ""));
		final List< Path > masks;
		try (Stream< Path > s = Files.list(root.resolve("masks"))) {
			masks = s.filter(p -> p.toString().endsWith(".nii.gz")).sorted().toList();
		}
		for (final Path m : masks) {
			final long t0 = System.nanoTime();
			final Volume v = VolumeIO.read(m, ReadOptions.RAW);
			final long t1 = System.nanoTime();
			final int k = count(v);
			System.out.printf("%s: %s %s spacing %s %s, %d lesions (26-connected), read %.0f ms%n", m.getFileName(), v.dimensionsString(), v.fileDataType(),
					Arrays.toString(v.spacing()), v.unit(), k, (t1 - t0) / 1e6);
		}
	}

	private static < T extends net.imglib2.type.numeric.RealType< T > > int count(final Volume v) {
		final net.imglib2.RandomAccessibleInterval< T > mask = v.typedImage();
		return LesionLabeling.label(mask, net.imglib2.img.array.ArrayImgs.ints(v.dimensions()), Connectivity.TWENTY_SIX);
	}
}
