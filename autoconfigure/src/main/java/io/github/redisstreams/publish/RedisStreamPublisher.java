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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.deadletter.DeadLetterHeaders;
import io.github.redisstreams.observation.DefaultStreamPublishObservationConvention;
import io.github.redisstreams.observation.RedisStreamsObservation;
import io.github.redisstreams.observation.StreamPublishObservationConvention;
import io.github.redisstreams.observation.StreamSenderContext;
import io.github.redisstreams.support.StreamHeaders;
import io.github.redisstreams.support.StreamKeys;

import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * The default {@link StreamPublisher}: {@code XADD} through a
 * {@link StringRedisTemplate}, with the payload serialized by the application's
 * {@link JsonMapper}.
 * <p>
 * {@link #publish(String, Object, Map)} throws an {@link IllegalStateException} when
 * called inside a pipeline or a transaction, where {@code XADD} returns no id.
 * Thread-safe once configured; configure before use.
 *
 * @since 0.1.0
 */
public class RedisStreamPublisher implements StreamPublisher {

	private final StringRedisTemplate redisTemplate;

	private final JsonMapper jsonMapper;

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private @Nullable StreamPublishObservationConvention observationConvention;

	private ToIntFunction<String> partitions = (stream) -> 0;

	private IdempotentPublishing idempotency = new IdempotentPublishing(null, Duration.ofHours(24), () -> false);

	private final DelayedDelivery delayed = new DelayedDelivery();

	/**
	 * Create a publisher.
	 * @param redisTemplate the template that sends {@code XADD}
	 * @param jsonMapper the mapper that serializes payloads
	 * @throws IllegalArgumentException if an argument is {@code null}
	 */
	public RedisStreamPublisher(StringRedisTemplate redisTemplate, JsonMapper jsonMapper) {
		Assert.notNull(redisTemplate, "'redisTemplate' must not be null");
		Assert.notNull(jsonMapper, "'jsonMapper' must not be null");
		this.redisTemplate = redisTemplate;
		this.jsonMapper = jsonMapper;
	}

	/**
	 * Set the registry that observes every publish (the timer
	 * {@code redis.streams.publish}; with tracing, a span whose context is written into
	 * the entry as {@code traceparent} and {@code tracestate}). Default: none.
	 * @param observationRegistry the observation registry
	 * @throws IllegalArgumentException if {@code observationRegistry} is {@code null}
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		Assert.notNull(observationRegistry, "'observationRegistry' must not be null");
		this.observationRegistry = observationRegistry;
	}

	/**
	 * Set a custom convention for the publish observation.
	 * @param observationConvention the convention, or {@code null} for the default
	 */
	public void setObservationConvention(@Nullable StreamPublishObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	/**
	 * Set how many partitions each stream has: {@code 0} for a plain stream, else
	 * {@code n} for the streams {@code <stream>:{0}} to {@code <stream>:{n-1}}. The
	 * auto-configuration takes them from
	 * {@code redis.streams.publish.partitions.<stream>} and from the application's own
	 * partitioned listeners. Default: every stream is plain.
	 * @param partitions the number of partitions of a stream; called on every publish,
	 * from any thread
	 * @throws IllegalArgumentException if {@code partitions} is {@code null}
	 * @since 0.4.0
	 */
	public void setPartitions(ToIntFunction<String> partitions) {
		Assert.notNull(partitions, "'partitions' must not be null");
		this.partitions = partitions;
	}

	/**
	 * Set how requests with an {@link PublishRequest#idempotencyKey(String) idempotency
	 * key} are published at most once. Default: no producer id (such requests are
	 * refused), a window of 24 hours, marker keys.
	 * @param producerId what makes a key unique: the application's name
	 * ({@code spring.application.name}), the same in all its instances; on Redis 8.6+ the
	 * {@code IDMP} producer id
	 * @param window how long a key is remembered, at least 1 second. The server's
	 * {@code IDMP} (Redis 8.6+) remembers a key for at most 24 hours and the last 10,000
	 * keys per stream and producer; the marker keys
	 * ({@code {stream}:published:<n>:<producer>:<key>}, expiring after the window) have
	 * no such limits
	 * @param serverIdempotency whether to use {@code XADD ... IDMP}: asked before each
	 * such publish (for example whether the server documents it); {@code () -> false} for
	 * marker keys everywhere
	 * @throws IllegalArgumentException if the window is shorter than 1 second, or an
	 * argument is {@code null} (but the producer id)
	 * @since 0.5.0
	 */
	public void setIdempotency(@Nullable String producerId, Duration window, BooleanSupplier serverIdempotency) {
		Assert.notNull(window, "'window' must not be null");
		Assert.isTrue(window.compareTo(Duration.ofSeconds(1)) >= 0,
				() -> "redis.streams.publish.idempotency-window must be at least 1s, was " + window);
		Assert.notNull(serverIdempotency, "'serverIdempotency' must not be null");
		this.idempotency = new IdempotentPublishing(producerId, window, serverIdempotency);
	}

	/**
	 * Publish an object with headers; to a random partition where the stream is
	 * partitioned (see {@link #setPartitions(ToIntFunction)}).
	 */
	@Override
	public String publish(String stream, Object payload, Map<String, String> headers) {
		return send(route(stream, null), payload, headers);
	}

	/**
	 * Publish a request; where the stream is partitioned, to the partition of its
	 * partition key ({@link StreamKeys#partitionOf(String, int)}), or to a random one
	 * without a key. With an idempotency key, at most once per key within the window (see
	 * {@link #setIdempotency(String, Duration, BooleanSupplier)}); without a partition
	 * key, the idempotency key chooses the partition. A delayed request is scheduled (see
	 * {@link PublishRequest#deliverAfter(Duration)}); with an idempotency key, its key is
	 * recorded with a marker key on every server, since {@code XADD ... IDMP} can only
	 * record it when the entry is added.
	 * @throws IllegalStateException if the request has a partition key and the stream has
	 * no partitions this publisher knows of, or has an idempotency key and no producer id
	 * is set
	 * @throws IllegalArgumentException if a delayed request or one with an idempotency
	 * key has more than 3,500 fields (Lua's limit on a script's arguments)
	 */
	@Override
	public PublishResult publish(PublishRequest request) {
		String key = request.getIdempotencyKey();
		String routingKey = request.getPartitionKey();
		if (routingKey == null && key != null && this.partitions.applyAsInt(request.getStream()) > 0) {
			routingKey = key;
		}
		String target = route(request.getStream(), routingKey);
		Instant due = request.getDueTime(Instant.now());
		if (due != null) {
			Map<String, String> fields = fields(request.getPayload(), request.getHeaders());
			String marker = (key != null) ? this.idempotency.marker(target, key) : null;
			return observe(target, fields, () -> this.delayed.schedule(this.redisTemplate, target, due, fields, marker,
					this.idempotency.window()));
		}
		if (key == null) {
			return new PublishResult(target, send(target, request.getPayload(), request.getHeaders()), false);
		}
		Map<String, String> fields = fields(request.getPayload(), request.getHeaders());
		return observe(target, fields, () -> this.idempotency.publish(this.redisTemplate, target, key, fields));
	}

	/**
	 * Cancel a delayed message that is not due yet: it is never delivered, and its
	 * idempotency key, if any, is free again. One script ({@code delayed-cancel.lua}) in
	 * the stream's hash slot, so a cancel and a mover never both succeed.
	 * @return {@code true} if the message was scheduled and is now cancelled;
	 * {@code false} if it was moved into its stream already, cancelled before, or is
	 * unknown
	 * @throws IllegalArgumentException if the id is not a schedule id
	 * @since 0.5.0
	 */
	@Override
	public boolean cancel(String scheduleId) {
		return this.delayed.cancel(this.redisTemplate, scheduleId);
	}

	private String route(String stream, @Nullable String partitionKey) {
		Assert.isTrue(StringUtils.hasText(stream), "'stream' must not be empty");
		int count = this.partitions.applyAsInt(stream);
		if (count <= 0) {
			if (partitionKey != null) {
				throw new IllegalStateException("A partition key was given for stream '" + stream
						+ "', which has no partitions this application knows of, so the message would go to '" + stream
						+ "' itself, where no partitioned listener reads: set " + "redis.streams.publish.partitions["
						+ stream + "] to the listeners' number of partitions, " + "or publish without a partition key");
			}
			return stream;
		}
		int partition = (partitionKey != null) ? StreamKeys.partitionOf(partitionKey, count)
				: ThreadLocalRandom.current().nextInt(count);
		return StreamKeys.partition(stream, partition);
	}

	private String send(String stream, Object payload, Map<String, String> headers) {
		Map<String, String> fields = fields(payload, headers);
		return observe(stream, fields, () -> {
			RecordId id = this.redisTemplate.opsForStream().add(StreamRecords.newRecord().in(stream).ofMap(fields));
			Assert.state(id != null, "XADD returned no id (was it sent inside a pipeline or transaction?)");
			return id.getValue();
		});
	}

	/**
	 * Observe a publish; the observation writes the trace context into the fields first.
	 */
	private <T> T observe(String stream, Map<String, String> fields, Supplier<T> publish) {
		StreamSenderContext context = new StreamSenderContext(stream, fields);
		return RedisStreamsObservation.PUBLISH
			.observation(this.observationConvention, DefaultStreamPublishObservationConvention.INSTANCE, () -> context,
					this.observationRegistry)
			.observe(publish);
	}

	private Map<String, String> fields(Object payload, Map<String, String> headers) {
		Assert.notNull(payload, "'payload' must not be null");
		Assert.notNull(headers, "'headers' must not be null");
		Map<String, String> fields = new LinkedHashMap<>(headers.size() * 2 + 2);
		fields.put(StreamHeaders.PAYLOAD, this.jsonMapper.writeValueAsString(payload));
		headers.forEach((name, value) -> {
			Assert.isTrue(!StreamHeaders.PAYLOAD.equals(name),
					"A header must not be named '" + StreamHeaders.PAYLOAD + "': that field holds the payload");
			Assert.isTrue(!name.startsWith(StreamHeaders.PREFIX),
					() -> "A header must not be named '" + name + "': names starting with '" + StreamHeaders.PREFIX
							+ "' are the headers the starter adds when it delivers a message");
			Assert.isTrue(!DeadLetterHeaders.isReserved(name), () -> "A header must not be named '" + name
					+ "': the starter writes that field itself (reserved names: " + DeadLetterHeaders.RESERVED + ")");
			Assert.notNull(value, () -> "Header '" + name + "' must not be null");
			fields.put(name, value);
		});
		return fields;
	}

}
