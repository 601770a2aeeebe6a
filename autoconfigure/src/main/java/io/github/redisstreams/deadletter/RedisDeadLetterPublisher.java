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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.StreamEntry.Field;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.util.Assert;

/**
 * The default {@link DeadLetterPublisher}: adds the dead letter to the stream's
 * dead-letter stream (named by the {@link DeadLetterDestinationResolver}) and
 * acknowledges the original, atomically: one Lua script ({@code publish.lua}:
 * {@code XPENDING} to check that the original is still pending, {@code XADD}, then
 * {@code XACK}), or for an entry too wide for a script (more than about 3,500 fields: Lua
 * passes at most about 8,000 values to a command) a {@code WATCH}ed
 * {@code MULTI}/{@code EXEC} transaction. A crash can therefore neither lose the message
 * nor write it twice, and a message that is no longer pending (another consumer already
 * dead-lettered or processed it) is not written again.
 * <p>
 * The dead letter keeps the original field-value pairs verbatim (bytes, in order,
 * repeated names repeated, {@code x-} headers of the producer included) and adds the
 * {@link DeadLetterHeaders} fields; exception message and stack trace are truncated. A
 * dead-letter field that the original already had is replaced, so that a dead letter has
 * one reason. With a maximum length, the oldest dead letters are trimmed away; every
 * trimmed dead letter is counted ({@link #getDroppedCount()}) and logged.
 * <p>
 * {@link #publish} throws an {@link IllegalStateException} if the resolver names an empty
 * key or the stream itself, and Spring's {@code DataAccessException} if Redis fails.
 * Thread-safe once configured; configure before use.
 *
 * @since 0.1.0
 */
public class RedisDeadLetterPublisher implements DeadLetterPublisher {

	private static final Log logger = LogFactory.getLog(RedisDeadLetterPublisher.class);

	private static final List<byte[]> DEAD_LETTER_FIELDS = DeadLetterHeaders.RESERVED.stream()
		.filter((name) -> !name.equals(DeadLetterHeaders.REDRIVEN_FROM))
		.map(RedisDeadLetterPublisher::bytes)
		.toList();

	/**
	 * Maximum length of the {@code x-exception-message} field, in characters.
	 */
	public static final int MAX_MESSAGE_LENGTH = 1024;

	/**
	 * Default maximum length of the {@code x-exception-stacktrace} field, in characters.
	 */
	public static final int DEFAULT_MAX_STACKTRACE_LENGTH = 8192;

