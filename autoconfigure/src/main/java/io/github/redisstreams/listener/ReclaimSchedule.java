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

/**
 * When the reclaimer's full rounds are due: once per
 * {@code redis.streams.reclaim.interval} on the interval's own schedule, checked by a
 * task that runs every {@link #periodMillis()} (at most {@value #TICK_MILLIS} ms, so that
 * a round left unfinished goes on soon). The period divides the interval into equal
 * ticks, and a round is due at the tick nearest to its time: an interval of 150 ms runs
 * every 150 ms (ticks of 75 ms), not every 200 ms, and the time a round takes does not
 * add up from one interval to the next. A round late by more than a tick (a long round, a
 * stalled JVM) starts the schedule again from then. Not thread-safe: used by the
 * reclaimer's task only.
 */
final class ReclaimSchedule {

	/**
	 * The longest time between two runs of the reclaimer's task, in milliseconds.
	 */
	static final long TICK_MILLIS = 100;

	private final long intervalNanos;

	private final long periodMillis;

	private long lastRound;

	/**
	 * Create a schedule whose first round is due one interval after {@code startNanos}.
	 * @param interval the reclaim interval, positive
	 * @param startNanos the start, a {@link System#nanoTime()} value
	 */
	ReclaimSchedule(Duration interval, long startNanos) {
		long intervalMillis = Math.max(1, interval.toMillis());
		this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
		this.periodMillis = Math.max(1, intervalMillis / ((intervalMillis + TICK_MILLIS - 1) / TICK_MILLIS));
		this.lastRound = startNanos;
	}

	/**
	 * Return how often the reclaimer's task runs: the interval divided into the fewest
	 * equal ticks of at most {@value #TICK_MILLIS} ms.
	 * @return the period in milliseconds, at least 1
	 */
	long periodMillis() {
		return this.periodMillis;
	}

	/**
	 * Return whether a full round is due at {@code now}, and if so count it as run.
	 * @param now a {@link System#nanoTime()} value
	 * @return whether a round is due
	 */
	boolean due(long now) {
		long halfTick = TimeUnit.MILLISECONDS.toNanos(this.periodMillis) / 2;
		long sinceLast = now - this.lastRound;
		if (sinceLast < this.intervalNanos - halfTick) {
			return false;
		}
		// on time: the next round keeps the schedule; late by more than a tick: from now
		this.lastRound = (sinceLast - this.intervalNanos <= 2 * halfTick) ? this.lastRound + this.intervalNanos : now;
		return true;
	}

	/**
	 * Count a round run out of schedule (a stop's last round): the next one is due one
	 * interval after it.
	 * @param now a {@link System#nanoTime()} value
	 */
	void ranAt(long now) {
		this.lastRound = now;
	}

}
