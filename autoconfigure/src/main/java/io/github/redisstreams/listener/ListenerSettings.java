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
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.retry.ListenerRetryPolicy;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.util.backoff.BackOff;

/**
 * Every setting of one listener, immutable and validated. The {@link Builder} holds the
 * only defaults of the starter; the properties ({@code redis.streams.listener.*},
 * {@code redis.streams.retry.*}, {@code redis.streams.reclaim.*}, then
 * {@code redis.streams.listeners.<id>.*}), the {@code @RedisListener} attributes and
 * {@code RedisStreamListenerSettingsCustomizer} beans each change a builder in turn.
 * <p>
 * Durations are {@link Duration}s with millisecond precision. Instances are immutable and
 * thread-safe; builders are not thread-safe.
 *
 * @since 0.2.0
 */
public final class ListenerSettings {

	/**
	 * What separates the configured group from the instance id in a broadcast listener's
	 * group: {@code cache-app.pod-a}.
	 * @since 0.5.0
	 */
	public static final String BROADCAST_SEPARATOR = ".";

	/**
	 * The largest number of partitions: each partition has its own consumers, each with a
	 * thread and a connection.
	 */
	public static final int MAX_PARTITIONS = 256;

	private final String group;

	private final String instanceId;

	private final int concurrency;

	private final int partitions;

	private final int batchSize;

	private final boolean readAhead;

	private final boolean observationEnabled;

	private final Duration pollTimeout;

	private final Duration shutdownTimeout;

	private final StartPosition startPosition;

	private final boolean autoStartup;

	private final RecoverySettings recovery;

	private final RetrySettings retry;

	private final ListenerRetryPolicy retryPolicy;

	private final Duration reclaimInterval;

	private final Duration minIdleTime;

	private final Duration deadConsumerTimeout;

	private final boolean claimOnRead;

	private final long retentionMaxLength;

	private final Duration retentionMaxAge;

	private final Duration retentionInterval;

	private final @Nullable String idempotencyHeader;

	private final Duration idempotencyTtl;

	private final @Nullable RateLimit rateLimit;

	private final boolean broadcast;

	private ListenerSettings(Builder builder, String group) {
		this.group = group;
		this.instanceId = builder.instanceId;
		this.concurrency = builder.concurrency;
		this.partitions = builder.partitions;
		this.batchSize = builder.batchSize;
		this.readAhead = builder.readAhead;
		this.observationEnabled = builder.observationEnabled;
		this.pollTimeout = builder.pollTimeout;
		this.shutdownTimeout = builder.shutdownTimeout;
		this.startPosition = builder.startPosition;
		this.autoStartup = builder.autoStartup;
		this.recovery = builder.recovery;
		this.retry = builder.retry;
		this.retryPolicy = builder.retry.toPolicy();
		this.reclaimInterval = builder.reclaimInterval;
		this.minIdleTime = builder.minIdleTime;
		this.deadConsumerTimeout = builder.deadConsumerTimeout;
		this.claimOnRead = builder.claimOnRead;
		this.retentionMaxLength = builder.retentionMaxLength;
		this.retentionMaxAge = builder.retentionMaxAge;
		this.retentionInterval = builder.retentionInterval;
		this.idempotencyHeader = builder.idempotencyHeader;
		this.idempotencyTtl = builder.idempotencyTtl;
		this.rateLimit = builder.rateLimit;
		this.broadcast = builder.broadcast;
	}

	/**
	 * Return a builder with the defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return a builder initialized with these settings.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.group = this.group;
		builder.instanceId = this.instanceId;
		builder.concurrency = this.concurrency;
		builder.partitions = this.partitions;
		builder.batchSize = this.batchSize;
		builder.readAhead = this.readAhead;
		builder.observationEnabled = this.observationEnabled;
		builder.pollTimeout = this.pollTimeout;
		builder.shutdownTimeout = this.shutdownTimeout;
		builder.startPosition = this.startPosition;
		builder.autoStartup = this.autoStartup;
		builder.recovery = this.recovery;
		builder.retry = this.retry;
		builder.reclaimInterval = this.reclaimInterval;
		builder.minIdleTime = this.minIdleTime;
		builder.deadConsumerTimeout = this.deadConsumerTimeout;
		builder.claimOnRead = this.claimOnRead;
		builder.retentionMaxLength = this.retentionMaxLength;
		builder.retentionMaxAge = this.retentionMaxAge;
		builder.retentionInterval = this.retentionInterval;
		builder.idempotencyHeader = this.idempotencyHeader;
		builder.idempotencyTtl = this.idempotencyTtl;
		builder.rateLimit = this.rateLimit;
		builder.broadcast = this.broadcast;
		return builder;
	}

	/**
	 * Return the consumer group: the configured one, or for a broadcast listener this
	 * instance's own, {@code <configured group>.<instance id>}.
	 * @return the group
	 */
	public String getGroup() {
		return this.broadcast ? this.group + BROADCAST_SEPARATOR + this.instanceId : this.group;
	}

