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

package io.github.redisstreams.observation;

import java.nio.charset.StandardCharsets;

import io.micrometer.observation.transport.ReceiverContext;

import io.github.redisstreams.support.StreamEntry;

/**
 * Context of a listener invocation. Trace context ({@code traceparent},
 * {@code tracestate}) is read from the entry's fields, so the invocation continues the
 * trace of the publisher. One context per invocation; not thread-safe.
 *
 * @since 0.1.0
 */
public class StreamReceiverContext extends ReceiverContext<StreamEntry> {

	/**
	 * Outcome of a successful invocation.
	 */
	public static final String SUCCESS = "success";

	/**
	 * Outcome of a failed invocation that is retried.
	 */
	public static final String RETRY = "retry";

	/**
	 * Outcome of a failed invocation whose message is dead-lettered.
	 */
	public static final String DEAD_LETTER = "dead-letter";

	/**
	 * Outcome of a failed invocation whose message the {@code StreamErrorHandler} left
	 * pending, to be reclaimed after {@code redis.streams.reclaim.min-idle-time}.
	 */
	public static final String LEFT_PENDING = "left-pending";

	private final StreamEntry entry;

	private final String group;

	private final String consumer;

	private final String listenerId;

	private final long deliveryAttempt;

	private String outcome = SUCCESS;

	/**
	 * Create a context.
	 * @param entry the entry
	 * @param group the consumer group
	 * @param consumer the consumer name
	 * @param listenerId the listener id
	 * @param deliveryAttempt the delivery attempt, starting at 1
	 */
	public StreamReceiverContext(StreamEntry entry, String group, String consumer, String listenerId,
			long deliveryAttempt) {
		super((carrier, key) -> {
			byte[] value = carrier.getFields().get(key);
			return (value != null) ? new String(value, StandardCharsets.UTF_8) : null;
		});
		setCarrier(entry);
		setRemoteServiceName("redis");
		this.entry = entry;
		this.group = group;
		this.consumer = consumer;
		this.listenerId = listenerId;
		this.deliveryAttempt = deliveryAttempt;
	}

	/**
	 * Return the entry being processed.
	 * @return the entry
	 */
	public StreamEntry getEntry() {
		return this.entry;
	}

	/**
	 * Return the consumer group.
	 * @return the group
	 */
	public String getGroup() {
		return this.group;
	}

	/**
	 * Return the name of the consumer that received the entry.
	 * @return the consumer name
	 */
	public String getConsumer() {
		return this.consumer;
	}

	/**
	 * Return the id of the listener.
	 * @return the listener id
	 */
	public String getListenerId() {
		return this.listenerId;
	}

	/**
	 * Return the delivery attempt as counted by Redis.
	 * @return the delivery attempt, starting at 1
	 */
	public long getDeliveryAttempt() {
		return this.deliveryAttempt;
	}

	/**
	 * Return the outcome.
	 * @return {@link #SUCCESS}, {@link #RETRY}, {@link #DEAD_LETTER} or
	 * {@link #LEFT_PENDING}
	 */
	public String getOutcome() {
		return this.outcome;
	}

	/**
	 * Set the outcome; the container sets it after a failed invocation, before the
	 * observation stops.
	 * @param outcome the outcome, one of the constants of this class
	 */
	public void setOutcome(String outcome) {
		this.outcome = outcome;
	}

}
