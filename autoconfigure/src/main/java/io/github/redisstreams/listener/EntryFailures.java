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

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.deadletter.DeadLetterReason;
import io.github.redisstreams.retry.FailedDelivery;
import io.github.redisstreams.retry.StreamErrorHandler;
import io.github.redisstreams.retry.StreamErrorHandler.Action;
import io.github.redisstreams.retry.StreamErrorHandler.Decision;
import io.github.redisstreams.support.StreamEntry;

/**
 * What happens to an entry whose handler failed: asks the listener's
 * {@link StreamErrorHandler} for a decision (a handler that fails or returns {@code null}
 * leaves the entry pending), then carries it out: dead-letters the entry, keeps it for
 * its retry ({@link RetryParking}), or leaves it pending, logging the retried failures
 * through a {@link FailureLog}. Also holds the delivery limit the error handler gives,
 * fixed for the container's life. Used by the consumers' threads; the error handler must
 * be thread-safe.
 */
final class EntryFailures {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final ContainerSettings settings;

	private final StreamErrorHandler errorHandler;

	private final EntryDeadLetters deadLetters;

	private final ListenerMetrics metrics;

	private final FailureLog failureLog;

	private final long deliveryLimit;

	EntryFailures(ContainerSettings settings, StreamErrorHandler errorHandler, EntryDeadLetters deadLetters,
			ListenerMetrics metrics) {
		this.settings = settings;
		this.errorHandler = errorHandler;
		this.deadLetters = deadLetters;
		this.metrics = metrics;
		this.failureLog = new FailureLog(settings.listenerId());
		this.deliveryLimit = deliveryLimit(settings, errorHandler);
	}

	/**
	 * Return the highest delivery count the listener is invoked for
	 * ({@link StreamErrorHandler#deliveryLimit}, at least 1; {@code max-retries + 1} if
	 * the error handler failed to give one).
	 * @return the delivery limit
	 */
	long deliveryLimit() {
		return this.deliveryLimit;
	}

	/**
	 * Ask the error handler what to do with a failed entry.
	 * @return the decision; leave it pending if the error handler failed or returned
	 * {@code null}
	 */
	Decision decide(StreamEntry entry, long deliveryCount, Throwable ex) {
		FailedDelivery failure = new FailedDelivery(this.settings.listenerId(), this.settings.group(), entry, ex,
				deliveryCount, this.settings.values().getRetryPolicy());
		try {
			Decision decision = this.errorHandler.handle(failure);
			if (decision != null) {
				return decision;
			}
			logger.error("Listener '" + this.settings.listenerId()
					+ "': the StreamErrorHandler returned null for entry " + entry.getId() + "; it stays pending");
		}
		catch (Throwable handlerFailure) {
			// an Error too (a StackOverflowError), as from a handler: it must not end
			// the consumer
			logger.error("Listener '" + this.settings.listenerId() + "': the StreamErrorHandler failed for entry "
					+ entry.getId() + "; it stays pending", handlerFailure);
		}
		return Decision.leavePending();
	}

	/**
	 * Carry out a decision.
	 * @param acknowledged whether the handler acknowledged the entry (manual
	 * acknowledgement) before it threw
	 * @return the delay after which a retry parked in Redis is due, or {@code null} when
	 * none was parked there
	 */
	@Nullable Duration carryOut(StreamEntry entry, long deliveryCount, String consumer, Throwable ex, Decision decision,
			RetryParking parking, AckBuffer acks, boolean acknowledged) {
		if (decision.action() == Action.DEAD_LETTER) {
			DeadLetterReason reason = decision.reason();
			this.deadLetters.deadLetter(entry, deliveryCount, consumer,
					(reason != null) ? reason : DeadLetterReason.NOT_RETRYABLE, ex, parking, acks);
			return null;
		}
		Duration delay = decision.retryDelay();
		if (delay == null) {
			this.failureLog.failed(() -> "Listener '" + this.settings.listenerId() + "' failed to process entry "
					+ entry.getId() + " of stream '" + entry.getStream() + "' (delivery " + deliveryCount + "): " + ex
					+ "; the StreamErrorHandler left it pending: it is reclaimed after "
					+ this.settings.values().getMinIdleTime().toMillis() + " ms (redis.streams.reclaim.min-idle-time)",
					ex);
			return null;
		}
		long delayMillis = delay.toMillis();
		this.failureLog.failed(() -> "Listener '" + this.settings.listenerId() + "' failed to process entry "
				+ entry.getId() + " of stream '" + entry.getStream() + "' (delivery " + deliveryCount + "): " + ex
				+ "; retrying in " + delayMillis + " ms", ex);
		if (acknowledged) {
			// acknowledged before it threw: parked; the acknowledgement that follows
			// takes it out of the pending list, and the due claim skips it
			parking.add(entry.getId(), delay, consumer, deliveryCount);
			return delay;
		}
		if (parking.retry(entry, deliveryCount, delay, consumer)) {
			// parked entries are counted when Redis confirms the parking; a retry kept in
			// memory sends nothing to Redis (the reader blocks no longer than until it
			// is due)
			this.metrics.retryScheduled(this.settings.container());
			return null;
		}
		return delay;
	}

	private static long deliveryLimit(ContainerSettings settings, StreamErrorHandler errorHandler) {
		try {
			return Math.max(1, errorHandler.deliveryLimit(settings.values().getRetryPolicy()));
		}
		catch (RuntimeException ex) {
			logger.error("Listener '" + settings.listenerId()
					+ "': the StreamErrorHandler failed to give a delivery limit; using max-retries + 1", ex);
			return settings.values().getRetryPolicy().getMaxRetries() + 1;
		}
	}

}
