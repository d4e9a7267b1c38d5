package org.lesionweighting.tf.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.lesionweighting.io.Dataset;
import org.lesionweighting.io.DatasetCase;
import org.lesionweighting.io.Datasets;
import org.lesionweighting.io.Volume;
import org.lesionweighting.util.Cancellation;
import org.lesionweighting.util.ProgressListener;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.converter.Converters;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;

/**
 * Loads a dataset folder ({@code io.Datasets}: nnU-Net raw layout or images/labels) into prepared
 * {@link TrainingCase}s: every channel is read and preprocessed, the label is binarised (non-zero, or
 * equal to a chosen lesion value such as LiTS tumour = 2) and labelled once (26-connectivity).
 * <p>
 * Validation: the last {@code validationCases} training cases (in the dataset's case order) are held out
 * for the per-epoch validation; 0 = no validation; {@link #VALIDATION_AUTO} (the default) holds out a fifth of the
 * cases (at least one) when there are three or more, and otherwise validates on the training cases themselves (the
 * score then still selects the best checkpoint, but is not a held-out estimate). Test cases ({@code imagesTs}) are
 * never used.
 * Cases are read one after another on the calling thread.
 */
public final class TrainingDatasets {

	/** Validation chosen from the number of cases (see the class description). */
	public static final int VALIDATION_AUTO = -1;

	/** Validation is automatic by default. */
	public static final int VALIDATION_CASES_DEFAULT = VALIDATION_AUTO;

	/** From this many labelled cases on, the automatic validation holds cases out. */
	public static final int HOLD_OUT_FROM = 3;

	/** Any non-zero label value is lesion. */
	public static final int LESION_VALUE_DEFAULT = 0;

	private TrainingDatasets() {}

	/** Loads with {@link VolumeReader#DEFAULT}, any non-zero label and no validation. */
	public static TrainingData load(final Path folder, final Preprocessing preprocessing) throws IOException {
		return load(folder, preprocessing, 0, LESION_VALUE_DEFAULT, VolumeReader.DEFAULT, ProgressListener.NONE);
	}

	/**
	 * Loads a dataset folder.
	 *
	 * @param preprocessing applied to every channel of every case
	 * @param validationCases how many training cases to hold out for validation (≥ 0, fewer than the cases), or
	 *          {@link #VALIDATION_AUTO}
	 * @param lesionValue 0: every non-zero label voxel is lesion; otherwise only voxels equal to it
	 * @param reader reads one file
	 * @param listener progress per case
	 * @return the prepared cases, named after the folder
	 * @throws IOException if the folder or a file cannot be read
	 * @throws IllegalArgumentException if there is no training case, channel counts or grids differ, or
	 *           the validation hold-out leaves no training case
	 */
	public static TrainingData load(final Path folder, final Preprocessing preprocessing, final int validationCases, final int lesionValue,
			final VolumeReader reader, final ProgressListener listener) throws IOException {
		final String op = "TrainingDatasets.load";
		final ProgressListener l = ProgressListener.orNone(listener);
		final Dataset ds = Datasets.open(folder);
		final List< DatasetCase > cases = ds.trainingCases();
		if (cases.isEmpty())
			throw new IllegalArgumentException(op + ": the dataset " + folder + " has no training case with an image and a label"
					+ (ds.rejected().isEmpty() ? "" : " (" + ds.rejected().size() + " rejected, e.g. " + ds.rejected().get(0) + ")")
					+ "; put image/label pairs in imagesTr/labelsTr or images/labels.");
		requireValidationCases(op, cases.size(), validationCases);
		final List< TrainingCase > prepared = new ArrayList<>();
		for (int i = 0; i < cases.size(); i++) {
			Cancellation.check(op);
			final DatasetCase c = cases.get(i);
			l.status("Reading case " + (i + 1) + "/" + cases.size() + ": " + c.name());
			l.progress(i / (double) cases.size());
			final List< RandomAccessibleInterval< ? extends RealType< ? > > > channels = new ArrayList<>();
			double[] spacing = null;
			for (final Path p : c.channels()) {
				final Volume v = reader.read(p);
				channels.add(v.requireSingle3D(op + "(" + c.name() + ")"));
				if (spacing == null) spacing = v.spacing();
			}
			final Volume label = reader.read(c.label());
			final RandomAccessibleInterval< ? extends RealType< ? > > mask = binarise(label.requireSingle3D(op + "(" + c.name() + " label)"), lesionValue);
			prepared.add(TrainingCase.prepare(c.name(), channels, mask, preprocessing, spacing));
		}
		l.progress(1);
		return split(folder.getFileName() == null ? folder.toString() : folder.getFileName().toString(), prepared, validationCases);
	}

	/**
	 * Splits prepared cases into training and validation as {@link #load} does: the last {@code validationCases}
	 * validate, or with {@link #VALIDATION_AUTO} a fifth of three or more cases, or the training cases themselves.
	 *
	 * @param cases the cases in order
	 * @param validationCases as {@link #load}
	 */
	public static TrainingData split(final String name, final List< TrainingCase > cases, final int validationCases) {
		requireValidationCases("TrainingDatasets.split", cases.size(), validationCases);
		final boolean onTraining = validationCases == VALIDATION_AUTO && cases.size() < HOLD_OUT_FROM;
		final int heldOut = validationCases != VALIDATION_AUTO ? validationCases : onTraining ? 0 : automaticHoldOut(cases.size());
		final List< TrainingCase > training = new ArrayList<>(cases.subList(0, cases.size() - heldOut));
		final List< TrainingCase > validation = new ArrayList<>(cases.subList(cases.size() - heldOut, cases.size()));
		if (onTraining) validation.addAll(training);
		return new TrainingData(name, training, validation);
	}

	/** Checks {@code validationCases} against {@code n} labelled cases: -1 (automatic) or a hold-out that leaves a training case. */
	private static void requireValidationCases(final String op, final int n, final int validationCases) {
		if (validationCases < VALIDATION_AUTO || validationCases >= Math.max(1, n))
			throw new IllegalArgumentException(op + ": validation_cases must be in [0, " + (n - 1) + "] for " + n
					+ " labelled cases, or -1 (automatic), but was " + validationCases + ".");
	}

	/** The automatic hold-out for {@code n} ≥ {@link #HOLD_OUT_FROM} labelled cases: a fifth, at least one. */
	public static int automaticHoldOut(final int n) {
		return Math.max(1, (int) Math.round(0.2 * n));
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static RandomAccessibleInterval< ? extends RealType< ? > > binarise(final RandomAccessibleInterval< ? extends RealType< ? > > label,
			final int lesionValue) {
		if (lesionValue == 0) return label;
		return Converters.convert((RandomAccessibleInterval) label,
				(a, b) -> ((UnsignedByteType) b).set(((RealType< ? >) a).getRealDouble() == lesionValue ? 1 : 0), new UnsignedByteType());
	}
}
