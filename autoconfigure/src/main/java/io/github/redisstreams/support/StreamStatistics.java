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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The state of one stream and one of its consumer groups, as Redis reported it. The
 * values come from several commands in a row, not from an atomic snapshot. Immutable.
 *
 * @param stream the stream key
 * @param group the consumer group
 * @param exists whether the stream and the group exist
 * @param length the number of entries in the stream ({@code XLEN})
 * @param pending the number of entries delivered and not yet acknowledged (the
 * {@code XPENDING} summary)
 * @param lag the number of entries not yet delivered to the group ({@code XINFO GROUPS}),
 * or {@code null} where Redis does not report it (before 7.0, or after entries were
 * deleted)
 * @param oldestPendingAge how long ago the oldest pending entry was published, with
 * millisecond precision: {@link #sampledAt()} minus the time in its id, never negative;
 * or {@code null} when nothing is pending
 * @param deadLetterLength the number of entries in the stream's dead-letter stream
 * @param retryScheduled the number of entries waiting for a retry (the size of the
 * group's retry schedule, {@code ZCARD})
 * @param consumers the group's consumers
 * @param sampledAt when Redis reported it, by Redis's clock ({@code TIME}, read before
 * the other commands), with millisecond precision
 * @since 0.1.0
 */
public record StreamStatistics(String stream, String group, boolean exists, long length, long pending,
		@Nullable Long lag, @Nullable Duration oldestPendingAge, long deadLetterLength, long retryScheduled,
		List<ConsumerStatistics> consumers, Instant sampledAt) {

	/**
	 * Return the state of a partitioned stream's group from the states of its partitions:
	 * counts are summed, the lag only where every partition reports one, the oldest
	 * pending age is the largest, and each consumer's pending entries are summed and its
	 * idle time is the shortest.
	 * @param stream the partitioned stream's name
	 * @param group the consumer group
	 * @param partitions the states of the partitions, at least one
	 * @return the combined state, sampled when the earliest partition was
	 * @throws IllegalArgumentException if {@code partitions} is empty
	 * @since 0.4.0
	 */
	public static StreamStatistics combine(String stream, String group, List<StreamStatistics> partitions) {
		if (partitions.isEmpty()) {
			throw new IllegalArgumentException("'partitions' must not be empty");
		}
		boolean exists = true;
		long length = 0;
		long pending = 0;
		Long lag = 0L;
		Duration oldest = null;
		long deadLetters = 0;
		long retries = 0;
		Instant sampledAt = partitions.get(0).sampledAt();
		Map<String, ConsumerStatistics> consumers = new LinkedHashMap<>();
		for (StreamStatistics partition : partitions) {
			exists &= partition.exists();
			length += partition.length();
			pending += partition.pending();
			lag = (lag != null && partition.lag() != null) ? lag + partition.lag() : null;
			Duration age = partition.oldestPendingAge();
			if (age != null && (oldest == null || age.compareTo(oldest) > 0)) {
				oldest = age;
			}
			deadLetters += partition.deadLetterLength();
			retries += partition.retryScheduled();
			if (partition.sampledAt().isBefore(sampledAt)) {
				sampledAt = partition.sampledAt();
			}
			for (ConsumerStatistics consumer : partition.consumers()) {
				consumers.merge(consumer.name(), consumer, (a, b) -> new ConsumerStatistics(a.name(),
						a.pending() + b.pending(), (a.idle().compareTo(b.idle()) <= 0) ? a.idle() : b.idle()));
			}
		}
		return new StreamStatistics(stream, group, exists, length, pending, lag, oldest, deadLetters, retries,
				List.copyOf(consumers.values()), sampledAt);
	}

	/**
	 * One consumer of a group.
	 *
	 * @param name the consumer name
	 * @param pending the number of entries it holds
	 * @param idle how long since it last read or claimed ({@code XINFO CONSUMERS}), with
	 * millisecond precision
	 * @since 0.1.0
	 */
	public record ConsumerStatistics(String name, long pending, Duration idle) {

	}

}
