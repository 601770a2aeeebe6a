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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.models.stream.PendingMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.listener.StreamConnections.StreamConnection;
import io.github.redisstreams.support.StreamEntry;

import org.springframework.util.backoff.BackOffExecution;

/**
 * One consumer of a container: a thread with its own connection that reads batches with
 * {@code XREADGROUP}, hands every entry to the handler and acknowledges what was
 * processed.
 * <p>
 * After every (re)connection it first drains its own pending list ({@code XREADGROUP ...
 * 0}), then blocks for new entries ({@code >}). Acknowledgements collected while
 * processing a batch are sent as one {@code XACK} pipelined with the next read. Redis
 * failures never end the loop: it backs off with jitter, reconnects, recreates a vanished
 * group and goes on.
 */
final class StreamConsumer implements Runnable {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private static final long AWAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

	private final ContainerSettings settings;

	private final String name;

	private final Consumer<String> consumer;

	private final StreamConnections connections;

	private final ConsumerGroups groups;

	private final EntryProcessor processor;

	private final FailureEpisodes episodes;

	private final ListenerMetrics metrics;

	private final Duration commandTimeout;

	private final AckBuffer acks = new AckBuffer();

	private final RetryParking parking = new RetryParking();

	private final CountDownLatch finished = new CountDownLatch(1);

	private final Object sleepMonitor = new Object();

	private volatile boolean running = true;

	private volatile long clientId = -1;

	private @Nullable StreamConnection connection;

	private boolean groupReady;

	private boolean drainingPending = true;

	private String pendingCursor = "0";

	private long nextRetryCheck = System.nanoTime();

	private volatile @Nullable HeldEntries held;

	private final ConcurrentLinkedQueue<Batch> handedOver = new ConcurrentLinkedQueue<>();

	private @Nullable BackOffExecution backOff;

	private int failedAttempts;

	private long failingSince;

	StreamConsumer(ContainerSettings settings, int index, StreamConnections connections, ConsumerGroups groups,
			EntryProcessor processor, FailureEpisodes episodes, ListenerMetrics metrics) {
		this.settings = settings;
		this.name = settings.consumerName(index);
		this.consumer = Consumer.from(settings.group(), this.name);
		this.connections = connections;
		this.groups = groups;
		this.processor = processor;
		this.episodes = episodes;
		this.metrics = metrics;
		this.commandTimeout = connections.commandTimeout();
	}

	String getName() {
		return this.name;
	}

	AckBuffer getAcks() {
		return this.acks;
	}

	/**
	 * Return the entries this consumer holds: those its handler works on, and those
	 * handed over to it and not yet started, whose claims must be refreshed too.
	 * @return the held entries
	 */
	List<@Nullable HeldEntries> getHeld() {
		List<@Nullable HeldEntries> all = new ArrayList<>();
		all.add(this.held);
		for (Batch batch : this.handedOver) {
			all.add(batch.held());
		}
		return all;
	}

	/**
	 * Hand over entries that the reclaimer claimed, so that this consumer's thread runs
	 * their handler and its acknowledgement buffer acknowledges them. A blocking read is
	 * interrupted ({@code CLIENT UNBLOCK}) so that they start within a round trip.
	 * @param owner the consumer that owns the entries in the pending entries list
	 * @param entries the claimed entries
	 * @param deliveryCounts their delivery counts
	 * @param lost ids whose payload was deleted from the stream
	 */
	void handOver(String owner, List<StreamEntry> entries, Map<String, Long> deliveryCounts, List<String> lost) {
		this.handedOver.add(new Batch(entries, deliveryCounts, lost, owner,
				new HeldEntries(owner, entries.stream().map(StreamEntry::getId).toList())));
		long id = this.clientId;
		if (id >= 0) {
			this.connections.unblock(id);
		}
	}

	/**
	 * Return whether this consumer takes hand-overs: it runs and has not stopped.
	 * @return whether it is running
	 */
	boolean isRunning() {
		return this.running && !isFinished();
	}

	boolean isFinished() {
		return this.finished.getCount() == 0;
	}