	/**
	 * Return the consumer group as configured: for a broadcast listener, the prefix of
	 * every instance's group.
	 * @return the configured group
	 * @since 0.5.0
	 */
	public String getConfiguredGroup() {
		return this.group;
	}

	/**
	 * Return whether every instance receives every entry: each reads through a consumer
	 * group of its own ({@link #getGroup()}), created at the end of the stream when the
	 * instance first starts, and kept across its restarts (with the same instance id).
	 * @return whether the listener is a broadcast listener
	 * @since 0.5.0
	 */
	public boolean isBroadcast() {
		return this.broadcast;
	}

	/**
	 * Return the identifier of this application instance, the prefix of consumer names.
	 * @return the instance id
	 */
	public String getInstanceId() {
		return this.instanceId;
	}

	/**
	 * Return whether the instance id is the local host name (the default), which another
	 * instance on the same host shares.
	 * @return whether the instance id is the host name
	 */
	boolean isHostNameInstanceId() {
		return this.instanceId.equals(LocalInstance.ID);
	}

	/**
	 * Return the number of consumers, each with its own thread and connection.
	 * @return the concurrency, at least 1
	 */
	public int getConcurrency() {
		return this.concurrency;
	}

	/**
	 * Return the number of partitions of the stream: {@code 0} for a plain stream, else
	 * {@code n} for the streams {@code <stream>:{0}} to {@code <stream>:{n-1}}, each read
	 * by {@link #getConcurrency()} consumers of its own.
	 * @return the number of partitions, from 0 to {@value #MAX_PARTITIONS}
	 * @since 0.4.0
	 */
	public int getPartitions() {
		return this.partitions;
	}

	/**
	 * Return the maximum number of entries per read ({@code XREADGROUP COUNT}). A
	 * consumer asks for fewer when its handler is slow: no more than it works through in
	 * about a second (measured per consumer, a moving average over its batches), and at
	 * most 100 before its first batch was processed.
	 * @return the batch size, at least 1
	 */
	public int getBatchSize() {
		return this.batchSize;
	}

	/**
	 * Return whether a consumer reads its next batch ({@code XREADGROUP} without
	 * {@code BLOCK}) while it processes a batch that came back full.
	 * @return the read-ahead flag
	 */
	public boolean isReadAhead() {
		return this.readAhead;
	}

	/**
	 * Return whether every handler invocation is a Micrometer {@code Observation}
	 * ({@code redis.streams.listener}: a timer through the observation handlers, a span
	 * that continues the publisher's trace). When {@code false}, the invocation is timed
	 * with a {@code Timer} of the same name and tags kept per listener, outcome and
	 * exception type, and no trace is continued.
	 * @return the observation flag
	 * @since 0.5.0
	 */
	public boolean isObservationEnabled() {
		return this.observationEnabled;
	}

	/**
	 * Return how long one read blocks waiting for entries ({@code XREADGROUP BLOCK}).
	 * @return the poll timeout, at least 1 ms
	 */
	public Duration getPollTimeout() {
		return this.pollTimeout;
	}

	/**
	 * Return how long stopping waits for in-flight handlers.
	 * @return the shutdown timeout, not negative
	 */
	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	/**
	 * Return where a consumer group created by the listener starts.
	 * @return the start position
	 */
	public StartPosition getStartPosition() {
		return this.broadcast ? StartPosition.END : this.startPosition;
	}

	/**
	 * Return whether the listener starts with the application context.
	 * @return the auto-startup flag
	 */
	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	/**
	 * Return a new back-off for the attempts to reach Redis again after a failure.
	 * @return a new exponential back-off with jitter
	 */
	public BackOff getRecoveryBackOff() {
		return this.recovery.toBackOff();
	}

