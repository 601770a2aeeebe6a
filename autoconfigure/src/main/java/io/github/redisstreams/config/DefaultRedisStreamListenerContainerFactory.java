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

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.deadletter.DeadLetterPublisher;
import io.github.redisstreams.deadletter.RedisDeadLetterPublisher;
import io.github.redisstreams.listener.ListenerMetrics;
import io.github.redisstreams.listener.ListenerSettings;
import io.github.redisstreams.listener.StreamListenerContainer;
import io.github.redisstreams.listener.adapter.MessagingStreamMessageHandler;
import io.github.redisstreams.listener.adapter.StreamMessageHandlerMethodFactory;
import io.github.redisstreams.observation.StreamListenerObservationConvention;
import io.github.redisstreams.retry.StreamErrorHandler;
import io.github.redisstreams.support.StreamKeys;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.util.Assert;

/**
 * The default {@link RedisStreamListenerContainerFactory}. A listener's settings are
 * built in this order, each step overriding the one before: the defaults of
 * {@link ListenerSettings.Builder}, this factory's {@link #setDefaultSettings default
 * settings} (the global properties, applied by
 * {@code RedisStreamListenerContainerFactoryConfigurer}), the {@code @RedisListener}
 * attributes, then every {@link RedisStreamListenerSettingsCustomizer} in order (the
 * per-listener properties {@code redis.streams.listeners.<id>.*} first).
 * <p>
 * Configure it before the application context starts its listeners; it is not meant to be
 * changed afterwards. {@link #createContainer} is thread-safe.
 *
 * @since 0.1.0
 */
public class DefaultRedisStreamListenerContainerFactory implements RedisStreamListenerContainerFactory {

	private final RedisConnectionFactory connectionFactory;

	private final MessageHandlerMethodFactory methodFactory;

	private Consumer<ListenerSettings.Builder> defaultSettings = (settings) -> {
	};

	private List<RedisStreamListenerSettingsCustomizer> settingsCustomizers = List.of();

	private DeadLetterPublisher deadLetterPublisher;

	private StreamErrorHandler errorHandler = StreamErrorHandler.DEFAULT;

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private @Nullable StreamListenerObservationConvention observationConvention;

	private ListenerMetrics listenerMetrics = ListenerMetrics.NONE;

	/**
	 * Create a factory.
	 * @param connectionFactory the Redis connection factory (Lettuce)
	 * @param methodFactory the factory of invocable listener methods, carrying the
	 * message converter and argument resolvers
	 * @throws IllegalArgumentException if an argument is {@code null}
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
	 * Set what every listener starts from, before its annotation attributes and the
	 * customizers. Default: the defaults of {@link ListenerSettings.Builder}. This
	 * replaces what was set before, including the global properties that
	 * {@code RedisStreamListenerContainerFactoryConfigurer} applied; to change one value
	 * after the configurer, use {@link #addSettingsCustomizer}.
	 * @param defaultSettings applies the default settings
	 * @throws IllegalArgumentException if {@code defaultSettings} is {@code null}
	 */
	public void setDefaultSettings(Consumer<ListenerSettings.Builder> defaultSettings) {
		Assert.notNull(defaultSettings, "'defaultSettings' must not be null");
		this.defaultSettings = defaultSettings;
	}

	/**
	 * Set the customizers applied to every listener's settings, in order, after its
	 * annotation attributes. This replaces the customizers set before, including the
	 * per-listener properties and the customizer beans that
	 * {@code RedisStreamListenerContainerFactoryConfigurer} installed; prefer
	 * {@link #addSettingsCustomizer}.
	 * @param settingsCustomizers the customizers
	 * @throws IllegalArgumentException if {@code settingsCustomizers} is {@code null}
	 */
	public void setSettingsCustomizers(List<RedisStreamListenerSettingsCustomizer> settingsCustomizers) {
		Assert.notNull(settingsCustomizers, "'settingsCustomizers' must not be null");
		this.settingsCustomizers = List.copyOf(settingsCustomizers);
	}

	/**
	 * Add a customizer after those already set.
	 * @param settingsCustomizer the customizer
	 * @throws IllegalArgumentException if {@code settingsCustomizer} is {@code null}
	 */
	public void addSettingsCustomizer(RedisStreamListenerSettingsCustomizer settingsCustomizer) {
		Assert.notNull(settingsCustomizer, "'settingsCustomizer' must not be null");
		List<RedisStreamListenerSettingsCustomizer> customizers = new ArrayList<>(this.settingsCustomizers);
		customizers.add(settingsCustomizer);
		this.settingsCustomizers = List.copyOf(customizers);
	}

