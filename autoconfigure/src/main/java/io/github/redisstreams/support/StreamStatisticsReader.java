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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.StreamStatistics.ConsumerStatistics;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.PendingMessagesSummary;
import org.springframework.data.redis.connection.stream.StreamInfo.XInfoConsumer;
import org.springframework.data.redis.connection.stream.StreamInfo.XInfoGroup;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StreamOperations;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

/**
 * Reads {@link StreamStatistics} from Redis: {@code XLEN}, {@code XINFO GROUPS},
 * {@code XINFO CONSUMERS}, the {@code XPENDING} summary, the dead-letter stream's length
 * and the retry schedule's size. Read-only, on the application's shared connection.
 * Thread-safe.
 *
 * @since 0.1.0
 */
public class StreamStatisticsReader {

	private final Function<String, String> deadLetterStreams;

	private final StringRedisTemplate redisTemplate;

	/**
	 * Create a reader whose dead-letter streams are the default ones
	 * ({@link StreamKeys#deadLetterStream(String)}).
	 * @param connectionFactory the connection factory
	 * @throws IllegalArgumentException if {@code connectionFactory} is {@code null}
	 */
	public StreamStatisticsReader(RedisConnectionFactory connectionFactory) {
		this(connectionFactory, StreamKeys::deadLetterStream);
	}

	/**
	 * Create a reader whose dead-letter lengths come from the given keys.
	 * @param connectionFactory the connection factory
	 * @param deadLetterStreams maps a stream key to the key of its dead-letter stream
	 * @throws IllegalArgumentException if an argument is {@code null}
	 */
	public StreamStatisticsReader(RedisConnectionFactory connectionFactory,
			Function<String, String> deadLetterStreams) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.notNull(deadLetterStreams, "'deadLetterStreams' must not be null");
		this.redisTemplate = new StringRedisTemplate(connectionFactory);
		this.deadLetterStreams = deadLetterStreams;
	}

	/**
	 * Return the key of the dead-letter stream of a stream.
	 * @param stream the stream key
	 * @return the dead-letter stream key
	 */
	public String deadLetterStream(String stream) {
		return this.deadLetterStreams.apply(stream);
	}

	/**
	 * Read the statistics of a stream and group.
	 * @param stream the stream key
	 * @param group the consumer group
	 * @return the statistics; {@code exists} is {@code false} if the stream or the group
	 * does not exist
	 * @throws IllegalArgumentException if the group is empty
	 * @throws org.springframework.dao.DataAccessException if Redis fails
	 */
	public StreamStatistics read(String stream, String group) {
		Instant now = serverTime();
		StreamOperations<String, Object, Object> streams = this.redisTemplate.opsForStream();
		long deadLetters = sizeOrZero(this.deadLetterStreams.apply(stream));
		long scheduled = zcardOrZero(StreamKeys.retrySchedule(stream, group));
		XInfoGroup info = group(streams, stream, group);
		if (info == null) {
			return new StreamStatistics(stream, group, false, sizeOrZero(stream), 0, null, null, deadLetters, scheduled,
					Collections.emptyList(), now);
		}
		long length = sizeOrZero(stream);
		PendingMessagesSummary summary = streams.pending(stream, group);
		long pending = (summary != null) ? summary.getTotalPendingMessages() : 0;
		Duration oldest = (summary != null && pending > 0) ? age(summary.minMessageId(), now) : null;
		List<ConsumerStatistics> consumers = new ArrayList<>();
		for (XInfoConsumer consumer : streams.consumers(stream, group)) {
			consumers
				.add(new ConsumerStatistics(consumer.consumerName(), consumer.pendingCount(), consumer.idleTime()));
		}
		return new StreamStatistics(stream, group, true, length, pending, lag(info), oldest, deadLetters, scheduled,
				Collections.unmodifiableList(consumers), now);
	}

	private @Nullable XInfoGroup group(StreamOperations<String, Object, Object> streams, String stream, String group) {
		try {
			for (XInfoGroup candidate : streams.groups(stream)) {
				if (group.equals(candidate.groupName())) {
					return candidate;
				}
			}
			return null;
		}
		catch (RedisSystemException ex) {
			// ERR no such key
			return null;
		}
	}

	private long sizeOrZero(String key) {
		Long size = this.redisTemplate.opsForStream().size(key);
		return (size != null) ? size : 0;
	}

	private long zcardOrZero(String key) {
		Long size = this.redisTemplate.opsForZSet().zCard(key);
		return (size != null) ? size : 0;
	}

	// TIME is optional for a least-privilege user: without it, ages are measured by this
	// application's clock
	private Instant serverTime() {
		try {
			Long millis = this.redisTemplate
				.execute((RedisCallback<Long>) (connection) -> connection.serverCommands().time());
			return (millis != null) ? Instant.ofEpochMilli(millis) : Instant.now();
		}
		catch (DataAccessException ex) {
			if (RedisRefusal.of(ex) == null) {
				throw ex;
			}
			return Instant.now();
		}
	}

	private static @Nullable Long lag(XInfoGroup info) {
		Object lag = info.getRaw().get("lag");
		if (lag instanceof Number number) {
			return number.longValue();
		}
		if (lag instanceof String text && !text.isEmpty()) {
			try {
				return Long.valueOf(text);
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		return null;
	}

	/**
	 * Return how long ago the entry with the given id was published, from the millisecond
	 * part of its id.
	 * @param id the entry id
	 * @param now the current time
	 * @return the age, never negative
	 */
	static Duration age(String id, Instant now) {
		int dash = id.indexOf('-');
		long millis = Long.parseLong((dash >= 0) ? id.substring(0, dash) : id);
		long age = now.toEpochMilli() - millis;
		return Duration.ofMillis(Math.max(0, age));
	}

}
