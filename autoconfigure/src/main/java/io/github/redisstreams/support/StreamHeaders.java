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

package io.github.redisstreams.support;

/**
 * Names of the entry fields and message headers that the starter reads and writes.
 * <p>
 * An entry published by {@code StreamPublisher} carries its JSON payload in the field
 * {@value #PAYLOAD}; every other field is a header under its own name, including fields
 * named {@code id} or {@code timestamp}, which spring-messaging otherwise reserves for a
 * generated message id and time. Framework metadata fields start with
 * {@value #FRAMEWORK_FIELD_PREFIX}. The {@code redis_streams_*} names are not stored in
 * Redis: they are headers of the {@link org.springframework.messaging.Message} handed to
 * a listener method and can be injected with
 * {@link org.springframework.messaging.handler.annotation.Header @Header}; the entry's
 * own id and time are {@value #ID} and {@value #TIMESTAMP}. Every header value is a
 * {@link String}; spring-messaging converts it to the parameter type.
 *
 * @since 0.1.0
 */
public final class StreamHeaders {

	/**
	 * Entry field that holds the JSON payload.
	 */
	public static final String PAYLOAD = "payload";

	/**
	 * Prefix of the entry fields that the starter itself writes.
	 */
	public static final String FRAMEWORK_FIELD_PREFIX = "x-";

	/**
	 * Prefix of the message headers that describe where a message came from.
	 */
	public static final String PREFIX = "redis_streams_";

	/**
	 * Message header holding the entry id, for example {@code 1700000000000-0}.
	 */
	public static final String ID = PREFIX + "id";

	/**
	 * Message header holding the time at which Redis added the entry, in milliseconds
	 * since the epoch: the first part of the entry id, for example {@code 1700000000000}
	 * for the id {@code 1700000000000-0}.
	 * @since 0.2.0
	 */
	public static final String TIMESTAMP = PREFIX + "timestamp";

	/**
	 * Message header holding the stream key.
	 */
	public static final String STREAM = PREFIX + "stream";

	/**
	 * Message header holding the consumer group.
	 */
	public static final String GROUP = PREFIX + "group";

	/**
	 * Message header holding the consumer name.
	 */
	public static final String CONSUMER = PREFIX + "consumer";

	/**
	 * Message header holding the delivery attempt (1 for the first delivery), as counted
	 * by Redis.
	 */
	public static final String DELIVERY_ATTEMPT = PREFIX + "deliveryAttempt";

	/**
	 * Message header holding the id of the listener that received the message.
	 */
	public static final String LISTENER_ID = PREFIX + "listenerId";

	private StreamHeaders() {
	}

}
