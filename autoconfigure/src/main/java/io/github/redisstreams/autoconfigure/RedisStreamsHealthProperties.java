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

package io.github.redisstreams.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the Redis Streams health indicator.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("redis.streams.health")
public class RedisStreamsHealthProperties {

	/**
	 * How long the consumers of a listener may fail to talk to Redis (while retrying with
	 * back-off) before the health is DOWN. Zero makes it DOWN as soon as a failure is
	 * seen.
	 */
	private Duration failingThreshold = Duration.ofMinutes(1);

	/**
	 * Maximum age of the oldest entry that a listener's group has received but not
	 * acknowledged yet, measured from the entry's id. Not checked when unset.
	 */
	private @Nullable Duration maxOldestPendingAge;

	/**
	 * Maximum number of entries added to a listener's dead-letter stream between two
	 * health checks. Not checked when unset.
	 */
	private @Nullable Long maxDeadLetterGrowth;

	/**
	 * What exceeding 'max-oldest-pending-age' or 'max-dead-letter-growth' does: 'warn'
	 * keeps the status and adds the 'warnings' detail, 'out-of-service' also sets the
	 * status to OUT_OF_SERVICE.
	 */
	private ThresholdStatus thresholdStatus = ThresholdStatus.WARN;

	public Duration getFailingThreshold() {
		return this.failingThreshold;
	}

	public void setFailingThreshold(Duration failingThreshold) {
		this.failingThreshold = failingThreshold;
	}

	public @Nullable Duration getMaxOldestPendingAge() {
		return this.maxOldestPendingAge;
	}

	public void setMaxOldestPendingAge(@Nullable Duration maxOldestPendingAge) {
		this.maxOldestPendingAge = maxOldestPendingAge;
	}

	public @Nullable Long getMaxDeadLetterGrowth() {
		return this.maxDeadLetterGrowth;
	}

	public void setMaxDeadLetterGrowth(@Nullable Long maxDeadLetterGrowth) {
		this.maxDeadLetterGrowth = maxDeadLetterGrowth;
	}

	public ThresholdStatus getThresholdStatus() {
		return this.thresholdStatus;
	}

	public void setThresholdStatus(ThresholdStatus thresholdStatus) {
		this.thresholdStatus = thresholdStatus;
	}

	/**
	 * What exceeding a threshold does.
	 */
	public enum ThresholdStatus {

		/**
		 * Keep the status, add a warning.
		 */
		WARN,

		/**
		 * Report OUT_OF_SERVICE, with the warning.
		 */
		OUT_OF_SERVICE

	}

}
