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

import io.github.redisstreams.actuate.DeadLettersEndpoint;
import io.github.redisstreams.actuate.DeadLettersEndpointWebExtension;
import io.github.redisstreams.actuate.RedisStreamsEndpoint;
import io.github.redisstreams.actuate.RedisStreamsEndpointWebExtension;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.deadletter.DeadLetterDestinationResolver;
import io.github.redisstreams.deadletter.DeadLetterStreams;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Auto-configuration of the Actuator endpoints {@code redisstreams}
 * ({@link RedisStreamsEndpoint}) and {@code deadletters} ({@link DeadLettersEndpoint}).
 * Both are read-only unless write access is granted, for example with
 * {@code management.endpoint.redisstreams.access=unrestricted}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = RedisStreamsAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(RedisStreamListenerRegistry.class)
@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
@EnableConfigurationProperties(DeadLettersEndpointProperties.class)
public final class RedisStreamsEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	RedisStreamsEndpoint redisStreamsEndpoint(RedisStreamListenerRegistry registry,
			RedisConnectionFactory connectionFactory,
			ObjectProvider<DeadLetterDestinationResolver> destinationResolver) {
		return new RedisStreamsEndpoint(registry, connectionFactory,
				destinationResolver.getIfAvailable(() -> DeadLetterDestinationResolver.DEFAULT));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(endpoint = RedisStreamsEndpoint.class, exposure = EndpointExposure.WEB)
	RedisStreamsEndpointWebExtension redisStreamsEndpointWebExtension(RedisStreamsEndpoint endpoint) {
		return new RedisStreamsEndpointWebExtension(endpoint);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(endpoint = DeadLettersEndpoint.class, exposure = EndpointExposure.WEB)
	DeadLettersEndpointWebExtension deadLettersEndpointWebExtension(DeadLettersEndpoint endpoint) {
		return new DeadLettersEndpointWebExtension(endpoint);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	DeadLettersEndpoint deadLettersEndpoint(RedisStreamListenerRegistry registry,
			RedisConnectionFactory connectionFactory, DeadLettersEndpointProperties properties,
			ObjectProvider<SanitizingFunction> sanitizingFunctions,
			ObjectProvider<DeadLetterDestinationResolver> destinationResolver,
			ObjectProvider<DeadLetterStreams> deadLetterStreams) {
		DeadLetterDestinationResolver resolver = destinationResolver
			.getIfAvailable(() -> DeadLetterDestinationResolver.DEFAULT);
		return new DeadLettersEndpoint(registry,
				deadLetterStreams.getIfAvailable(() -> new DeadLetterStreams(connectionFactory, resolver)), resolver,
				sanitizingFunctions.orderedStream().toList(), properties.getShowValues(), properties.getRoles());
	}

}
