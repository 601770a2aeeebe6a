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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.RedisFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.StreamEntry;

/**
 * A consumer's reads of new entries ({@code XREADGROUP GROUP g c COUNT n [BLOCK ms]
 * STREAMS s >}), which take over the group's idle pending entries first where the server
 * offers {@code CLAIM} ({@link ReadClaim}); after a full batch, the read of the next
 * batch is sent ahead, without blocking, while the current one is processed. Used by the
 * consumer's thread, except {@link #held()} (any thread) and the completion of a read
 * ahead (the connection's event loop).
 */
final class NewEntries {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final ContainerSettings settings;

	private final String name;

	private final ReadClaim readClaim;

	private final ListenerMetrics metrics;

	private final Duration commandTimeout;

	/** Whether a full batch sends the next read ahead (read-ahead on, no rate limit). */
	private final boolean readsAhead;

	/** The next batch, read ahead while the current one is processed. */
	private volatile @Nullable ReadAhead readAhead;

	NewEntries(ContainerSettings settings, String name, ReadClaim readClaim, ListenerMetrics metrics,
			Duration commandTimeout, boolean readsAhead) {
		this.settings = settings;
		this.name = name;
		this.readClaim = readClaim;
		this.metrics = metrics;
		this.commandTimeout = commandTimeout;
		this.readsAhead = readsAhead;
	}

	/**
	 * Return the batch read ahead if one was sent, or read one now.
	 * @param connection the consumer's connection
	 * @param count the most entries to read
	 * @param blockMillis how long the read may block; 0 or less not to block
	 * @param mayReadAhead whether a full batch may send the next read ahead (not before
	 * the handler's speed is known)
	 * @return the batch, empty if nothing came
	 * @throws Exception when Redis failed
	 */
	EntryBatch read(StreamConnection connection, int count, long blockMillis, boolean mayReadAhead) throws Exception {
		// entries read ahead keep their claim-refresh clock: they were delivered when
		// read
		ReadAhead ahead = this.readAhead;
		HeldEntries aheadHeld = (ahead != null) ? ahead.held : null;
		// a batch is full when it brought what its read asked for
		int asked = (ahead != null) ? ahead.count : count;
		Map<String, Long> claimed = new HashMap<>();
		List<StreamEntry> entries = readEntries(connection, count, blockMillis, claimed);
		if (entries.isEmpty()) {
			return EntryBatch.EMPTY;
		}
		if (!claimed.isEmpty()) {
			tookOver(claimed.size());
		}
		if (this.readsAhead && mayReadAhead && entries.size() >= asked) {
			readAhead(connection, count);
		}
		return new EntryBatch(entries, claimed, Collections.emptyList(), this.name, aheadHeld);
	}

	/**
	 * Return the entries read ahead and not yet returned by {@link #read}; from any
	 * thread.
	 * @return the entries, or {@code null}
	 */
	@Nullable HeldEntries held() {
		ReadAhead ahead = this.readAhead;
		return (ahead != null) ? ahead.held : null;
	}

	/**
	 * Forget the read ahead, after a failure or when the connection closes: entries it
	 * brought, if any reached this consumer, are drained with its pending entries list.
	 * @return whether there was a read ahead
	 */
	boolean discard() {
		// a reply that comes later completes a read ahead nothing refers to any more
		boolean pending = this.readAhead != null;
		this.readAhead = null;
		return pending;
	}

	private void tookOver(int count) {
		this.metrics.reclaimed(this.settings.container(), "orphaned", count);
		logger.info("Listener '" + this.settings.listenerId() + "': consumer '" + this.name + "' took over " + count
				+ " entr(ies) of stream '" + this.settings.stream() + "' idle for more than "
				+ this.readClaim.minIdleMillis() + " ms (XREADGROUP ... CLAIM)");
	}

	/**
	 * Read new entries, and the group's idle ones first where the server claims them in
	 * the read.
	 */
	private RedisFuture<List<StreamEntry>> readNew(StreamConnection connection, int count, long blockMillis,
			Map<String, Long> claimed) {
		if (!this.readClaim.isActive()) {
			return EntriesOutput.readGroup(connection, this.settings.group(), this.name, count, blockMillis,
					this.settings.stream(), ">");
		}
		return EntriesOutput.readGroup(connection, this.settings.group(), this.name, count, blockMillis,
				this.readClaim.minIdleMillis(), claimed, this.settings.stream(), ">");
	}

	private List<StreamEntry> readEntries(StreamConnection connection, int count, long blockMillis,
			Map<String, Long> claimed) throws Exception {
		ReadAhead ahead = this.readAhead;
		if (ahead != null) {
			discard();
			List<StreamEntry> entries = connection.await(ahead.future, this.commandTimeout);
			claimed.putAll(ahead.claimed);
			return entries;
		}
		return connection.await(readNew(connection, count, (blockMillis > 0) ? blockMillis : -1, claimed),
				Duration.ofMillis(Math.max(blockMillis, 0)).plus(this.commandTimeout));
	}

	/**
	 * A full batch means more is waiting: send the next read (without blocking) now, so
	 * that Redis and the connection's event loop read and decode it while this batch is
	 * processed. Its entries are this consumer's from then on (in its pending entries
	 * list, claims refreshed like those of the current batch); on stop they stay pending.
	 */
	private void readAhead(StreamConnection connection, int count) {
		Map<String, Long> claimed = new ConcurrentHashMap<>();
		ReadAhead ahead = new ReadAhead(readNew(connection, count, -1, claimed), count, claimed);
		// set first: the reply may complete the future before thenAccept is registered
		this.readAhead = ahead;
		ahead.future.thenAccept((messages) -> {
			if (messages != null && !messages.isEmpty()) {
				ahead.held = new HeldEntries(this.name, messages.stream().map(StreamEntry::getId).toList());
			}
		});
	}

	/**
	 * A read sent ahead: its reply, the count it asked for, the delivery counts of the
	 * entries it claimed, and, once its reply came (on the connection's event loop), the
	 * entries it holds.
	 */
	private static final class ReadAhead {

		final RedisFuture<List<StreamEntry>> future;

		final int count;

		final Map<String, Long> claimed;

		volatile @Nullable HeldEntries held;

		ReadAhead(RedisFuture<List<StreamEntry>> future, int count, Map<String, Long> claimed) {
			this.future = future;
			this.count = count;
			this.claimed = claimed;
		}

	}

}
