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

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.lettuce.core.RedisClient;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.annotation.EnableRedisListeners;
import io.github.redisstreams.config.DefaultRedisStreamListenerContainerFactory;
import io.github.redisstreams.config.ListenerOverrides;
import io.github.redisstreams.config.RedisStreamListenerConfigUtils;
import io.github.redisstreams.config.RetrySettings;
import io.github.redisstreams.deadletter.DeadLetterPublisher;
import io.github.redisstreams.deadletter.RedisDeadLetterPublisher;
import io.github.redisstreams.listener.ListenerMetrics;
import io.github.redisstreams.listener.adapter.StreamEntryMessageConverter;
import io.github.redisstreams.observation.StreamListenerObservationConvention;
import io.github.redisstreams.observation.StreamPublishObservationConvention;
import io.github.redisstreams.publish.RedisStreamPublisher;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.support.StreamStatisticsReader;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.util.StringUtils;
import org.springframework.util.backoff.ExponentialBackOff;

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
	@ConditionalOnMissingBean
	StreamPublisher streamPublisher(RedisConnectionFactory connectionFactory, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<StreamPublishObservationConvention> observationConvention) {
		RedisStreamPublisher publisher = new RedisStreamPublisher(new StringRedisTemplate(connectionFactory),
				jsonMapper.getIfAvailable(JsonMapper::new));
		publisher.setObservationRegistry(observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
		publisher.setObservationConvention(observationConvention.getIfUnique());
		return publisher;
	}

	@Bean
	@ConditionalOnMissingBean
	StreamStatisticsReader streamStatisticsReader(RedisConnectionFactory connectionFactory) {
		return new StreamStatisticsReader(connectionFactory);
	}

	@Bean
	@ConditionalOnMissingBean
	DeadLetterPublisher deadLetterPublisher(RedisConnectionFactory connectionFactory,
			RedisStreamsProperties properties) {
		RedisDeadLetterPublisher publisher = new RedisDeadLetterPublisher(connectionFactory);
		publisher.setMaxLength(properties.getDeadLetter().getMaxLength());
		publisher.setMaxStackTraceLength(properties.getDeadLetter().getMaxStackTraceLength());
		return publisher;
	}

	@Bean(name = RedisStreamListenerConfigUtils.DEFAULT_CONTAINER_FACTORY_BEAN_NAME)
	@ConditionalOnMissingBean(name = RedisStreamListenerConfigUtils.DEFAULT_CONTAINER_FACTORY_BEAN_NAME)
	DefaultRedisStreamListenerContainerFactory redisStreamListenerContainerFactory(RedisStreamsProperties properties,
			RedisConnectionFactory connectionFactory, StreamEntryMessageConverter messageConverter,
			DeadLetterPublisher deadLetterPublisher, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<StreamListenerObservationConvention> observationConvention,
			ObjectProvider<ListenerMetrics> listenerMetrics, BeanFactory beanFactory, Environment environment) {
		DefaultMessageHandlerMethodFactory methodFactory = new DefaultMessageHandlerMethodFactory();
		methodFactory.setMessageConverter(messageConverter);
		methodFactory.setBeanFactory(beanFactory);
		methodFactory.afterPropertiesSet();
		DefaultRedisStreamListenerContainerFactory factory = new DefaultRedisStreamListenerContainerFactory(
				connectionFactory, methodFactory);
		RedisStreamsProperties.Listener listener = properties.getListener();
		PropertyMapper map = PropertyMapper.get();
		map.from(defaultGroup(listener, environment)).to(factory::setGroup);
		map.from(instanceId(listener)).to(factory::setInstanceId);
		map.from(listener::getConcurrency).to(factory::setConcurrency);
		map.from(listener::getBatchSize).to(factory::setBatchSize);
		map.from(listener::getPollTimeout).to(factory::setPollTimeout);
		map.from(listener::getShutdownTimeout).to(factory::setShutdownTimeout);
		map.from(listener::getStartPosition).to(factory::setStartPosition);
		map.from(listener::isAutoStartup).to(factory::setAutoStartup);
		factory.setRecoveryBackOff(recoveryBackOff(listener.getRecovery()));
		RedisStreamsProperties.Retry retry = properties.getRetry();
		factory.setRetry(new RetrySettings(retry.getMaxRetries(), retry.getDelay(), retry.getMultiplier(),
				retry.getMaxDelay(), retry.getJitter(), retry.getNotRetryableExceptions()));
		RedisStreamsProperties.Reclaim reclaim = properties.getReclaim();
		map.from(reclaim::getInterval).to(factory::setReclaimInterval);
		map.from(reclaim::getMinIdleTime).to(factory::setMinIdleTime);
		map.from(reclaim::getDeadConsumerTimeout).to(factory::setDeadConsumerTimeout);
		factory.setDeadLetterPublisher(deadLetterPublisher);
		factory.setObservationRegistry(observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
		factory.setObservationConvention(observationConvention.getIfUnique());
		factory.setListenerMetrics(listenerMetrics.getIfAvailable(() -> ListenerMetrics.NONE));
		factory.setListenerOverrides(overrides(properties.getListeners()));
		return factory;
	}

	private static @Nullable String defaultGroup(RedisStreamsProperties.Listener listener, Environment environment) {
		return StringUtils.hasText(listener.getGroup()) ? listener.getGroup()
				: environment.getProperty("spring.application.name");
	}

	private static String instanceId(RedisStreamsProperties.Listener listener) {
		if (StringUtils.hasText(listener.getInstanceId())) {
			return listener.getInstanceId();
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			String host = System.getenv("HOSTNAME");
			return StringUtils.hasText(host) ? host : "localhost";
		}
	}

	private static ExponentialBackOff recoveryBackOff(RedisStreamsProperties.Recovery recovery) {
		ExponentialBackOff backOff = new ExponentialBackOff(recovery.getDelay().toMillis(), recovery.getMultiplier());
		backOff.setMaxInterval(recovery.getMaxDelay().toMillis());
		backOff.setJitter(recovery.getJitter().toMillis());
		return backOff;
	}

	private static Map<String, ListenerOverrides> overrides(
			Map<String, RedisStreamsProperties.ListenerOverride> listeners) {
		Map<String, ListenerOverrides> overrides = new LinkedHashMap<>();
		listeners.forEach((id, listener) -> {
			RedisStreamsProperties.RetryOverride retry = listener.getRetry();
			overrides.put(id,
					new ListenerOverrides(listener.getGroup(), listener.getConcurrency(), listener.getAutoStartup(),
							listener.getBatchSize(), listener.getPollTimeout(),
							new RetrySettings(retry.getMaxRetries(), retry.getDelay(), retry.getMultiplier(),
									retry.getMaxDelay(), retry.getJitter(), retry.getNotRetryableExceptions())));
		});
		return overrides;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableRedisListeners
	@ConditionalOnMissingBean(name = RedisStreamListenerConfigUtils.REDIS_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME)
	static class EnableRedisListenersConfiguration {

	}

}
