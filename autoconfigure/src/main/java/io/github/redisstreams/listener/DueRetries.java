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

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A consumer's due retries: its entries parked for a retry whose delay is over are
 * claimed back before anything else is read ({@code claim-due.lua}, see
 * {@link RetrySchedule#claimDue}), at most once per poll timeout unless a retry is due
 * sooner, and a blocking read blocks no longer than until the next one is due. Used by
 * the consumer's thread only.
 */
final class DueRetries {

	private final ContainerSettings settings;

	private final String name;

	private final Duration commandTimeout;

	private long nextCheck = System.nanoTime();

	/** When the consumer's next retry kept in memory is due; far away when none is. */
	private long nextInMemory = System.nanoTime() + Long.MAX_VALUE / 2;

	DueRetries(ContainerSettings settings, String name, Duration commandTimeout) {
		this.settings = settings;
		this.name = name;
		this.commandTimeout = commandTimeout;
	}

	/**
	 * Note that a retry is due after the given delay.
	 * @param delay the delay
	 */
	void dueIn(Duration delay) {
		long due = System.nanoTime() + delay.toNanos();
		if (due - this.nextCheck < 0) {
			this.nextCheck = due;
		}
	}

	/**
	 * Note when the consumer's next retry kept in memory is due: a blocking read must
	 * return by then. Unlike {@link #dueIn}, it sends no due claim to Redis.
	 * @param delay the delay, or {@code null} when no retry waits in memory
	 */
	void inMemoryDueIn(@Nullable Duration delay) {
		this.nextInMemory = System.nanoTime() + ((delay != null) ? delay.toNanos() : Long.MAX_VALUE / 2);
	}

	/**
	 * Return how long a read may block: the poll timeout, or less when a retry is due
	 * sooner, in Redis or in memory.
	 * @return the time in milliseconds, 0 or less when one is due now
	 */
	long blockMillis() {
		long now = System.nanoTime();
		long untilClaim = TimeUnit.NANOSECONDS.toMillis(this.nextCheck - now);
		// rounded up: a retry in memory due in less than a millisecond blocks for one,
		// rather than reading again and again without blocking until it is due
		long untilInMemory = Math.max(0, this.nextInMemory - now + 999_999) / 1_000_000;
		return Math.min(this.settings.values().getPollTimeout().toMillis(), Math.min(untilClaim, untilInMemory));
	}

	/**
	 * Claim the retries that are due, if it is time to look.
	 * @param connection the consumer's connection
	 * @param count the most entries to claim
	 * @return the claimed entries, or {@code null} when none was due or it was not time
	 * to look
	 * @throws Exception when Redis failed
	 */
	@Nullable EntryBatch claim(StreamConnection connection, int count) throws Exception {
		long now = System.nanoTime();
		if (now - this.nextCheck < 0) {
			return null;
		}
		Claimed due = RetrySchedule.claimDue(connection, this.settings, this.name, count, this.commandTimeout);
		Duration untilNext = (due.nextDue != null && due.nextDue.compareTo(this.settings.values().getPollTimeout()) < 0)
				? due.nextDue : this.settings.values().getPollTimeout();
		this.nextCheck = now + untilNext.toNanos();
		return due.isEmpty() ? null : new EntryBatch(due.entries, due.deliveryCounts, due.lost, this.name, null);
	}

}
