package org.lesionweighting.tf.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class BatchQueueTest {

	@Test
	void batchesComeInIterationOrder() {
		try (BatchQueue< Long > q = new BatchQueue<>(it -> {
			try {
				Thread.sleep((7 - it % 7)); // later iterations finish first
			}
			catch (final InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			return it;
		}, 3, 40, 3, 6)) {
			for (long i = 3; i < 40; i++)
				assertEquals(i, q.take());
			assertThrows(NoSuchElementException.class, q::take);
		}
	}

	@Test
	void sameBatchesForAnyThreadCount() {
		final TrainingCase c = PatchSamplerTest.caseWith("a", 20, 20, 20, PatchSamplerTest.lesions(4));
		final PatchSampler s = new PatchSampler(List.of(c), new PatchSampler.Settings().patchSize(6), 123);
		try (BatchQueue< Batch > one = new BatchQueue<>(it -> s.batch(it, 2), 0, 12, 1, 1);
				BatchQueue< Batch > four = new BatchQueue<>(it -> s.batch(it, 2), 0, 12, 4, 8)) {
			for (int i = 0; i < 12; i++) {
				final Batch a = one.take(), b = four.take();
				assertEquals(i, a.iteration());
				assertArrayEquals(a.images(), b.images());
				assertArrayEquals(a.weights(), b.weights());
			}
		}
	}

	@Test
	void producerExceptionIsRethrownForItsIteration() {
		try (BatchQueue< Long > q = new BatchQueue<>(it -> {
			if (it == 2) throw new IllegalArgumentException("bad case at " + it);
			return it;
		}, 0, 10, 2, 4)) {
			assertEquals(0L, q.take());
			assertEquals(1L, q.take());
			final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, q::take);
			assertEquals("bad case at 2", e.getMessage());
		}
	}

	@Test
	void boundedAndClosable() throws InterruptedException {
		final AtomicInteger produced = new AtomicInteger();
		final BatchQueue< Long > q = new BatchQueue<>(it -> {
			produced.incrementAndGet();
			return it;
		}, 0, 1000, 2, 3);
		Thread.sleep(100);
		assertTrue(produced.get() <= 3, "at most capacity batches are built ahead: " + produced.get());
		q.close();
		q.close();
		assertThrows(IllegalStateException.class, q::take);
	}
}
