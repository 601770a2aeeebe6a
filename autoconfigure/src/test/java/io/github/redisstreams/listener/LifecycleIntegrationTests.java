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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping and starting listeners, and what blocking consumers do to the rest of the
 * application.
 */
class LifecycleIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	@Test
	void entriesInFlightWhenAConsumerIsStoppedAbruptlyAreProcessedAfterRestart() {
		// published before the start, so that the first read takes all five at once
		for (int i = 0; i < 5; i++) {
			this.client.sync().xadd("jobs", Map.of("seq", Integer.toString(i)));
		}
		StreamsContextRunner.create(redis)
			.withUserConfiguration(BlockingListenerConfiguration.class)
			.withPropertyValues("redis.streams.listener.shutdown-timeout=300ms")
			.run((context) -> {
				BlockingListener listener = context.getBean(BlockingListener.class);
				try {
					RedisStreamListenerRegistry registry = context.getBean(RedisStreamListenerRegistry.class);
					assertThat(listener.inFlight.await(30, TimeUnit.SECONDS)).isTrue();
					// the handler is stuck: stopping gives up after the shutdown timeout
					// and
					// acknowledges nothing that was not processed
					registry.stopListener("jobs");
					assertThat(registry.getListenerContainer("jobs").isRunning()).isFalse();
					assertThat(this.client.pendingCount("jobs", "it-app")).isEqualTo(5);
					assertThat(listener.processed).isEmpty();

					listener.block.set(false);
					registry.startListener("jobs");
					listener.release.countDown();
					await().atMost(Duration.ofSeconds(30)).until(() -> listener.processed.size() == 5);
					await().atMost(Duration.ofSeconds(30)).until(() -> this.client.pendingCount("jobs", "it-app") == 0);
					assertThat(listener.maxAttempt.get()).isGreaterThanOrEqualTo(2);
				}
				finally {
					// a failure above must not leave the handler's thread blocked
					listener.release.countDown();
				}
			});
	}

	@Test
	void theApplicationsSharedConnectionStaysUsableWhileConsumersBlock() {
		StreamsContextRunner.create(redis)
			.withUserConfiguration(IdleListenerConfiguration.class)
			.withPropertyValues("redis.streams.listener.poll-timeout=30s", "spring.data.redis.timeout=60s",
					"redis.streams.reclaim.min-idle-time=2m")
			.run((context) -> {
				StringRedisTemplate template = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
				template.execute((RedisCallback<Object>) (connection) -> {
					setName(connection);
					return null;
				});
				await().atMost(Duration.ofSeconds(30)).until(() -> this.client.blockedReaders().size() == 3);
				assertThat(this.client.blockedReaders()).noneMatch((line) -> line.contains("name=application-shared"));
				// a GET queued behind a 30 s BLOCK on the same connection would time this
				// out
				template.opsForValue().set("greeting", "hello");
				await().atMost(Duration.ofSeconds(5))
					.until(() -> "hello".equals(template.opsForValue().get("greeting")));
				assertThat(this.client.clientList()).contains("name=application-shared");
			});
		// and stopping did not wait for the 30 s poll timeout to expire: CLIENT UNBLOCK
		// woke them up
		assertThat(this.client.blockedReaders()).isEmpty();
	}

	@Test
	void aListenerStoppedWhileFailingIsNoLongerFailingAfterItRecovers() {
		// a plain string where the stream should be: every read fails with WRONGTYPE
		this.client.sync().set("jobs", "not a stream");
		StreamsContextRunner.create(redis).withUserConfiguration(BlockingListenerConfiguration.class).run((context) -> {
			BlockingListener listener = context.getBean(BlockingListener.class);
			listener.block.set(false);
			RedisStreamListenerRegistry registry = context.getBean(RedisStreamListenerRegistry.class);
			StreamListenerContainer container = registry.getListenerContainer("jobs");
			await().atMost(Duration.ofSeconds(30)).until(container::isFailing);
			registry.stopListener("jobs");
			this.client.sync().del("jobs");
			registry.startListener("jobs");
			this.client.sync().xadd("jobs", Map.of("seq", "1"));
			await().atMost(Duration.ofSeconds(30)).until(() -> listener.processed.size() == 1);
			assertThat(container.isFailing()).isFalse();
			assertThat(container.isHealthy()).isTrue();
		});
	}

	private static void setName(RedisConnection connection) {
		connection.serverCommands().setClientName("application-shared".getBytes());
	}

	static class BlockingListener {

		final AtomicBoolean block = new AtomicBoolean(true);

		final CountDownLatch inFlight = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final Map<Object, Boolean> processed = new ConcurrentHashMap<>();

		final AtomicInteger maxAttempt = new AtomicInteger();

		@RedisListener(id = "jobs", stream = "jobs")
		void onJob(Map<String, Object> job, StreamMessageContext context) throws InterruptedException {
			if (this.block.get()) {
				this.inFlight.countDown();
				this.release.await();
			}
			this.maxAttempt.accumulateAndGet((int) context.deliveryAttempt(), Math::max);
			this.processed.put(job.get("seq"), true);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BlockingListenerConfiguration {

		@Bean
		BlockingListener blockingListener() {
			return new BlockingListener();
		}

	}

	static class IdleListener {

		@RedisListener(stream = "idle", concurrency = "3")
		void onMessage(String message) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class IdleListenerConfiguration {

		@Bean
		IdleListener idleListener() {
			return new IdleListener();
		}

	}

}
