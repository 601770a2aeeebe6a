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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.models.stream.PendingMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.RedisRefusal;
import io.github.redisstreams.support.StreamEntry;

/**
 * The only part of a consumer that talks to Redis: on its own connection it sends the
 * buffered acknowledgements ({@code XACK}) and retry parkings pipelined with the next
 * read, claims due retries, drains the consumer's own pending entries list after every
 * (re)connection ({@code XREADGROUP ... 0}), then blocks for new entries ({@code >}),
 * taking over the group's idle pending entries in the same read where the server offers
 * {@code CLAIM} ({@link ReadClaim}). Used by the consumer's thread, except
 * {@link #wake()}.
 */
final class RedisEntryReader implements EntryReader {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final ContainerSettings settings;

	private final String name;

	private final Consumer<String> consumer;

	private final StreamConnections connections;

	private final ConsumerGroups groups;

	private final Duration commandTimeout;

	private final Outbox outbox;

	private final ReadClaim readClaim;

	private final ListenerMetrics metrics;

	private final @Nullable ReadPermits permits;

	/** Whether the last read was of new entries (not of due retries, nor the drain). */
	private boolean readNewEntries;

	private volatile long clientId = -1;

	private @Nullable StreamConnection connection;

	private boolean groupReady;

	private boolean drainingPending = true;

	private String pendingCursor = "0";

	private long nextRetryCheck = System.nanoTime();

	/** The next batch, read ahead while the current one is processed. */
	private volatile @Nullable RedisFuture<List<StreamEntry>> readAhead;

	private volatile @Nullable HeldEntries readAheadHeld;

	/** The delivery counts of the entries the read ahead claimed. */
	private volatile @Nullable Map<String, Long> readAheadClaimed;

	RedisEntryReader(ContainerSettings settings, String name, StreamConnections connections, ConsumerGroups groups,
			ListenerMetrics metrics) {
		this(settings, name, connections, groups, metrics, ReadClaim.off(settings));
	}

	RedisEntryReader(ContainerSettings settings, String name, StreamConnections connections, ConsumerGroups groups,
			ListenerMetrics metrics, ReadClaim readClaim) {
		this.readClaim = readClaim;
		this.metrics = metrics;
		this.settings = settings;
		this.name = name;
		this.consumer = Consumer.from(settings.group(), name);
		this.connections = connections;
		this.groups = groups;
		this.commandTimeout = connections.waitBound(settings.values().getPollTimeout());
		this.outbox = new Outbox(settings, metrics, this.commandTimeout);
		this.permits = ReadPermits.of(settings, () -> Objects.requireNonNull(this.connection), this.commandTimeout,
				metrics);
	}

	@Override
	public EntryBatch read(AckBuffer acks, RetryParking parking, boolean readNew) throws Exception {
		StreamConnection connection = connect();
		Outbox.Sent sent = this.outbox.send(connection, acks, parking);
		try {
			return readNew ? read(connection) : EntryBatch.EMPTY;
		}
		finally {
			sent.complete();
		}
	}

	@Override
	public void retryDueIn(Duration delay) {
		long due = System.nanoTime() + delay.toNanos();
		if (due - this.nextRetryCheck < 0) {
			this.nextRetryCheck = due;
		}
	}

	@Override
	public String recover(Throwable failure) {
		// entries read ahead, if any reached this consumer, are drained with its pending
		// list
		this.readAhead = null;
		this.readAheadHeld = null;
		Throwable ex = EntryReader.unwrap(failure);
		if (this.readClaim.refused(ex)) {
			return "the server refused XREADGROUP ... CLAIM on stream '" + this.settings.stream() + "'";
		}
		if (isMissingGroup(ex)) {
			this.groupReady = false;
			restartPendingDrain();
			return "consumer group '" + this.settings.group() + "' of stream '" + this.settings.stream()
					+ "' is missing";
		}
		String wrongType = isWrongType(ex) ? wrongType() : null;
		RedisRefusal refusal = RedisRefusal.of(ex);
		if (refusal == null && !(ex instanceof RedisCommandExecutionException)) {
			// no answer in time, or no connection: on Redis Cluster the slot may have a
			// new master; the nodes are asked through this connection, before it closes
			this.connections.refreshTopology(this.connection);
		}
		if (refusal == null || !refusal.keepsConnection()) {
			// a refusal Redis repeats would be repeated on a new connection too: no churn
			closeConnection();
		}
		return (wrongType != null) ? wrongType : "reading stream '" + this.settings.stream() + "' failed";
	}

