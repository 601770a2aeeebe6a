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

package io.github.redisstreams.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.autoconfigure.RedisStreamsAutoConfiguration;
import io.github.redisstreams.autoconfigure.RedisStreamsMetricsAutoConfiguration;
import io.github.redisstreams.deadletter.DeadLetterPublisher;
import io.github.redisstreams.listener.ListenerMetrics;
import io.github.redisstreams.test.RedisServerExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisStreamsMetricsAutoConfiguration}.
 */
class RedisStreamsMetricsAutoConfigurationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				RedisStreamsAutoConfiguration.class, MetricsAutoConfiguration.class,
				RedisStreamsMetricsAutoConfiguration.class))
		.withPropertyValues(redis.springProperties())
		.withBean(SimpleMeterRegistry.class);

	@Test
	void registersListenerMetricsAndTheDroppedDeadLettersCounter() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(MicrometerListenerMetrics.class)
				.hasSingleBean(StreamStatisticsMetrics.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("redis.streams.dead.letters.dropped").functionCounter().count()).isZero();
		});
	}

	@Test
	void noDroppedCounterForACustomDeadLetterPublisher() {
		this.contextRunner.withBean(DeadLetterPublisher.class, () -> (deadLetter) -> {
		}).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("redis.streams.dead.letters.dropped").functionCounter()).isNull();
		});
	}

	@Test
	void backsOffWithoutAMeterRegistry() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					RedisStreamsAutoConfiguration.class, RedisStreamsMetricsAutoConfiguration.class))
			.withPropertyValues(redis.springProperties())
			.run((context) -> assertThat(context).doesNotHaveBean(ListenerMetrics.class)
				.doesNotHaveBean(StreamStatisticsMetrics.class));
	}

}
