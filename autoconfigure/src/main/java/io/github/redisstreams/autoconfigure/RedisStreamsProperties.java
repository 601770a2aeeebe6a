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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.listener.StartPosition;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for Redis Streams listeners and publishing. Durations accept
 * Spring Boot's formats ({@code 500ms}, {@code 2s}, ISO-8601 such as {@code PT1M}); a
 * bare number is milliseconds. Listener values that are not set fall back to the defaults
 * of {@code ListenerSettings.Builder}, which also checks their ranges when a listener is
 * created.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("redis.streams")
public class RedisStreamsProperties {

	/**
	 * Whether to enable Redis Streams listeners and publishing.
	 */
	private boolean enabled = true;

	private final Listener listener = new Listener();

	private final Retry retry = new Retry();

	private final Reclaim reclaim = new Reclaim();

	private final Retention retention = new Retention();

	private final DeadLetter deadLetter = new DeadLetter();

	private final Metrics metrics = new Metrics();

	private final Publish publish = new Publish();

	private final Delayed delayed = new Delayed();

	/**
	 * Per-listener settings, keyed by listener id; they take precedence over the
	 * annotation's attributes. Use brackets for ids that contain dots, such as
	 * 'redis.streams.listeners[orderListener.onOrder].concurrency'.
	 */
	private final Map<String, PerListener> listeners = new LinkedHashMap<>();

	private final Health health = new Health();

	/**
	 * What to do when the Redis user lacks a permission the listeners need, checked at
	 * startup: 'fail' the startup with a message naming each missing ACL rule, 'report'
	 * it (an ERROR, and the health is DOWN with the same message until it is granted), or
	 * 'none' to skip the check.
	 */
	private PermissionCheck permissionCheck = PermissionCheck.FAIL;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Listener getListener() {
		return this.listener;
	}

