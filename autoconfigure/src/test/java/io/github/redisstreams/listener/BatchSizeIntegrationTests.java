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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.Consumer;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
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
 * Integration tests: with the default batch size of 500, a consumer whose handler takes a
 * second or more asks for one entry per read, so a backlog stays in the stream for other
 * consumers instead of being held by one; and takes over no more than that of a dead
 * consumer's entries at a time.
 */
class BatchSizeIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	@Test
	void aConsumerOfASlowHandlerHoldsOneEntryAndOneReadAheadNotTheBacklog() {
		StreamsContextRunner.create(redis).withUserConfiguration(SlowListener.class).run((context) -> {
			SlowListener listener = context.getBean(SlowListener.class);
			try {
				// the first entry times the handler (a little over a second); the backlog
				// arrives meanwhile, so that the next read could take all of it
				this.client.addAll("jobs", List.of(Map.of("n", "1")));
				await().atMost(TIMEOUT).until(() -> listener.started.get() == 1);
				List<String> backlog = this.client.addAll("jobs", List.of(Map.of("n", "2"), Map.of("n", "3"),
						Map.of("n", "4"), Map.of("n", "5"), Map.of("n", "6"), Map.of("n", "7")));
				await().atMost(TIMEOUT).until(() -> listener.started.get() == 2);
				// the entry being handled and the one read ahead; with a fixed COUNT of
				// 500
				// (or the former default of 100) the consumer held all six
				assertThat(this.client.pendingCount("jobs", "it-app")).isBetween(1L, 2L);
				assertThat(listener.handled.keySet()).doesNotContainAnyElementsOf(backlog.subList(2, 6));
			}
			finally {
				listener.release.countDown();
			}
			await().atMost(TIMEOUT).until(() -> listener.handled.size() == 7);
			await().atMost(TIMEOUT).until(() -> this.client.pendingCount("jobs", "it-app") == 0);
			assertThat(listener.handled).allSatisfy((id, count) -> assertThat(count).hasValue(1));
		});
	}

	@Test
	void aConsumerThatHasNotTimedItsHandlerYetTakesOneHundredAndDoesNotReadAhead() {
		List<Map<String, String>> backlog = new ArrayList<>();
		for (int i = 0; i < 150; i++) {
			backlog.add(Map.of("n", Integer.toString(i)));
		}
		this.client.addAll("jobs", backlog);
		StreamsContextRunner.create(redis).withUserConfiguration(SlowListener.class).run((context) -> {
			SlowListener listener = context.getBean(SlowListener.class);
			try {
				await().atMost(TIMEOUT).until(() -> listener.started.get() == 1);
				// the first batch only: a read ahead of another 100 would hold the rest
				// of
				// the backlog behind a handler whose speed is not known yet
				assertThat(this.client.pendingCount("jobs", "it-app")).isEqualTo(100);
			}
			finally {
				listener.release.countDown();
			}
			await().atMost(TIMEOUT).until(() -> listener.handled.size() == 150);
			await().atMost(TIMEOUT).until(() -> this.client.pendingCount("jobs", "it-app") == 0);
		});
	}

	@Test
	void theReclaimerHandsASlowHandlerAboutASecondOfWorkAtATimeNotADeadConsumersBacklog() {
		StreamsContextRunner.create(redis)
			.withUserConfiguration(SlowListener.class)
			.withPropertyValues("redis.streams.reclaim.claim-on-read=false", "redis.streams.reclaim.interval=200ms",
					"redis.streams.reclaim.min-idle-time=3s")
			.run((context) -> {
				SlowListener listener = context.getBean(SlowListener.class);
				try {
					this.client.addAll("jobs", List.of(Map.of("n", "timed")));
					await().atMost(TIMEOUT).until(() -> listener.started.get() == 1);
					// while the first job runs (and times the handler: 1.2 s), a consumer
					// reads six entries and dies; the listener's consumer reads nothing
					// meanwhile (it does not read ahead before its first batch is timed)
					List<Map<String, String>> orphans = new ArrayList<>();
					for (int n = 1; n <= 6; n++) {
						orphans.add(Map.of("n", "orphan-" + n));
					}
					this.client.addAll("jobs", orphans);
					assertThat(this.client.sync()
						.xreadgroup(Consumer.from("it-app", "pod-dead-0"), XReadArgs.Builder.count(6),
								StreamOffset.lastConsumed("jobs")))
						.hasSize(6);
					await().atMost(TIMEOUT).until(() -> listener.started.get() == 2);
					// one job of 1.2 s is about a second of work: the one started and at
					// most one waiting were taken over; with pages of 100 all six were
					assertThat(pendingOf("jobs", "pod-dead-0")).isGreaterThanOrEqualTo(4);
				}
				finally {
					listener.release.countDown();
				}
				await().atMost(TIMEOUT).until(() -> listener.handled.size() == 7);
				await().atMost(TIMEOUT).until(() -> this.client.pendingCount("jobs", "it-app") == 0);
				assertThat(listener.handled).allSatisfy((id, count) -> assertThat(count).hasValue(1));
			});
	}

	private long pendingOf(String stream, String consumer) {
		return this.client.sync().xpending(stream, "it-app").getConsumerMessageCount().getOrDefault(consumer, 0L);
	}

	@Configuration(proxyBeanMethods = false)
	static class SlowListener {

		final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();

		final AtomicInteger started = new AtomicInteger();

		/** Ends the slow jobs early once the test has seen what it checks. */
		final CountDownLatch release = new CountDownLatch(1);

		@RedisListener(id = "jobs", stream = "jobs", concurrency = "1")
		void on(Map<String, String> fields, StreamMessageContext context) throws InterruptedException {
			this.started.incrementAndGet();
			// a job of 1.2 s, as a slow handler of a job queue
			this.release.await(1200, TimeUnit.MILLISECONDS);
			this.handled.computeIfAbsent(context.id(), (id) -> new AtomicInteger()).incrementAndGet();
		}

	}

}
