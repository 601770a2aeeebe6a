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

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * The default {@link DeadLetterPublisher}: adds the dead letter to the stream's
 * dead-letter stream (named by the {@link DeadLetterDestinationResolver}) and
 * acknowledges the original, in one Lua script ({@code EVAL}: {@code XPENDING} to check
 * that the original is still pending, {@code XADD}, then {@code XACK}). A crash can
 * therefore neither lose the message nor write it twice, and a message that is no longer
 * pending (another consumer already dead-lettered or processed it) is not written again.
 * <p>
 * The dead letter keeps the original fields verbatim and adds the
 * {@link DeadLetterHeaders} fields; exception message and stack trace are truncated. With
 * a maximum length, the oldest dead letters are trimmed away; every trimmed dead letter
 * is counted ({@link #getDroppedCount()}) and logged.
 * <p>
 * {@link #publish} throws an {@link IllegalStateException} if the resolver names an empty
 * key or the stream itself, and Spring's {@code DataAccessException} if Redis fails.
 * Thread-safe once configured; configure before use.
 *
 * @since 0.1.0
 */
public class RedisDeadLetterPublisher implements DeadLetterPublisher {

	private static final Log logger = LogFactory.getLog(RedisDeadLetterPublisher.class);

	/**
	 * Maximum length of the {@code x-exception-message} field, in characters.
	 */
	public static final int MAX_MESSAGE_LENGTH = 1024;

	/**
	 * Default maximum length of the {@code x-exception-stacktrace} field, in characters.
	 */
	public static final int DEFAULT_MAX_STACKTRACE_LENGTH = 8192;

	// KEYS[1] dead-letter stream, KEYS[2] stream; ARGV: group, id, reason, max length,
	// then field/value pairs
	private static final byte[] SCRIPT = """
			if ARGV[3] ~= 'payload-lost' then
				local pending = redis.call('XPENDING', KEYS[2], ARGV[1], ARGV[2], ARGV[2], 1)
				if #pending == 0 then
					return {0, false, 0}
				end
			end
			local id
			local dropped = 0
			local maxlen = tonumber(ARGV[4])
			if maxlen > 0 then
				local before = redis.call('XLEN', KEYS[1])
				id = redis.call('XADD', KEYS[1], 'MAXLEN', '=', maxlen, '*', unpack(ARGV, 5))
				dropped = before + 1 - redis.call('XLEN', KEYS[1])
			else
				id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 5))
			end
			redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
			return {1, id, dropped}
			""".getBytes(StandardCharsets.UTF_8);

	private final RedisConnectionFactory connectionFactory;

	private final AtomicLong dropped = new AtomicLong();

	private long maxLength;

	private DeadLetterDestinationResolver destinationResolver = DeadLetterDestinationResolver.DEFAULT;

	private int maxStackTraceLength = DEFAULT_MAX_STACKTRACE_LENGTH;

	/**
	 * Create a publisher.
	 * @param connectionFactory the connection factory
	 * @throws IllegalArgumentException if {@code connectionFactory} is {@code null}
	 */
	public RedisDeadLetterPublisher(RedisConnectionFactory connectionFactory) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		this.connectionFactory = connectionFactory;
	}

	/**
	 * Set what names the dead-letter stream of a stream. Default:
	 * {@link DeadLetterDestinationResolver#DEFAULT}.
	 * @param destinationResolver the resolver
	 * @throws IllegalArgumentException if {@code destinationResolver} is {@code null}
	 */
	public void setDestinationResolver(DeadLetterDestinationResolver destinationResolver) {
		Assert.notNull(destinationResolver, "'destinationResolver' must not be null");
		this.destinationResolver = destinationResolver;
	}

	/**
	 * Set the maximum length of every dead-letter stream; older dead letters are trimmed
	 * (exactly, {@code XADD ... MAXLEN =}) beyond it. Default: 0, no limit.
	 * @param maxLength the maximum number of entries, 0 for none
	 * @throws IllegalArgumentException if {@code maxLength} is negative
	 */
	public void setMaxLength(long maxLength) {
		Assert.isTrue(maxLength >= 0, "'maxLength' must not be negative");
		this.maxLength = maxLength;
	}

	/**
	 * Set the maximum length of the stored stack trace. Default:
	 * {@value #DEFAULT_MAX_STACKTRACE_LENGTH}.
	 * @param maxStackTraceLength the maximum number of characters, not negative
	 * @throws IllegalArgumentException if {@code maxStackTraceLength} is negative
	 */
	public void setMaxStackTraceLength(int maxStackTraceLength) {
		Assert.isTrue(maxStackTraceLength >= 0, "'maxStackTraceLength' must not be negative");
		this.maxStackTraceLength = maxStackTraceLength;
	}

	/**
	 * Return how many dead letters were trimmed away because a dead-letter stream reached
	 * its maximum length, since this publisher was created.
	 * @return the number of dropped dead letters
	 */
	public long getDroppedCount() {
		return this.dropped.get();
	}

	@Override
	public boolean acknowledgesOriginal() {
		return true;
	}

	@Override
	public void publish(DeadLetter deadLetter) {
		String stream = deadLetter.entry().getStream();
		String deadLetterStream = this.destinationResolver.resolve(stream);
		if (!StringUtils.hasText(deadLetterStream) || deadLetterStream.equals(stream)) {
			throw new IllegalStateException("The DeadLetterDestinationResolver named '" + deadLetterStream
					+ "' as the dead-letter stream of stream '" + stream + "'; it must be a key of its own");
		}
		List<byte[]> keysAndArgs = new ArrayList<>();
		keysAndArgs.add(bytes(deadLetterStream));
		keysAndArgs.add(bytes(stream));
		keysAndArgs.add(bytes(deadLetter.group()));
		keysAndArgs.add(bytes(deadLetter.entry().getId()));
		keysAndArgs.add(bytes(deadLetter.reason().getValue()));
		keysAndArgs.add(bytes(Long.toString(this.maxLength)));
		fields(deadLetter).forEach((name, value) -> {
			keysAndArgs.add(bytes(name));
			keysAndArgs.add(value);
		});
		List<?> result;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			result = connection.scriptingCommands()
				.eval(SCRIPT, ReturnType.MULTI, 2, keysAndArgs.toArray(byte[][]::new));
		}
		Assert.state(result != null && result.size() == 3, "Unexpected reply of the dead-letter script: " + result);
		long droppedNow = ((Number) result.get(2)).longValue();
		if (droppedNow > 0) {
			long total = this.dropped.addAndGet(droppedNow);
			logger.warn("Dead-letter stream '" + deadLetterStream + "' reached its maximum length of " + this.maxLength
					+ " (redis.streams.dead-letter.max-length): dropped " + droppedNow + " oldest dead letter(s), "
					+ total + " in all");
		}
		if (((Number) result.get(0)).longValue() == 0 && logger.isDebugEnabled()) {
			logger.debug("Entry " + deadLetter.entry().getId() + " of stream '" + stream
					+ "' is no longer pending in group '" + deadLetter.group() + "'; not dead-lettered again");
		}
	}

	private Map<String, byte[]> fields(DeadLetter deadLetter) {
		Map<String, byte[]> fields = new LinkedHashMap<>();
		deadLetter.entry().getFields().forEach((name, value) -> {
			if (!isDeadLetterField(name)) {
				fields.put(name, value);
			}
		});
		put(fields, DeadLetterHeaders.ORIGINAL_STREAM, deadLetter.entry().getStream());
		put(fields, DeadLetterHeaders.ORIGINAL_ID, deadLetter.entry().getId());
		put(fields, DeadLetterHeaders.GROUP, deadLetter.group());
		put(fields, DeadLetterHeaders.CONSUMER, deadLetter.consumer());
		put(fields, DeadLetterHeaders.DELIVERY_COUNT, Long.toString(deadLetter.deliveryCount()));
		put(fields, DeadLetterHeaders.REASON, deadLetter.reason().getValue());
		Throwable exception = deadLetter.exception();
		if (exception != null) {
			put(fields, DeadLetterHeaders.EXCEPTION_CLASS, exception.getClass().getName());
			put(fields, DeadLetterHeaders.EXCEPTION_MESSAGE,
					truncate((exception.getMessage() != null) ? exception.getMessage() : "", MAX_MESSAGE_LENGTH));
			put(fields, DeadLetterHeaders.EXCEPTION_STACKTRACE,
					truncate(stackTrace(exception), this.maxStackTraceLength));
		}
		put(fields, DeadLetterHeaders.FAILED_AT, deadLetter.failedAt().toString());
		return fields;
	}

	private static boolean isDeadLetterField(String name) {
		return name.equals(DeadLetterHeaders.ORIGINAL_STREAM) || name.equals(DeadLetterHeaders.ORIGINAL_ID)
				|| name.equals(DeadLetterHeaders.GROUP) || name.equals(DeadLetterHeaders.CONSUMER)
				|| name.equals(DeadLetterHeaders.DELIVERY_COUNT) || name.equals(DeadLetterHeaders.REASON)
				|| name.equals(DeadLetterHeaders.EXCEPTION_CLASS) || name.equals(DeadLetterHeaders.EXCEPTION_MESSAGE)
				|| name.equals(DeadLetterHeaders.EXCEPTION_STACKTRACE) || name.equals(DeadLetterHeaders.FAILED_AT);
	}

	private static void put(Map<String, byte[]> fields, String name, @Nullable String value) {
		fields.put(name, bytes((value != null) ? value : ""));
	}

	private static String stackTrace(Throwable exception) {
		StringWriter writer = new StringWriter();
		exception.printStackTrace(new PrintWriter(writer));
		return writer.toString();
	}

	static String truncate(String value, int maxLength) {
		if (value.length() <= maxLength) {
			return value;
		}
		String marker = "... [truncated]";
		if (maxLength < marker.length()) {
			return value.substring(0, maxLength);
		}
		return value.substring(0, maxLength - marker.length()) + marker;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