	private static boolean isWrongType(Throwable ex) {
		return ex instanceof RedisCommandExecutionException && ex.getMessage() != null
				&& ex.getMessage().startsWith("WRONGTYPE");
	}

	/**
	 * Name what the stream's key holds instead of a stream (an old list queue under the
	 * same name, say), so that the log and the health say it rather than "wrong kind of
	 * value".
	 */
	private @Nullable String wrongType() {
		StreamConnection current = this.connection;
		if (current == null || !current.isOpen()) {
			return null;
		}
		try {
			String type = current.type(this.settings.stream(), this.commandTimeout);
			return ("stream".equals(type) || "none".equals(type)) ? null
					: "key '" + this.settings.stream() + "' holds a " + type + ", not a stream";
		}
		catch (Exception typeFailure) {
			if (typeFailure instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			return null;
		}
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
		long id = this.clientId;
		if (id >= 0) {
			this.connections.unblock(id);
		}
	}

	@Override
	public void close(AckBuffer acks, RetryParking parking) {
		StreamConnection current = this.connection;
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
		int batchSize = this.settings.values().getBatchSize();
		if (permits == null) {
			return read(connection, batchSize, true);
		}
		return permits.read(connection, batchSize, (count) -> {
			this.readNewEntries = false;
			return read(connection, count, false);
		}, () -> this.readNewEntries, this::blockMillis);
	}

	/**
	 * How long a read may block: the poll timeout, or less when a retry is due sooner.
	 */
	private long blockMillis() {
		return Math.min(this.settings.values().getPollTimeout().toMillis(),
				TimeUnit.NANOSECONDS.toMillis(this.nextRetryCheck - System.nanoTime()));
	}

	@Override
	public void admit(int entries) throws Exception {
		ReadPermits permits = this.permits;
		if (permits != null && entries > 0) {
			connect();
			permits.charge(entries);
		}
	}

	private EntryBatch read(StreamConnection connection, int count, boolean block) throws Exception {
		long now = System.nanoTime();
		if (now - this.nextRetryCheck >= 0) {
			Claimed due = RetrySchedule.claimDue(connection, this.settings, this.name, count, this.commandTimeout);
			Duration untilNext = (due.nextDue != null
					&& due.nextDue.compareTo(this.settings.values().getPollTimeout()) < 0) ? due.nextDue
							: this.settings.values().getPollTimeout();
			this.nextRetryCheck = now + untilNext.toNanos();
			if (!due.isEmpty()) {
				return new EntryBatch(due.entries, due.deliveryCounts, due.lost, this.name, null);
			}
		}
		if (this.drainingPending) {
			List<StreamEntry> entries = connection.await(readGroup(connection, count, -1, this.pendingCursor),
					this.commandTimeout);
			advancePendingCursor(entries);
			return entries.isEmpty() ? EntryBatch.EMPTY : new EntryBatch(entries, deliveryCounts(connection, entries),
					Collections.emptyList(), this.name, null);
		}
		this.readNewEntries = true;
		// entries read ahead keep their claim-refresh clock: they were delivered when
		// read
		HeldEntries aheadHeld = (this.readAhead != null) ? this.readAheadHeld : null;
		Map<String, Long> claimed = new HashMap<>();
		List<StreamEntry> entries = readNewEntries(connection, count, block, claimed);
		if (entries.isEmpty()) {
			return EntryBatch.EMPTY;
		}
		if (!claimed.isEmpty()) {
			tookOver(claimed.size());
		}
		if (this.settings.values().isReadAhead() && this.permits == null
				&& entries.size() >= this.settings.values().getBatchSize()) {
			readAhead(connection);
		}
		return new EntryBatch(entries, claimed, Collections.emptyList(), this.name, aheadHeld);
	}

	private void tookOver(int count) {
		this.metrics.reclaimed(this.settings.container(), "orphaned", count);
		logger.info("Listener '" + this.settings.listenerId() + "': consumer '" + this.name + "' took over " + count
				+ " entr(ies) of stream '" + this.settings.stream() + "' idle for more than "
				+ this.readClaim.minIdleMillis() + " ms (XREADGROUP ... CLAIM)");
	}

	private RedisFuture<List<StreamEntry>> readGroup(StreamConnection connection, int count, long blockMillis,
			String id) {
		return EntriesOutput.readGroup(connection, this.settings.group(), this.name, count, blockMillis,
				this.settings.stream(), id);
	}

	/**
	 * Read new entries, and the group's idle ones first where the server claims them in
	 * the read.
	 */
	private RedisFuture<List<StreamEntry>> readNew(StreamConnection connection, int count, long blockMillis,
			Map<String, Long> claimed) {
		if (!this.readClaim.isActive()) {
			return readGroup(connection, count, blockMillis, ">");
		}
		return EntriesOutput.readGroup(connection, this.settings.group(), this.name, count, blockMillis,
				this.readClaim.minIdleMillis(), claimed, this.settings.stream(), ">");
	}

	private List<StreamEntry> readNewEntries(StreamConnection connection, int count, boolean block,
			Map<String, Long> claimed) throws Exception {
		RedisFuture<List<StreamEntry>> ahead = this.readAhead;
		if (ahead != null) {
			Map<String, Long> aheadClaimed = this.readAheadClaimed;
			this.readAhead = null;
			this.readAheadHeld = null;
			this.readAheadClaimed = null;
			List<StreamEntry> entries = connection.await(ahead, this.commandTimeout);
			if (aheadClaimed != null) {
				claimed.putAll(aheadClaimed);
			}
			return entries;
		}
		long blockMillis = !block ? -1 : blockMillis();
		return connection.await(readNew(connection, count, (blockMillis > 0) ? blockMillis : -1, claimed),
				Duration.ofMillis(Math.max(blockMillis, 0)).plus(this.commandTimeout));
	}

	/**
	 * A full batch means more is waiting: send the next read (without blocking) now, so
	 * that Redis and the connection's event loop read and decode it while this batch is
	 * processed. Its entries are this consumer's from then on (in its pending entries
	 * list, claims refreshed like those of the current batch); on stop they stay pending.
	 */
	private void readAhead(StreamConnection connection) {
		Map<String, Long> claimed = new ConcurrentHashMap<>();
		RedisFuture<List<StreamEntry>> ahead = readNew(connection, this.settings.values().getBatchSize(), -1, claimed);
		// set first: the reply may complete the future before thenAccept is registered
		this.readAheadClaimed = claimed;
		this.readAhead = ahead;
		ahead.thenAccept((messages) -> {
			if (messages != null && !messages.isEmpty() && this.readAhead == ahead) {
				this.readAheadHeld = new HeldEntries(this.name, messages.stream().map(StreamEntry::getId).toList());
			}
		});
	}

	@Override
	public @Nullable HeldEntries readAhead() {
		return this.readAheadHeld;
	}

	private StreamConnection connect() throws Exception {
		StreamConnection current = this.connection;
		if (current == null || !current.isOpen()) {
			closeConnection();
			current = this.connections.open();
			this.connection = current;
			this.clientId = current.clientId(this.commandTimeout);
			this.groupReady = false;
			restartPendingDrain();
		}
		if (!this.groupReady) {
			this.groups.ensureGroup(current, this.commandTimeout);
			// before this connection's first read: parked retries must not look idle to
			// it
			this.readClaim.prepare(current, this.commandTimeout);
			this.groupReady = true;
		}
		return current;
	}

	private void restartPendingDrain() {
		this.drainingPending = true;
		this.pendingCursor = "0";
	}

	private void advancePendingCursor(List<StreamEntry> messages) {
		if (messages.isEmpty()) {
			this.drainingPending = false;
			this.pendingCursor = "0";
		}
		else {
			this.pendingCursor = messages.get(messages.size() - 1).getId();
		}
	}

	private Map<String, Long> deliveryCounts(StreamConnection connection, List<StreamEntry> messages) throws Exception {
		String first = messages.get(0).getId();
		String last = messages.get(messages.size() - 1).getId();
		List<PendingMessage> pending = connection.await(connection.streams()
			.xpending(this.settings.stream(), this.consumer, Range.create(first, last), Limit.from(messages.size())),
				this.commandTimeout);
		Map<String, Long> counts = new HashMap<>();
		for (PendingMessage message : pending) {
			counts.put(message.getId(), message.getRedeliveryCount());
		}
		return counts;
	}

	private void closeConnection() {
		this.readAhead = null;
		this.readAheadHeld = null;
		this.readAheadClaimed = null;
		StreamConnection current = this.connection;
		this.connection = null;
		this.clientId = -1;
		if (current != null) {
			current.close();
		}
	}

	private static boolean isMissingGroup(Throwable ex) {
		if (!(ex instanceof RedisCommandExecutionException) || ex.getMessage() == null) {
			return false;
		}
		String message = ex.getMessage();
		return message.startsWith("NOGROUP") || message.startsWith("UNBLOCKED the stream key no longer exists");
	}

}
