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

import java.util.Map;

/**
 * Publishes objects to Redis Streams in the format that {@code @RedisListener} methods
 * read back without configuration: the object as JSON in the {@code payload} field and
 * each header as a field of its own, added with {@code XADD} and an id assigned by Redis.
 * The default, {@link RedisStreamPublisher}, is thread-safe; other implementations should
 * be too, as one bean serves the whole application. Redis failures surface as Spring's
 * {@code DataAccessException}s, serialization failures as Jackson's exceptions.
 *
 * @since 0.1.0
 */
public interface StreamPublisher {

	/**
	 * Publish an object ({@code XADD <stream> * payload <json>}).
	 * @param stream the stream key, not empty
	 * @param payload the object, serialized as JSON, not {@code null}
	 * @return the id Redis assigned to the entry
	 * @throws IllegalArgumentException if the stream is empty or the payload is
	 * {@code null}
	 * @see #publish(String, Object, Map)
	 */
	default String publish(String stream, Object payload) {
		return publish(stream, payload, Map.of());
	}

	/**
	 * Publish an object with headers.
	 * @param stream the stream key
	 * @param payload the object, serialized as JSON
	 * @param headers the headers, each stored as a field; none may be named
	 * {@code payload}, start with {@code redis_streams_} (the headers of delivered
	 * messages) or be one of the starter's reserved field names
	 * ({@code DeadLetterHeaders.RESERVED}, such as {@code x-reason}), or have a
	 * {@code null} value; other {@code x-} names are the application's and are kept
	 * through dead-lettering and redrive
	 * @return the id Redis assigned to the entry
	 * @throws IllegalArgumentException if the stream is empty, the payload or the headers
	 * are {@code null}, a header has a refused name or a {@code null} value (for the
	 * default implementation)
	 */
	String publish(String stream, Object payload, Map<String, String> headers);

	/**
	 * Publish a request: its payload and headers as {@link #publish(String, Object, Map)}
	 * writes them, to the request's stream or, for a partitioned stream, to the partition
	 * its partition key routes to (to a random partition without a key). This default
	 * ignores partitions: it publishes to the request's stream and refuses a partition
	 * key, an idempotency key and a delivery delay; {@link RedisStreamPublisher} routes,
	 * deduplicates and schedules.
	 * @param request the request
	 * @return the stream written to and the entry's id, or for a delayed message its
	 * schedule id (for {@link #cancel(String)})
	 * @throws IllegalArgumentException as {@link #publish(String, Object, Map)}
	 * @throws IllegalStateException if the request has no payload, or (for
	 * {@link RedisStreamPublisher}) has a partition key for a stream without known
	 * partitions
	 * @throws UnsupportedOperationException if the request has a partition key, an
	 * idempotency key or a delay and this implementation does not support it
	 * @since 0.4.0
	 */
	default PublishResult publish(PublishRequest request) {
		if (request.getPartitionKey() != null) {
			throw new UnsupportedOperationException(getClass().getName() + " does not route by partition key");
		}
		if (request.getIdempotencyKey() != null) {
			throw new UnsupportedOperationException(getClass().getName() + " does not publish idempotently");
		}
		if (request.isDelayed()) {
			throw new UnsupportedOperationException(getClass().getName() + " does not deliver later");
		}
		return new PublishResult(request.getStream(),
				publish(request.getStream(), request.getPayload(), request.getHeaders()), false);
	}

	/**
	 * Cancel a delayed message that has not been moved into its stream yet (whether or
	 * not it is due).
	 * @param scheduleId the id {@link #publish(PublishRequest)} returned for it
	 * @return {@code true} if it was scheduled and is now cancelled, {@code false} if it
	 * was delivered already, cancelled before, or is unknown
	 * @throws IllegalArgumentException if the id is not a schedule id
	 * @throws IllegalStateException (for {@link RedisStreamPublisher}) if the message
	 * kept changing while it was cancelled (Redis failures are Spring's
	 * {@code DataAccessException}s, as for every method here)
	 * @throws UnsupportedOperationException if this implementation does not deliver later
	 * (this default)
	 * @since 0.5.0
	 */
	default boolean cancel(String scheduleId) {
		throw new UnsupportedOperationException(getClass().getName() + " does not deliver later");
	}

}
