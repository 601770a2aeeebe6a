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

package io.github.redisstreams.deadletter;

import java.util.List;

/**
 * Fields that a dead letter adds to the original entry's fields, and the field a redriven
 * entry gets. Together they are the {@link #RESERVED reserved names}: the only fields the
 * starter writes into entries, the only ones it removes when it redrives a dead letter,
 * and names that {@code StreamPublisher} refuses as headers. Every other field,
 * {@code x-} names included, belongs to the producer and is kept everywhere.
 *
 * @since 0.1.0
 */
public final class DeadLetterHeaders {

	/**
	 * The stream the message was read from.
	 */
	public static final String ORIGINAL_STREAM = "x-original-stream";

	/**
	 * The id of the original entry.
	 */
	public static final String ORIGINAL_ID = "x-original-id";

	/**
	 * The consumer group that failed to process it.
	 */
	public static final String GROUP = "x-group";

	/**
	 * The consumer that dead-lettered it.
	 */
	public static final String CONSUMER = "x-consumer";

	/**
	 * How often Redis delivered it.
	 */
	public static final String DELIVERY_COUNT = "x-delivery-count";

	/**
	 * Why it was dead-lettered, a {@link DeadLetterReason#getValue() reason value}.
	 */
	public static final String REASON = "x-reason";

	/**
	 * The class name of the last exception.
	 */
	public static final String EXCEPTION_CLASS = "x-exception-class";

	/**
	 * The message of the last exception, truncated by the default publisher to 1024
	 * characters.
	 */
	public static final String EXCEPTION_MESSAGE = "x-exception-message";

	/**
	 * The stack trace of the last exception, truncated by the default publisher to
	 * {@code redis.streams.dead-letter.max-stack-trace-length} characters.
	 */
	public static final String EXCEPTION_STACKTRACE = "x-exception-stacktrace";

	/**
	 * When it was dead-lettered, as ISO-8601 instant.
	 */
	public static final String FAILED_AT = "x-failed-at";

	/**
	 * The id of the dead letter that a redriven entry was made from.
	 * @since 0.2.0
	 */
	public static final String REDRIVEN_FROM = "x-redriven-from";

	/**
	 * Every field name the starter writes: the dead-letter fields and
	 * {@link #REDRIVEN_FROM}. A fixed list; a name not in it is the producer's.
	 * @since 0.2.0
	 */
	public static final List<String> RESERVED = List.of(ORIGINAL_STREAM, ORIGINAL_ID, GROUP, CONSUMER, DELIVERY_COUNT,
			REASON, EXCEPTION_CLASS, EXCEPTION_MESSAGE, EXCEPTION_STACKTRACE, FAILED_AT, REDRIVEN_FROM);

	/**
	 * Return whether a field name is one of the {@link #RESERVED reserved names}.
	 * @param name the field name
	 * @return whether the starter owns it
	 * @since 0.2.0
	 */
	public static boolean isReserved(String name) {
		return name.startsWith("x-") && RESERVED.contains(name);
	}

	private DeadLetterHeaders() {
	}

}
