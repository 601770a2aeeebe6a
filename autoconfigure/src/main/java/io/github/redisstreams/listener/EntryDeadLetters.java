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
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.deadletter.DeadLetter;
import io.github.redisstreams.deadletter.DeadLetterPublisher;
import io.github.redisstreams.deadletter.DeadLetterReason;
import io.github.redisstreams.retry.ListenerRetryPolicy;
import io.github.redisstreams.support.RedisRefusal;
import io.github.redisstreams.support.StreamEntry;

/**
 * Dead-letters the entries of one listener that its {@link EntryProcessor} gives up on,
 * through the {@link DeadLetterPublisher}; when the publisher fails (Redis full or
 * refusing), the entry stays pending and is parked for another try after the back-off of
 * its delivery count, so that a poison entry does not spin. Called by consumer threads;
 * thread-safe.
 */
final class EntryDeadLetters {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final ContainerSettings settings;

	private final DeadLetterPublisher publisher;

	private final Instrumentation instrumentation;

	private final FailureLog failureLog;

	EntryDeadLetters(ContainerSettings settings, DeadLetterPublisher publisher, Instrumentation instrumentation) {
		this.settings = settings;
		this.publisher = publisher;
		this.instrumentation = instrumentation;
		this.failureLog = new FailureLog(settings.listenerId(), true);
	}

	private Duration deadLetterRetryDelay(long deliveryCount) {
		ListenerRetryPolicy policy = this.settings.values().getRetryPolicy();
		Duration delay = policy.backOff(Math.min(deliveryCount, Math.max(policy.getMaxRetries(), 1)));
		return (delay != null) ? delay : policy.getDelay();
	}

	/**
	 * Dead-letter an entry, or park it for another try when the dead-letter publisher
	 * fails.
	 */
	void deadLetter(StreamEntry entry, long deliveryCount, String consumer, DeadLetterReason reason,
			@Nullable Throwable ex, RetryParking parking, AckBuffer acks) {
		DeadLetter deadLetter = new DeadLetter(entry, this.settings.group(), consumer, deliveryCount, reason, ex,
				Instant.now());
		try {
			this.publisher.publish(deadLetter);
		}
		catch (Throwable publishFailure) {
			// Redis full or refusing, or the publisher's own fault (an Error too, as from
			// a handler): once per window at ERROR, tried again with the back-off of the
			// delivery count, so that a poison entry does not spin
			Duration delay = deadLetterRetryDelay(deliveryCount);
			this.failureLog.failed(() -> "Listener '" + this.settings.listenerId()
					+ "': the DeadLetterPublisher failed for entry " + entry.getId() + " of stream '"
					+ entry.getStream() + "' (" + reason.getValue() + ": " + RedisRefusal.describe(publishFailure)
					+ "); it stays pending and is tried again in " + delay.toMillis() + " ms", publishFailure);
			this.instrumentation.metrics().writeDeferred(this.settings.container(), "dead-letter", 1);
			if (reason != DeadLetterReason.PAYLOAD_LOST) {
				// with the attempts made: some may have been made in memory
				parking.add(entry.getId(), delay, consumer, deliveryCount);
			}
			return;
		}
		if (!this.publisher.acknowledgesOriginal()) {
			acks.add(entry.getId());
		}
		this.instrumentation.metrics().deadLettered(this.settings.container(), reason);
		logger
			.error("Listener '" + this.settings.listenerId() + "' dead-lettered entry " + entry.getId() + " of stream '"
					+ entry.getStream() + "' after " + deliveryCount + " delivery(ies): " + reason.getValue(), ex);
	}

}
