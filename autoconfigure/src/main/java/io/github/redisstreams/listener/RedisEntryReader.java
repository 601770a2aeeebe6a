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
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.lettuce.core.RedisCommandExecutionException;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.RedisRefusal;
import io.github.redisstreams.support.StreamEntry;

/**
 * The only part of a consumer that talks to Redis: on its own connection it sends the
 * buffered acknowledgements ({@code XACK}) and retry parkings pipelined with the next
 * read ({@link Outbox}), claims due retries ({@link DueRetries}), drains the consumer's
 * own pending entries list after every (re)connection ({@code XREADGROUP ... 0},
 * {@link PendingDrain}), then blocks for new entries ({@code >}, {@link NewEntries}),
 * taking over the group's idle pending entries in the same read where the server offers
 * {@code CLAIM} ({@link ReadClaim}). This class orders those reads on its
 * {@link ReaderConnection} and recovers from failures. Used by the consumer's thread,
 * except {@link #wake()} and {@link #readAhead()}.
 */
final class RedisEntryReader implements EntryReader {

	private final ContainerSettings settings;

	private final StreamConnections connections;

	private final ReaderConnection connection;

	private final Duration commandTimeout;

	private final Outbox outbox;

	private final ReadClaim readClaim;

	private final @Nullable ReadPermits permits;

	private final DueRetries retries;

	private final PendingDrain drain;

	private final NewEntries newEntries;

	private final BatchSizer sizer;

	/** Whether the last read was of new entries (not of due retries, nor the drain). */
	private boolean readNewEntries;

	RedisEntryReader(ContainerSettings settings, String name, StreamConnections connections, ConsumerGroups groups,
			ListenerMetrics metrics) {
		this(settings, name, connections, groups, metrics, ReadClaim.off(settings));
	}

	RedisEntryReader(ContainerSettings settings, String name, StreamConnections connections, ConsumerGroups groups,
			ListenerMetrics metrics, ReadClaim readClaim) {
		this.readClaim = readClaim;
		this.settings = settings;
		this.connections = connections;
		this.commandTimeout = connections.waitBound(settings.values().getPollTimeout());
		this.connection = new ReaderConnection(connections, groups, readClaim, this.commandTimeout);
		this.outbox = new Outbox(settings, metrics, this.commandTimeout);
		this.permits = ReadPermits.of(settings, () -> Objects.requireNonNull(this.connection.current()),
				this.commandTimeout, metrics);
		this.retries = new DueRetries(settings, name, this.commandTimeout);
		this.drain = new PendingDrain(settings, name, this.commandTimeout);
		this.newEntries = new NewEntries(settings, name, readClaim, metrics, this.commandTimeout,
				settings.values().isReadAhead() && this.permits == null);
		this.sizer = new BatchSizer(settings.values().getBatchSize());
	}

	@Override
	public EntryBatch read(AckBuffer acks, RetryParking parking, boolean readNew) throws Exception {
		StreamConnection connection = connect();
		this.retries.inMemoryDueIn(parking.nextDue());
		// a batch whose acknowledgements then failed is in this consumer's pending
		// entries
		// list: read it again after the recovery, whether or not the connection is kept
		return this.outbox.sendWith(connection, acks, parking, () -> readNew ? read(connection) : EntryBatch.EMPTY,
				this.drain::restart);
	}

	@Override
	public void processed(int entries, long nanos) {
		this.sizer.processed(entries, nanos);
	}

	@Override
	public int count() {
		return this.sizer.count();
	}

	@Override
	public boolean isTimed() {
		return this.sizer.isTimed();
	}

	@Override
	public void retryDueIn(Duration delay) {
		this.retries.dueIn(delay);
	}

	@Override
	public void interrupted() {
		// a new connection drains the pending entries list first
		closeConnection();
	}

