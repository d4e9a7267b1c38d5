package org.lesionweighting.tf.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The prepared cases of a training run: training cases (patches are drawn from these) and optional
 * validation cases (lesion-wise validation each epoch, which selects the exported model; see {@code tf.train.Trainer}).
 *
 * @param name a name for logs and metadata (e.g. the dataset folder name)
 * @param training the training cases, at least one
 * @param validation validation cases, possibly empty
 */
public record TrainingData(String name, List< TrainingCase > training, List< TrainingCase > validation) {

	/** Copies the lists; {@code validation} may be {@code null} (none). */
	public TrainingData {
		training = training == null ? List.of() : List.copyOf(training);
		validation = validation == null ? List.of() : List.copyOf(validation);
	}

	/** Training cases only. */
	public static TrainingData of(final String name, final List< TrainingCase > training) {
		return new TrainingData(name, training, List.of());
	}

	/**
	 * The same split with every case preprocessed in place ({@link TrainingCase#preprocessedInPlace}); a case that is
	 * both a training and a validation case stays one object.
	 */
	public TrainingData preprocessedInPlace(final Preprocessing p) {
		return eachCase(c -> c.preprocessedInPlace(p));
	}

	/**
	 * The same split with every case on a grid of spacing {@code to} ({@link TrainingCase#resampledTo}); a case that is
	 * both a training and a validation case stays one object. {@code null} keeps every case as it is.
	 */
	public TrainingData resampledTo(final double[] to) {
		return to == null ? this : eachCase(c -> c.resampledTo(to));
	}

	/** Applies {@code f} once per distinct case (a case in both lists stays one object). */
	private TrainingData eachCase(final UnaryOperator< TrainingCase > f) {
		final IdentityHashMap< TrainingCase, TrainingCase > done = new IdentityHashMap<>();
		final List< TrainingCase > t = new ArrayList<>(), v = new ArrayList<>();
		for (final TrainingCase c : training)
			t.add(done.computeIfAbsent(c, f));
		for (final TrainingCase c : validation)
			v.add(done.computeIfAbsent(c, f));
		return new TrainingData(name, t, v);
	}

	/** Training and validation cases, each once, in that order. */
	public List< TrainingCase > allCases() {
		final List< TrainingCase > all = new ArrayList<>(training);
		for (final TrainingCase c : validation)
			if (all.stream().noneMatch(x -> x == c)) all.add(c);
		return all;
	}

	/** The case names of the training cases, in order. */
	public List< String > trainingNames() {
		return training.stream().map(TrainingCase::name).toList();
	}

	/** The case names of the validation cases, in order. */
	public List< String > validationNames() {
		return validation.stream().map(TrainingCase::name).toList();
	}

	/**
	 * Whether the validation cases are held out: none of them is also a training case. With a single labelled case
	 * the training case itself validates (it still picks the best checkpoint, but says nothing about new patients).
	 */
	public boolean validationHeldOut() {
		return validation.stream().noneMatch(v -> training.stream().anyMatch(t -> t == v));
	}

	/** The per-axis median voxel spacing of the training cases, (1, 1, 1) when empty. */
	public double[] medianSpacing() {
		return training.isEmpty() ? new double[] { 1, 1, 1 } : median(training, TrainingCase::spacing);
	}

	/** The per-axis (x, y, z) median of {@code f} over {@code cases} (at least one): the middle value, or the mean of the two middle ones. */
	public static double[] median(final List< TrainingCase > cases, final Function< TrainingCase, double[] > f) {
		final double[] m = new double[3];
		for (int d = 0; d < 3; d++) {
			final double[] v = new double[cases.size()];
			for (int i = 0; i < v.length; i++)
				v[i] = f.apply(cases.get(i))[d];
			Arrays.sort(v);
			m[d] = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
		}
		return m;
	}
}
