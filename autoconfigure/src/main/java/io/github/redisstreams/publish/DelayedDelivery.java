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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.LuaScript;
import io.github.redisstreams.support.StreamKeys;

import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

/**
 * Schedules and cancels delayed messages. A message due later is kept in its stream's
 * hash slot: the fields in {@code {stream}:delayed:messages} and the due time in
 * {@code {stream}:delayed}, both under a member that is unique per message, written by
 * one script ({@code delayed-schedule.lua}) together with the idempotency marker key, if
 * any. Before that the stream is recorded in {@link StreamKeys#DELAYED_STREAMS} with the
 * time, at most every {@link #INDEX_REFRESH}, so that the movers of every instance find
 * it ({@link DelayedDeliveryMover}); and again after it, whatever the time, when the
 * message was the stream's only one: a mover forgets a stream only after it found its
 * delayed set empty, so whichever publisher fills an empty set records the stream after
 * that, however long its script took to arrive.
 * <p>
 * A schedule id is {@code <member>@<stream key>}: the member is 32 hexadecimal digits,
 * the rest the stream (for a partitioned stream, the partition) it goes to. Thread-safe.
 */
final class DelayedDelivery {

	/**
	 * How often a publisher records a stream in {@link StreamKeys#DELAYED_STREAMS} at
	 * most; must be well below {@link #INDEX_GRACE}.
	 */
	static final Duration INDEX_REFRESH = Duration.ofSeconds(15);

	/**
	 * How long a mover leaves a stream in {@link StreamKeys#DELAYED_STREAMS} after it was
	 * last recorded, even without delayed messages: a publisher records the stream before
	 * it schedules, and the mover must not forget it in between. Covers clocks of
	 * instances that differ by up to {@code INDEX_GRACE - INDEX_REFRESH}.
	 */
	static final Duration INDEX_GRACE = Duration.ofMinutes(1);

	private static final LuaScript SCHEDULE = LuaScript.load(DelayedDelivery.class, "delayed-schedule.lua");

	private static final LuaScript CANCEL = LuaScript.load(DelayedDelivery.class, "delayed-cancel.lua");

	private static final LuaScript MARKER = LuaScript.load(DelayedDelivery.class, "delayed-marker.lua");

	private static final char SEPARATOR = '@';

	private static final int MEMBER_LENGTH = 32;

	private final Map<String, Long> recorded = new ConcurrentHashMap<>();

	private final AtomicInteger sequence = new AtomicInteger();

	/**
	 * Schedule a message.
	 * @param stream the stream (or partition) it goes to
	 * @param due when it is due
	 * @param fields its fields, at most {@link IdempotentPublishing#MAX_FIELDS}
	 * @param marker the marker key of its idempotency key, or {@code null}
	 * @param window how long the marker key lives after the message is due
	 * @return the schedule id, or the id of the key's first publication
	 */
	PublishResult schedule(StringRedisTemplate template, String stream, Instant due, Map<String, String> fields,
			@Nullable String marker, Duration window) {
		// never early: a due time between two milliseconds is the later one
		long dueMillis = due.toEpochMilli() + ((due.getNano() % 1_000_000 != 0) ? 1 : 0);
		long untilDue = Math.max(0, dueMillis - System.currentTimeMillis());
		Assert.isTrue(fields.size() <= IdempotentPublishing.MAX_FIELDS, () -> "A delayed message takes at most "
				+ IdempotentPublishing.MAX_FIELDS + " fields (payload and headers), was " + fields.size());
		// names first: a stream whose keys cannot share its slot is refused before
		// anything
		// is written
		String delayed = StreamKeys.delayed(stream);
		String messages = StreamKeys.delayedMessages(stream);
		record(template, stream);
		// messages due at the same millisecond go in the order they were scheduled: the
		// sorted set orders equal scores by member, and a member starts with the time of
		// scheduling and this publisher's sequence; the rest is random
		long ordered = (System.currentTimeMillis() << 16) | (this.sequence.getAndIncrement() & 0xFFFF);
		String member = HexFormat.of().toHexDigits(ordered)
				+ HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
		String scheduleId = member + SEPARATOR + stream;
		List<byte[]> arguments = new ArrayList<>(fields.size() * 2 + 8);
		arguments.add(bytes(delayed));
		arguments.add(bytes(messages));
		if (marker != null) {
			arguments.add(bytes(marker));
		}
		arguments.add(bytes(member));
		arguments.add(bytes(Long.toString(dueMillis)));
		arguments.add(bytes(scheduleId));
		// the key is remembered for the window after the message is due
		arguments.add(bytes(Long.toString(window.toMillis() + untilDue)));
		fields.forEach((name, value) -> {
			arguments.add(bytes(name));
			arguments.add(bytes(value));
		});
		List<?> reply = run(template, SCHEDULE, (marker != null) ? 3 : 2, arguments);
		String id = string(reply.get(0));
		if (((Number) reply.get(2)).longValue() == 1) {
			this.recorded.remove(stream);
			record(template, stream);
		}
		return new PublishResult(stream, id, ((Number) reply.get(1)).longValue() == 1);
	}