	/**
	 * Return the retry policy built from the retry settings.
	 * @return the retry policy
	 */
	public ListenerRetryPolicy getRetryPolicy() {
		return this.retryPolicy;
	}

	/**
	 * Return how often idle pending entries are reclaimed ({@code XAUTOCLAIM}).
	 * @return the reclaim interval, at least 1 ms
	 */
	public Duration getReclaimInterval() {
		return this.reclaimInterval;
	}

	/**
	 * Return how long a delivered entry may stay idle before it is presumed orphaned and
	 * reclaimed.
	 * @return the minimum idle time, longer than the poll timeout
	 */
	public Duration getMinIdleTime() {
		return this.minIdleTime;
	}

	/**
	 * Return how long a consumer with nothing pending may stay idle before it is removed
	 * from its group.
	 * @return the dead consumer timeout, at least 1 ms
	 */
	public Duration getDeadConsumerTimeout() {
		return this.deadConsumerTimeout;
	}

	/**
	 * Return whether consumers take over idle pending entries in their reads
	 * ({@code XREADGROUP ... CLAIM min-idle-time}, Redis 8.4+) where the server offers
	 * it. Where it does not, or when this is {@code false}, the reclaimer claims them
	 * ({@code XAUTOCLAIM}) every {@link #getReclaimInterval() reclaim interval}.
	 * @return whether idle entries are claimed in the read
	 */
	public boolean isClaimOnRead() {
		return this.claimOnRead;
	}

	/**
	 * Return how many entries the stream should keep: older entries are trimmed, but
	 * never one that a consumer group of the stream still needs (not yet delivered to it,
	 * or pending, which includes entries waiting for a retry).
	 * @return the maximum length, 0 for no limit
	 * @since 0.5.0
	 */
	public long getRetentionMaxLength() {
		return this.retentionMaxLength;
	}

	/**
	 * Return how old (by entry id) an entry may get before it is trimmed, under the same
	 * condition as {@link #getRetentionMaxLength()}.
	 * @return the maximum age, {@link Duration#ZERO} for no limit
	 * @since 0.5.0
	 */
	public Duration getRetentionMaxAge() {
		return this.retentionMaxAge;
	}

	/**
	 * Return how often the stream is trimmed when a retention limit is set.
	 * @return the interval, at least 1 ms
	 * @since 0.5.0
	 */
	public Duration getRetentionInterval() {
		return this.retentionInterval;
	}

	/**
	 * Return the field (header) that identifies a message for idempotent consumption: an
	 * entry whose value of it was already processed successfully by this group within
	 * {@link #getIdempotencyTtl()} is acknowledged without invoking the listener.
	 * @return the header, or {@code null} when consumption is not idempotent
	 * @since 0.5.0
	 */
	public @Nullable String getIdempotencyHeader() {
		return this.idempotencyHeader;
	}

	/**
	 * Return the most messages the listener handles per period, across all its consumers
	 * and instances: each consumer takes permits from one bucket in Redis before it
	 * reads, and reads at most as many entries as it was granted.
	 * @return the rate limit, or {@code null} for none
	 * @since 0.5.0
	 */
	public @Nullable RateLimit getRateLimit() {
		return this.rateLimit;
	}

