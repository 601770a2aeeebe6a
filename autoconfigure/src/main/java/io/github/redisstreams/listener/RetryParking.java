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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

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

	/**
	 * Half of {@code min-idle-time}: how long an entry may look idle in Redis at most.
	 */
	private final long maxIdleNanos;

	private final PriorityQueue<Waiting> waiting = new PriorityQueue<>();

	private final Set<String> waitingIds = new HashSet<>();

	private List<Request> requests = new ArrayList<>();

	private @Nullable HeldEntries current;

	private long sequence;

	/**
	 * Create the parking of a consumer.
	 * @param pollTimeout the listener's poll timeout: no retry waits in memory longer
	 * @param minIdleTime the listener's {@code min-idle-time}: no entry is kept in memory
	 * past half of it since Redis last delivered it or its claim was refreshed, so that
	 * no other consumer takes it meanwhile
	 */
	RetryParking(Duration pollTimeout, Duration minIdleTime) {
		this.maxInMemoryDelay = (pollTimeout.compareTo(MAX_IN_MEMORY_DELAY) < 0) ? pollTimeout : MAX_IN_MEMORY_DELAY;
		this.maxIdleNanos = minIdleTime.dividedBy(2).toNanos();
	}

	/**
	 * Note the entries the consumer is processing, whose failures {@link #retry} is
	 * given.
	 * @param held the held entries of the batch, {@code null} between batches
	 */
	void holding(@Nullable HeldEntries held) {
		this.current = held;
	}

	/**
	 * Park an entry in Redis for its retry; its delivery count there is right.
	 */
	void add(String id, Duration delay, String owner) {
		this.requests.add(new Request(id, delay, owner, 0, false));
	}

	/**
	 * Park an entry in Redis for its retry, with its delivery count set to the attempts
	 * made if Redis counted fewer.
	 */
	void add(String id, Duration delay, String owner, long attempts) {
		this.requests.add(new Request(id, delay, owner, attempts, false));
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
		long now = System.nanoTime();
		HeldEntries held = this.current;
		long idleSince = (held != null) ? held.refreshedAt() : now;
		long due = now + delay.toNanos();
		if (delay.compareTo(this.maxInMemoryDelay) <= 0 && this.waiting.size() < MAX_IN_MEMORY
				&& due - idleSince <= this.maxIdleNanos && this.waitingIds.add(entry.getId())) {
			this.waiting.add(new Waiting(entry, attempts, due, owner, idleSince, this.sequence++));
			return true;
		}
		add(entry.getId(), delay, owner, attempts);
		return false;
	}

	/**
	 * Return the entries kept in memory whose retry is due, with the delivery counts of
	 * their next attempt, all of one owner, held since their claims were last refreshed.
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
		long idleSince = first.idleSince;
		while (!this.waiting.isEmpty() && this.waiting.peek().due - now <= 0) {
			Waiting due = this.waiting.poll();
			if (!due.owner.equals(first.owner)) {
				otherOwners.add(due);
				continue;
			}
			this.waitingIds.remove(due.entry.getId());
			entries.add(due.entry);
			deliveryCounts.put(due.entry.getId(), due.attempts + 1);
			idleSince = (due.idleSince - idleSince < 0) ? due.idleSince : idleSince;
		}
		this.waiting.addAll(otherOwners);
		HeldEntries held = new HeldEntries(first.owner, entries.stream().map(StreamEntry::getId).toList(), idleSince);
		return new EntryBatch(entries, deliveryCounts, List.of(), first.owner, held);
	}

	/**
	 * Keep again the entries of a due batch that could not be processed, due now.
	 * @param batch a batch returned by {@link #takeDue()}
	 */
	void restore(EntryBatch batch) {
		HeldEntries held = batch.held();
		long now = System.nanoTime();
		long idleSince = (held != null) ? held.refreshedAt() : now;
		for (StreamEntry entry : batch.entries()) {
			if (this.waitingIds.add(entry.getId())) {
				long attempts = batch.deliveryCounts().getOrDefault(entry.getId(), 2L) - 1;
				this.waiting.add(new Waiting(entry, attempts, now, batch.owner(), idleSince, this.sequence++));
			}
		}
	}

	/**
	 * Return a batch read from Redis without the entries kept in memory: a consumer that
	 * reconnects drains its own pending list, which holds them too, and they must run
	 * once, with the attempts counted here.
	 * @param batch a batch read from Redis
	 * @return the batch, or a copy without those entries
	 */
	EntryBatch withoutWaiting(EntryBatch batch) {
		if (this.waitingIds.isEmpty()
				|| batch.entries().stream().noneMatch((e) -> this.waitingIds.contains(e.getId()))) {
			return batch;
		}
		List<StreamEntry> entries = batch.entries()
			.stream()
			.filter((entry) -> !this.waitingIds.contains(entry.getId()))
			.toList();
		return new EntryBatch(entries, batch.deliveryCounts(), batch.lost(), batch.owner(), batch.held());
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
	 * Park every entry kept in memory in Redis, for a consumer that stops. They were
	 * counted as scheduled retries when kept.
	 */
	void parkWaiting() {
		long now = System.nanoTime();
		for (Waiting entry : this.waiting) {
			this.requests.add(new Request(entry.entry.getId(), Duration.ofNanos(Math.max(0, entry.due - now)),
					entry.owner, entry.attempts, true));
		}
		this.waiting.clear();
		this.waitingIds.clear();
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
	 * @param attempts the delivery count to set ({@code XCLAIM ... RETRYCOUNT}) where
	 * Redis counted fewer, because attempts were made in memory; 0 when Redis's count is
	 * right
	 * @param counted whether the retry was counted already (it waited in memory)
	 */
	record Request(String id, Duration delay, String owner, long attempts, boolean counted) {

	}

	/**
	 * An entry kept in memory, ordered by due time, then by when it failed.
	 */
	private record Waiting(StreamEntry entry, long attempts, long due, String owner, long idleSince,
			long sequence) implements Comparable<Waiting> {

		@Override
		public int compareTo(Waiting other) {
			int byDue = Long.compare(this.due - other.due, 0);
			return (byDue != 0) ? byDue : Long.compare(this.sequence, other.sequence);
		}

	}

}