	@Override
	public void run() {
		try {
			while (this.running) {
				try {
					Batch batch = poll();
					endFailureEpisode();
					dispatch(batch);
				}
				catch (InterruptedException ex) {
					// the container stops consumers with a flag, never by interrupting
					// them:
					// an interrupt comes from user code and must not end the loop
					if (this.running) {
						logger.debug("Listener '" + this.settings.listenerId() + "': consumer " + this.name
								+ " was interrupted; the interrupt is ignored, stopping is done with stop()");
					}
				}
				catch (VirtualMachineError ex) {
					throw ex;
				}
				catch (Throwable ex) {
					if (this.running) {
						onFailure(ex);
					}
				}
			}
		}
		finally {
			abandonFailureEpisode();
			flushAcksOnExit();
			closeConnection();
			this.finished.countDown();
		}
	}

	/**
	 * Ask the consumer to stop after the handler it is running, if any, returns.
	 */
	void signalStop() {
		this.running = false;
		synchronized (this.sleepMonitor) {
			this.sleepMonitor.notifyAll();
		}
		long id = this.clientId;
		if (id >= 0) {
			this.connections.unblock(id);
		}
	}

	boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
		return this.finished.await(timeout, unit);
	}

	private Batch poll() throws Exception {
		StreamConnection connection = connect();
		List<RetryParking.Request> parks = this.parking.drain();
		RedisFuture<List<Object>> park = parks.isEmpty() ? null
				: ListenerScripts.parkRequests(connection, this.settings, parks);
		List<String> ackIds = this.acks.drain();
		RedisFuture<Long> ack = ackIds.isEmpty() ? null : connection.streams()
			.xack(this.settings.stream(), this.settings.group(), ackIds.toArray(String[]::new));
		try {
			Batch handed = this.handedOver.poll();
			if (handed != null) {
				return handed;
			}
			return this.running ? read(connection) : Batch.EMPTY;
		}
		finally {
			if (park != null) {
				completePark(connection, park, parks);
			}
			if (ack != null) {
				completeAck(connection, ack, ackIds);
			}
		}
	}

	private Batch read(StreamConnection connection) throws Exception {
		long now = System.nanoTime();
		if (now - this.nextRetryCheck >= 0) {
			ListenerScripts.Claimed due = ListenerScripts.claimDue(connection, this.settings, this.name,
					this.settings.values().getBatchSize(), this.commandTimeout);
			Duration untilNext = (due.nextDue != null
					&& due.nextDue.compareTo(this.settings.values().getPollTimeout()) < 0) ? due.nextDue
							: this.settings.values().getPollTimeout();
			this.nextRetryCheck = now + untilNext.toNanos();
			if (!due.isEmpty()) {
				return new Batch(due.entries, due.deliveryCounts, due.lost, this.name, null);
			}
		}
		if (this.drainingPending) {
			List<StreamMessage<String, byte[]>> messages = await(connection,
					connection.streams()
						.xreadgroup(this.consumer, XReadArgs.Builder.count(this.settings.values().getBatchSize()),
								StreamOffset.from(this.settings.stream(), this.pendingCursor)),
					this.commandTimeout);
			advancePendingCursor(messages);
			return (messages == null || messages.isEmpty()) ? Batch.EMPTY : new Batch(entries(messages),
					deliveryCounts(connection, messages), Collections.emptyList(), this.name, null);
		}
		long blockMillis = Math.min(this.settings.values().getPollTimeout().toMillis(),
				TimeUnit.NANOSECONDS.toMillis(this.nextRetryCheck - System.nanoTime()));
		XReadArgs args = (blockMillis > 0)
				? XReadArgs.Builder.block(blockMillis).count(this.settings.values().getBatchSize())
				: XReadArgs.Builder.count(this.settings.values().getBatchSize());
		List<StreamMessage<String, byte[]>> messages = await(connection,
				connection.streams().xreadgroup(this.consumer, args, StreamOffset.lastConsumed(this.settings.stream())),
				Duration.ofMillis(Math.max(blockMillis, 0)).plus(this.commandTimeout));
		return (messages == null || messages.isEmpty()) ? Batch.EMPTY
				: new Batch(entries(messages), Collections.emptyMap(), Collections.emptyList(), this.name, null);
	}

	private List<StreamEntry> entries(List<StreamMessage<String, byte[]>> messages) {
		List<StreamEntry> entries = new ArrayList<>(messages.size());
		for (StreamMessage<String, byte[]> message : messages) {
			Map<String, byte[]> body = message.getBody();
			entries.add(new StreamEntry(message.getId(), this.settings.stream(),
					(body != null) ? body : Collections.emptyMap()));
		}
		return entries;
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
			this.groupReady = true;
		}
		return current;
	}

	private void restartPendingDrain() {
		this.drainingPending = true;
		this.pendingCursor = "0";
	}

	private void advancePendingCursor(@Nullable List<StreamMessage<String, byte[]>> messages) {
		if (messages == null || messages.isEmpty()) {
			this.drainingPending = false;
			this.pendingCursor = "0";
		}
		else {
			this.pendingCursor = messages.get(messages.size() - 1).getId();
		}
	}

	private Map<String, Long> deliveryCounts(StreamConnection connection, List<StreamMessage<String, byte[]>> messages)
			throws Exception {
		String first = messages.get(0).getId();
		String last = messages.get(messages.size() - 1).getId();
		List<PendingMessage> pending = await(connection, connection.streams()
			.xpending(this.settings.stream(), this.consumer, Range.create(first, last), Limit.from(messages.size())),
				this.commandTimeout);
		Map<String, Long> counts = new HashMap<>();
		for (PendingMessage message : pending) {
			counts.put(message.getId(), message.getRedeliveryCount());
		}
		return counts;
	}

	private void completePark(StreamConnection connection, RedisFuture<List<Object>> park,
			List<RetryParking.Request> parks) {
		try {
			List<Object> reply = await(connection, park, this.commandTimeout);
			long parked = (!reply.isEmpty() && reply.get(0) instanceof Number number) ? number.longValue() : 0;
			for (long i = 0; i < parked; i++) {
				this.metrics.retryScheduled(this.settings.container());
			}
		}
		catch (Exception ex) {
			// still pending under this consumer: the reclaimer delivers them again
			logger.warn("Listener '" + this.settings.listenerId() + "' could not schedule the retry of " + parks.size()
					+ " entr(ies) (" + unwrap(ex) + "); they stay pending and are reclaimed after "
					+ this.settings.values().getMinIdleTime().toMillis() + " ms (redis.streams.reclaim.min-idle-time)");
		}
	}

	private void completeAck(StreamConnection connection, RedisFuture<Long> ack, List<String> ids) throws Exception {
		try {
			Long acknowledged = await(connection, ack, this.commandTimeout);
			if (acknowledged != null && acknowledged < ids.size()) {
				this.metrics.acknowledgementsLost(this.settings.container(), ids.size() - acknowledged);
				if (logger.isDebugEnabled()) {
					logger.debug("Listener '" + this.settings.listenerId() + "': " + (ids.size() - acknowledged)
							+ " of " + ids.size() + " acknowledged entries were no longer pending");
				}
			}
		}
		catch (Exception ex) {
			this.acks.restore(ids);
			throw ex;
		}
	}

	private void dispatch(Batch batch) {
		StreamConnection connection = this.connection;
		if (batch.isEmpty() || connection == null) {
			return;
		}
		for (String id : batch.lost()) {
			this.processor.payloadLost(id, 0, batch.owner(), this.parking, this.acks);
		}
		HeldEntries handedHeld = batch.held();
		this.held = (handedHeld != null) ? handedHeld
				: new HeldEntries(this.name, batch.entries().stream().map(StreamEntry::getId).toList());
		try {
			for (StreamEntry entry : batch.entries()) {
				if (!this.running) {
					return;
				}
				long attempt = batch.deliveryCounts().getOrDefault(entry.getId(), 1L);
				Duration retryDue = this.processor.process(entry, attempt, batch.owner(), this.parking, this.acks);
				if (retryDue != null) {
					long due = System.nanoTime() + retryDue.toNanos();
					if (due - this.nextRetryCheck < 0) {
						this.nextRetryCheck = due;
					}
				}
			}
		}
		finally {
			this.held = null;
		}
	}

	private void onFailure(Throwable failure) {
		Throwable ex = unwrap(failure);
		boolean missingGroup = isMissingGroup(ex);
		if (missingGroup) {
			this.groupReady = false;
			restartPendingDrain();
		}
		else {
			closeConnection();
		}
		boolean first = (this.backOff == null);
		if (first) {
			this.backOff = this.settings.values().getRecoveryBackOff().start();
			this.failingSince = System.nanoTime();
			this.failedAttempts = 0;
		}
		this.failedAttempts++;
		long delay = Objects.requireNonNull(this.backOff, "backOff").nextBackOff();
		if (delay == BackOffExecution.STOP) {
			this.backOff = this.settings.values().getRecoveryBackOff().start();
			delay = this.backOff.nextBackOff();
		}
		String description = missingGroup
				? "consumer group '" + this.settings.group() + "' of stream '" + this.settings.stream() + "' is missing"
				: "reading stream '" + this.settings.stream() + "' failed";
		this.episodes.failed(this.name, first, description, ex, Duration.ofMillis(delay));
		sleep(delay);
	}

	private void endFailureEpisode() {
		if (this.backOff != null) {
			this.backOff = null;
			this.episodes.recovered(this.name, this.failedAttempts,
					Duration.ofNanos(System.nanoTime() - this.failingSince));
		}
	}

	private void abandonFailureEpisode() {
		if (this.backOff != null) {
			this.backOff = null;
			this.episodes.abandoned();
		}
	}

	private void sleep(long millis) {
		if (millis <= 0) {
			return;
		}
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
		synchronized (this.sleepMonitor) {
			long remaining;
			while (this.running && (remaining = deadline - System.nanoTime()) > 0) {
				try {
					TimeUnit.NANOSECONDS.timedWait(this.sleepMonitor, remaining);
				}
				catch (InterruptedException ex) {
					// not a request to stop (see run()): the flag is cleared, the wait
					// goes on
				}
			}
		}
	}

	private void flushAcksOnExit() {
		StreamConnection current = this.connection;
		List<RetryParking.Request> parks = this.parking.drain();
		if (!parks.isEmpty() && current != null && current.isOpen()) {
			completePark(current, ListenerScripts.parkRequests(current, this.settings, parks), parks);
		}
		if (this.acks.isEmpty() || current == null || !current.isOpen()) {
			warnUnflushedAcks();
			return;
		}
		List<String> ids = this.acks.drain();
		try {
			await(current,
					current.streams().xack(this.settings.stream(), this.settings.group(), ids.toArray(String[]::new)),
					this.commandTimeout);
		}
		catch (Exception ex) {
			this.acks.restore(ids);
			warnUnflushedAcks();
		}
	}

	private void warnUnflushedAcks() {
		if (!this.acks.isEmpty()) {
			List<String> lost = this.acks.drain();
			logger.warn("Listener '" + this.settings.listenerId() + "' consumer '" + this.name + "' could not send "
					+ lost.size() + " acknowledgement(s) before stopping; those entries stay pending and will be "
					+ "delivered again");
		}
	}

	private void closeConnection() {
		StreamConnection current = this.connection;
		this.connection = null;
		this.clientId = -1;
		if (current != null) {
			current.close();
		}
	}

	/**
	 * Wait for a reply, in slices, so that a connection that dropped is noticed at once
	 * instead of after the command timeout (Lettuce would otherwise keep the command for
	 * replay after a reconnect).
	 */
	private static <T> T await(StreamConnection connection, RedisFuture<T> future, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			long remaining = deadline - System.nanoTime();
			try {
				return future.get(Math.min(remaining, AWAIT_SLICE_NANOS), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				if (!connection.isOpen()) {
					future.cancel(true);
					throw new RedisConnectionException("Connection to Redis lost while waiting for a reply");
				}
				if (remaining <= AWAIT_SLICE_NANOS) {
					future.cancel(true);
					throw new RedisCommandTimeoutException("No reply from Redis within " + timeout.toMillis() + " ms");
				}
			}
		}
	}

	private static Throwable unwrap(Throwable ex) {
		Throwable current = ex;
		while ((current instanceof ExecutionException || current instanceof CompletionException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	private static boolean isMissingGroup(Throwable ex) {
		if (!(ex instanceof RedisCommandExecutionException) || ex.getMessage() == null) {
			return false;
		}
		String message = ex.getMessage();
		return message.startsWith("NOGROUP") || message.startsWith("UNBLOCKED the stream key no longer exists");
	}

	/**
	 * Entries to process: read by this consumer, or handed over by the reclaimer.
	 *
	 * @param owner the consumer that owns the entries in the pending entries list
	 * @param held the held entries of a hand-over, refreshed while it waits
	 */
	private record Batch(List<StreamEntry> entries, Map<String, Long> deliveryCounts, List<String> lost, String owner,
			@Nullable HeldEntries held) {

		static final Batch EMPTY = new Batch(Collections.emptyList(), Collections.emptyMap(), Collections.emptyList(),
				"", null);

		boolean isEmpty() {
			return this.entries.isEmpty() && this.lost.isEmpty();
		}

	}

}
