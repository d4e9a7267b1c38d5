package org.lesionweighting.tf.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The time-left estimate of the progress line ({@link Trainer#secondsPerIteration}, {@link Trainer#duration}). */
class TimeLeftTest {

	/** Cumulative seconds: the first iteration of the session took {@code first} s, every later one {@code each} s. */
	private static List< HistoryRow > history(final double before, final int iterations, final double first, final double each) {
		final List< HistoryRow > h = new ArrayList<>();
		double t = before;
		for (int i = 1; i <= iterations; i++) {
			t += i == 1 ? first : each;
			h.add(new HistoryRow(i, 0.5, 1e-2, t));
		}
		return h;
	}

	/** Regression: the estimate divided the whole session time (graph building included) by the iterations, "2.97 s/it" for 0.2 s steps. */
	@Test
	void theFirstIterationOfASessionDoesNotInflateTheRate() {
		final List< HistoryRow > h = history(0, 3, 2.5, 0.2);
		assertEquals(0.2, Trainer.secondsPerIteration(h, 3, 2.9), 1e-12);
	}

	@Test
	void theRateIsTheMeanOfTheLastTwentyIterations() {
		final List< HistoryRow > h = history(0, 30, 5, 1);
		h.set(29, new HistoryRow(30, 0.5, 1e-2, h.get(28).seconds() + 21)); // one slow iteration (a checkpoint)
		assertEquals((19 * 1 + 21) / 20.0, Trainer.secondsPerIteration(h, 30, 0), 1e-12);
	}

	@Test
	void afterOneIterationItsTimeIsTheRate() {
		assertEquals(3.0, Trainer.secondsPerIteration(history(100, 1, 3, 1), 1, 3.0), 1e-12);
	}

	@Test
	void aResumedSessionUsesItsOwnIterationsOnly() {
		// 10 iterations before the resume at 1 s each, then 4 in this session: 4 s for the first, 0.5 s after
		final List< HistoryRow > h = history(0, 10, 1, 1);
		double t = h.get(9).seconds();
		for (int i = 11; i <= 14; i++) {
			t += i == 11 ? 4 : 0.5;
			h.add(new HistoryRow(i, 0.5, 1e-2, t));
		}
		assertEquals(0.5, Trainer.secondsPerIteration(h, 4, 5.5), 1e-12);
	}

	@Test
	void durationsAreWrittenForPeople() {
		assertEquals("59 s", Trainer.duration(59.4));
		assertEquals("1 min 0 s", Trainer.duration(59.6));
		assertEquals("2 h 5 min", Trainer.duration(2 * 3600 + 5 * 60 + 59));
	}
}
