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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.autoconfigure.RedisStreamsMetricsAutoConfiguration;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.metrics.MicrometerListenerMetrics;
import io.github.redisstreams.publish.PublishRequest;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Idempotent consumption: a listener with an idempotency header handles each business
 * event once, however often it was published; the key is recorded with the
 * acknowledgement of a success only.
 */
@ExtendWith(OutputCaptureExtension.class)
class IdempotentConsumptionIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	private ApplicationContextRunner runner(String... properties) {
		return StreamsContextRunner.create(redis)
			.withConfiguration(AutoConfigurations.of(RedisStreamsMetricsAutoConfiguration.class))
			.withUserConfiguration(IdempotentConfiguration.class)
			.withPropertyValues(properties);
	}

	private static void publish(StreamPublisher publisher, String stream, String orderId) {
		publisher.publish(PublishRequest.to(stream).payload(Map.of("order", orderId)).header("order-id", orderId));
	}

	@Test
	void eachEventPublishedTwiceIsHandledOnceAndItsKeyIsRecordedForTheTtl() {
		runner("redis.streams.listeners.orders.idempotency.ttl=1h").run((context) -> {
			IdempotentListener listener = context.getBean(IdempotentListener.class);
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			for (int i = 0; i < 20; i++) {
				publish(publisher, "orders", "o-" + i);
				publish(publisher, "orders", "o-" + i);
			}
			// an entry without the header is processed every time
			publisher.publish(PublishRequest.to("orders").payload(Map.of("order", "anonymous")));
			publisher.publish(PublishRequest.to("orders").payload(Map.of("order", "anonymous")));
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.client.pendingCount("orders", "it-app") == 0
						&& this.client.sync().xlen("orders") == 42 && listener.handled.size() == 22);
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(5))
				.until(() -> listener.handled.size() == 22);
			assertThat(listener.handled).filteredOn((order) -> !order.equals("anonymous"))
				.hasSize(20)
				.doesNotHaveDuplicates();
			assertThat(context.getBean(MeterRegistry.class)
				.get(MicrometerListenerMetrics.DUPLICATES_SKIPPED)
				.tag("stream", "orders")
				.counter()
				.count()).isEqualTo(20);
			assertThat(this.client.sync().pttl("{orders}:processed:6:it-app:o-7"))
				.isBetween(Duration.ofMinutes(59).toMillis(), Duration.ofHours(1).toMillis());
		});
	}

	@Test
	void aCopyLaterInTheSameBatchIsSkippedEvenAfterTheFirstCopysAcknowledgementWasSent() {
		runner("redis.streams.listeners.slow-orders.auto-startup=false").run((context) -> {
			IdempotentListener listener = context.getBean(IdempotentListener.class);
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			// one batch: A(k), a slow entry without a key, then B(k); while the slow one
			// runs
			// longer than the poll timeout, A's acknowledgement (and key) is sent
			publish(publisher, "slow-orders", "k-1");
			publisher.publish(PublishRequest.to("slow-orders").payload(Map.of("order", "slow")));
			publish(publisher, "slow-orders", "k-1");
			context.getBean(RedisStreamListenerRegistry.class).startListener("slow-orders");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.client.pendingCount("slow-orders", "it-app") == 0
						&& listener.slowHandled.size() >= 2);
			assertThat(listener.slowHandled).containsExactly("k-1", "slow");
		});
	}

	@Test
	void aFailedAttemptRecordsNothingSoTheRetryAndALaterCopyAreHandled() {
		runner("redis.streams.retry.delay=200ms").run((context) -> {
			IdempotentListener listener = context.getBean(IdempotentListener.class);
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			publish(publisher, "flaky-orders", "f-1");
			// fails once, then succeeds on its retry
			await().atMost(Duration.ofSeconds(30)).until(() -> listener.flakySucceeded.size() == 1);
			assertThat(listener.flakyAttempts.get()).isEqualTo(2);
			// the key goes to Redis with the success's acknowledgement, after the handler
			// returned: buffered, sent with the consumer's next read or by the flusher
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.client.sync().exists("{flaky-orders}:processed:6:it-app:f-1") == 1);
			publish(publisher, "flaky-orders", "f-1");
			// the copy is skipped, not handled
			await().atMost(Duration.ofSeconds(30))
				.until(() -> duplicatesSkipped(context.getBean(MeterRegistry.class), "flaky-orders") == 1
						&& this.client.pendingCount("flaky-orders", "it-app") == 0);
			assertThat(listener.flakyAttempts.get()).isEqualTo(2);
		});
	}

	@Test
	void aRefusedLookupLeavesTheEntriesWithAKeyPendingUntilItWorksAndNamesTheRefusal(CapturedOutput output) {
		this.client.setUser("looker", "reset on >s3cret ~* &* +@all");
		try {
			runner("spring.data.redis.username=looker", "spring.data.redis.password=s3cret",
					"redis.streams.reclaim.min-idle-time=2s", "redis.streams.reclaim.interval=200ms")
				.run((context) -> {
					IdempotentListener listener = context.getBean(IdempotentListener.class);
					StreamPublisher publisher = context.getBean(StreamPublisher.class);
					publish(publisher, "orders", "o-0");
					await().atMost(Duration.ofSeconds(30)).until(() -> listener.handled.contains("o-0"));
					this.client.setUser("looker", "-mget");
					publish(publisher, "orders", "o-1");
					publisher.publish(PublishRequest.to("orders").payload(Map.of("order", "anonymous")));
					await().atMost(Duration.ofSeconds(30)).until(() -> listener.handled.contains("anonymous"));
					await().atMost(Duration.ofSeconds(10))
						.untilAsserted(() -> assertThat(output).contains("could not look up which of 1 entr(ies)")
							.contains("NOPERM")
							.contains("Redis refuses this every time"));
					// whether o-1 was processed already is unknown: it waits
					assertThat(listener.handled).containsExactly("o-0", "anonymous");
					this.client.setUser("looker", "+mget");
					await().atMost(Duration.ofSeconds(30))
						.until(() -> listener.handled.contains("o-1")
								&& this.client.pendingCount("orders", "it-app") == 0);
					assertThat(listener.handled).containsExactly("o-0", "anonymous", "o-1");
				});
		}
		finally {
			this.client.sync().aclDeluser("looker");
		}
	}

	@Test
	void aDeadLetteredMessageRecordsNothingSoACopyIsHandledAgain() {
		runner("redis.streams.retry.max-retries=0").run((context) -> {
			IdempotentListener listener = context.getBean(IdempotentListener.class);
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			publish(publisher, "doomed-orders", "d-1");
			await().atMost(Duration.ofSeconds(30)).until(() -> this.client.sync().xlen("{doomed-orders}:dlq") == 1);
			assertThat(this.client.sync().exists("{doomed-orders}:processed:6:it-app:d-1")).isZero();
			publish(publisher, "doomed-orders", "d-1");
			await().atMost(Duration.ofSeconds(30)).until(() -> this.client.sync().xlen("{doomed-orders}:dlq") == 2);
			assertThat(listener.doomedAttempts.get()).isEqualTo(2);
		});
	}

	private static double duplicatesSkipped(MeterRegistry meters, String stream) {
		Counter counter = meters.find(MicrometerListenerMetrics.DUPLICATES_SKIPPED).tag("stream", stream).counter();
		return (counter != null) ? counter.count() : 0;
	}

	static class IdempotentListener {

		final List<String> handled = new CopyOnWriteArrayList<>();

		final AtomicInteger flakyAttempts = new AtomicInteger();

		final List<String> flakySucceeded = new CopyOnWriteArrayList<>();

		final AtomicInteger doomedAttempts = new AtomicInteger();

		final Map<String, Long> deliveries = new ConcurrentHashMap<>();

		@RedisListener(id = "orders", stream = "orders", idempotencyHeader = "order-id")
		void onOrder(Map<String, String> fields) {
			this.handled.add(fields.get("payload").contains("anonymous") ? "anonymous" : fields.get("order-id"));
		}

		@RedisListener(id = "flaky-orders", stream = "flaky-orders", idempotencyHeader = "${it.header:order-id}")
		void onFlaky(Map<String, String> fields) {
			if (this.flakyAttempts.incrementAndGet() == 1) {
				throw new IllegalStateException("first attempt fails");
			}
			this.flakySucceeded.add(fields.get("order-id"));
		}

		final List<String> slowHandled = new CopyOnWriteArrayList<>();

		@RedisListener(id = "slow-orders", stream = "slow-orders", idempotencyHeader = "order-id")
		void onSlow(Map<String, String> fields) throws InterruptedException {
			String orderId = fields.get("order-id");
			this.slowHandled.add((orderId != null) ? orderId : "slow");
			if (orderId == null) {
				// longer than the poll timeout (200 ms): the flusher sends the first
				// copy's
				// acknowledgement meanwhile
				new CountDownLatch(1).await(1, TimeUnit.SECONDS);
			}
		}

		@RedisListener(id = "doomed-orders", stream = "doomed-orders", idempotencyHeader = "order-id")
		void onDoomed(Map<String, String> fields) {
			this.doomedAttempts.incrementAndGet();
			throw new IllegalStateException("always fails");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class IdempotentConfiguration {

		@Bean
		IdempotentListener idempotentListener() {
			return new IdempotentListener();
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
