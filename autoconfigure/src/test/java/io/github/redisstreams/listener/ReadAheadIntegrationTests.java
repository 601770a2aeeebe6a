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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.models.stream.PendingMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests: entries read ahead while a full batch is processed are this
 * consumer's, their claims are refreshed, and each is handled once.
 */
class ReadAheadIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	@Test
	void entriesReadAheadWhileAHandlerRunsLongAreNotReclaimedAndAreHandledOnce() {
		List<String> ids = this.client.addAll("ahead", List.of(Map.of("n", "1"), Map.of("n", "2"), Map.of("n", "3"),
				Map.of("n", "4"), Map.of("n", "5"), Map.of("n", "6"), Map.of("n", "7"), Map.of("n", "8")));
		StreamsContextRunner.create(redis)
			.withUserConfiguration(HeldListener.class)
			.withPropertyValues("redis.streams.listener.batch-size=2", "redis.streams.reclaim.interval=100ms",
					"redis.streams.reclaim.min-idle-time=1s")
			.run((context) -> {
				HeldListener listener = context.getBean(HeldListener.class);
				try {
					// the first batch (entries 1 and 2) times the handler: a consumer
					// reads
					// ahead only once it has; the handler holds the first entry of the
					// second full batch, and the next batch (entries 5 and 6) is read
					// ahead
					// meanwhile
					await().atMost(TIMEOUT).until(() -> listener.handled.size() == 3);
					await().atMost(TIMEOUT).until(() -> ownedByTheConsumer(ids.subList(2, 6)));
					// for three times min-idle-time, the reclaimer would take entries
					// whose
					// claims were not refreshed: they stay the consumer's
					await().during(Duration.ofSeconds(3))
						.atMost(Duration.ofSeconds(10))
						.until(() -> ownedByTheConsumer(ids.subList(2, 6)));
				}
				finally {
					listener.release.countDown();
				}
				await().atMost(TIMEOUT).until(() -> listener.handled.size() == 8);
				await().atMost(TIMEOUT).until(() -> this.client.pendingCount("ahead", "it-app") == 0);
				assertThat(listener.handled.keySet()).containsExactlyInAnyOrderElementsOf(ids);
				assertThat(listener.handled).allSatisfy((id, count) -> assertThat(count).hasValue(1));
			});
	}

	private boolean ownedByTheConsumer(List<String> ids) {
		List<PendingMessage> pending = this.client.sync()
			.xpending("ahead", "it-app", Range.create(ids.get(0), ids.get(ids.size() - 1)), Limit.from(ids.size()));
		return pending.size() == ids.size()
				&& pending.stream().allMatch((message) -> message.getConsumer().equals("it-node-0"));
	}

	@Configuration(proxyBeanMethods = false)
	static class HeldListener {

		final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();

		final CountDownLatch release = new CountDownLatch(1);

		@RedisListener(id = "ahead", stream = "ahead", concurrency = "1")
		void on(Map<String, String> fields, StreamMessageContext context) throws InterruptedException {
			this.handled.computeIfAbsent(context.id(), (id) -> new AtomicInteger()).incrementAndGet();
			if (this.handled.size() == 3) {
				this.release.await(60, TimeUnit.SECONDS);
			}
		}

	}

}