	/**
	 * Return how long a processed key is remembered.
	 * @return the time to live, at least 1 ms
	 * @since 0.5.0
	 */
	public Duration getIdempotencyTtl() {
		return this.idempotencyTtl;
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

	@Override
	public String toString() {
		return "ListenerSettings[group=" + this.group + ", instanceId=" + this.instanceId + ", concurrency="
				+ this.concurrency + ", partitions=" + this.partitions + ", batchSize=" + this.batchSize
				+ ", readAhead=" + this.readAhead + ", observationEnabled=" + this.observationEnabled + ", pollTimeout="
				+ this.pollTimeout + ", shutdownTimeout=" + this.shutdownTimeout + ", startPosition="
				+ this.startPosition + ", autoStartup=" + this.autoStartup + ", " + this.recovery + ", "
				+ this.retryPolicy + ", reclaimInterval=" + this.reclaimInterval + ", minIdleTime=" + this.minIdleTime
				+ ", deadConsumerTimeout=" + this.deadConsumerTimeout + ", claimOnRead=" + this.claimOnRead
				+ ", retentionMaxLength=" + this.retentionMaxLength + ", retentionMaxAge=" + this.retentionMaxAge
				+ ", rateLimit=" + this.rateLimit + ", broadcast=" + this.broadcast + "]";
	}

	/**
	 * Builds {@link ListenerSettings}; every setter replaces the value (except
	 * {@link #notRetryable(List)}, which adds), rejects {@code null} with an
	 * {@link IllegalArgumentException}, and {@link #build()} checks the ranges. Not
	 * thread-safe.
	 */
	public static final class Builder {

		private @Nullable String group;

		private String instanceId = LocalInstance.ID;

		private int concurrency = 1;

		private int partitions;

		private int batchSize = 500;

		private boolean readAhead = true;

		private boolean observationEnabled;

		private Duration pollTimeout = Duration.ofSeconds(2);

		private Duration shutdownTimeout = Duration.ofSeconds(10);

		private StartPosition startPosition = StartPosition.BEGINNING;

		private boolean autoStartup = true;

		private RecoverySettings recovery = new RecoverySettings(Duration.ofMillis(200), 2.0, Duration.ofSeconds(10),
				Duration.ofMillis(100));

		private RetrySettings retry = new RetrySettings(3, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1),
				Duration.ZERO, List.of());

		private Duration reclaimInterval = Duration.ofSeconds(5);

		private Duration minIdleTime = Duration.ofSeconds(30);

		private Duration deadConsumerTimeout = Duration.ofHours(1);

		private boolean claimOnRead = true;

		private long retentionMaxLength;

		private Duration retentionMaxAge = Duration.ZERO;

		private Duration retentionInterval = Duration.ofSeconds(10);

		private @Nullable String idempotencyHeader;

		private Duration idempotencyTtl = Duration.ofHours(24);

		private @Nullable RateLimit rateLimit;

		private boolean broadcast;

		private Builder() {
		}

		/**
		 * Set the consumer group. Default: none; a listener without a group fails at
		 * startup.
		 * @param group the group
		 * @return this builder
		 */
		public Builder group(@Nullable String group) {
			this.group = group;
			return this;
		}

		/**
		 * Return the consumer group set so far.
		 * @return the group, or {@code null}
		 */
		public @Nullable String group() {
			return this.group;
		}

		/**
		 * Set the identifier of this application instance. Default: the local host name.
		 * @param instanceId the instance id, not empty
		 * @return this builder
		 * @throws IllegalArgumentException if {@code instanceId} is {@code null}
		 */
		public Builder instanceId(String instanceId) {
			Assert.notNull(instanceId, "'instance-id' must not be null");
			this.instanceId = instanceId;
			return this;
		}

		/**
		 * Set the number of consumers. Default: 1.
		 * @param concurrency at least 1
		 * @return this builder
		 */
		public Builder concurrency(int concurrency) {
			this.concurrency = concurrency;
			return this;
		}

		/**
		 * Set the number of partitions of the stream. Default: 0, a plain stream.
		 * @param partitions from 0 to {@value ListenerSettings#MAX_PARTITIONS}
		 * @return this builder
		 * @since 0.4.0
		 */
		public Builder partitions(int partitions) {
			this.partitions = partitions;
			return this;
		}

		/**
		 * Set the maximum number of entries per read; a consumer whose handler is slow
		 * asks for fewer (see {@link ListenerSettings#getBatchSize()}). Default: 500.
		 * @param batchSize at least 1
		 * @return this builder
		 */
		public Builder batchSize(int batchSize) {
			this.batchSize = batchSize;
			return this;
		}

		/**
		 * Set whether a consumer reads its next batch while it processes a batch that
		 * came back full. Default: {@code true}.
		 * @param readAhead the flag
		 * @return this builder
		 */
		public Builder readAhead(boolean readAhead) {
			this.readAhead = readAhead;
			return this;
		}

		/**
		 * Set whether every handler invocation is a Micrometer {@code Observation} (a
		 * timer through the observation handlers and a span that continues the
		 * publisher's trace), as Spring Kafka's {@code observationEnabled}. When
		 * {@code false}, invocations are timed with a cached {@code Timer} of the same
		 * name and tags, which costs far less per message. Default: {@code false}.
		 * @param observationEnabled the flag
		 * @return this builder
		 * @since 0.5.0
		 */
		public Builder observationEnabled(boolean observationEnabled) {
			this.observationEnabled = observationEnabled;
			return this;
		}

		/**
		 * Set how long one read blocks. Default: 2 seconds.
		 * @param pollTimeout at least 1 ms
		 * @return this builder
		 * @throws IllegalArgumentException if {@code pollTimeout} is {@code null}
		 */
		public Builder pollTimeout(Duration pollTimeout) {
			Assert.notNull(pollTimeout, "'poll-timeout' must not be null");
			this.pollTimeout = pollTimeout;
			return this;
		}

		/**
		 * Set how long stopping waits for in-flight handlers. Default: 10 seconds.
		 * @param shutdownTimeout not negative
		 * @return this builder
		 * @throws IllegalArgumentException if {@code shutdownTimeout} is {@code null}
		 */
		public Builder shutdownTimeout(Duration shutdownTimeout) {
			Assert.notNull(shutdownTimeout, "'shutdown-timeout' must not be null");
			this.shutdownTimeout = shutdownTimeout;
			return this;
		}

		/**
		 * Set where a group created by the listener starts. Default:
		 * {@link StartPosition#BEGINNING}.
		 * @param startPosition the start position
		 * @return this builder
		 * @throws IllegalArgumentException if {@code startPosition} is {@code null}
		 */
		public Builder startPosition(StartPosition startPosition) {
			Assert.notNull(startPosition, "'start-position' must not be null");
			this.startPosition = startPosition;
			return this;
		}

		/**
		 * Set whether the listener starts with the application context. Default:
		 * {@code true}.
		 * @param autoStartup the flag
		 * @return this builder
		 */
		public Builder autoStartup(boolean autoStartup) {
			this.autoStartup = autoStartup;
			return this;
		}

		/**
		 * Set the first delay of the back-off while Redis fails. Default: 200 ms.
		 * @param delay at least 1 ms
		 * @return this builder
		 * @throws IllegalArgumentException if {@code delay} is {@code null}
		 */
		public Builder recoveryDelay(Duration delay) {
			Assert.notNull(delay, "'recovery.delay' must not be null");
			this.recovery = new RecoverySettings(delay, this.recovery.multiplier(), this.recovery.maxDelay(),
					this.recovery.jitter());
			return this;
		}

		/**
		 * Set the factor of each further recovery delay. Default: 2.
		 * @param multiplier at least 1
		 * @return this builder
		 */
		public Builder recoveryMultiplier(double multiplier) {
			this.recovery = new RecoverySettings(this.recovery.delay(), multiplier, this.recovery.maxDelay(),
					this.recovery.jitter());
			return this;
		}

		/**
		 * Set the longest recovery delay. Default: 10 seconds.
		 * @param maxDelay not {@code null}; a value below the recovery delay is raised to
		 * it
		 * @return this builder
		 * @throws IllegalArgumentException if {@code maxDelay} is {@code null}
		 */
		public Builder recoveryMaxDelay(Duration maxDelay) {
			Assert.notNull(maxDelay, "'recovery.max-delay' must not be null");
			this.recovery = new RecoverySettings(this.recovery.delay(), this.recovery.multiplier(), maxDelay,
					this.recovery.jitter());
			return this;
		}

		/**
		 * Set the random variation of each recovery delay. Default: 100 ms.
		 * @param jitter not negative
		 * @return this builder
		 * @throws IllegalArgumentException if {@code jitter} is {@code null}
		 */
		public Builder recoveryJitter(Duration jitter) {
			Assert.notNull(jitter, "'recovery.jitter' must not be null");
			this.recovery = new RecoverySettings(this.recovery.delay(), this.recovery.multiplier(),
					this.recovery.maxDelay(), jitter);
			return this;
		}

		/**
		 * Set how many times a failed message is retried before it is dead-lettered.
		 * Default: 3.
		 * @param maxRetries not negative
		 * @return this builder
		 */
		public Builder maxRetries(long maxRetries) {
			this.retry = this.retry.with(maxRetries, null, null, null, null);
			return this;
		}

		/**
		 * Set the delay before the first retry. Default: 1 second.
		 * @param delay not negative
		 * @return this builder
		 * @throws IllegalArgumentException if {@code delay} is {@code null}
		 */
		public Builder retryDelay(Duration delay) {
			Assert.notNull(delay, "'retry.delay' must not be null");
			this.retry = this.retry.with(null, delay, null, null, null);
			return this;
		}

		/**
		 * Set the factor of each further retry delay. Default: 2.
		 * @param multiplier at least 1
		 * @return this builder
		 */
		public Builder retryMultiplier(double multiplier) {
			this.retry = this.retry.with(null, null, multiplier, null, null);
			return this;
		}

		/**
		 * Set the longest retry delay; a value shorter than the retry delay is raised to
		 * it. Default: 1 minute.
		 * @param maxDelay not negative
		 * @return this builder
		 * @throws IllegalArgumentException if {@code maxDelay} is {@code null}
		 */
		public Builder retryMaxDelay(Duration maxDelay) {
			Assert.notNull(maxDelay, "'retry.max-delay' must not be null");
			this.retry = this.retry.with(null, null, null, maxDelay, null);
			return this;
		}

		/**
		 * Set the random variation of each retry delay. Default: none.
		 * @param jitter not negative
		 * @return this builder
		 * @throws IllegalArgumentException if {@code jitter} is {@code null}
		 */
		public Builder retryJitter(Duration jitter) {
			Assert.notNull(jitter, "'retry.jitter' must not be null");
			this.retry = this.retry.with(null, null, null, null, jitter);
			return this;
		}

		/**
		 * Add exception types whose messages are dead-lettered at once as
		 * {@code not-retryable}. The types of every source add up.
		 * @param types the exception types
		 * @return this builder
		 * @throws IllegalArgumentException if {@code types} is {@code null}
		 */
		public Builder notRetryable(List<Class<? extends Throwable>> types) {
			Assert.notNull(types, "'retry.not-retryable-exceptions' must not be null");
			this.retry = this.retry.withNotRetryable(types);
			return this;
		}

		/**
		 * Set how often idle pending entries are reclaimed. Default: 5 seconds.
		 * @param reclaimInterval at least 1 ms
		 * @return this builder
		 * @throws IllegalArgumentException if {@code reclaimInterval} is {@code null}
		 */
		public Builder reclaimInterval(Duration reclaimInterval) {
			Assert.notNull(reclaimInterval, "'reclaim.interval' must not be null");
			this.reclaimInterval = reclaimInterval;
			return this;
		}

		/**
		 * Set how long a delivered entry may stay idle before it is reclaimed. Default:
		 * 30 seconds.
		 * @param minIdleTime longer than the poll timeout
		 * @return this builder
		 * @throws IllegalArgumentException if {@code minIdleTime} is {@code null}
		 */
		public Builder minIdleTime(Duration minIdleTime) {
			Assert.notNull(minIdleTime, "'reclaim.min-idle-time' must not be null");
			this.minIdleTime = minIdleTime;
			return this;
		}

		/**
		 * Set how long a consumer with nothing pending may stay idle before it is
		 * removed. Default: 1 hour.
		 * @param deadConsumerTimeout at least 1 ms
		 * @return this builder
		 * @throws IllegalArgumentException if {@code deadConsumerTimeout} is {@code null}
		 */
		public Builder deadConsumerTimeout(Duration deadConsumerTimeout) {
			Assert.notNull(deadConsumerTimeout, "'reclaim.dead-consumer-timeout' must not be null");
			this.deadConsumerTimeout = deadConsumerTimeout;
			return this;
		}

		/**
		 * Set whether consumers take over idle pending entries in their reads
		 * ({@code XREADGROUP ... CLAIM}) on servers that offer it (Redis 8.4+, found by
		 * {@code COMMAND DOCS}, not by version). Default: {@code true}. Other servers use
		 * the reclaimer's {@code XAUTOCLAIM} whatever this says.
		 * @param claimOnRead whether to claim in the read
		 * @return this builder
		 */
		public Builder claimOnRead(boolean claimOnRead) {
			this.claimOnRead = claimOnRead;
			return this;
		}

		/**
		 * Set how many entries the stream keeps; see
		 * {@link ListenerSettings#getRetentionMaxLength()}. Default: 0, no limit.
		 * @param retentionMaxLength at least 0
		 * @return this builder
		 * @since 0.5.0
		 */
		public Builder retentionMaxLength(long retentionMaxLength) {
			this.retentionMaxLength = retentionMaxLength;
			return this;
		}

		/**
		 * Set how old an entry may get before it is trimmed; see
		 * {@link ListenerSettings#getRetentionMaxAge()}. Default: zero, no limit.
		 * @param retentionMaxAge not negative
		 * @return this builder
		 * @throws IllegalArgumentException if {@code retentionMaxAge} is {@code null}
		 * @since 0.5.0
		 */
		public Builder retentionMaxAge(Duration retentionMaxAge) {
			Assert.notNull(retentionMaxAge, "'retention.max-age' must not be null");
			this.retentionMaxAge = retentionMaxAge;
			return this;
		}

		/**
		 * Set how often the stream is trimmed when a limit is set. Default: 10 seconds.
		 * @param retentionInterval at least 1 ms
		 * @return this builder
		 * @throws IllegalArgumentException if {@code retentionInterval} is {@code null}
		 * @since 0.5.0
		 */
		public Builder retentionInterval(Duration retentionInterval) {
			Assert.notNull(retentionInterval, "'retention.interval' must not be null");
			this.retentionInterval = retentionInterval;
			return this;
		}

		/**
		 * Set the header that identifies a message for idempotent consumption; see
		 * {@link ListenerSettings#getIdempotencyHeader()}. Default: none.
		 * @param idempotencyHeader the header, or {@code null} or empty for none
		 * @return this builder
		 * @since 0.5.0
		 */
		public Builder idempotencyHeader(@Nullable String idempotencyHeader) {
			this.idempotencyHeader = StringUtils.hasText(idempotencyHeader) ? idempotencyHeader : null;
			return this;
		}

		/**
		 * Set the rate limit; see {@link ListenerSettings#getRateLimit()}. Default: none.
		 * @param rateLimit the rate limit, or {@code null} for none
		 * @return this builder
		 * @since 0.5.0
		 */
		public Builder rateLimit(@Nullable RateLimit rateLimit) {
			this.rateLimit = rateLimit;
			return this;
		}

		/**
		 * Make the listener a broadcast listener; see
		 * {@link ListenerSettings#isBroadcast()}. Default: {@code false}.
		 * @param broadcast whether every instance receives every entry
		 * @return this builder
		 * @since 0.5.0
		 */
		public Builder broadcast(boolean broadcast) {
			this.broadcast = broadcast;
			return this;
		}

		/**
		 * Return the rate limit set so far.
		 * @return the rate limit, or {@code null}
		 * @since 0.5.0
		 */
		public @Nullable RateLimit getRateLimit() {
			return this.rateLimit;
		}

		/**
		 * Set how long a processed key is remembered. Default: 24 hours.
		 * @param idempotencyTtl at least 1 ms
		 * @return this builder
		 * @throws IllegalArgumentException if {@code idempotencyTtl} is {@code null}
		 * @since 0.5.0
		 */
		public Builder idempotencyTtl(Duration idempotencyTtl) {
			Assert.notNull(idempotencyTtl, "'idempotency.ttl' must not be null");
			this.idempotencyTtl = idempotencyTtl;
			return this;
		}

		/**
		 * Validate and build the settings.
		 * @return the settings
		 * @throws IllegalArgumentException if a value is out of range, with a message
		 * naming the setting by its property name (such as {@code batch-size} or
		 * {@code redis.streams.reclaim.min-idle-time}) and the value
		 * @throws IllegalStateException if no consumer group is set
		 */
		public ListenerSettings build() {
			String group = ListenerSettingsValidation.group(this.group);
			ListenerSettingsValidation.consumers(this.instanceId, this.concurrency, this.partitions, this.batchSize);
			ListenerSettingsValidation.reads(this.pollTimeout, this.shutdownTimeout, this.startPosition);
			ListenerSettingsValidation.recovery(this.recovery);
			ListenerSettingsValidation.reclaim(this.reclaimInterval, this.deadConsumerTimeout, this.minIdleTime,
					this.pollTimeout);
			ListenerSettingsValidation.retentionAndIdempotency(this.retentionMaxLength, this.retentionMaxAge,
					this.idempotencyTtl, this.retentionInterval);
			return new ListenerSettings(this, group);
		}

	}

}
