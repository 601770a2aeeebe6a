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

import java.util.function.Supplier;

import io.lettuce.core.RedisClient;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.annotation.EnableRedisListeners;
import io.github.redisstreams.config.DefaultRedisStreamListenerContainerFactory;
import io.github.redisstreams.config.RedisStreamListenerConfigUtils;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.config.RedisStreamListenerSettingsCustomizer;
import io.github.redisstreams.deadletter.DeadLetterDestinationResolver;
import io.github.redisstreams.deadletter.DeadLetterPublisher;
import io.github.redisstreams.deadletter.DeadLetterStreams;
import io.github.redisstreams.deadletter.RedisDeadLetterPublisher;
import io.github.redisstreams.listener.ListenerMetrics;
import io.github.redisstreams.listener.adapter.StreamEntryMessageConverter;
import io.github.redisstreams.listener.adapter.StreamMessageHandlerMethodFactory;
import io.github.redisstreams.observation.StreamListenerObservationConvention;
import io.github.redisstreams.observation.StreamPublishObservationConvention;
import io.github.redisstreams.publish.DelayedDeliveryMetrics;
import io.github.redisstreams.publish.DelayedDeliveryMover;
import io.github.redisstreams.publish.RedisStreamPublisher;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.retry.StreamErrorHandler;
import io.github.redisstreams.support.RedisServerInfo;
import io.github.redisstreams.support.RedisServerProbe;
import io.github.redisstreams.support.StreamStatisticsReader;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.messaging.Message;
import org.springframework.util.function.SingletonSupplier;