	/**
	 * Cancel a delayed message, and free its idempotency key if it had one.
	 * @return whether it was scheduled
	 */
	boolean cancel(StringRedisTemplate template, String scheduleId) {
		Assert.notNull(scheduleId, "'scheduleId' must not be null");
		int separator = scheduleId.indexOf(SEPARATOR);
		Assert.isTrue(
				separator == MEMBER_LENGTH && scheduleId.length() > MEMBER_LENGTH + 1
						&& scheduleId.substring(0, MEMBER_LENGTH).chars().allMatch((c) -> Character.digit(c, 16) >= 0),
				() -> "'" + scheduleId + "' is not a schedule id: expected <32 hexadecimal digits>@<stream>, "
						+ "as PublishResult.id() returns it for a delayed message");
		String member = scheduleId.substring(0, MEMBER_LENGTH);
		String stream = scheduleId.substring(MEMBER_LENGTH + 1);
		String messages = StreamKeys.delayedMessages(stream);
		for (int attempt = 0; attempt < 3; attempt++) {
			Optional<Object> read = template.execute((RedisCallback<Optional<Object>>) (connection) -> Optional
				.ofNullable(MARKER.run(connection, ReturnType.VALUE, 1, bytes(messages), bytes(member))));
			Object marker = (read != null) ? read.orElse(null) : null;
			if (marker == null) {
				return false;
			}
			List<byte[]> arguments = new ArrayList<>(List.of(bytes(StreamKeys.delayed(stream)), bytes(messages)));
			String markerKey = string(marker);
			if (!markerKey.isEmpty()) {
				arguments.add(bytes(markerKey));
			}
			arguments.add(bytes(member));
			arguments.add(bytes(scheduleId));
			long cancelled = ((Number) run(template, CANCEL, arguments.size() - 2, arguments).get(0)).longValue();
			if (cancelled >= 0) {
				return cancelled == 1;
			}
		}
		throw new IllegalStateException("Could not cancel '" + scheduleId + "': its entry changed while cancelling");
	}

	/**
	 * Record the stream among those with delayed messages, unless done within
	 * {@link #INDEX_REFRESH}.
	 */
	private void record(StringRedisTemplate template, String stream) {
		long now = System.nanoTime();
		Long last = this.recorded.get(stream);
		if (last != null && now - last < INDEX_REFRESH.toNanos()) {
			return;
		}
		template.opsForZSet().add(StreamKeys.DELAYED_STREAMS, stream, System.currentTimeMillis());
		this.recorded.put(stream, now);
	}

	private static List<?> run(StringRedisTemplate template, LuaScript script, int keys, List<byte[]> arguments) {
		Object reply = template.execute((RedisCallback<Object>) (connection) -> {
			Object result = script.run(connection, (script == CANCEL) ? ReturnType.INTEGER : ReturnType.MULTI, keys,
					arguments.toArray(byte[][]::new));
			return (result != null) ? result : List.of();
		});
		if (reply instanceof Number number) {
			return List.of(number);
		}
		Assert.state(reply instanceof List<?> list && !list.isEmpty(),
				"The delayed-delivery script returned nothing (was it sent inside a pipeline or transaction?)");
		return (List<?>) reply;
	}

	private static String string(@Nullable Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
