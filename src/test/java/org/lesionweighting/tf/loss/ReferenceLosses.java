package org.lesionweighting.tf.loss;

/**
 * Independent double-precision evaluations of the doc/method.md §2 formulas, written directly from the text (plain
 * loops, log σ written out), to check the graph implementation against. Arrays are flat, batch-major: sample b
 * occupies [b·n, (b+1)·n). {@code w == null} means w ≡ 1.
 */
final class ReferenceLosses {

	private ReferenceLosses() {}

	static double sigmoid(final double x) {
		return 1 / (1 + Math.exp(-x));
	}

	/** log(1 + e^−x), the term of doc/method.md §2.4's BCE. */
	private static double log1pExpNeg(final double x) {
		return x >= 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x));
	}

	private static double w(final double[] w, final int i) {
		return w == null ? 1 : w[i];
	}

	/** §2.1: D_b = 2 Σ(w p t) / Σ(w (p² + t²)), loss = mean_b(1 − D_b). */
	static double dice(final double[] x, final double[] t, final double[] w, final int batch) {
		final int n = x.length / batch;
		double loss = 0;
		for (int b = 0; b < batch; b++) {
			double num = 0, den = 0;
			for (int i = b * n; i < (b + 1) * n; i++) {
				final double p = sigmoid(x[i]);
				num += w(w, i) * p * t[i];
				den += w(w, i) * (p * p + t[i] * t[i]);
			}
			loss += 1 - 2 * num / den;
		}
		return loss / batch;
	}

	/** §2.2 authors: F_b = (1+β²) Σ(w p t) / Σ(w (β² t² + p²)); Hashemi: (1+β²) Σ wpt / (β² Σ wt + Σ wp). */
	static double asl(final double[] x, final double[] t, final double[] w, final int batch, final double beta, final boolean hashemi) {
		final int n = x.length / batch;
		final double b2 = beta * beta;
		double loss = 0;
		for (int b = 0; b < batch; b++) {
			double tp = 0, den = 0;
			for (int i = b * n; i < (b + 1) * n; i++) {
				final double p = sigmoid(x[i]);
				tp += w(w, i) * p * t[i];
				den += hashemi ? w(w, i) * (b2 * t[i] + p) : w(w, i) * (b2 * t[i] * t[i] + p * p);
			}
			loss += 1 - (1 + b2) * tp / den;
		}
		return loss / batch;
	}

	/** §2.3 with the weights inside the overlap and denominator sums (our extension), S_bc unweighted. */
	static double gdl(final double[] x, final double[] t, final double[] w, final int batch) {
		final int n = x.length / batch;
		double loss = 0;
		for (int b = 0; b < batch; b++) {
			final double[] s = new double[2], inter = new double[2], den = new double[2];
			for (int i = b * n; i < (b + 1) * n; i++) {
				final double p = sigmoid(x[i]);
				final double[] pc = { p, 1 - p };
				final double[] tc = { t[i], 1 - t[i] };
				for (int c = 0; c < 2; c++) {
					s[c] += tc[c];
					inter[c] += w(w, i) * pc[c] * tc[c];
					den[c] += w(w, i) * (pc[c] * pc[c] + tc[c] * tc[c]);
				}
			}
			double num = 0, d = 0;
			for (int c = 0; c < 2; c++) {
				final double wc = 1 / (1 + s[c] * s[c]);
				num += wc * inter[c];
				d += wc * den[c];
			}
			loss += 1 - 2 * num / d;
		}
		return loss / batch;
	}

	/** §2.4: mean_i(a m^γ BCE w), a = (2α−1)t + 1 − α, m = (1−2p)t + p, BCE = x − xt + log(1 + e^−x). */
	static double focal(final double[] x, final double[] t, final double[] w, final double gamma, final double alpha) {
		double sum = 0;
		for (int i = 0; i < x.length; i++) {
			final double p = sigmoid(x[i]);
			final double a = (2 * alpha - 1) * t[i] + 1 - alpha;
			final double m = (1 - 2 * p) * t[i] + p;
			final double bce = x[i] - x[i] * t[i] + log1pExpNeg(x[i]);
			sum += a * Math.pow(m, gamma) * bce * w(w, i);
		}
		return sum / x.length;
	}

	/** §2.5 with pos_weight = 1: mean_i(w (−t log σ(x) − (1−t) log(1 − σ(x)))). */
	static double bce(final double[] x, final double[] t, final double[] w) {
		return crossEntropy(x, t, w, 1);
	}

	/** §2.5 adaptive: pos_weight = α (M − Σσ(x)) / Σσ(x) over the whole batch (or from the targets). */
	static double wce(final double[] x, final double[] t, final double[] w, final double alpha, final boolean fromTargets) {
		double sum = 0;
		for (int i = 0; i < x.length; i++)
			sum += fromTargets ? t[i] : sigmoid(x[i]);
		final double posWeight = fromTargets && sum == 0 ? 0 : alpha * (x.length - sum) / sum;
		return crossEntropy(x, t, w, posWeight);
	}

	private static double crossEntropy(final double[] x, final double[] t, final double[] w, final double posWeight) {
		double sum = 0;
		for (int i = 0; i < x.length; i++) {
			final double logP = -log1pExpNeg(x[i]); // log σ(x)
			final double log1mP = -x[i] - log1pExpNeg(x[i]); // log(1 − σ(x)) = log σ(−x)
			sum += (-posWeight * t[i] * logP - (1 - t[i]) * log1mP) * w(w, i);
		}
		return sum / x.length;
	}
}
