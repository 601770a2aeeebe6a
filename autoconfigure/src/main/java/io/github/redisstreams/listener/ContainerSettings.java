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

import io.github.redisstreams.retry.ListenerRetryPolicy;
import io.github.redisstreams.support.StreamKeys;

import org.springframework.util.Assert;
import org.springframework.util.backoff.BackOff;

/**
 * Settings of one listener container, fully resolved.
 *
 * @param listenerId the listener id, unique in the application
 * @param stream the stream key
 * @param group the consumer group
 * @param instanceId identifier of this application instance, the prefix of every consumer
 * name
 * @param concurrency the number of consumers, each with its own thread and connection
 * @param batchSize the maximum number of entries read per call ({@code COUNT})
 * @param pollTimeout how long one read blocks waiting for new entries ({@code BLOCK})
 * @param shutdownTimeout how long {@code stop} waits for in-flight handlers
 * @param startPosition where a group created by the container starts reading
 * @param autoStartup whether the registry starts the container on application startup
 * @param recoveryBackOff back-off between attempts while Redis fails
 * @param retryPolicy what happens to messages whose listener failed
 * @param reclaimInterval how often idle pending entries of the group are reclaimed
 * @param minIdleTime how long a delivered entry may stay silent before it is presumed
 * orphaned and reclaimed
 * @param deadConsumerTimeout how long a consumer with nothing pending may stay idle
 * before it is removed from the group
 * @since 0.1.0
 */
public record ContainerSettings(String listenerId, String stream, String group, String instanceId, int concurrency,
		int batchSize, Duration pollTimeout, Duration shutdownTimeout, StartPosition startPosition, boolean autoStartup,
		BackOff recoveryBackOff, ListenerRetryPolicy retryPolicy, Duration reclaimInterval, Duration minIdleTime,
		Duration deadConsumerTimeout) {

	/**
	 * Validate the settings.
	 */
	public ContainerSettings {
		Assert.hasText(listenerId, "'listenerId' must not be empty");
		Assert.hasText(stream, "'stream' must not be empty");
		Assert.hasText(group, "'group' must not be empty");
		Assert.hasText(instanceId, "'instanceId' must not be empty");
		Assert.isTrue(concurrency > 0, "'concurrency' must be at least 1");
		Assert.isTrue(batchSize > 0, "'batchSize' must be at least 1");
		Assert.isTrue(pollTimeout.toMillis() > 0, "'pollTimeout' must be at least one millisecond");
		Assert.isTrue(!shutdownTimeout.isNegative(), "'shutdownTimeout' must not be negative");
		Assert.notNull(startPosition, "'startPosition' must not be null");
		Assert.notNull(recoveryBackOff, "'recoveryBackOff' must not be null");
		Assert.notNull(retryPolicy, "'retryPolicy' must not be null");
		Assert.isTrue(reclaimInterval.toMillis() > 0, "'reclaimInterval' must be at least one millisecond");
		Assert.isTrue(minIdleTime.toMillis() > 0, "'minIdleTime' must be at least one millisecond");
		Assert.isTrue(deadConsumerTimeout.toMillis() > 0, "'deadConsumerTimeout' must be at least one millisecond");
	}

	/**
	 * Return the name of the consumer with the given index.
	 * @param index the consumer index, from 0 to {@code concurrency - 1}
	 * @return the consumer name
	 */
	public String consumerName(int index) {
		return this.instanceId + "-" + index;
	}

	/**
	 * Return the name under which this instance claims orphaned entries.
	 * @return the claimer name
	 */
	public String claimerName() {
		return this.instanceId + "-reclaimer";
	}

	/**
	 * Return the key of the group's retry schedule.
	 * @return the retry schedule key
	 */
	public String retrySchedule() {
		return StreamKeys.retrySchedule(this.stream, this.group);
	}

}
