/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package io.github.redisstreams.listener;

import java.util.concurrent.TimeUnit;

/**
 * How many entries a consumer asks for in one read ({@code COUNT}): at most the
 * listener's batch size, and no more than its handler works through in about
 * {@value #BUDGET_MILLIS} ms. A consumer holds every entry of its batch until it reaches
 * it, while other consumers may be idle; a fast listener gets the whole batch size (a
 * handler of 2 ms or less fills 500), a slow one takes few entries at a time (one per
 * read for a handler of a second or more), as job queues do.
 * <p>
 * The time per entry is a moving average over the entries processed, each weighing
 * {@value #ENTRY_WEIGHT} of the estimate: a batch of 100 entries decides most of it, a
 * single entry (a retry, an entry taken over) only a little, so one slow retry does not
 * shrink a fast listener's batches. A listener that slows down takes fewer entries from
 * its next read on, one that speeds up grows back. Until a first batch was processed, a
 * consumer asks for at most {@value #FIRST_COUNT} entries and does not read ahead.
 * <p>
 * Updated by its consumer's thread only; {@link #count()} may be read from any thread
 * (the reclaimer sizes what it hands over to the consumer by it).
 */
final class BatchSizer {

	static final long BUDGET_MILLIS = 1000;

	static final int FIRST_COUNT = 100;

	/** What one entry weighs in the moving average of the time per entry. */
	static final double ENTRY_WEIGHT = 0.02;

	private static final double BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(BUDGET_MILLIS);

	private final int batchSize;

	/** Nanoseconds per entry, negative until a batch was processed. */
	private volatile double nanosPerEntry = -1;

	/**
	 * Create a sizer.
	 * @param batchSize the listener's batch size, 1 or more
	 */
	BatchSizer(int batchSize) {
		this.batchSize = batchSize;
	}

	/**
	 * Return how many entries to ask for.
	 * @return between 1 and the batch size
	 */
	int count() {
		double perEntry = this.nanosPerEntry;
		if (perEntry < 0) {
			return Math.min(this.batchSize, FIRST_COUNT);
		}
		double fits = BUDGET_NANOS / Math.max(perEntry, 1.0);
		return (int) Math.max(1, Math.min(this.batchSize, fits));
	}

	/**
	 * Note that a batch was processed.
	 * @param entries how many entries it had; nothing is noted for none
	 * @param nanos how long processing them took
	 */
	void processed(int entries, long nanos) {
		if (entries <= 0 || nanos < 0) {
			return;
		}
		double perEntry = (double) nanos / entries;
		double average = this.nanosPerEntry;
		if (average < 0) {
			this.nanosPerEntry = perEntry;
			return;
		}
		double weight = 1 - Math.pow(1 - ENTRY_WEIGHT, entries);
		this.nanosPerEntry = average + weight * (perEntry - average);
	}

	/**
	 * Return whether a batch was timed: before that, a consumer does not read ahead (a
	 * second batch of a slow handler would be held as long as the first).
	 * @return whether the time per entry is known
	 */
	boolean isTimed() {
		return this.nanosPerEntry >= 0;
	}

}
