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

package io.github.redisstreams.health;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.redisstreams.autoconfigure.RedisStreamsAutoConfiguration;
import io.github.redisstreams.autoconfigure.RedisStreamsHealthAutoConfiguration;
import io.github.redisstreams.autoconfigure.RedisStreamsServerCheckAutoConfiguration;
import io.github.redisstreams.support.RedisServerProbe;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisStreamsHealthAutoConfiguration} and
 * {@link RedisStreamsServerCheckAutoConfiguration}. No Redis is needed: nothing is probed
 * when no Redis answers at startup.
 */
class RedisStreamsHealthAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStreamsAutoConfiguration.class,
				RedisStreamsServerCheckAutoConfiguration.class, RedisStreamsHealthAutoConfiguration.class))
		// a port nobody listens on: the startup check only logs
		.withPropertyValues("spring.data.redis.port=1", "spring.data.redis.connect-timeout=1s",
				"spring.application.name=app");

	@Test
	void indicatorIsNamedSoThatTheComponentIsRedisstreams() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(RedisServerProbe.class);
			assertThat(context).hasSingleBean(RedisStreamsHealthIndicator.class);
			assertThat(context.getBeanNamesForType(RedisStreamsHealthIndicator.class))
				.containsExactly("redisstreamsHealthIndicator");
		});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "failing-threshold|-1s", "max-oldest-pending-age|-5m", "max-dead-letter-growth|-1" })
	void negativeThresholdsAreRefusedNamingTheProperty(String property, String value) {
		this.runner.withPropertyValues("redis.streams.health." + property + "=" + value)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("redis.streams.health." + property + " must not be negative"));
	}

	@Test
	void indicatorCanBeDisabled() {
		this.runner.withPropertyValues("management.health.redisstreams.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(RedisStreamsHealthIndicator.class);
			assertThat(context).hasSingleBean(RedisServerProbe.class);
		});
	}

	@Test
	void nothingWhenRedisStreamsIsDisabled() {
		this.runner.withPropertyValues("redis.streams.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(RedisStreamsHealthIndicator.class);
			assertThat(context).doesNotHaveBean(RedisServerProbe.class);
		});
	}

	@Test
	void noIndicatorWithoutSpringBootHealth() {
		this.runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run((context) -> {
			assertThat(context).doesNotHaveBean(RedisStreamsHealthIndicator.class);
			assertThat(context).hasSingleBean(RedisServerProbe.class);
		});
	}

	@Test
	void userProbeIsUsed() {
		this.runner.withUserConfiguration(CustomProbeConfiguration.class)
			.run((context) -> assertThat(context).getBean(RedisServerProbe.class)
				.isSameAs(context.getBean("customProbe")));
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomProbeConfiguration {

		@Bean
		RedisServerProbe customProbe(RedisConnectionFactory connectionFactory) {
			return new RedisServerProbe(connectionFactory);
		}

	}

}
