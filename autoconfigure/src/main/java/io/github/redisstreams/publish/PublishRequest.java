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

package io.github.redisstreams.publish;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * What to publish: the stream, the payload, headers and, for a partitioned stream, the
 * partition key; optionally an idempotency key and a delivery delay. Immutable and
 * thread-safe: each method returns a new request.
 *
 * <pre class="code">
 * streamPublisher.publish(PublishRequest.to("orders").payload(order).header("tenant", "acme")
 *     .partitionKey(order.customerId()));
 * streamPublisher.publish(PublishRequest.to("reminders").payload(reminder)
 *     .deliverAfter(Duration.ofMinutes(30)));
 * </pre>
 *
 * @since 0.4.0
 * @see StreamPublisher#publish(PublishRequest)
 */
public final class PublishRequest {

	/**
	 * 2^53 ms after the epoch: the last time a sorted-set score (a double) holds exactly.
	 */
	static final Instant MAX_DUE_TIME = Instant.ofEpochMilli(1L << 53);

	private final String stream;

	private final @Nullable Object payload;

	private final Map<String, String> headers;

	private final @Nullable String partitionKey;

	private final @Nullable String idempotencyKey;

	private final @Nullable Duration deliverAfter;

	private final @Nullable Instant deliverAt;

	private PublishRequest(String stream, @Nullable Object payload, Map<String, String> headers,
			@Nullable String partitionKey, @Nullable String idempotencyKey, @Nullable Duration deliverAfter,
			@Nullable Instant deliverAt) {
		this.stream = stream;
		this.payload = payload;
		this.headers = headers;
		this.partitionKey = partitionKey;
		this.idempotencyKey = idempotencyKey;
		this.deliverAfter = deliverAfter;
		this.deliverAt = deliverAt;
	}

	/**
	 * Start a request to a stream.
	 * @param stream the stream key; for a partitioned stream its name ({@code orders}),
	 * not a partition's key
	 * @return a request without payload
	 * @throws IllegalArgumentException if the stream is empty
	 */
	public static PublishRequest to(String stream) {
		Assert.isTrue(StringUtils.hasText(stream), "'stream' must not be empty");
		return new PublishRequest(stream, null, Map.of(), null, null, null, null);
	}

	/**
	 * Set the payload, serialized as JSON into the {@code payload} field.
	 * @param payload the payload, not {@code null}
	 * @return a new request
	 * @throws IllegalArgumentException if the payload is {@code null}
	 */
	public PublishRequest payload(Object payload) {
		Assert.notNull(payload, "'payload' must not be null");
		return new PublishRequest(this.stream, payload, this.headers, this.partitionKey, this.idempotencyKey,
				this.deliverAfter, this.deliverAt);
	}

	/**
	 * Add a header, stored as a field of its own (see
	 * {@link StreamPublisher#publish(String, Object, Map)} for the refused names).
	 * @param name the header name
	 * @param value the header value, not {@code null}
	 * @return a new request
	 * @throws IllegalArgumentException if the name is empty or the value {@code null}
	 */
	public PublishRequest header(String name, String value) {
		Assert.isTrue(StringUtils.hasText(name), "A header name must not be empty");
		Assert.notNull(value, () -> "Header '" + name + "' must not be null");
		Map<String, String> headers = new LinkedHashMap<>(this.headers);
		headers.put(name, value);
		return new PublishRequest(this.stream, this.payload, Collections.unmodifiableMap(headers), this.partitionKey,
				this.idempotencyKey, this.deliverAfter, this.deliverAt);
	}

	/**
	 * Add headers.
	 * @param headers the headers
	 * @return a new request
	 * @throws IllegalArgumentException if a name is empty or a value {@code null}
	 */
	public PublishRequest headers(Map<String, String> headers) {
		Assert.notNull(headers, "'headers' must not be null");
		PublishRequest request = this;
		for (Map.Entry<String, String> header : headers.entrySet()) {
			request = request.header(header.getKey(), header.getValue());
		}
		return request;
	}

	/**
	 * Set the partition key: on a partitioned stream, messages with the same key go to
	 * the same partition ({@code StreamKeys.partitionOf(key, partitions)}), so one
	 * consumer at a time handles them in publication order. A publisher refuses a key for
	 * a stream it knows no partitions of, as the message would go where no partitioned
	 * listener reads.
	 * @param partitionKey the partition key, not {@code null}
	 * @return a new request
	 * @throws IllegalArgumentException if the key is {@code null}
	 */
	public PublishRequest partitionKey(String partitionKey) {
		Assert.notNull(partitionKey, "'partitionKey' must not be null");
		return new PublishRequest(this.stream, this.payload, this.headers, partitionKey, this.idempotencyKey,
				this.deliverAfter, this.deliverAt);
	}

