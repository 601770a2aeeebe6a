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

package io.github.redisstreams.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.deadletter.DeadLetterPublisher;
import io.github.redisstreams.deadletter.RedisDeadLetterPublisher;
import io.github.redisstreams.listener.ContainerSettings;
import io.github.redisstreams.listener.ListenerMetrics;
import io.github.redisstreams.listener.RedisStreamListenerContainer;
import io.github.redisstreams.listener.StartPosition;
import io.github.redisstreams.listener.adapter.MessagingStreamMessageHandler;
import io.github.redisstreams.observation.StreamListenerObservationConvention;
import io.github.redisstreams.retry.ListenerRetryPolicy;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The default {@link RedisStreamListenerContainerFactory}. A listener's settings come
 * from, in order of precedence: its {@link ListenerOverrides} (by listener id), the
 * {@code @RedisListener} attributes, and this factory's defaults.
 *
 * @since 0.1.0
 */
public class DefaultRedisStreamListenerContainerFactory implements RedisStreamListenerContainerFactory {

	private final RedisConnectionFactory connectionFactory;

	private final MessageHandlerMethodFactory methodFactory;

	private @Nullable String group;

	private String instanceId = "localhost";

	private int concurrency = 1;

	private int batchSize = 100;

	private Duration pollTimeout = Duration.ofSeconds(2);

	private Duration shutdownTimeout = Duration.ofSeconds(10);

	private StartPosition startPosition = StartPosition.BEGINNING;

	private boolean autoStartup = true;

	private BackOff recoveryBackOff = new ExponentialBackOff(200, 2.0);

	private Map<String, ListenerOverrides> overrides = new LinkedHashMap<>();

