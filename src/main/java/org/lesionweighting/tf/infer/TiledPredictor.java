package org.lesionweighting.tf.infer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.lesionweighting.label.Connectivity;
import org.lesionweighting.label.LesionLabeling;
import org.lesionweighting.util.Cancellation;
import org.lesionweighting.util.Checks;
import org.lesionweighting.util.ProgressListener;
import org.tensorflow.exceptions.TFResourceExhaustedException;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessible;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.ImgFactory;
import net.imglib2.img.array.ArrayImgFactory;
import net.imglib2.img.cell.CellImgFactory;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * Sliding-window inference over a whole volume (doc/method.md §3.5): the volume is zero-padded as
 * {@link AxisTiling} describes, cut into windows of {@code patch_size} every {@code stride} voxels, each
 * window min-padded to the network's down-sampling factor, predicted in batches by a {@link WindowPredictor},
 * and the predictions are blended back and cropped to the input's extent.
 * <p>
 * As in the paper, two maps are accumulated separately: probabilities (sigmoid per window, then averaged)
 * and logits (raw logits averaged) (doc/method.md appendix D.26). The mask is averaged probability
 * {@code > 0.5}; labels are its 26-connected components ({@link LesionLabeling}).
 * <p>
 * Memory: the only volume-sized buffers are the requested output accumulators (float; ArrayImg up to 2^31
 * voxels, CellImg beyond). Blending weights are separable, so their per-voxel sums are products of three
 * 1D arrays and need no volume. Besides that one batch of windows lives at a time.
 * <p>
 * Out of memory: when the predictor throws {@link OutOfMemoryError} or TensorFlow's
 * {@link TFResourceExhaustedException} (anywhere in the cause chain), the batch is halved and the same windows
 * are retried; at batch size 1 the run fails with an {@link IllegalStateException} saying what to change.
 * <p>
 * Threading: runs in the calling thread; the predictor may use its own threads (TensorFlow does).
 * Cancellation: {@link Cancellation#check} before every batch. Progress: one report per batch.
 *
 * <pre>{@code
 * InferenceResult r = TiledPredictor.predict(List.of(image), predictor,
 * 		new TilingOptions().patchSize(96).stride(80), ProgressListener.NONE);
 * }</pre>
 */
public final class TiledPredictor {

	private static final String OP = "TiledPredictor.predict";

	/** Above this many voxels accumulators are CellImgs (an ArrayImg holds at most 2^31 - 1 elements). */
	static final long ARRAY_LIMIT = Integer.MAX_VALUE - 8L;

	private TiledPredictor() {}

	/**
	 * Predicts a single-channel volume. See {@link #predict(List, WindowPredictor, TilingOptions, ProgressListener)}.
	 */
	public static InferenceResult predict(final RandomAccessibleInterval< ? extends RealType< ? > > image, final WindowPredictor predictor,
			final TilingOptions options, final ProgressListener listener) {
		return predict(Collections.singletonList(image), predictor, options, listener);
	}

	/**
	 * Predicts a multi-channel volume window by window.
	 *
	 * @param channels one 2D or 3D volume (x, y[, z]) per input channel, all on the same interval, already
	 *          preprocessed as the model expects (see {@link ModelInference} for the automatic version);
	 *          read, never modified
	 * @param predictor the network; not closed here
	 * @param options patch size, stride, blending, initial batch size and the outputs to produce
	 * @param listener progress, one report per batch; may be {@code null}
	 * @return the requested maps on the input's dimensions (zero-min; depth 1 for 2D input)
	 * @throws IllegalArgumentException on no channels, different intervals, a channel count the predictor
	 *           rejects, or a stride larger than the patch
	 * @throws IllegalStateException when even one window does not fit in memory, or the predictor returns the
	 *           wrong number of values
	 * @throws java.util.concurrent.CancellationException when the thread is interrupted (checked between batches)
	 */
	public static InferenceResult predict(final List< ? extends RandomAccessibleInterval< ? extends RealType< ? > > > channels, final WindowPredictor predictor,
			final TilingOptions options, final ProgressListener listener) {
		return predict(channels, predictor, options, listener, ARRAY_LIMIT);
	}

	/** As the public version; accumulators above {@code arrayLimit} voxels are CellImgs (tests lower it). */
	static InferenceResult predict(final List< ? extends RandomAccessibleInterval< ? extends RealType< ? > > > channels, final WindowPredictor predictor,
			final TilingOptions options, final ProgressListener listener, final long arrayLimit) {
		final ProgressListener progress = ProgressListener.orNone(listener);
		if (channels == null || channels.isEmpty()) throw new IllegalArgumentException(OP + ": no input channels were given; pass at least one volume.");
		final RandomAccessibleInterval< ? > first = channels.get(0);
		Checks.requireVolume(OP, "input", first);
		for (int c = 1; c < channels.size(); c++)
			Checks.requireSameInterval(OP, "channel 0", first, "channel " + c, channels.get(c));
		final int numChannels = channels.size();
		if (predictor.inputChannels() > 0 && predictor.inputChannels() != numChannels)
			throw new IllegalArgumentException(OP + ": the model expects " + predictor.inputChannels() + " input channel(s), but " + numChannels
					+ " were given. Pass the channels the model was trained with, in the same order.");
		final List< RandomAccessible< ? extends RealType< ? > > > inputs = channels.stream().map(TiledPredictor::zeroExtended).toList();
		final long[] dims = new long[] { first.dimension(0), first.dimension(1), first.numDimensions() > 2 ? first.dimension(2) : 1 };

		final int[] patch = options.patchSize(), stride = options.stride(), divisor = predictor.sizeDivisor();
		if (divisor == null || divisor.length != 3)
			throw new IllegalArgumentException(OP + ": the predictor's sizeDivisor() must have 3 values (x, y, z), but was " + Arrays.toString(divisor) + ".");
		final AxisTiling[] axes = new AxisTiling[3];
		for (int a = 0; a < 3; a++) {
			if (stride[a] > patch[a])
				throw new IllegalArgumentException(OP + ": stride " + Arrays.toString(stride) + " exceeds patch_size " + Arrays.toString(patch) + " along axis "
						+ "xyz".charAt(a) + "; windows would leave gaps. Use a stride at most the patch size.");
			axes[a] = new AxisTiling(dims[a], patch[a], stride[a], divisor[a]);
		}
		final long nx = axes[0].numWindows(), ny = axes[1].numWindows(), nz = axes[2].numWindows();
		final long numWindows = nx * ny * nz;
		final int qx = axes[0].networkSize(), qy = axes[1].networkSize(), qz = axes[2].networkSize();
		final long windowValues = (long) qx * qy * qz * numChannels;
		if (windowValues > ARRAY_LIMIT)
			throw new IllegalArgumentException(OP + ": one window of " + qx + "x" + qy + "x" + qz + " voxels x " + numChannels
					+ " channels exceeds 2^31 values; use a smaller patch_size.");

		final Set< InferenceOutput > outputs = options.outputs();
		final boolean wantProb = outputs.contains(InferenceOutput.PROBABILITIES) || outputs.contains(InferenceOutput.MASK)
				|| outputs.contains(InferenceOutput.LABELS);
		final boolean wantLogit = outputs.contains(InferenceOutput.LOGITS);
		final Img< FloatType > prob = wantProb ? factory(dims, new FloatType(), arrayLimit).create(dims) : null;
		final Img< FloatType > logit = wantLogit ? factory(dims, new FloatType(), arrayLimit).create(dims) : null;

		final double[][] kernel = new double[3][];
		final double[][] weightSum = new double[3][];
		for (int a = 0; a < 3; a++) {
			kernel[a] = windowWeights(patch[a], options.blending());
			weightSum[a] = weightSums(axes[a], kernel[a]);
		}

		progress.status("Predicting " + numWindows + " window(s) of " + qx + "x" + qy + "x" + qz + " voxels");
		final List< Integer > history = new ArrayList<>();
		int batch = (int) Math.min(options.batchSize(), numWindows);
		float[] buffer = null;
		long done = 0;
		while (done < numWindows) {
			Cancellation.check(OP);
			final int b = (int) Math.min(Math.min(batch, numWindows - done), ARRAY_LIMIT / windowValues);
			if (buffer == null || buffer.length != b * windowValues) {
				buffer = null; // let the old batch go before allocating the new one
				buffer = new float[(int) (b * windowValues)];
			}
			final long[][] origins = new long[b][];
			for (int i = 0; i < b; i++) {
				final long w = done + i;
				origins[i] = new long[] { axes[0].windowOrigin(w % nx), axes[1].windowOrigin(w / nx % ny), axes[2].windowOrigin(w / (nx * ny)) };
				extractWindow(inputs, origins[i], axes, buffer, i);
			}
			history.add(b);
			final float[] out;
			try {
				out = predictor.predict(buffer, b, qz, qy, qx, numChannels);
			}
			catch (final OutOfMemoryError | RuntimeException e) {
				if (!isOutOfMemory(e)) throw e;
				buffer = null;
				if (b == 1)
					throw new IllegalStateException(OP + ": out of memory predicting a single window of " + qx + "x" + qy + "x" + qz + " voxels x "
							+ numChannels + " channel(s) (batch sizes tried: " + history + "). Use a smaller patch_size (e.g. "
							+ Math.max(divisor[0], patch[0] / 2 / divisor[0] * divisor[0])
							+ "), another device (e.g. device=cpu, whose memory is usually larger), or give Java more "
							+ "heap (-Xmx) if the error was a Java heap OutOfMemoryError.",
							e);
				batch = b / 2;
				progress.status("Out of memory with " + b + " windows per batch; retrying with " + batch);
				continue;
			}
			final long expected = (long) b * qx * qy * qz;
			if (out == null || out.length != expected)
				throw new IllegalStateException(OP + ": the predictor returned " + (out == null ? "null" : out.length + " values") + " for " + b
						+ " window(s) of " + qx + "x" + qy + "x" + qz + "; expected " + expected + " (one logit per voxel).");
			for (int i = 0; i < b; i++)
				accumulate(out, i, origins[i], axes, kernel, prob, logit);
			done += b;
			progress.progress((double) done / numWindows);
		}
		buffer = null;

		if (prob != null) normalise(prob, weightSum);
		if (logit != null) normalise(logit, weightSum);
		return result(prob, logit, outputs, numWindows, history, progress, arrayLimit);
	}

	/**
	 * The requested maps from averaged probabilities: the mask thresholds them at 0.5 and the labels are its
	 * 26-connected components.
	 *
	 * @param prob the probabilities (needed for probabilities, mask and labels), or {@code null}
	 * @param logit the logits, or {@code null}
	 */
	static InferenceResult result(final Img< FloatType > prob, final Img< FloatType > logit, final Set< InferenceOutput > outputs, final long numWindows,
			final List< Integer > history, final ProgressListener progress, final long arrayLimit) {
		Img< UnsignedByteType > mask = null;
		Img< IntType > labels = null;
		int numLesions = -1;
		final long[] dims = prob == null ? null : Intervals.dimensionsAsLongArray(prob);
		if (outputs.contains(InferenceOutput.MASK) || outputs.contains(InferenceOutput.LABELS)) {
			progress.status("Thresholding probabilities at 0.5");
			mask = factory(dims, new UnsignedByteType(), arrayLimit).create(dims);
			LoopBuilder.setImages(prob, mask).forEachPixel((p, m) -> m.set(p.get() > 0.5f ? 1 : 0));
		}
		if (outputs.contains(InferenceOutput.LABELS)) {
			Cancellation.check(OP);
			progress.status("Labeling lesions (26-connectivity)");
			labels = factory(dims, new IntType(), arrayLimit).create(dims);
			numLesions = LesionLabeling.label(mask, labels, Connectivity.TWENTY_SIX);
		}
		return new InferenceResult(outputs.contains(InferenceOutput.PROBABILITIES) ? prob : null, logit, outputs.contains(InferenceOutput.MASK) ? mask : null,
				labels, numLesions, numWindows, Collections.unmodifiableList(history));
	}

	/**
	 * The blending weight of each voxel of a window along one axis: all 1 for {@link Blending#AVERAGE};
	 * for {@link Blending#GAUSSIAN} {@code exp(−(i − c)² / (2σ²))} with {@code c = floor(patch / 2)} and
	 * {@code σ = patch / 8} (nnU-Net), so the centre weighs 1. The 3D weight is the product over axes.
	 *
	 * @param patch window size, at least 1
	 * @param blending the mode
	 * @return {@code patch} positive weights
	 */
	public static double[] windowWeights(final int patch, final Blending blending) {
		final double[] w = new double[patch];
		final double sigma = patch / 8.0, c = patch / 2;
		for (int i = 0; i < patch; i++)
			w[i] = blending == Blending.AVERAGE ? 1 : Math.max(Math.exp(-(i - c) * (i - c) / (2 * sigma * sigma)), Double.MIN_NORMAL);
		return w;
	}

	/** Per volume coordinate along one axis, the sum of the weights of the windows that cover it. */
	private static double[] weightSums(final AxisTiling axis, final double[] kernel) {
		final double[] sum = new double[(int) axis.size()];
		for (long k = 0; k < axis.numWindows(); k++) {
			final long o = axis.windowOrigin(k);
			for (int u = 0; u < axis.patch(); u++) {
				final long x = o + u;
				if (x >= 0 && x < axis.size()) sum[(int) x] += kernel[u];
			}
		}
		return sum;
	}

	/** True if {@code t} or one of its causes is a Java or TensorFlow out-of-memory condition. */
	static boolean isOutOfMemory(final Throwable t) {
		for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause())
			if (c instanceof OutOfMemoryError || c instanceof TFResourceExhaustedException) return true;
		return false;
	}

	/** ArrayImgFactory up to {@code arrayLimit} voxels, CellImgFactory (64³ cells) beyond. */
	static < T extends NativeType< T > > ImgFactory< T > factory(final long[] dims, final T type, final long arrayLimit) {
		return Intervals.numElements(dims) <= arrayLimit ? new ArrayImgFactory<>(type) : new CellImgFactory<>(type, 64);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static RandomAccessible< ? extends RealType< ? > > zeroExtended(final RandomAccessibleInterval< ? extends RealType< ? > > ch) {
		RandomAccessibleInterval v = Views.zeroMin((RandomAccessibleInterval) ch);
		if (v.numDimensions() == 2) v = Views.addDimension(v, 0, 0);
		return Views.extendZero(v);
	}

	/** Copies window {@code i} into the NDHWC buffer, min-padding the margin up to the network size. */
	private static void extractWindow(final List< RandomAccessible< ? extends RealType< ? > > > inputs, final long[] origin, final AxisTiling[] axes,
			final float[] buf, final int i) {
		final int C = inputs.size();
		final int px = axes[0].patch(), py = axes[1].patch(), pz = axes[2].patch();
		final int qx = axes[0].networkSize(), qy = axes[1].networkSize(), qz = axes[2].networkSize();
		final int ox = axes[0].networkPadBefore(), oy = axes[1].networkPadBefore(), oz = axes[2].networkPadBefore();
		final boolean margin = qx != px || qy != py || qz != pz;
		final long base = (long) i * qz * qy * qx;
		for (int c = 0; c < C; c++) {
			final RandomAccess< ? extends RealType< ? > > ra = inputs.get(c).randomAccess();
			float min = Float.POSITIVE_INFINITY;
			for (int z = 0; z < pz; z++) {
				for (int y = 0; y < py; y++) {
					ra.setPosition(origin[0], 0);
					ra.setPosition(origin[1] + y, 1);
					ra.setPosition(origin[2] + z, 2);
					int idx = (int) (((base + (long) (z + oz) * qy * qx + (long) (y + oy) * qx + ox) * C) + c);
					for (int x = 0; x < px; x++) {
						final float v = ra.get().getRealFloat();
						buf[idx] = v;
						if (v < min) min = v;
						idx += C;
						ra.fwd(0);
					}
				}
			}
			if (margin) {
				for (int z = 0; z < qz; z++)
					for (int y = 0; y < qy; y++)
						for (int x = 0; x < qx; x++) {
							final boolean inside = z >= oz && z < oz + pz && y >= oy && y < oy + py && x >= ox && x < ox + px;
							if (!inside) buf[(int) ((base + ((long) z * qy + y) * qx + x) * C + c)] = min;
						}
			}
		}
	}

	/** Adds window {@code i}'s weighted probabilities and logits to the accumulators, cropped to the volume. */
	private static void accumulate(final float[] out, final int i, final long[] origin, final AxisTiling[] axes, final double[][] kernel,
			final Img< FloatType > prob, final Img< FloatType > logit) {
		final int qx = axes[0].networkSize(), qy = axes[1].networkSize(), qz = axes[2].networkSize();
		final int ox = axes[0].networkPadBefore(), oy = axes[1].networkPadBefore(), oz = axes[2].networkPadBefore();
		// the part of the patch inside the volume, in patch coordinates [lo, hi)
		final int[] lo = new int[3], hi = new int[3];
		for (int a = 0; a < 3; a++) {
			lo[a] = (int) Math.max(0, -origin[a]);
			hi[a] = (int) Math.min(axes[a].patch(), axes[a].size() - origin[a]);
			if (lo[a] >= hi[a]) return;
		}
		final RandomAccess< FloatType > pa = prob == null ? null : prob.randomAccess();
		final RandomAccess< FloatType > la = logit == null ? null : logit.randomAccess();
		final long base = (long) i * qz * qy * qx;
		for (int z = lo[2]; z < hi[2]; z++) {
			final double wz = kernel[2][z];
			for (int y = lo[1]; y < hi[1]; y++) {
				final double wzy = wz * kernel[1][y];
				int idx = (int) (base + ((long) (z + oz) * qy + (y + oy)) * qx + ox + lo[0]);
				final long[] rowStart = { origin[0] + lo[0], origin[1] + y, origin[2] + z };
				if (pa != null) pa.setPosition(rowStart);
				if (la != null) la.setPosition(rowStart);
				for (int x = lo[0]; x < hi[0]; x++) {
					final float v = out[idx++];
					final float w = (float) (wzy * kernel[0][x]);
					if (pa != null) {
						final FloatType t = pa.get();
						t.set(t.get() + w * sigmoid(v));
						pa.fwd(0);
					}
					if (la != null) {
						final FloatType t = la.get();
						t.set(t.get() + w * v);
						la.fwd(0);
					}
				}
			}
		}
	}

	/** Numerically stable logistic function. */
	static float sigmoid(final float x) {
		if (x >= 0) return (float) (1 / (1 + Math.exp(-x)));
		final double e = Math.exp(x);
		return (float) (e / (1 + e));
	}

	/** Divides every accumulated voxel by its separable weight sum. */
	private static void normalise(final Img< FloatType > acc, final double[][] weightSum) {
		final Cursor< FloatType > c = acc.localizingCursor();
		while (c.hasNext()) {
			final FloatType t = c.next();
			final double w = weightSum[0][c.getIntPosition(0)] * weightSum[1][c.getIntPosition(1)] * weightSum[2][c.getIntPosition(2)];
			t.set((float) (t.get() / w));
		}
	}
}