	public Map<String, PerListener> getListeners() {
		return this.listeners;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Reclaim getReclaim() {
		return this.reclaim;
	}

	public Retention getRetention() {
		return this.retention;
	}

	public DeadLetter getDeadLetter() {
		return this.deadLetter;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Publish getPublish() {
		return this.publish;
	}

	public Delayed getDelayed() {
		return this.delayed;
	}

	public Health getHealth() {
		return this.health;
	}

	public PermissionCheck getPermissionCheck() {
		return this.permissionCheck;
	}

	public void setPermissionCheck(PermissionCheck permissionCheck) {
		this.permissionCheck = permissionCheck;
	}

	/**
	 * What a missing permission does at startup.
	 *
	 * @since 0.3.0
	 */
	public enum PermissionCheck {

		/**
		 * Fail the startup.
		 */
		FAIL,

		/**
		 * Start, log an ERROR, and report the health DOWN until it is granted.
		 */
		REPORT,

		/**
		 * Do not check.
		 */
		NONE

	}

	/**
	 * Publishing with StreamPublisher.
	 *
	 * @since 0.4.0
	 */
	public static class Publish {

		/**
		 * Number of partitions of each partitioned stream this application publishes to,
		 * keyed by stream name, such as 'redis.streams.publish.partitions.orders=8'; use
		 * brackets for names with other characters than letters, digits, '-' and '.',
		 * such as 'redis.streams.publish.partitions[shop:orders]=8'. Needed only where no
		 * listener of this application consumes the stream: a partitioned listener's
		 * count is known. Must agree with the listeners'.
		 */
		private final Map<String, Integer> partitions = new LinkedHashMap<>();

		/**
		 * How long a publication with an idempotency key is remembered: a request with
		 * the same key from any instance of this application within the window adds
		 * nothing. At least 1s. With the server's own deduplication (Redis 8.6+, XADD
		 * IDMP), at most 24h and the last 10,000 keys per stream are remembered.
		 */
		private Duration idempotencyWindow = Duration.ofHours(24);

		/**
		 * Whether idempotent publishing uses the server's own deduplication (XADD IDMP)
		 * where the server offers it (Redis 8.6+); false: marker keys everywhere, with no
		 * limit on the window or the number of keys.
		 */
		private boolean serverIdempotency = true;

		public Map<String, Integer> getPartitions() {
			return this.partitions;
		}

		public Duration getIdempotencyWindow() {
			return this.idempotencyWindow;
		}

		public void setIdempotencyWindow(Duration idempotencyWindow) {
			this.idempotencyWindow = idempotencyWindow;
		}

		public boolean isServerIdempotency() {
			return this.serverIdempotency;
		}

		public void setServerIdempotency(boolean serverIdempotency) {
			this.serverIdempotency = serverIdempotency;
		}

	}

	/**
	 * Delayed delivery: the mover that adds delayed messages to their streams when due.
	 *
	 * @since 0.5.0
	 */
	public static class Delayed {

		/**
		 * Whether this instance moves due delayed messages into their streams. Every
		 * instance with the starter moves by default, so that messages are delivered
		 * while any instance runs; they never move one twice.
		 */
		private boolean enabled = true;

		/**
		 * How often the mover looks for due messages: a message reaches its stream at
		 * most this long (plus the move itself) after its due time, never before. At
		 * least 1ms; each poll sends one command, plus one script per stream with delayed
		 * messages.
		 */
		private Duration pollInterval = Duration.ofMillis(100);

		/**
		 * Most messages one script moves into a stream, from 1 to 1000 (Redis runs
		 * nothing else while a script runs); a poll runs up to 50 scripts per stream
		 * while messages are due.
		 */
		private int batchSize = 1000;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

	}

	/**
	 * Stream and group gauges.
	 */
	public static class Metrics {

		/**
		 * How often one background task reads the length, pending count, lag, oldest
		 * pending age and dead-letter length of every listener's stream and group for the
		 * gauges.
		 */
		private Duration refreshInterval = Duration.ofSeconds(10);

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

	}

	/**
	 * Retries of messages whose listener failed.
	 */
	public static class Retry {

		/**
		 * Number of times a failed message is retried before it is dead-lettered.
		 */
		private @Nullable Long maxRetries;

		/**
		 * Delay before the first retry.
		 */
		private @Nullable Duration delay;

		/**
		 * Multiplier applied to the delay for each further retry.
		 */
		private @Nullable Double multiplier;

		/**
		 * Maximum delay between retries.
		 */
		private @Nullable Duration maxDelay;

		/**
		 * Random variation of each retry delay, so that retries of many messages spread
		 * out; scaled by the multiplier for later retries.
		 */
		private @Nullable Duration jitter;

		/**
		 * Comma-separated list of exception types that are not worth retrying: a message
		 * whose listener throws one, or one caused by one, is dead-lettered at once.
		 */
		private List<Class<? extends Throwable>> notRetryableExceptions = new ArrayList<>();

		public @Nullable Long getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(@Nullable Long maxRetries) {
			this.maxRetries = maxRetries;
		}

		public @Nullable Duration getDelay() {
			return this.delay;
		}

		public void setDelay(@Nullable Duration delay) {
			this.delay = delay;
		}

		public @Nullable Double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(@Nullable Double multiplier) {
			this.multiplier = multiplier;
		}

		public @Nullable Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(@Nullable Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public @Nullable Duration getJitter() {
			return this.jitter;
		}

		public void setJitter(@Nullable Duration jitter) {
			this.jitter = jitter;
		}

		public List<Class<? extends Throwable>> getNotRetryableExceptions() {
			return this.notRetryableExceptions;
		}

		public void setNotRetryableExceptions(List<Class<? extends Throwable>> notRetryableExceptions) {
			this.notRetryableExceptions = notRetryableExceptions;
		}

	}

	/**
	 * Recovery of pending entries whose consumer died or hangs, and removal of dead
	 * consumers.
	 */
	public static class Reclaim {

		/**
		 * How often each listener looks for idle pending entries of its group
		 * (XAUTOCLAIM) and dead consumers.
		 */
		private @Nullable Duration interval;

		/**
		 * How long a delivered entry may stay silent before it is presumed orphaned and
		 * reclaimed. Claims of handlers running longer than half of it are refreshed, so
		 * live work is never reclaimed.
		 */
		private @Nullable Duration minIdleTime;

		/**
		 * How long a consumer with nothing pending may stay idle before it is removed
		 * from its group. A consumer with pending entries is never removed.
		 */
		private @Nullable Duration deadConsumerTimeout;

		/**
		 * Whether consumers take over idle pending entries in their reads (XREADGROUP ...
		 * CLAIM) where the server offers it (Redis 8.4+); the reclaimer's XAUTOCLAIM is
		 * then only a backstop, run every min-idle-time at most.
		 */
		private @Nullable Boolean claimOnRead;

		public @Nullable Boolean getClaimOnRead() {
			return this.claimOnRead;
		}

		public void setClaimOnRead(@Nullable Boolean claimOnRead) {
			this.claimOnRead = claimOnRead;
		}

		public @Nullable Duration getInterval() {
			return this.interval;
		}

		public void setInterval(@Nullable Duration interval) {
			this.interval = interval;
		}

		public @Nullable Duration getMinIdleTime() {
			return this.minIdleTime;
		}

		public void setMinIdleTime(@Nullable Duration minIdleTime) {
			this.minIdleTime = minIdleTime;
		}

		public @Nullable Duration getDeadConsumerTimeout() {
			return this.deadConsumerTimeout;
		}

		public void setDeadConsumerTimeout(@Nullable Duration deadConsumerTimeout) {
			this.deadConsumerTimeout = deadConsumerTimeout;
		}

	}

	/**
	 * Dead-letter streams.
	 */
	public static class DeadLetter {

		/**
		 * Maximum number of entries kept in each dead-letter stream; older ones are
		 * trimmed, counted and logged. 0 keeps everything.
		 */
		private long maxLength;

		/**
		 * Maximum number of characters of the exception stack trace stored with a dead
		 * letter.
		 */
		private int maxStackTraceLength = 8192;

		public long getMaxLength() {
			return this.maxLength;
		}

		public void setMaxLength(long maxLength) {
			this.maxLength = maxLength;
		}

		public int getMaxStackTraceLength() {
			return this.maxStackTraceLength;
		}

		public void setMaxStackTraceLength(int maxStackTraceLength) {
			this.maxStackTraceLength = maxStackTraceLength;
		}

	}

	/**
	 * Defaults of every listener.
	 */
	public static class Listener {

		/**
		 * Whether to start listeners automatically on startup.
		 */
		private @Nullable Boolean autoStartup;

		/**
		 * Consumer group of listeners that do not name one. When not set,
		 * 'spring.application.name' is used.
		 */
		private @Nullable String group;

		/**
		 * Identifier of this application instance, the prefix of its consumer names. It
		 * must be unique among running instances and stable across restarts of the same
		 * instance, so that a restarted instance finds its own pending entries. When not
		 * set, the host name is used.
		 */
		private @Nullable String instanceId;

		/**
		 * Number of consumers per listener, each with its own thread and connection.
		 */
		private @Nullable Integer concurrency;

		/**
		 * Maximum number of entries a consumer reads per XREADGROUP call.
		 */
		private @Nullable Integer batchSize;

		/**
		 * Whether a consumer reads its next batch (XREADGROUP without BLOCK) while it
		 * processes a batch that came back full.
		 */
		private @Nullable Boolean readAhead;

		public @Nullable Boolean getReadAhead() {
			return this.readAhead;
		}

		public void setReadAhead(@Nullable Boolean readAhead) {
			this.readAhead = readAhead;
		}

		/**
		 * Whether every handler invocation is a Micrometer Observation (a timer through
		 * the observation handlers and a span that continues the publisher's trace). When
		 * false, invocations are timed with a cached Timer of the same name and tags.
		 */
		private @Nullable Boolean observationEnabled;

		public @Nullable Boolean getObservationEnabled() {
			return this.observationEnabled;
		}

		public void setObservationEnabled(@Nullable Boolean observationEnabled) {
			this.observationEnabled = observationEnabled;
		}

		/**
		 * How long a consumer blocks waiting for new entries (XREADGROUP BLOCK). Must be
		 * shorter than 'spring.data.redis.timeout'.
		 */
		private @Nullable Duration pollTimeout;

		/**
		 * How long stopping a listener waits for in-flight handlers; entries not
		 * processed by then stay pending.
		 */
		private @Nullable Duration shutdownTimeout;

		/**
		 * Where a consumer group created by a listener starts reading: 'beginning' (no
		 * entry published before the group existed is skipped) or 'end'.
		 */
		private @Nullable StartPosition startPosition;

		private final Recovery recovery = new Recovery();

		public @Nullable Boolean getAutoStartup() {
			return this.autoStartup;
		}

		public void setAutoStartup(@Nullable Boolean autoStartup) {
			this.autoStartup = autoStartup;
		}

		public @Nullable String getGroup() {
			return this.group;
		}

		public void setGroup(@Nullable String group) {
			this.group = group;
		}

		public @Nullable String getInstanceId() {
			return this.instanceId;
		}

		public void setInstanceId(@Nullable String instanceId) {
			this.instanceId = instanceId;
		}

		public @Nullable Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(@Nullable Integer concurrency) {
			this.concurrency = concurrency;
		}

		public @Nullable Integer getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(@Nullable Integer batchSize) {
			this.batchSize = batchSize;
		}

		public @Nullable Duration getPollTimeout() {
			return this.pollTimeout;
		}

		public void setPollTimeout(@Nullable Duration pollTimeout) {
			this.pollTimeout = pollTimeout;
		}

		public @Nullable Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(@Nullable Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public @Nullable StartPosition getStartPosition() {
			return this.startPosition;
		}

		public void setStartPosition(@Nullable StartPosition startPosition) {
			this.startPosition = startPosition;
		}

		public Recovery getRecovery() {
			return this.recovery;
		}

	}

	/**
	 * Back-off of a consumer while Redis is unreachable or its group is missing.
	 */
	public static class Recovery {

		/**
		 * Delay before the first new attempt.
		 */
		private @Nullable Duration delay;

		/**
		 * Multiplier applied to the delay after each failed attempt.
		 */
		private @Nullable Double multiplier;

		/**
		 * Maximum delay between attempts.
		 */
		private @Nullable Duration maxDelay;

		/**
		 * Random amount added to or removed from each delay, so that consumers do not
		 * retry in lockstep.
		 */
		private @Nullable Duration jitter;

		public @Nullable Duration getDelay() {
			return this.delay;
		}

		public void setDelay(@Nullable Duration delay) {
			this.delay = delay;
		}

		public @Nullable Double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(@Nullable Double multiplier) {
			this.multiplier = multiplier;
		}

		public @Nullable Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(@Nullable Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public @Nullable Duration getJitter() {
			return this.jitter;
		}

		public void setJitter(@Nullable Duration jitter) {
			this.jitter = jitter;
		}

	}

	/**
	 * How much of a listener's stream is kept: entries beyond the limits are trimmed, but
	 * never one that a consumer group of the stream still needs (not yet delivered to it,
	 * pending, or waiting for a retry).
	 */
	public static class Retention {

		/**
		 * Number of entries the stream keeps; older ones are trimmed once every group is
		 * done with them. 0 for no limit.
		 */
		private @Nullable Long maxLength;

		/**
		 * How old (by entry id) an entry may get before it is trimmed, once every group
		 * is done with it. 0 for no limit.
		 */
		private @Nullable Duration maxAge;

		/**
		 * How often each listener with a limit trims its stream.
		 */
		private @Nullable Duration interval;

		public @Nullable Long getMaxLength() {
			return this.maxLength;
		}

		public void setMaxLength(@Nullable Long maxLength) {
			this.maxLength = maxLength;
		}

		public @Nullable Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(@Nullable Duration maxAge) {
			this.maxAge = maxAge;
		}

		public @Nullable Duration getInterval() {
			return this.interval;
		}

		public void setInterval(@Nullable Duration interval) {
			this.interval = interval;
		}

	}

	/**
	 * Idempotent consumption of one listener.
	 */
	public static class Idempotency {

		/**
		 * Field (header) that identifies a message: an entry whose value was already
		 * processed by the listener's group within the TTL is acknowledged without
		 * invoking the listener. Takes precedence over @RedisListener(idempotencyHeader).
		 */
		private @Nullable String header;

		/**
		 * How long a processed key is remembered.
		 */
		private @Nullable Duration ttl;

		public @Nullable String getHeader() {
			return this.header;
		}

		public void setHeader(@Nullable String header) {
			this.header = header;
		}

		public @Nullable Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(@Nullable Duration ttl) {
			this.ttl = ttl;
		}

	}

	/**
	 * Rate limit of one listener, shared by all its consumers and instances.
	 *
	 * @since 0.5.0
	 */
	public static class RateLimit {

		/**
		 * Most messages the listener handles per second, minute or hour, across all its
		 * consumers and instances, such as '50/s' or '3000/m'. Takes precedence
		 * over @RedisListener(maxRate).
		 */
		private @Nullable String rate;

		/**
		 * Most messages handled at once after a quiet time (the bucket's capacity), at
		 * least 1. Default: one second's worth of the rate.
		 */
		private @Nullable Long burst;

		public @Nullable String getRate() {
			return this.rate;
		}

		public void setRate(@Nullable String rate) {
			this.rate = rate;
		}

		public @Nullable Long getBurst() {
			return this.burst;
		}

		public void setBurst(@Nullable Long burst) {
			this.burst = burst;
		}

	}

	/**
	 * Settings of one listener, under 'redis.streams.listeners.<id>'; each value that is
	 * set takes precedence over the global property and the annotation's attribute.
	 */
	public static class PerListener extends Listener {

		/**
		 * Number of partitions of the listener's stream: with 8, the listener consumes
		 * '<stream>:{0}' to '<stream>:{7}', each in its own Redis Cluster hash slot and
		 * each with 'concurrency' consumers of its own. From 1 to 256; 0 for a plain
		 * stream. Takes precedence over @RedisListener(partitions).
		 */
		private @Nullable Integer partitions;

		private final Retry retry = new Retry();

		public @Nullable Integer getPartitions() {
			return this.partitions;
		}

		public void setPartitions(@Nullable Integer partitions) {
			this.partitions = partitions;
		}

		private final Reclaim reclaim = new Reclaim();

		private final Retention retention = new Retention();

		private final Idempotency idempotency = new Idempotency();

		private final RateLimit rateLimit = new RateLimit();

		/**
		 * Whether every running instance receives every entry, each through a consumer
		 * group of its own ('<group>.<instance-id>'). Takes precedence
		 * over @RedisListener(broadcast).
		 */
		private @Nullable Boolean broadcast;

		public @Nullable Boolean getBroadcast() {
			return this.broadcast;
		}

		public void setBroadcast(@Nullable Boolean broadcast) {
			this.broadcast = broadcast;
		}

		public Retry getRetry() {
			return this.retry;
		}

		public Reclaim getReclaim() {
			return this.reclaim;
		}

		public Retention getRetention() {
			return this.retention;
		}

		public Idempotency getIdempotency() {
			return this.idempotency;
		}

		public RateLimit getRateLimit() {
			return this.rateLimit;
		}

	}

	/**
	 * Configuration properties of the Redis Streams health indicator.
	 *
	 * @since 0.1.0
	 */
	public static class Health {

		/**
		 * How long the consumers of a listener may fail to talk to Redis (while retrying
		 * with back-off) before the health is DOWN. Zero makes it DOWN as soon as a
		 * failure is seen.
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
		 * What exceeding 'max-oldest-pending-age' or 'max-dead-letter-growth' does:
		 * 'warn' keeps the status and adds the 'warnings' detail, 'out-of-service' also
		 * sets the status to OUT_OF_SERVICE.
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

}