	/**
	 * Publish at most once per idempotency key within the window
	 * ({@code redis.streams.publish.idempotency-window}, default 24 hours): a request
	 * whose key was published already, by any instance of this application
	 * ({@code spring.application.name}), adds nothing and returns the first publication's
	 * entry id with {@link PublishResult#duplicate()} {@code true}. Use the business
	 * identity of the message (an order id, a payment id), so that a retried publish
	 * (after a timeout whose outcome is unknown) cannot add it twice. On a partitioned
	 * stream without a partition key, the idempotency key chooses the partition, so that
	 * a repeat goes where the first went.
	 * @param idempotencyKey the key, not empty
	 * @return a new request
	 * @throws IllegalArgumentException if {@code idempotencyKey} is empty
	 * @since 0.5.0
	 */
	public PublishRequest idempotencyKey(String idempotencyKey) {
		Assert.isTrue(StringUtils.hasText(idempotencyKey), "'idempotencyKey' must not be empty");
		return new PublishRequest(this.stream, this.payload, this.headers, this.partitionKey, idempotencyKey,
				this.deliverAfter, this.deliverAt);
	}

	/**
	 * Deliver the message after a delay, counted from the moment it is published: it is
	 * kept in Redis ({@code {stream}:delayed}, a sorted set of due times, and
	 * {@code {stream}:delayed:messages}, its fields, both in the stream's hash slot) and
	 * added to the stream when due by the mover that runs in every instance with the
	 * starter ({@code redis.streams.delayed.*}), at most one poll interval plus the
	 * mover's own work late, never early. {@link PublishResult#id()} is then the schedule
	 * id, which {@link StreamPublisher#cancel(String)} takes. Replaces an earlier
	 * {@link #deliverAt(Instant)}.
	 * @param delay the delay, zero or more ({@link Duration#ZERO}: at the mover's next
	 * poll); counted by the publisher's clock, rounded up to the millisecond, and capped
	 * at 2^53 ms after the epoch
	 * @return a new request
	 * @throws IllegalArgumentException if the delay is {@code null} or negative
	 * @since 0.5.0
	 */
	public PublishRequest deliverAfter(Duration delay) {
		Assert.notNull(delay, "'delay' must not be null");
		Assert.isTrue(!delay.isNegative(), () -> "'delay' must not be negative, was " + delay);
		return new PublishRequest(this.stream, this.payload, this.headers, this.partitionKey, this.idempotencyKey,
				delay, null);
	}

	/**
	 * Deliver the message at a point in time (see {@link #deliverAfter(Duration)}); a
	 * time in the past delivers it at the mover's next poll. The instances' clocks must
	 * agree (as NTP keeps them): the mover compares due times with its own clock.
	 * Replaces an earlier {@link #deliverAfter(Duration)}.
	 * @param time when to deliver the message
	 * @return a new request
	 * @throws IllegalArgumentException if the time is {@code null}, before the epoch, or
	 * not before 2^53 ms after the epoch (the year 287,396: beyond the milliseconds a
	 * sorted-set score holds exactly)
	 * @since 0.5.0
	 */
	public PublishRequest deliverAt(Instant time) {
		Assert.notNull(time, "'time' must not be null");
		Assert.isTrue(!time.isBefore(Instant.EPOCH) && time.isBefore(MAX_DUE_TIME),
				() -> "'time' must be between the epoch and " + MAX_DUE_TIME + ", was " + time);
		return new PublishRequest(this.stream, this.payload, this.headers, this.partitionKey, this.idempotencyKey, null,
				time);
	}

	/**
	 * Return when the message is due, given the time of its publication.
	 * @param now the time of publication
	 * @return the due time, or {@code null} for a message delivered at once
	 * @since 0.5.0
	 */
	public @Nullable Instant getDueTime(Instant now) {
		if (this.deliverAt != null) {
			return this.deliverAt;
		}
		if (this.deliverAfter != null) {
			Duration left = Duration.between(now, MAX_DUE_TIME);
			return (this.deliverAfter.compareTo(left) < 0) ? now.plus(this.deliverAfter) : MAX_DUE_TIME;
		}
		return null;
	}

	/**
	 * Return whether the message is to be delivered later.
	 * @return whether {@link #deliverAfter(Duration)} or {@link #deliverAt(Instant)} was
	 * set
	 * @since 0.5.0
	 */
	public boolean isDelayed() {
		return this.deliverAfter != null || this.deliverAt != null;
	}

	/**
	 * Return the stream.
	 * @return the stream key or partitioned stream's name
	 */
	public String getStream() {
		return this.stream;
	}

	/**
	 * Return the payload.
	 * @return the payload
	 * @throws IllegalStateException if none was set
	 */
	public Object getPayload() {
		Object payload = this.payload;
		Assert.state(payload != null, () -> "No payload: call payload(...) on the request to '" + this.stream + "'");
		return payload;
	}

	/**
	 * Return the headers.
	 * @return the headers, unmodifiable, in the order they were added
	 */
	public Map<String, String> getHeaders() {
		return this.headers;
	}

	/**
	 * Return the partition key.
	 * @return the partition key, or {@code null}
	 */
	public @Nullable String getPartitionKey() {
		return this.partitionKey;
	}

	/**
	 * Return the idempotency key.
	 * @return the key, or {@code null}
	 * @since 0.5.0
	 */
	public @Nullable String getIdempotencyKey() {
		return this.idempotencyKey;
	}

	@Override
	public String toString() {
		return "PublishRequest[stream=" + this.stream + ", headers=" + this.headers.keySet() + ", partitionKey="
				+ this.partitionKey + ", idempotencyKey=" + this.idempotencyKey
				+ ((this.deliverAt != null) ? ", deliverAt=" + this.deliverAt : "")
				+ ((this.deliverAfter != null) ? ", deliverAfter=" + this.deliverAfter : "") + "]";
	}

}
