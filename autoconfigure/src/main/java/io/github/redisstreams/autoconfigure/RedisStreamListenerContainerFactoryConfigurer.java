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

import java.util.ArrayList;
import java.util.List;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.config.DefaultRedisStreamListenerContainerFactory;
import io.github.redisstreams.config.RedisStreamListenerSettingsCustomizer;
import io.github.redisstreams.deadletter.DeadLetterPublisher;
import io.github.redisstreams.listener.ListenerMetrics;
import io.github.redisstreams.listener.ListenerSettings;
import io.github.redisstreams.listener.RateLimit;
import io.github.redisstreams.observation.StreamListenerObservationConvention;
import io.github.redisstreams.retry.StreamErrorHandler;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Applies the {@code redis.streams.*} properties and the auto-configured collaborators
 * (dead-letter publisher, error handler, observation, metrics, settings customizers) to a
 * {@link DefaultRedisStreamListenerContainerFactory}. Inject it to declare your own
 * factory without losing the properties: <pre class="code">
 * &#064;Bean
 * DefaultRedisStreamListenerContainerFactory redisStreamListenerContainerFactory(
 *         RedisStreamListenerContainerFactoryConfigurer configurer, RedisConnectionFactory connectionFactory) {
 *     DefaultRedisStreamListenerContainerFactory factory = new DefaultRedisStreamListenerContainerFactory(
 *             connectionFactory, configurer.getMessageHandlerMethodFactory());
 *     configurer.configure(factory);
 *     // your own changes here
 *     return factory;
 * }
 * </pre>
 * <p>
 * Precedence, lowest first: the defaults of {@link ListenerSettings.Builder}, the global
 * properties ({@code redis.streams.listener.*}, {@code .retry.*}, {@code .reclaim.*}),
 * the {@code @RedisListener} attributes, the per-listener properties
 * ({@code redis.streams.listeners.<id>.*}), then the
 * {@link RedisStreamListenerSettingsCustomizer} beans in their order. Thread-safe once
 * built; {@link #configure} may be called for several factories. Created by the
 * auto-configuration.
 *
 * @since 0.2.0
 */
public class RedisStreamListenerContainerFactoryConfigurer {

	private final RedisStreamsProperties properties;

	private final MessageHandlerMethodFactory messageHandlerMethodFactory;

	private @Nullable String applicationName;

	private List<RedisStreamListenerSettingsCustomizer> settingsCustomizers = List.of();

	private @Nullable DeadLetterPublisher deadLetterPublisher;

	private StreamErrorHandler errorHandler = StreamErrorHandler.DEFAULT;

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private @Nullable StreamListenerObservationConvention observationConvention;

	private ListenerMetrics listenerMetrics = ListenerMetrics.NONE;

	RedisStreamListenerContainerFactoryConfigurer(RedisStreamsProperties properties,
			MessageHandlerMethodFactory messageHandlerMethodFactory) {
		this.properties = properties;
		this.messageHandlerMethodFactory = messageHandlerMethodFactory;
	}

	void setApplicationName(@Nullable String applicationName) {
		this.applicationName = applicationName;
	}

	void setSettingsCustomizers(List<RedisStreamListenerSettingsCustomizer> settingsCustomizers) {
		this.settingsCustomizers = List.copyOf(settingsCustomizers);
	}

	void setDeadLetterPublisher(DeadLetterPublisher deadLetterPublisher) {
		this.deadLetterPublisher = deadLetterPublisher;
	}

	void setErrorHandler(StreamErrorHandler errorHandler) {
		this.errorHandler = errorHandler;
	}

	void setObservationRegistry(ObservationRegistry observationRegistry) {
		this.observationRegistry = observationRegistry;
	}

	void setObservationConvention(@Nullable StreamListenerObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	void setListenerMetrics(ListenerMetrics listenerMetrics) {
		this.listenerMetrics = listenerMetrics;
	}

	/**
	 * Return the factory of invocable listener methods that the starter configures (the
	 * entry message converter with the application's JSON mapper, and the argument
	 * resolvers), to create a factory with.
	 * @return the message handler method factory
	 */
	public MessageHandlerMethodFactory getMessageHandlerMethodFactory() {
		return this.messageHandlerMethodFactory;
	}

	/**
	 * Apply the properties and collaborators to a factory. This replaces the factory's
	 * default settings and settings customizers.
	 * @param factory the factory to configure
	 * @throws IllegalArgumentException if {@code factory} is {@code null}
	 */
	public void configure(DefaultRedisStreamListenerContainerFactory factory) {
		Assert.notNull(factory, "'factory' must not be null");
		factory.setDefaultSettings(this::applyGlobal);
		List<RedisStreamListenerSettingsCustomizer> customizers = new ArrayList<>();
		customizers.add(this::applyPerListener);
		customizers.addAll(this.settingsCustomizers);
		factory.setSettingsCustomizers(customizers);
		if (this.deadLetterPublisher != null) {
			factory.setDeadLetterPublisher(this.deadLetterPublisher);
		}
		factory.setErrorHandler(this.errorHandler);
		factory.setObservationRegistry(this.observationRegistry);
		factory.setObservationConvention(this.observationConvention);
		factory.setListenerMetrics(this.listenerMetrics);
	}

	private void applyGlobal(ListenerSettings.Builder settings) {
		settings.group(this.applicationName);
		apply(this.properties.getListener(), settings);
		apply(this.properties.getRetry(), settings);
		apply(this.properties.getReclaim(), settings);
		apply(this.properties.getRetention(), settings);
	}

	private void applyPerListener(String listenerId, ListenerSettings.Builder settings) {
		RedisStreamsProperties.PerListener listener = this.properties.getListeners().get(listenerId);
		if (listener != null) {
			apply(listener, settings);
			PropertyMapper.get().from(listener::getPartitions).to(settings::partitions);
			apply(listener.getRetry(), settings);
			apply(listener.getReclaim(), settings);
			apply(listener.getRetention(), settings);
			PropertyMapper map = PropertyMapper.get();
			map.from(listener.getIdempotency()::getHeader).when(StringUtils::hasText).to(settings::idempotencyHeader);
			map.from(listener.getIdempotency()::getTtl).to(settings::idempotencyTtl);
			applyRateLimit(listenerId, listener.getRateLimit(), settings);
			map.from(listener::getBroadcast).to(settings::broadcast);
		}
	}

	private static void applyRateLimit(String listenerId, RedisStreamsProperties.RateLimit rateLimit,
			ListenerSettings.Builder settings) {
		String prefix = "redis.streams.listeners." + listenerId + ".rate-limit.";
		if (StringUtils.hasText(rateLimit.getRate())) {
			try {
				settings.rateLimit(RateLimit.parse(rateLimit.getRate()));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(prefix + "rate: " + ex.getMessage(), ex);
			}
		}
		Long burst = rateLimit.getBurst();
		if (burst != null) {
			RateLimit current = settings.getRateLimit();
			if (current == null) {
				throw new IllegalArgumentException(prefix + "burst is set but the listener has no rate limit: set "
						+ prefix + "rate or @RedisListener(maxRate)");
			}
			try {
				settings.rateLimit(current.withBurst(burst));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(prefix + "burst: " + ex.getMessage(), ex);
			}
		}
	}

	private static void apply(RedisStreamsProperties.Listener listener, ListenerSettings.Builder settings) {
		PropertyMapper map = PropertyMapper.get();
		map.from(listener::getGroup).when(StringUtils::hasText).to(settings::group);
		map.from(listener::getInstanceId).when(StringUtils::hasText).to(settings::instanceId);
		map.from(listener::getConcurrency).to(settings::concurrency);
		map.from(listener::getBatchSize).to(settings::batchSize);
		map.from(listener::getReadAhead).to(settings::readAhead);
		map.from(listener::getObservationEnabled).to(settings::observationEnabled);
		map.from(listener::getPollTimeout).to(settings::pollTimeout);
		map.from(listener::getShutdownTimeout).to(settings::shutdownTimeout);
		map.from(listener::getStartPosition).to(settings::startPosition);
		map.from(listener::getAutoStartup).to(settings::autoStartup);
		RedisStreamsProperties.Recovery recovery = listener.getRecovery();
		map.from(recovery::getDelay).to(settings::recoveryDelay);
		map.from(recovery::getMultiplier).to(settings::recoveryMultiplier);
		map.from(recovery::getMaxDelay).to(settings::recoveryMaxDelay);
		map.from(recovery::getJitter).to(settings::recoveryJitter);
	}

	private static void apply(RedisStreamsProperties.Retry retry, ListenerSettings.Builder settings) {
		PropertyMapper map = PropertyMapper.get();
		map.from(retry::getMaxRetries).to(settings::maxRetries);
		map.from(retry::getDelay).to(settings::retryDelay);
		map.from(retry::getMultiplier).to(settings::retryMultiplier);
		map.from(retry::getMaxDelay).to(settings::retryMaxDelay);
		map.from(retry::getJitter).to(settings::retryJitter);
		map.from(retry::getNotRetryableExceptions).to(settings::notRetryable);
	}

	private static void apply(RedisStreamsProperties.Retention retention, ListenerSettings.Builder settings) {
		PropertyMapper map = PropertyMapper.get();
		map.from(retention::getMaxLength).to(settings::retentionMaxLength);
		map.from(retention::getMaxAge).to(settings::retentionMaxAge);
		map.from(retention::getInterval).to(settings::retentionInterval);
	}

	private static void apply(RedisStreamsProperties.Reclaim reclaim, ListenerSettings.Builder settings) {
		PropertyMapper map = PropertyMapper.get();
		map.from(reclaim::getInterval).to(settings::reclaimInterval);
		map.from(reclaim::getMinIdleTime).to(settings::minIdleTime);
		map.from(reclaim::getDeadConsumerTimeout).to(settings::deadConsumerTimeout);
		map.from(reclaim::getClaimOnRead).to(settings::claimOnRead);
	}

}
