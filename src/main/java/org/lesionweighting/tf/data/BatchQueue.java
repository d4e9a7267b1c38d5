package org.lesionweighting.tf.data;

import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

/**
 * Prepares the batches of iterations {@code first, first+1, …, end−1} on background threads while the
 * training session runs, and hands them out strictly in iteration order.
 * <p>
 * At most {@code capacity} batches are pending (queued or being built) at any time, so memory is bounded.
 * Since each batch is a pure function of its iteration ({@link PatchSampler#batch}), the result does not
 * depend on the number of threads. An exception thrown while building a batch is rethrown by
 * {@link #take()} for that iteration (unchecked exceptions as they are, others wrapped in an
 * {@link IllegalStateException}). {@link #close()} cancels pending work and stops the threads; it is
 * idempotent. The queue is owned by one consumer thread (the trainer).
 *
 * @param <B> the batch type
 */
public final class BatchQueue< B > implements AutoCloseable {

	private static final AtomicInteger POOL = new AtomicInteger();

	private final LongFunction< B > producer;

	private final long end;

	private final int capacity;

	private final ExecutorService executor;

	private final ArrayDeque< Future< B > > pending = new ArrayDeque<>();

	private long nextToSubmit;

	private long nextToTake;

	/**
	 * Creates the queue and starts producing.
	 *
	 * @param producer builds the batch of one iteration; called from background threads, must be
	 *          thread-safe
	 * @param first the first iteration to produce
	 * @param end one past the last iteration (≥ first)
	 * @param threads number of background threads, ≥ 1
	 * @param capacity maximum number of pending batches, ≥ 1
	 */
	public BatchQueue(final LongFunction< B > producer, final long first, final long end, final int threads, final int capacity) {
		if (threads < 1 || capacity < 1)
			throw new IllegalArgumentException("BatchQueue: threads and capacity must be ≥ 1, but were " + threads + " and " + capacity + ".");
		if (end < first) throw new IllegalArgumentException("BatchQueue: end iteration " + end + " is before the first " + first + ".");
		this.producer = producer;
		this.end = end;
		this.capacity = capacity;
		final int pool = POOL.incrementAndGet();
		final AtomicInteger count = new AtomicInteger();
		final ThreadFactory factory = r -> {
			final Thread t = new Thread(r, "lesion-weighting-batches-" + pool + "-" + count.incrementAndGet());
			t.setDaemon(true);
			return t;
		};
		executor = Executors.newFixedThreadPool(threads, factory);
		nextToSubmit = first;
		nextToTake = first;
		fill();
	}

	private void fill() {
		while (pending.size() < capacity && nextToSubmit < end) {
			final long it = nextToSubmit++;
			pending.add(executor.submit(() -> producer.apply(it)));
		}
	}

	/**
	 * Returns the next batch in iteration order, waiting for it if needed.
	 *
	 * @throws java.util.NoSuchElementException after the last iteration
	 * @throws CancellationException if the calling thread is interrupted while waiting (the interrupt
	 *           flag stays set)
	 * @throws IllegalStateException if the queue was closed
	 */
	public B take() {
		if (executor.isShutdown()) throw new IllegalStateException("BatchQueue.take: the queue was closed.");
		final Future< B > f = pending.poll();
		if (f == null) throw new java.util.NoSuchElementException("BatchQueue.take: no batch after iteration " + (end - 1) + ".");
		try {
			final B b = f.get();
			nextToTake++;
			fill();
			return b;
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new CancellationException("BatchQueue.take: cancelled while waiting for the batch of iteration " + nextToTake);
		}
		catch (final ExecutionException e) {
			final Throwable cause = e.getCause();
			if (cause instanceof RuntimeException) throw (RuntimeException) cause;
			if (cause instanceof Error) throw (Error) cause;
			throw new IllegalStateException("BatchQueue: preparing the batch of iteration " + nextToTake + " failed: " + cause, cause);
		}
	}

	/** Cancels pending batches and stops the background threads (waits up to 10 s for running ones). */
	@Override
	public void close() {
		if (executor.isShutdown()) return;
		for (final Future< B > f : pending)
			f.cancel(true);
		pending.clear();
		executor.shutdownNow();
		try {
			executor.awaitTermination(10, TimeUnit.SECONDS);
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