	/**
	 * How often a transaction that Redis aborted because of a concurrent write is tried.
	 */
	private static final int MAX_TRANSACTION_ATTEMPTS = 20;

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
		String deadLetterStream = DeadLetterStreams.resolve(this.destinationResolver, stream);
		List<byte[]> fields = fields(deadLetter);
		boolean payloadLost = deadLetter.reason() == DeadLetterReason.PAYLOAD_LOST;
		Written written;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			written = (fields.size() <= DeadLetterScripts.MAX_SCRIPT_ARGUMENTS)
					? publishWithScript(connection, deadLetterStream, deadLetter, payloadLost, fields)
					: publishInTransaction(connection, deadLetterStream, deadLetter, payloadLost, fields);
		}
		if (written.dropped() > 0) {
			long total = this.dropped.addAndGet(written.dropped());
			logger.warn("Dead-letter stream '" + deadLetterStream + "' reached its maximum length of " + this.maxLength
					+ " (redis.streams.dead-letter.max-length): dropped " + written.dropped()
					+ " oldest dead letter(s), " + total + " in all");
		}
		if (!written.written() && logger.isDebugEnabled()) {
			logger.debug("Entry " + deadLetter.entry().getId() + " of stream '" + stream
					+ "' is no longer pending in group '" + deadLetter.group() + "'; not dead-lettered again");
		}
	}

	private Written publishWithScript(RedisConnection connection, String deadLetterStream, DeadLetter deadLetter,
			boolean payloadLost, List<byte[]> fields) {
		List<byte[]> keysAndArgs = new ArrayList<>(fields.size() + 6);
		keysAndArgs.add(bytes(deadLetterStream));
		keysAndArgs.add(bytes(deadLetter.entry().getStream()));
		keysAndArgs.add(bytes(deadLetter.group()));
		keysAndArgs.add(bytes(deadLetter.entry().getId()));
		keysAndArgs.add(bytes(payloadLost ? "1" : "0"));
		keysAndArgs.add(bytes(Long.toString(this.maxLength)));
		keysAndArgs.addAll(fields);
		Object reply = DeadLetterScripts.PUBLISH.run(connection, ReturnType.MULTI, 2,
				keysAndArgs.toArray(byte[][]::new));
		Assert.state(reply instanceof List<?> result && result.size() == 3,
				() -> "Unexpected reply of the dead-letter script: " + reply);
		List<?> result = (List<?>) reply;
		return new Written(((Number) result.get(0)).longValue() == 1, ((Number) result.get(2)).longValue());
	}

	/**
	 * An entry too wide for a script: {@code WATCH} the dead-letter stream, check with
	 * {@code XPENDING} that the original is still pending, then {@code XADD} and
	 * {@code XACK} in one {@code MULTI}/{@code EXEC}. A concurrent write to the
	 * dead-letter stream aborts the transaction, which is then tried again. Redis Cluster
	 * has no {@code WATCH} through Spring Data Redis: there the three commands are sent
	 * in order, so that a crash between {@code XADD} and {@code XACK} can write the dead
	 * letter twice, never lose it.
	 */
	private Written publishInTransaction(RedisConnection connection, String deadLetterStream, DeadLetter deadLetter,
			boolean payloadLost, List<byte[]> fields) {
		byte[] key = bytes(deadLetterStream);
		byte[] stream = bytes(deadLetter.entry().getStream());
		byte[] group = bytes(deadLetter.group());
		String id = deadLetter.entry().getId();
		byte[][] xadd = xaddArguments(key, fields);
		boolean transactions = !(connection instanceof RedisClusterConnection);
		for (int attempt = 1; attempt <= MAX_TRANSACTION_ATTEMPTS; attempt++) {
			if (transactions) {
				connection.watch(key);
			}
			if (!payloadLost && !isPending(connection, stream, deadLetter.group(), id)) {
				if (transactions) {
					connection.unwatch();
				}
				return new Written(false, 0);
			}
			if (!transactions) {
				Long before = connection.streamCommands().xLen(key);
				connection.execute("XADD", xadd);
				Long after = connection.streamCommands().xLen(key);
				connection.streamCommands().xAck(stream, deadLetter.group(), id);
				return new Written(true, dropped(before, after));
			}
			connection.multi();
			connection.streamCommands().xLen(key);
			connection.execute("XADD", xadd);
			connection.streamCommands().xLen(key);
			connection.streamCommands().xAck(stream, deadLetter.group(), id);
			List<Object> results = connection.exec();
			if (results != null && results.size() == 4) {
				return new Written(true, dropped((Long) results.get(0), (Long) results.get(2)));
			}
			logger.debug("Dead-lettering the wide entry " + id + " raced with another write to '" + deadLetterStream
					+ "'; trying again (attempt " + attempt + ")");
		}
		throw new IllegalStateException("Could not dead-letter entry " + id + " of stream '"
				+ deadLetter.entry().getStream() + "': " + MAX_TRANSACTION_ATTEMPTS
				+ " transactions were aborted by concurrent writes to '" + deadLetterStream + "'");
	}

	private byte[][] xaddArguments(byte[] key, List<byte[]> fields) {
		List<byte[]> args = new ArrayList<>(fields.size() + 5);
		args.add(key);
		if (this.maxLength > 0) {
			args.add(bytes("MAXLEN"));
			args.add(bytes("="));
			args.add(bytes(Long.toString(this.maxLength)));
		}
		args.add(bytes("*"));
		args.addAll(fields);
		return args.toArray(byte[][]::new);
	}

	private static boolean isPending(RedisConnection connection, byte[] stream, String group, String id) {
		PendingMessages pending = connection.streamCommands().xPending(stream, group, Range.closed(id, id), 1L);
		return pending != null && !pending.isEmpty();
	}

	private long dropped(@Nullable Long before, @Nullable Long after) {
		if (this.maxLength <= 0 || before == null || after == null) {
			return 0;
		}
		return Math.max(0, before + 1 - after);
	}

	private List<byte[]> fields(DeadLetter deadLetter) {
		List<Field> original = deadLetter.entry().getFieldList();
		List<byte[]> fields = new ArrayList<>(original.size() * 2 + 20);
		for (Field field : original) {
			if (!isDeadLetterField(field)) {
				fields.add(field.name());
				fields.add(field.value());
			}
		}
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

	/**
	 * Whether a field of the original is one that the dead letter sets itself: those are
	 * replaced, so that a dead letter never holds two reasons. {@code x-redriven-from}
	 * and every other field of the original are kept.
	 */
	private static boolean isDeadLetterField(Field field) {
		for (int i = 0; i < DEAD_LETTER_FIELDS.size(); i++) {
			if (Arrays.equals(field.name(), DEAD_LETTER_FIELDS.get(i))) {
				return true;
			}
		}
		return false;
	}

	private static void put(List<byte[]> fields, String name, @Nullable String value) {
		fields.add(bytes(name));
		fields.add(bytes((value != null) ? value : ""));
	}

	private record Written(boolean written, long dropped) {

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
