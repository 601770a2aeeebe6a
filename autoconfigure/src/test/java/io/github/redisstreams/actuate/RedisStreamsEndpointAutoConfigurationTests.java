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

package io.github.redisstreams.actuate;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.redisstreams.autoconfigure.DeadLettersEndpointProperties;
import io.github.redisstreams.autoconfigure.RedisStreamsAutoConfiguration;
import io.github.redisstreams.autoconfigure.RedisStreamsEndpointAutoConfiguration;
import io.github.redisstreams.config.RedisStreamListenerRegistry;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisStreamsEndpointAutoConfiguration}. No listener is defined, so no
 * Redis is needed.
 */
class RedisStreamsEndpointAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				RedisStreamsAutoConfiguration.class, RedisStreamsEndpointAutoConfiguration.class))
		.withPropertyValues("spring.application.name=unit-app");

	@Test
	void endpointsAreAbsentUnlessExposed() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(RedisStreamsEndpoint.class)
			.doesNotHaveBean(DeadLettersEndpoint.class));
	}

	@Test
	void endpointsArePresentWhenExposed() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=redisstreams,deadletters")
			.run((context) -> assertThat(context).hasSingleBean(RedisStreamsEndpoint.class)
				.hasSingleBean(DeadLettersEndpoint.class)
				.hasSingleBean(RedisStreamsEndpointWebExtension.class)
				.hasSingleBean(DeadLettersEndpointWebExtension.class));
	}

	@Test
	void eachEndpointCanBeExposedOnItsOwn() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=deadletters")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisStreamsEndpoint.class)
				.hasSingleBean(DeadLettersEndpoint.class));
	}

	@Test
	void endpointsAreAbsentWhenTheirAccessIsNone() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=*",
					"management.endpoint.redisstreams.access=NONE", "management.endpoint.deadletters.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisStreamsEndpoint.class)
				.doesNotHaveBean(DeadLettersEndpoint.class));
	}

	@Test
	void endpointsAreAbsentWhenRedisStreamsIsDisabled() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=*", "redis.streams.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RedisStreamListenerRegistry.class)
				.doesNotHaveBean(RedisStreamsEndpoint.class)
				.doesNotHaveBean(DeadLettersEndpoint.class));
	}

	@Test
	void endpointsAreAbsentWithoutActuator() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=*")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RedisStreamsEndpoint.class)
				.doesNotHaveBean(DeadLettersEndpoint.class));
	}

	@Test
	void userDefinedEndpointsWin() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=*")
			.withUserConfiguration(CustomEndpoints.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisStreamsEndpoint.class).hasSingleBean(DeadLettersEndpoint.class);
				assertThat(context).hasBean("customRedisStreamsEndpoint").hasBean("customDeadLettersEndpoint");
			});
	}

	@Test
	void valuesAreHiddenByDefault() {
		this.runner.run((context) -> {
			DeadLettersEndpointProperties properties = context.getBean(DeadLettersEndpointProperties.class);
			assertThat(properties.getShowValues()).isEqualTo(Show.NEVER);
			assertThat(properties.getRoles()).isEmpty();
		});
	}

	@Test
	void showValuesAndRolesAreBound() {
		this.runner
			.withPropertyValues("management.endpoint.deadletters.show-values=when-authorized",
					"management.endpoint.deadletters.roles=ops,admin")
			.run((context) -> {
				DeadLettersEndpointProperties properties = context.getBean(DeadLettersEndpointProperties.class);
				assertThat(properties.getShowValues()).isEqualTo(Show.WHEN_AUTHORIZED);
				assertThat(properties.getRoles()).containsExactlyInAnyOrder("ops", "admin");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomEndpoints {

		@Bean
		RedisStreamsEndpoint customRedisStreamsEndpoint(RedisStreamListenerRegistry registry,
				RedisConnectionFactory connectionFactory) {
			return new RedisStreamsEndpoint(registry, connectionFactory);
		}

		@Bean
		DeadLettersEndpoint customDeadLettersEndpoint(RedisStreamListenerRegistry registry,
				RedisConnectionFactory connectionFactory) {
			return new DeadLettersEndpoint(registry, connectionFactory, List.of(), Show.ALWAYS, Set.of());
		}

	}

}
