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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.StreamEntry;

/**
 * Failed entries of one consumer waiting for their retry. A retry due within
 * {@link #MAX_IN_MEMORY_DELAY} (and within the poll timeout and half of
 * {@code min-idle-time}) is kept in memory: the consumer runs it itself when it is due,
 * before it reads anything else, and Redis does no work for it (parking costs two
 * {@code XCLAIM}s, a {@code ZADD} and a {@code ZREM} per entry, about 15 µs of Redis's
 * one thread). The entry stays pending under its owner meanwhile, so a crash loses
 * nothing: it is taken over like any pending entry of a dead consumer, with Redis's
 * delivery count, which does not count the attempts made in memory. Longer delays, and
 * entries past {@link #MAX_IN_MEMORY} waiting, are parked in Redis: the consumer sends
 * them as one script (see {@link RetrySchedule#park}) pipelined with its next read, with
 * their delivery count set to the attempts made, so that the delivery limit counts every
 * attempt. Used by the consumer's thread only; not thread-safe.
 */
final class RetryParking {

	/**
	 * The longest retry delay kept in memory.
	 */
	static final Duration MAX_IN_MEMORY_DELAY = Duration.ofMillis(100);

	/**
	 * The most entries kept in memory by one consumer.
	 */
	static final int MAX_IN_MEMORY = 1000;

	private final Duration maxInMemoryDelay;

	private final PriorityQueue<Waiting> waiting = new PriorityQueue<>();

	private List<Request> requests = new ArrayList<>();

	private long sequence;

	/**
	 * Create the parking of a consumer.
	 * @param pollTimeout the listener's poll timeout: no retry waits in memory longer
	 * @param minIdleTime the listener's {@code min-idle-time}: no retry waits in memory
	 * longer than half of it, so that no other consumer takes the entry meanwhile
	 */
	RetryParking(Duration pollTimeout, Duration minIdleTime) {
		Duration bound = (pollTimeout.compareTo(MAX_IN_MEMORY_DELAY) < 0) ? pollTimeout : MAX_IN_MEMORY_DELAY;
		Duration halfIdle = minIdleTime.dividedBy(2);
		this.maxInMemoryDelay = (halfIdle.compareTo(bound) < 0) ? halfIdle : bound;
	}

	/**
	 * Park an entry in Redis for its retry; its delivery count there is right.
	 */
	void add(String id, Duration delay, String owner) {
		this.requests.add(new Request(id, delay, owner, 0));
	}

	/**
	 * Keep a failed entry for its retry: in memory when it is due soon enough, else
	 * parked in Redis with its delivery count set to the attempts made.
	 * @param entry the entry
	 * @param attempts the attempts made, the failed one included
	 * @param delay the delay before the next attempt
	 * @param owner the consumer that owns the entry in the pending entries list
	 * @return whether the entry is kept in memory
	 */
	boolean retry(StreamEntry entry, long attempts, Duration delay, String owner) {
		if (delay.compareTo(this.maxInMemoryDelay) <= 0 && this.waiting.size() < MAX_IN_MEMORY) {
			this.waiting.add(new Waiting(entry, attempts, System.nanoTime() + delay.toNanos(), owner, this.sequence++));
			return true;
		}
		this.requests.add(new Request(entry.getId(), delay, owner, attempts));
		return false;
	}

	/**
	 * Return the entries kept in memory whose retry is due, with the delivery counts of
	 * their next attempt, all of one owner.
	 * @return the due entries, or {@code null} when none is due
	 */
	@Nullable EntryBatch takeDue() {
		Waiting first = this.waiting.peek();
		long now = System.nanoTime();
		if (first == null || first.due - now > 0) {
			return null;
		}
		List<StreamEntry> entries = new ArrayList<>();
		Map<String, Long> deliveryCounts = new LinkedHashMap<>();
		List<Waiting> otherOwners = new ArrayList<>();
		while (!this.waiting.isEmpty() && this.waiting.peek().due - now <= 0) {
			Waiting due = this.waiting.poll();
			if (!due.owner.equals(first.owner)) {
				otherOwners.add(due);
				continue;
			}
			entries.add(due.entry);
			deliveryCounts.put(due.entry.getId(), due.attempts + 1);
		}
		this.waiting.addAll(otherOwners);
		return new EntryBatch(entries, deliveryCounts, List.of(), first.owner, null);
	}

	/**
	 * Return when the next retry kept in memory is due.
	 * @return the delay from now, or {@code null} when none waits
	 */
	@Nullable Duration nextDue() {
		Waiting first = this.waiting.peek();
		return (first != null) ? Duration.ofNanos(Math.max(0, first.due - System.nanoTime())) : null;
	}

	/**
	 * Park every entry kept in memory in Redis, for a consumer that stops.
	 */
	void parkWaiting() {
		long now = System.nanoTime();
		for (Waiting entry : this.waiting) {
			this.requests.add(new Request(entry.entry.getId(), Duration.ofNanos(Math.max(0, entry.due - now)),
					entry.owner, entry.attempts));
		}
		this.waiting.clear();
	}

	boolean isEmpty() {
		return this.requests.isEmpty();
	}

	List<Request> drain() {
		List<Request> drained = this.requests;
		this.requests = new ArrayList<>();
		return drained;
	}

	/**
	 * One entry to park.
	 *
	 * @param id the entry id
	 * @param delay the delay before its next delivery
	 * @param owner the consumer that must still own it for the parking to happen
	 * @param attempts the delivery count to set ({@code XCLAIM ... RETRYCOUNT}) when
	 * attempts were made in memory, else 0: Redis's count is right
	 */
	record Request(String id, Duration delay, String owner, long attempts) {

	}

	/**
	 * An entry kept in memory, ordered by due time, then by when it failed.
	 */
	private record Waiting(StreamEntry entry, long attempts, long due, String owner,
			long sequence) implements Comparable<Waiting> {

		@Override
		public int compareTo(Waiting other) {
			int byDue = Long.compare(this.due - other.due, 0);
			return (byDue != 0) ? byDue : Long.compare(this.sequence, other.sequence);
		}

	}

}