	private RetrySettings retry = new RetrySettings(3L, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1),
			Duration.ZERO, List.of());

	private Duration reclaimInterval = Duration.ofSeconds(5);

	private Duration minIdleTime = Duration.ofSeconds(30);

	private Duration deadConsumerTimeout = Duration.ofHours(1);

	private DeadLetterPublisher deadLetterPublisher;

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private @Nullable StreamListenerObservationConvention observationConvention;

	private ListenerMetrics listenerMetrics = ListenerMetrics.NONE;

	/**
	 * Create a factory.
	 * @param connectionFactory the Redis connection factory (Lettuce)
	 * @param methodFactory the factory of invocable listener methods, carrying the
	 * message converter and argument resolvers
	 */
	public DefaultRedisStreamListenerContainerFactory(RedisConnectionFactory connectionFactory,
			MessageHandlerMethodFactory methodFactory) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.notNull(methodFactory, "'methodFactory' must not be null");
		this.connectionFactory = connectionFactory;
		this.methodFactory = methodFactory;
		this.deadLetterPublisher = new RedisDeadLetterPublisher(connectionFactory);
	}

	/**
	 * Set the default retry settings; every value must be set. Default: 3 retries, 1 s
	 * doubling up to 1 min, no jitter.
	 * @param retry the retry settings
	 */
	public void setRetry(RetrySettings retry) {
		Assert.isTrue(
				retry.maxRetries() != null && retry.delay() != null && retry.multiplier() != null
						&& retry.maxDelay() != null && retry.jitter() != null,
				"Every default retry setting must be set");
		this.retry = retry;
	}

	/**
	 * Set how often idle pending entries are reclaimed. Default: 5 seconds.
	 * @param reclaimInterval the interval
	 */
	public void setReclaimInterval(Duration reclaimInterval) {
		this.reclaimInterval = reclaimInterval;
	}

	/**
	 * Set how long a delivered entry may stay silent before it is presumed orphaned and
	 * reclaimed. Default: 30 seconds.
	 * @param minIdleTime the minimum idle time
	 */
	public void setMinIdleTime(Duration minIdleTime) {
		this.minIdleTime = minIdleTime;
	}

	/**
	 * Set how long a consumer with nothing pending may stay idle before it is removed
	 * from its group. Default: 1 hour.
	 * @param deadConsumerTimeout the timeout
	 */
	public void setDeadConsumerTimeout(Duration deadConsumerTimeout) {
		this.deadConsumerTimeout = deadConsumerTimeout;
	}

	/**
	 * Set where messages that will not be processed go. Default: a
	 * {@link RedisDeadLetterPublisher}.
	 * @param deadLetterPublisher the dead-letter publisher
	 */
	public void setDeadLetterPublisher(DeadLetterPublisher deadLetterPublisher) {
		Assert.notNull(deadLetterPublisher, "'deadLetterPublisher' must not be null");
		this.deadLetterPublisher = deadLetterPublisher;
	}

	/**
	 * Set the consumer group of listeners that do not name one. Default: none, so such a
	 * listener fails at startup.
	 * @param group the default group
	 */
	public void setGroup(@Nullable String group) {
		this.group = group;
	}

	/**
	 * Set the identifier of this application instance, the prefix of consumer names.
	 * Default: {@code localhost}.
	 * @param instanceId the instance id
	 */
	public void setInstanceId(String instanceId) {
		Assert.hasText(instanceId, "'instanceId' must not be empty");
		this.instanceId = instanceId;
	}

	/**
	 * Set the default number of consumers per listener. Default: 1.
	 * @param concurrency the concurrency
	 */
	public void setConcurrency(int concurrency) {
		this.concurrency = concurrency;
	}

	/**
	 * Set the maximum number of entries per read. Default: 100.
	 * @param batchSize the batch size
	 */
	public void setBatchSize(int batchSize) {
		this.batchSize = batchSize;
	}

	/**
	 * Set how long one read blocks waiting for entries. Default: 2 seconds.
	 * @param pollTimeout the poll timeout
	 */
	public void setPollTimeout(Duration pollTimeout) {
		this.pollTimeout = pollTimeout;
	}

	/**
	 * Set how long stopping waits for in-flight handlers. Default: 10 seconds.
	 * @param shutdownTimeout the shutdown timeout
	 */
	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	/**
	 * Set where groups created by listeners start. Default:
	 * {@link StartPosition#BEGINNING}.
	 * @param startPosition the start position
	 */
	public void setStartPosition(StartPosition startPosition) {
		this.startPosition = startPosition;
	}

	/**
	 * Set whether listeners start with the application context. Default: {@code true}.
	 * @param autoStartup the auto-startup flag
	 */
	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	/**
	 * Set the back-off between attempts while Redis fails. Default: exponential from 200
	 * ms, doubling.
	 * @param recoveryBackOff the back-off
	 */
	public void setRecoveryBackOff(BackOff recoveryBackOff) {
		this.recoveryBackOff = recoveryBackOff;
	}

	/**
	 * Set per-listener settings, keyed by listener id.
	 * @param overrides the overrides
	 */
	public void setListenerOverrides(Map<String, ListenerOverrides> overrides) {
		this.overrides = new LinkedHashMap<>(overrides);
	}

	/**
	 * Set the registry that observes every listener invocation (the timer
	 * {@code redis.streams.listener} and, with tracing, a span). Default: none.
	 * @param observationRegistry the observation registry
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		Assert.notNull(observationRegistry, "'observationRegistry' must not be null");
		this.observationRegistry = observationRegistry;
	}

	/**
	 * Set a custom convention for the listener observation. Default:
	 * {@code DefaultStreamListenerObservationConvention}.
	 * @param observationConvention the convention, or {@code null} for the default
	 */
	public void setObservationConvention(@Nullable StreamListenerObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	/**
	 * Set what receives the containers' counts (retries, dead letters, reclaims, lost
	 * acknowledgements, latency). Default: nothing.
	 * @param listenerMetrics the listener metrics
	 */
	public void setListenerMetrics(ListenerMetrics listenerMetrics) {
		Assert.notNull(listenerMetrics, "'listenerMetrics' must not be null");
		this.listenerMetrics = listenerMetrics;
	}

	@Override
	public RedisStreamListenerContainer createContainer(RedisStreamListenerEndpoint endpoint) {
		ContainerSettings settings = resolveSettings(endpoint);
		MessagingStreamMessageHandler handler = new MessagingStreamMessageHandler(
				this.methodFactory.createInvocableHandlerMethod(endpoint.getBean(), endpoint.getMethod()),
				endpoint.getSignature());
		RedisStreamListenerContainer container = new RedisStreamListenerContainer(settings, this.connectionFactory,
				handler, this.deadLetterPublisher);
		container.setInstrumentation(this.observationRegistry, this.observationConvention, this.listenerMetrics);
		return container;
	}

	/**
	 * Resolve the settings of an endpoint.
	 * @param endpoint the endpoint
	 * @return the settings
	 */
	protected ContainerSettings resolveSettings(RedisStreamListenerEndpoint endpoint) {
		ListenerOverrides override = this.overrides.getOrDefault(endpoint.getId(), ListenerOverrides.NONE);
		String group = firstText(override.group(), endpoint.getGroup(), this.group);
		if (!StringUtils.hasText(group)) {
			throw new IllegalStateException(prefix(endpoint) + "no consumer group: set the 'group' attribute of "
					+ "@RedisListener, redis.streams.listener.group, or spring.application.name");
		}
		int concurrency = first(override.concurrency(), endpoint.getConcurrency(), this.concurrency);
		int batchSize = first(override.batchSize(), this.batchSize);
		check(concurrency > 0, endpoint, "concurrency must be at least 1, was " + concurrency);
		check(batchSize > 0, endpoint, "batch-size must be at least 1, was " + batchSize);
		Duration pollTimeout = first(override.pollTimeout(), this.pollTimeout);
		check(pollTimeout.toMillis() > 0, endpoint, "poll-timeout must be at least 1ms, was " + pollTimeout);
		boolean autoStartup = first(override.autoStartup(), endpoint.getAutoStartup(), this.autoStartup);
		ListenerRetryPolicy retryPolicy;
		try {
			retryPolicy = RetrySettings.resolve(override.retry(), endpoint.getRetry(), this.retry);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(prefix(endpoint) + "invalid retry settings: " + ex.getMessage(), ex);
		}
		check(this.reclaimInterval.toMillis() > 0, endpoint,
				"redis.streams.reclaim.interval must be at least 1ms, was " + this.reclaimInterval);
		check(this.deadConsumerTimeout.toMillis() > 0, endpoint,
				"redis.streams.reclaim.dead-consumer-timeout must be at least 1ms, was " + this.deadConsumerTimeout);
		check(this.minIdleTime.compareTo(pollTimeout) > 0, endpoint,
				"redis.streams.reclaim.min-idle-time (" + this.minIdleTime + ") must be longer than the poll timeout ("
						+ pollTimeout + "), or entries read but not yet processed would be reclaimed");
		return new ContainerSettings(endpoint.getId(), endpoint.getStream(), group, this.instanceId, concurrency,
				batchSize, pollTimeout, this.shutdownTimeout, this.startPosition, autoStartup, this.recoveryBackOff,
				retryPolicy, this.reclaimInterval, this.minIdleTime, this.deadConsumerTimeout);
	}

	private static void check(boolean condition, RedisStreamListenerEndpoint endpoint, String message) {
		if (!condition) {
			throw new IllegalStateException(prefix(endpoint) + message);
		}
	}

	private static String prefix(RedisStreamListenerEndpoint endpoint) {
		return "Listener '" + endpoint.getId() + "' (" + endpoint.getDescription() + "): ";
	}

	private static @Nullable String firstText(@Nullable String... candidates) {
		for (String candidate : candidates) {
			if (StringUtils.hasText(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	@SafeVarargs
	private static <T> T first(@Nullable T... candidates) {
		for (T candidate : candidates) {
			if (candidate != null) {
				return candidate;
			}
		}
		throw new IllegalStateException("No value");
	}

}
