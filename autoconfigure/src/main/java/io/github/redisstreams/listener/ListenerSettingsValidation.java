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

package io.github.redisstreams.listener;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * The range checks of {@link ListenerSettings.Builder#build()}: each throws with a
 * message naming the setting by its property name (such as {@code batch-size} or
 * {@code redis.streams.reclaim.min-idle-time}) and the value. The builder calls them in a
 * fixed order, so that of several invalid values the same one is reported each time.
 * <p>
 * Stateless and thread-safe.
 */
final class ListenerSettingsValidation {

	private ListenerSettingsValidation() {
	}

	/**
	 * Check that a consumer group is set.
	 * @param group the group
	 * @return the group
	 * @throws IllegalStateException if no group is set
	 */
	static String group(@Nullable String group) {
		if (!StringUtils.hasText(group)) {
			throw new IllegalStateException("no consumer group: set the 'group' attribute of @RedisListener, "
					+ "redis.streams.listener.group, or spring.application.name");
		}
		return group;
	}

	/**
	 * Check the instance id and the numbers of consumers, partitions and entries per
	 * read.
	 */
	static void consumers(String instanceId, int concurrency, int partitions, int batchSize) {
		Assert.hasText(instanceId, "redis.streams.listener.instance-id must not be empty");
		check(concurrency > 0, "concurrency must be at least 1, was " + concurrency);
		check(partitions >= 0 && partitions <= ListenerSettings.MAX_PARTITIONS,
				"partitions must be from 0 (a plain stream) to " + ListenerSettings.MAX_PARTITIONS + ", was "
						+ partitions);
		check(batchSize > 0, "batch-size must be at least 1, was " + batchSize);
	}

	/**
	 * Check the poll timeout, the shutdown timeout and the start position.
	 */
	static void reads(Duration pollTimeout, Duration shutdownTimeout, StartPosition startPosition) {
		check(pollTimeout.toMillis() > 0, "poll-timeout must be at least 1ms, was " + pollTimeout);
		check(!shutdownTimeout.isNegative(), "shutdown-timeout must not be negative, was " + shutdownTimeout);
		Assert.notNull(startPosition, "start-position must not be null");
	}

	/**
	 * Check the back-off of the attempts to reach Redis again.
	 */
	static void recovery(RecoverySettings recovery) {
		check(recovery.delay().toMillis() > 0,
				"redis.streams.listener.recovery.delay must be at least 1ms, was " + recovery.delay());
		check(recovery.multiplier() >= 1,
				"redis.streams.listener.recovery.multiplier must be at least 1, was " + recovery.multiplier());
		check(!recovery.jitter().isNegative(),
				"redis.streams.listener.recovery.jitter must not be negative, was " + recovery.jitter());
	}

	/**
	 * Check the reclaim interval, the dead consumer timeout, and that the minimum idle
	 * time is longer than the poll timeout.
	 */
	static void reclaim(Duration reclaimInterval, Duration deadConsumerTimeout, Duration minIdleTime,
			Duration pollTimeout) {
		check(reclaimInterval.toMillis() > 0,
				"redis.streams.reclaim.interval must be at least 1ms, was " + reclaimInterval);
		check(deadConsumerTimeout.toMillis() > 0,
				"redis.streams.reclaim.dead-consumer-timeout must be at least 1ms, was " + deadConsumerTimeout);
		check(minIdleTime.compareTo(pollTimeout) > 0,
				"redis.streams.reclaim.min-idle-time (" + minIdleTime + ") must be longer than the poll timeout ("
						+ pollTimeout + "), or entries read but not yet processed would be reclaimed");
	}

	/**
	 * Check the retention limits, the idempotency time to live and the retention
	 * interval, in that order.
	 */
	static void retentionAndIdempotency(long retentionMaxLength, Duration retentionMaxAge, Duration idempotencyTtl,
			Duration retentionInterval) {
		check(retentionMaxLength >= 0,
				"retention.max-length must not be negative (0 for no limit), was " + retentionMaxLength);
		check(!retentionMaxAge.isNegative(),
				"retention.max-age must not be negative (0 for no limit), was " + retentionMaxAge);
		check(idempotencyTtl.toMillis() > 0, "idempotency.ttl must be at least 1ms, was " + idempotencyTtl);
		check(retentionInterval.toMillis() > 0,
				"redis.streams.retention.interval must be at least 1ms, was " + retentionInterval);
	}

	private static void check(boolean condition, String message) {
		if (!condition) {
			throw new IllegalArgumentException(message);
		}
	}

}