	@Override
	public String recover(Throwable failure) {
		// entries read ahead, if any reached this consumer, are drained with its pending
		// list (on a new connection, or on this one if it is kept)
		if (this.newEntries.discard()) {
			this.drain.restart();
		}
		Throwable ex = EntryReader.unwrap(failure);
		if (this.readClaim.refused(ex)) {
			return "the server refused XREADGROUP ... CLAIM on stream '" + this.settings.stream() + "'";
		}
		if (ReadFailures.isMissingGroup(ex)) {
			this.connection.groupMissing();
			this.drain.restart();
			return "consumer group '" + this.settings.group() + "' of stream '" + this.settings.stream()
					+ "' is missing";
		}
		String wrongType = ReadFailures.wrongType(ex, this.connection.current(), this.settings.stream(),
				this.commandTimeout);
		RedisRefusal refusal = RedisRefusal.of(ex);
		if (refusal == null && !(ex instanceof RedisCommandExecutionException)) {
			// no answer in time, or no connection: on Redis Cluster the slot may have a
			// new master; the nodes are asked through this connection, before it closes
			this.connections.refreshTopology(this.connection.current());
		}
		if (refusal == null || !refusal.keepsConnection()) {
			// a refusal Redis repeats would be repeated on a new connection too: no churn
			closeConnection();
		}
		return (wrongType != null) ? wrongType : "reading stream '" + this.settings.stream() + "' failed";
	}

	@Override
	public Set<String> processedAlready(List<StreamEntry> entries) throws Exception {
		if (this.settings.values().getIdempotencyHeader() == null) {
			return Set.of();
		}
		return new HashSet<>(Acknowledgements.processedAlready(connect(), this.settings, entries, this.commandTimeout));
	}

	@Override
	public void wake() {
		ReadPermits permits = this.permits;
		if (permits != null) {
			permits.wake();
		}
		this.connection.unblock();
	}

	@Override
	public void close(AckBuffer acks, RetryParking parking) {
		StreamConnection current = this.connection.current();
		if (current != null && current.isOpen()) {
			this.outbox.send(current, acks, parking).completeQuietly();
		}
		closeConnection();
	}

	/**
	 * Read, at most as many entries as permitted where the listener is rate-limited:
	 * without a permit, wait until one is due (or a stop wakes this consumer) and return
	 * nothing. With permits the read does not block, so that no consumer holds permits
	 * while the stream is empty (they would add up to more than the burst when entries
	 * come); permits it did not use go back to the bucket, and when it found nothing the
	 * consumer waits for a newer entry than the newest one before the read, holding no
	 * permit ({@code XREAD BLOCK}).
	 */
	private EntryBatch read(StreamConnection connection) throws Exception {
		ReadPermits permits = this.permits;
		int batchSize = this.sizer.count();
		if (permits == null) {
			return read(connection, batchSize, true);
		}
		return permits.read(connection, batchSize, (count) -> {
			this.readNewEntries = false;
			return read(connection, count, false);
		}, () -> this.readNewEntries, this.retries::blockMillis);
	}

	@Override
	public void admit(int entries) throws Exception {
		ReadPermits permits = this.permits;
		if (permits != null && entries > 0) {
			connect();
			permits.charge(entries);
		}
	}

	/**
	 * Read due retries first, then the consumer's own pending entries while the drain
	 * lasts, then new entries.
	 */
	private EntryBatch read(StreamConnection connection, int count, boolean block) throws Exception {
		EntryBatch due = this.retries.claim(connection, count);
		if (due != null) {
			return due;
		}
		if (this.drain.isDraining()) {
			return this.drain.read(connection, count);
		}
		this.readNewEntries = true;
		return this.newEntries.read(connection, count, block ? this.retries.blockMillis() : -1, this.sizer.isTimed());
	}

	@Override
	public @Nullable HeldEntries readAhead() {
		return this.newEntries.held();
	}

	private StreamConnection connect() throws Exception {
		return this.connection.get(() -> {
			// entries read ahead, if any reached this consumer, are drained with its
			// pending list on the new connection
			this.newEntries.discard();
			this.drain.restart();
		});
	}

	private void closeConnection() {
		this.newEntries.discard();
		this.connection.close();
	}

}
