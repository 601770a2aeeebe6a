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

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.autoconfigure.RedisStreamsHealthAutoConfiguration;
import io.github.redisstreams.autoconfigure.RedisStreamsServerCheckAutoConfiguration;
import io.github.redisstreams.listener.Acknowledgment;
import io.github.redisstreams.retry.NonRetryableException;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static io.github.redisstreams.health.RedisStreamsHealthIndicatorIntegrationTests.indicator;
import static io.github.redisstreams.health.RedisStreamsHealthIndicatorIntegrationTests.listener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisStreamsHealthIndicator}: the oldest pending age and dead-letter growth
 * thresholds.
 */
class RedisStreamsHealthThresholdsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	@Test
	void oldPendingEntryMakesTheStatusOutOfServiceWhenConfigured() {
		runner(NeverAcknowledgingConfiguration.class)
			.withPropertyValues("redis.streams.health.max-oldest-pending-age=300ms",
					"redis.streams.health.threshold-status=out-of-service")
			.run((context) -> {
				RedisStreamsHealthIndicator indicator = indicator(context);
				assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
				this.client.sync().xadd("jobs", Map.of("payload", "j-1"));
				await().atMost(TIMEOUT).until(() -> indicator.health().getStatus().equals(Status.OUT_OF_SERVICE));
				Health health = indicator.health();
				assertThat(listener(health, "jobs")).containsEntry("pending", 1L).containsKey("oldestPendingAge");
				assertThat((List<?>) health.getDetails().get("warnings")).singleElement()
					.asString()
					.contains("listener 'jobs'", "oldest pending entry", "maximum PT0.3S");
			});
	}

	@Test
	void oldPendingEntryIsOnlyAWarningByDefault() {
		runner(NeverAcknowledgingConfiguration.class)
			.withPropertyValues("redis.streams.health.max-oldest-pending-age=300ms")
			.run((context) -> {
				RedisStreamsHealthIndicator indicator = indicator(context);
				this.client.sync().xadd("jobs", Map.of("payload", "j-1"));
				await().atMost(TIMEOUT).until(() -> indicator.health().getDetails().containsKey("warnings"));
				Health health = indicator.health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat((List<?>) health.getDetails().get("warnings")).singleElement()
					.asString()
					.contains("oldest pending entry");
			});
	}

	@Test
	void deadLettersSincePreviousCheckBeyondTheMaximumMakeTheStatusOutOfService() {
		runner(RejectingConfiguration.class)
			.withPropertyValues("redis.streams.health.max-dead-letter-growth=1",
					"redis.streams.health.threshold-status=out-of-service")
			.run((context) -> {
				RedisStreamsHealthIndicator indicator = indicator(context);
				assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
				this.client.sync().xadd("jobs", Map.of("payload", "j-1"));
				this.client.sync().xadd("jobs", Map.of("payload", "j-2"));
				await().atMost(TIMEOUT).until(() -> this.client.sync().xlen("{jobs}:dlq") == 2);

				Health health = indicator.health();
				assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
				assertThat(listener(health, "jobs")).containsEntry("deadLetterLength", 2L);
				assertThat((List<?>) health.getDetails().get("warnings")).singleElement()
					.asString()
					.contains("2 entries of stream 'jobs' were dead-lettered since the previous health check");
				// nothing new since
				assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
			});
	}

	private static ApplicationContextRunner runner(Class<?> configuration) {
		return StreamsContextRunner.create(redis)
			.withConfiguration(AutoConfigurations.of(RedisStreamsServerCheckAutoConfiguration.class,
					RedisStreamsHealthAutoConfiguration.class))
			.withUserConfiguration(configuration);
	}

	@Configuration(proxyBeanMethods = false)
	static class NeverAcknowledgingConfiguration {

		@Bean
		NeverAcknowledgingListener neverAcknowledgingListener() {
			return new NeverAcknowledgingListener();
		}

	}

	static class NeverAcknowledgingListener {

		@RedisListener(id = "jobs", stream = "jobs")
		void onJob(String payload, Acknowledgment acknowledgment) {
			// never acknowledged: the entry stays pending
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RejectingConfiguration {

		@Bean
		RejectingListener rejectingListener() {
			return new RejectingListener();
		}

	}

	static class RejectingListener {

		@RedisListener(id = "jobs", stream = "jobs")
		void onJob(String payload) {
			throw new NonRetryableException("rejected " + payload);
		}

	}

}