	/**
	 * Set where messages that will not be processed go. Default: a
	 * {@link RedisDeadLetterPublisher} with the default dead-letter streams
	 * ({@code DeadLetterDestinationResolver.DEFAULT}); the configurer sets the
	 * auto-configured publisher, which uses the application's resolver.
	 * @param deadLetterPublisher the dead-letter publisher
	 * @throws IllegalArgumentException if {@code deadLetterPublisher} is {@code null}
	 */
	public void setDeadLetterPublisher(DeadLetterPublisher deadLetterPublisher) {
		Assert.notNull(deadLetterPublisher, "'deadLetterPublisher' must not be null");
		this.deadLetterPublisher = deadLetterPublisher;
	}

	/**
	 * Set what decides about failed deliveries. Default:
	 * {@link StreamErrorHandler#DEFAULT}, each listener's retry policy.
	 * @param errorHandler the error handler
	 * @throws IllegalArgumentException if {@code errorHandler} is {@code null}
	 */
	public void setErrorHandler(StreamErrorHandler errorHandler) {
		Assert.notNull(errorHandler, "'errorHandler' must not be null");
		this.errorHandler = errorHandler;
	}

	/**
	 * Set the registry that observes every listener invocation (the timer
	 * {@code redis.streams.listener} and, with tracing, a span). Default: none.
	 * @param observationRegistry the observation registry
	 * @throws IllegalArgumentException if {@code observationRegistry} is {@code null}
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
	 * @throws IllegalArgumentException if {@code listenerMetrics} is {@code null}
	 */
	public void setListenerMetrics(ListenerMetrics listenerMetrics) {
		Assert.notNull(listenerMetrics, "'listenerMetrics' must not be null");
		this.listenerMetrics = listenerMetrics;
	}

	@Override
	public StreamListenerContainer createContainer(RedisStreamListenerEndpoint endpoint) {
		ListenerSettings settings = resolveSettings(endpoint);
		MessagingStreamMessageHandler handler = (this.methodFactory instanceof StreamMessageHandlerMethodFactory streams)
				? streams.createMessageHandler(endpoint.getBean(), endpoint.getMethod())
				: new MessagingStreamMessageHandler(
						this.methodFactory.createInvocableHandlerMethod(endpoint.getBean(), endpoint.getMethod()));
		return StreamListenerContainer.builder(endpoint.getId(), endpoint.getStream(), settings)
			.connectionFactory(this.connectionFactory)
			.handler(handler)
			.deadLetterPublisher(this.deadLetterPublisher)
			.errorHandler(this.errorHandler)
			.observation(this.observationRegistry, this.observationConvention)
			.metrics(this.listenerMetrics)
			.build();
	}

	/**
	 * Resolve the settings of an endpoint.
	 * @param endpoint the endpoint
	 * @return the settings
	 * @throws IllegalStateException if a setting is invalid, with a message naming the
	 * listener and the setting
	 */
	protected ListenerSettings resolveSettings(RedisStreamListenerEndpoint endpoint) {
		ListenerSettings.Builder builder = ListenerSettings.builder();
		this.defaultSettings.accept(builder);
		endpoint.applyAttributes(builder);
		for (RedisStreamListenerSettingsCustomizer customizer : this.settingsCustomizers) {
			try {
				customizer.customize(endpoint.getId(), builder);
			}
			catch (RuntimeException ex) {
				throw new IllegalStateException("Listener '" + endpoint.getId() + "' (" + endpoint.getDescription()
						+ "): the settings customizer " + customizer + " failed: " + ex.getMessage(), ex);
			}
		}
		ListenerSettings settings;
		try {
			settings = builder.build();
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			// the message names the listener and the setting; the builder's stack adds
			// nothing
			throw new IllegalStateException(
					"Listener '" + endpoint.getId() + "' (" + endpoint.getDescription() + "): " + ex.getMessage());
		}
		if (settings.getPartitions() > 0) {
			try {
				StreamKeys.checkPartitionable(endpoint.getStream());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("Listener '" + endpoint.getId() + "' (" + endpoint.getDescription()
						+ "): partitions " + settings.getPartitions() + " (the 'partitions' attribute or "
						+ "redis.streams.listeners." + endpoint.getId() + ".partitions): " + ex.getMessage());
			}
		}
		return settings;
	}

}
