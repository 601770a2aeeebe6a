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
import java.util.concurrent.atomic.AtomicInteger;

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
	void entriesReadAheadDuringALongBatchAreNotReclaimedAndAreHandledOnce() {
		// a full batch of 2 takes about 1.2 s, longer than min-idle-time: the batch read
		// ahead meanwhile would be reclaimed and handled twice if its claims were not
		// refreshed
		List<String> ids = this.client.addAll("ahead", List.of(Map.of("n", "1"), Map.of("n", "2"), Map.of("n", "3"),
				Map.of("n", "4"), Map.of("n", "5"), Map.of("n", "6")));
		StreamsContextRunner.create(redis)
			.withUserConfiguration(SlowListener.class)
			.withPropertyValues("redis.streams.listener.batch-size=2", "redis.streams.reclaim.interval=100ms",
					"redis.streams.reclaim.min-idle-time=1s")
			.run((context) -> {
				SlowListener listener = context.getBean(SlowListener.class);
				await().atMost(TIMEOUT).until(() -> listener.handled.size() == 6);
				await().atMost(TIMEOUT).until(() -> this.client.pendingCount("ahead", "it-app") == 0);
				assertThat(listener.handled.keySet()).containsExactlyInAnyOrderElementsOf(ids);
				assertThat(listener.handled).allSatisfy((id, count) -> assertThat(count).hasValue(1));
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class SlowListener {

		final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();

		@RedisListener(id = "ahead", stream = "ahead", concurrency = "1")
		void on(Map<String, String> fields, StreamMessageContext context) throws InterruptedException {
			this.handled.computeIfAbsent(context.id(), (id) -> new AtomicInteger()).incrementAndGet();
			// work that takes a while
			Thread.sleep(600);
		}

	}

}