/**
 * Auto-configuration for Redis Streams: {@code @RedisListener} detection, the default
 * listener container factory and the {@link StreamPublisher}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class,
		afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnClass({ RedisConnectionFactory.class, RedisClient.class, Message.class, JsonMapper.class })
@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
@ConditionalOnBooleanProperty(name = "redis.streams.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RedisStreamsProperties.class)
public final class RedisStreamsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	StreamEntryMessageConverter redisStreamsMessageConverter(ObjectProvider<JsonMapper> jsonMapper) {
		return new StreamEntryMessageConverter(jsonMapper.getIfAvailable(JsonMapper::new));
	}

	@Bean
	PublishPartitions redisStreamsPublishPartitions(RedisStreamsProperties properties,
			ObjectProvider<RedisStreamListenerRegistry> registry) {
		return new PublishPartitions(properties.getPublish().getPartitions(), registry);
	}

	@Bean
	@ConditionalOnMissingBean
	StreamPublisher streamPublisher(RedisConnectionFactory connectionFactory, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<StreamPublishObservationConvention> observationConvention, PublishPartitions partitions,
			RedisStreamsProperties properties, Environment environment, ObjectProvider<RedisServerProbe> serverProbe) {
		RedisStreamPublisher publisher = new RedisStreamPublisher(new StringRedisTemplate(connectionFactory),
				jsonMapper.getIfAvailable(JsonMapper::new));
		publisher.setPartitions(partitions);
		RedisStreamsProperties.Publish publish = properties.getPublish();
		// the probe bean exists only with listeners; a publisher-only application probes
		// on
		// first need
		Supplier<RedisServerProbe> probe = SingletonSupplier
			.of(() -> serverProbe.getIfAvailable(() -> new RedisServerProbe(connectionFactory)));
		publisher.setIdempotency(environment.getProperty("spring.application.name"), publish.getIdempotencyWindow(),
				() -> publish.isServerIdempotency()
						&& probe.get().getServerInfo().hasCapability(RedisServerInfo.XADD_IDMP));
		publisher.setObservationRegistry(observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
		publisher.setObservationConvention(observationConvention.getIfUnique());
		return publisher;
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "redis.streams.delayed.enabled", matchIfMissing = true)
	DelayedDeliveryMover delayedDeliveryMover(RedisConnectionFactory connectionFactory,
			RedisStreamsProperties properties, ObjectProvider<DelayedDeliveryMetrics> metrics) {
		RedisStreamsProperties.Delayed delayed = properties.getDelayed();
		return new DelayedDeliveryMover(connectionFactory, delayed.getPollInterval(), delayed.getBatchSize(),
				metrics.getIfAvailable(() -> DelayedDeliveryMetrics.NONE));
	}

	@Bean
	@ConditionalOnMissingBean
	DeadLetterDestinationResolver deadLetterDestinationResolver() {
		return DeadLetterDestinationResolver.DEFAULT;
	}

	@Bean
	DeadLetterDestinationsCheck redisStreamsDeadLetterDestinationsCheck(
			ObjectProvider<RedisStreamListenerRegistry> registry,
			ObjectProvider<DeadLetterDestinationResolver> resolver) {
		return new DeadLetterDestinationsCheck(registry, resolver);
	}

	@Bean
	@ConditionalOnMissingBean
	StreamErrorHandler streamErrorHandler() {
		return StreamErrorHandler.DEFAULT;
	}

	@Bean
	@ConditionalOnMissingBean
	StreamStatisticsReader streamStatisticsReader(RedisConnectionFactory connectionFactory,
			DeadLetterDestinationResolver destinationResolver) {
		return new StreamStatisticsReader(connectionFactory, destinationResolver::resolve);
	}

	@Bean
	@ConditionalOnMissingBean
	DeadLetterPublisher deadLetterPublisher(RedisConnectionFactory connectionFactory, RedisStreamsProperties properties,
			DeadLetterDestinationResolver destinationResolver) {
		RedisDeadLetterPublisher publisher = new RedisDeadLetterPublisher(connectionFactory);
		publisher.setDestinationResolver(destinationResolver);
		publisher.setMaxLength(properties.getDeadLetter().getMaxLength());
		publisher.setMaxStackTraceLength(properties.getDeadLetter().getMaxStackTraceLength());
		return publisher;
	}

	@Bean
	@ConditionalOnMissingBean
	DeadLetterStreams deadLetterStreams(RedisConnectionFactory connectionFactory,
			DeadLetterDestinationResolver destinationResolver) {
		return new DeadLetterStreams(connectionFactory, destinationResolver);
	}

	@Bean
	@ConditionalOnMissingBean
	RedisStreamListenerContainerFactoryConfigurer redisStreamListenerContainerFactoryConfigurer(
			RedisStreamsProperties properties, StreamEntryMessageConverter messageConverter, BeanFactory beanFactory,
			Environment environment, ObjectProvider<RedisStreamListenerSettingsCustomizer> settingsCustomizers,
			DeadLetterPublisher deadLetterPublisher, StreamErrorHandler errorHandler,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<StreamListenerObservationConvention> observationConvention,
			ObjectProvider<ListenerMetrics> listenerMetrics) {
		StreamMessageHandlerMethodFactory methodFactory = new StreamMessageHandlerMethodFactory();
		methodFactory.setMessageConverter(messageConverter);
		methodFactory.setBeanFactory(beanFactory);
		methodFactory.afterPropertiesSet();
		RedisStreamListenerContainerFactoryConfigurer configurer = new RedisStreamListenerContainerFactoryConfigurer(
				properties, methodFactory);
		configurer.setApplicationName(environment.getProperty("spring.application.name"));
		configurer.setSettingsCustomizers(settingsCustomizers.orderedStream().toList());
		configurer.setDeadLetterPublisher(deadLetterPublisher);
		configurer.setErrorHandler(errorHandler);
		configurer.setObservationRegistry(observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
		configurer.setObservationConvention(observationConvention.getIfUnique());
		configurer.setListenerMetrics(listenerMetrics.getIfAvailable(() -> ListenerMetrics.NONE));
		return configurer;
	}

	@Bean(name = RedisStreamListenerConfigUtils.DEFAULT_CONTAINER_FACTORY_BEAN_NAME)
	@ConditionalOnMissingBean(name = RedisStreamListenerConfigUtils.DEFAULT_CONTAINER_FACTORY_BEAN_NAME)
	DefaultRedisStreamListenerContainerFactory redisStreamListenerContainerFactory(
			RedisStreamListenerContainerFactoryConfigurer configurer, RedisConnectionFactory connectionFactory) {
		DefaultRedisStreamListenerContainerFactory factory = new DefaultRedisStreamListenerContainerFactory(
				connectionFactory, configurer.getMessageHandlerMethodFactory());
		configurer.configure(factory);
		return factory;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableRedisListeners
	@ConditionalOnMissingBean(name = RedisStreamListenerConfigUtils.REDIS_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME)
	static class EnableRedisListenersConfiguration {

	}

}
