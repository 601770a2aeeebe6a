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

package io.github.redisstreams.listener;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Consumers survive Redis going away: a killed and restarted server, and a deleted
 * stream. Redis runs with AOF ({@code appendfsync always}) so that what it acknowledged
 * survives the kill.
 */
class RedisFaultsIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension().withAppendOnly();

	private static final Duration RECOVERY_DELAY = Duration.ofMillis(300);

	private ApplicationContextRunner runner() {
		// fixed back-off without jitter, so that the spin check below has a known lower
		// bound
		return StreamsContextRunner.create(redis)
			.withUserConfiguration(CountingListenerConfiguration.class)
			.withPropertyValues("redis.streams.listener.recovery.delay=" + RECOVERY_DELAY.toMillis() + "ms",
					"redis.streams.listener.recovery.multiplier=1", "redis.streams.listener.recovery.jitter=0ms",
					"redis.streams.listener.recovery.max-delay=" + RECOVERY_DELAY.toMillis() + "ms",
					"spring.data.redis.timeout=5s", "spring.data.redis.connect-timeout=2s");
	}

	@Test
	void consumptionResumesAfterRedisIsKilledAndRestartedWithoutSpinning() {
		try (StreamTestClient setup = new StreamTestClient(redis)) {
			setup.sync().flushall();
		}
		runner().run((context) -> {
			CountingListener listener = context.getBean(CountingListener.class);
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			StreamListenerContainer container = context.getBean(RedisStreamListenerRegistry.class)
				.getListenerContainer("counting");
			for (int i = 0; i < 200; i++) {
				publisher.publish("events", Map.of("seq", i));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> listener.distinct() == 200);

			redis.kill();
			try {
				await().atMost(Duration.ofSeconds(30)).until(() -> container.getFailedAttempts() >= 1);
				long firstFailure = System.nanoTime();
				long failuresAtStart = container.getFailedAttempts();
				await().atMost(Duration.ofSeconds(30))
					.until(() -> container.getFailedAttempts() >= failuresAtStart + 9);
				// each of the two consumers waits one back-off delay after every failure,
				// so nine more failures need at least three and a half delays; a loop
				// that spun would get there in milliseconds
				assertThat(Duration.ofNanos(System.nanoTime() - firstFailure))
					.isGreaterThanOrEqualTo(RECOVERY_DELAY.multipliedBy(3));
				assertThat(container.isFailing()).isTrue();
				assertThat(container.isRunning()).isTrue();
			}
			finally {
				// the other test of this class uses the same server
				redis.start();
			}
			for (int i = 200; i < 400; i++) {
				publisher.publish("events", Map.of("seq", i));
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> listener.distinct() == 400);
			try (StreamTestClient client = new StreamTestClient(redis)) {
				await().atMost(Duration.ofSeconds(30)).until(() -> client.pendingCount("events", "it-app") == 0);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> !container.isFailing());
			assertThat(container.isHealthy()).isTrue();
		});
	}

	@Test
	void consumptionResumesAfterTheStreamIsDeleted() {
		try (StreamTestClient client = new StreamTestClient(redis)) {
			client.sync().flushall();
			runner().run((context) -> {
				CountingListener listener = context.getBean(CountingListener.class);
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				for (int i = 0; i < 50; i++) {
					publisher.publish("events", Map.of("seq", i));
				}
				await().atMost(Duration.ofSeconds(30)).until(() -> listener.distinct() == 50);
				await().atMost(Duration.ofSeconds(30)).until(() -> client.blockedReaders().size() == 2);

				client.sync().del("events");
				// the group vanished with the stream; entries published now recreate a
				// group-less stream, and the listener must recreate its group from the
				// start
				for (int i = 50; i < 100; i++) {
					publisher.publish("events", Map.of("seq", i));
				}
				await().atMost(Duration.ofSeconds(30)).until(() -> listener.distinct() == 100);
				await().atMost(Duration.ofSeconds(30)).until(() -> client.pendingCount("events", "it-app") == 0);
				assertThat(client.sync().xinfoGroups("events")).hasSize(1);
			});
		}
	}

	static class CountingListener {

		final Map<Object, AtomicInteger> seen = new ConcurrentHashMap<>();

		@RedisListener(id = "counting", stream = "events", concurrency = "2")
		void onEvent(Map<String, Object> event) {
			this.seen.computeIfAbsent(event.get("seq"), (seq) -> new AtomicInteger()).incrementAndGet();
		}

		int distinct() {
			return this.seen.size();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CountingListenerConfiguration {

		@Bean
		CountingListener countingListener() {
			return new CountingListener();
		}

	}

}
