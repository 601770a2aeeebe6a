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
import java.util.List;
import java.util.concurrent.Callable;

import io.lettuce.core.RedisFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.RedisRefusal;

/**
 * What a consumer sends with its next read: its retry parkings (one script) and its
 * acknowledgements (one multi-id {@code XACK}), sent without waiting so that they are
 * pipelined with the read, and completed after it. Used by the consumer's thread.
 */
final class Outbox {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final ContainerSettings settings;

	private final ListenerMetrics metrics;

	private final Duration commandTimeout;

	Outbox(ContainerSettings settings, ListenerMetrics metrics, Duration commandTimeout) {
		this.settings = settings;
		this.metrics = metrics;
		this.commandTimeout = commandTimeout;
	}

	/**
	 * Send what the buffers hold, draining them.
	 * @return what was sent, to complete after the read
	 */
	Sent send(StreamConnection connection, AckBuffer acks, RetryParking parking) {
		List<RetryParking.Request> parks = parking.drain();
		RedisFuture<List<Object>> park = parks.isEmpty() ? null : RetrySchedule.park(connection, this.settings, parks);
		List<String> ackIds = acks.drain();
		RedisFuture<?> ack = ackIds.isEmpty() ? null : Acknowledgements.send(connection, this.settings, ackIds, acks);
		return new Sent(connection, park, parks, ack, ackIds, acks);
	}

	/**
	 * Send what the buffers hold, pipelined with a read, then wait for the replies. A
	 * failed read is the failure thrown (acknowledgements that failed are back in the
	 * buffer). When only the replies failed, the batch read, now in the consumer's
	 * pending entries list, is reported to {@code lost} before the failure is thrown.
	 * @param read the read
	 * @param lost run when a batch with entries was read but cannot be returned
	 * @return the batch read
	 * @throws Exception when the read or the acknowledgements failed
	 */
	EntryBatch sendWith(StreamConnection connection, AckBuffer acks, RetryParking parking, Callable<EntryBatch> read,
			Runnable lost) throws Exception {
		Sent sent = send(connection, acks, parking);
		EntryBatch batch;
		try {
			batch = read.call();
		}
		catch (Exception ex) {
			sent.completeQuietly();
			throw ex;
		}
		try {
			sent.complete();
		}
		catch (Exception ex) {
			if (!batch.entries().isEmpty()) {
				lost.run();
			}
			throw ex;
		}
		return batch;
	}

	/**
	 * Parkings and acknowledgements in flight.
	 */
	final class Sent {

		private final StreamConnection connection;

		private final @Nullable RedisFuture<List<Object>> park;

		private final List<RetryParking.Request> parks;

		private final @Nullable RedisFuture<?> ack;

		private final List<String> ackIds;

		private final AckBuffer acks;

		private Sent(StreamConnection connection, @Nullable RedisFuture<List<Object>> park,
				List<RetryParking.Request> parks, @Nullable RedisFuture<?> ack, List<String> ackIds, AckBuffer acks) {
			this.connection = connection;
			this.park = park;
			this.parks = parks;
			this.ack = ack;
			this.ackIds = ackIds;
			this.acks = acks;
		}

		/**
		 * Wait for the replies. Parkings that failed stay pending under the consumer
		 * (logged); acknowledgements that failed go back to the buffer.
		 * @throws Exception if the acknowledgements failed, or an
		 * {@code InterruptedException} if a wait was interrupted (the parkings' outcome
		 * is then unknown)
		 */
		void complete() throws Exception {
			completePark();
			RedisFuture<?> ack = this.ack;
			if (ack == null) {
				if (Thread.interrupted()) {
					throw new InterruptedException("interrupted while waiting for the retry parkings");
				}
				return;
			}
			try {
				long acknowledged = Acknowledgements.count(this.connection.await(ack, Outbox.this.commandTimeout));
				this.acks.sent(this.ackIds);
				int sent = this.ackIds.size();
				if (acknowledged >= 0 && acknowledged < sent) {
					Outbox.this.metrics.acknowledgementsLost(Outbox.this.settings.container(), sent - acknowledged);
					if (logger.isDebugEnabled()) {
						logger.debug("Listener '" + Outbox.this.settings.listenerId() + "': " + (sent - acknowledged)
								+ " of " + sent + " acknowledged entries were no longer pending");
					}
				}
			}
			catch (Exception ex) {
				this.acks.restore(this.ackIds);
				throw ex;
			}
		}

		/**
		 * Wait for the replies, on stop: what failed stays in the buffers.
		 */
		void completeQuietly() {
			try {
				complete();
			}
			catch (Exception ex) {
				// the acknowledgements are back in the buffer: the consumer reports them
				if (ex instanceof InterruptedException) {
					// for the consumer's next wait, which reconnects
					Thread.currentThread().interrupt();
				}
			}
		}

		private void completePark() {
			RedisFuture<List<Object>> park = this.park;
			if (park == null) {
				return;
			}
			try {
				List<Object> reply = this.connection.await(park, Outbox.this.commandTimeout);
				long parked = (!reply.isEmpty() && reply.get(0) instanceof Number number) ? number.longValue() : 0;
				// retries that waited in memory were counted when they were kept
				parked -= this.parks.stream().filter(RetryParking.Request::counted).count();
				for (long i = 0; i < parked; i++) {
					Outbox.this.metrics.retryScheduled(Outbox.this.settings.container());
				}
			}
			catch (Exception ex) {
				if (ex instanceof InterruptedException) {
					// the script's outcome is unknown: the consumer reconnects and drains
					// its pending entries list, which holds them if it did not run; the
					// flag makes the acknowledgements' wait fail too, to be sent again
					Thread.currentThread().interrupt();
					return;
				}
				// still pending under this consumer: the reclaimer delivers them again
				Outbox.this.metrics.writeDeferred(Outbox.this.settings.container(), "retry-schedule",
						this.parks.size());
				logger.warn("Listener '" + Outbox.this.settings.listenerId() + "' could not schedule the retry of "
						+ this.parks.size() + " entr(ies) (" + RedisRefusal.describe(EntryReader.unwrap(ex))
						+ "); they stay pending and are reclaimed after "
						+ Outbox.this.settings.values().getMinIdleTime().toMillis()
						+ " ms (redis.streams.reclaim.min-idle-time)");
			}
		}

	}

}
