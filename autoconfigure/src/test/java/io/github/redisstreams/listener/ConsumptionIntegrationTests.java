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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.models.stream.PendingMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * At-least-once consumption through a consumer group against a real Redis.
 */
class ConsumptionIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	@Test
	void everyMessageOfAMixedBatchIsProcessedExactlyOnceByFourConsumers() {
		int half = 10_000;
		List<Map<String, String>> flat = new ArrayList<>();
		for (int i = 0; i < half; i++) {
			flat.add(Map.of("seq", Integer.toString(i), "kind", "flat"));
		}
		// published before the listener ever started: the group starts at the beginning
		this.client.addAll("bulk", flat);
		StreamsContextRunner.create(redis).withUserConfiguration(BulkListenerConfiguration.class).run((context) -> {
			BulkListener listener = context.getBean(BulkListener.class);
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			for (int i = half; i < 2 * half; i++) {
				publisher.publish("bulk", new Item(i, "json"));
			}
			await().atMost(Duration.ofMinutes(2)).until(() -> listener.total.get() >= 2 * half);
			await().atMost(Duration.ofSeconds(30)).until(() -> this.client.pendingCount("bulk", "it-app") == 0);
			assertThat(listener.counts).hasSize(2 * half);
			assertThat(listener.counts.values()).allMatch((count) -> count.get() == 1);
			assertThat(listener.total.get()).isEqualTo(2 * half);
			assertThat(listener.kinds).containsExactlyInAnyOrder("flat", "json");
			assertThat(listener.consumers).hasSize(4);
			// the reading consumers; since Redis 7.2 and in Valkey XAUTOCLAIM also
			// creates
			// the reclaimer's consumer when it claims nothing
			assertThat(this.client.consumerNames("bulk", "it-app")).filteredOn((name) -> !name.endsWith("-reclaimer"))
				.containsExactlyInAnyOrderElementsOf(listener.consumers);
		});
	}

	@Test
	void failingMessagesStayPendingWhileTheOthersAreProcessed() {
		StreamsContextRunner.create(redis)
			.withUserConfiguration(FailingListenerConfiguration.class)
			.withPropertyValues("redis.streams.retry.delay=10m")
			.run((context) -> {
				FailingListener listener = context.getBean(FailingListener.class);
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				List<String> failedIds = new ArrayList<>();
				for (int i = 0; i < 100; i++) {
					String id = publisher.publish("flaky", new Item(i, "json"));
					if (i % 10 == 0) {
						failedIds.add(id);
					}
				}
				await().atMost(Duration.ofSeconds(30)).until(() -> listener.processed.size() == 90);
				await().atMost(Duration.ofSeconds(30)).until(() -> this.client.pendingCount("flaky", "it-app") == 10);
				assertThat(listener.failures.get()).isEqualTo(10);
				// waiting for their retry, they stay pending in the group
				assertThat(this.client.sync().xpending("flaky", "it-app", Range.create("-", "+"), Limit.from(100)))
					.extracting(PendingMessage::getId)
					.containsExactlyElementsOf(failedIds);
				// the loop kept running: a message published after the failures is
				// processed
				publisher.publish("flaky", new Item(1001, "json"));
				await().atMost(Duration.ofSeconds(30)).until(() -> listener.processed.contains(1001L));
			});
	}

	@Test
	void manualAcknowledgmentAcknowledgesOnlyWhatTheListenerAcknowledged() {
		StreamsContextRunner.create(redis).withUserConfiguration(ManualAckConfiguration.class).run((context) -> {
			ManualAckListener listener = context.getBean(ManualAckListener.class);
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			for (int i = 0; i < 20; i++) {
				publisher.publish("manual", new Item(i, "json"));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> listener.received.get() == 20);
			// the 10 acknowledged entries are sent with the next read; the rest stay
			// pending
			await().atMost(Duration.ofSeconds(30)).until(() -> this.client.pendingCount("manual", "it-app") == 10);
		});
		assertThat(this.client.pendingCount("manual", "it-app")).isEqualTo(10);
	}

	record Item(long seq, String kind) {
	}

	static class BulkListener {

		final Map<Long, AtomicInteger> counts = new ConcurrentHashMap<>();

		final AtomicInteger total = new AtomicInteger();

		final Set<String> kinds = ConcurrentHashMap.newKeySet();

		final Set<String> consumers = ConcurrentHashMap.newKeySet();

		@RedisListener(stream = "bulk", concurrency = "4")
		void onItem(Item item, StreamMessageContext context) {
			this.counts.computeIfAbsent(item.seq(), (seq) -> new AtomicInteger()).incrementAndGet();
			this.kinds.add(item.kind());
			this.consumers.add(context.consumer());
			this.total.incrementAndGet();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BulkListenerConfiguration {

		@Bean
		BulkListener bulkListener() {
			return new BulkListener();
		}

	}

	static class FailingListener {

		final Set<Long> processed = ConcurrentHashMap.newKeySet();

		final AtomicInteger failures = new AtomicInteger();

		@RedisListener(stream = "flaky")
		void onItem(Item item) {
			if (item.seq() % 10 == 0 && item.seq() < 100) {
				this.failures.incrementAndGet();
				throw new IllegalStateException("Simulated failure of " + item.seq());
			}
			this.processed.add(item.seq());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FailingListenerConfiguration {

		@Bean
		FailingListener failingListener() {
			return new FailingListener();
		}

	}

	static class ManualAckListener {

		final AtomicInteger received = new AtomicInteger();

		@RedisListener(stream = "manual")
		void onItem(Item item, Acknowledgment acknowledgment) {
			if (item.seq() % 2 == 0) {
				acknowledgment.acknowledge();
			}
			this.received.incrementAndGet();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ManualAckConfiguration {

		@Bean
		ManualAckListener manualAckListener() {
			return new ManualAckListener();
		}

	}

}
