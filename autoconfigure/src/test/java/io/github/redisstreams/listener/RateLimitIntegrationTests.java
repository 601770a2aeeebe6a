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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.autoconfigure.RedisStreamsMetricsAutoConfiguration;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rate-limited listeners: one token bucket in Redis shared by every consumer of every
 * instance; a consumer reads at most the permits it was granted, so waiting messages stay
 * in the stream, undelivered.
 */
@Tag("server-independent")
class RateLimitIntegrationTests {

	/** Handled messages of every instance: entry id, and when (System.nanoTime()). */
	static final Map<String, Long> handled = new ConcurrentHashMap<>();

	static final List<Long> attempts = new CopyOnWriteArrayList<>();

	static final AtomicInteger twice = new AtomicInteger();

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	@BeforeEach
	void clear() {
		handled.clear();
		attempts.clear();
		twice.set(0);
	}

	private ApplicationContextRunner instance(String instanceId, String... properties) {
		return StreamsContextRunner.create(redis)
			.withConfiguration(AutoConfigurations.of(RedisStreamsMetricsAutoConfiguration.class))
			.withUserConfiguration(RateLimitedConfiguration.class)
			.withPropertyValues("redis.streams.listener.instance-id=" + instanceId,
					"redis.streams.listener.concurrency=2", "redis.streams.reclaim.min-idle-time=5s")
			.withPropertyValues(properties);
	}

	@Test
	void twoInstancesWithTwoConsumersEachHandleAThousandMessagesAtFiftyPerSecondAltogether() {
		int messages = 1_000;
		long rate = 50;
		long burst = 50;
		List<Map<String, String>> entries = new ArrayList<>();
		for (int i = 0; i < messages; i++) {
			entries.add(Map.of("payload", "{\"n\":" + i + "}"));
		}
		instance("node-a").run((a) -> instance("node-b").run((b) -> {
			// one message first, so that the first handler invocations (class loading,
			// compilation) do not hold back what was granted meanwhile: the limit applies
			// where entries are read, and a handler that pauses handles what it was
			// granted when it resumes
			this.client.sync().xadd("payments", Map.of("payload", "{\"n\":-1}"));
			// the handler adds to attempts after handled
			await().atMost(Duration.ofSeconds(30)).until(() -> attempts.size() == 1);
			handled.clear();
			attempts.clear();
			this.client.addAll("payments", entries);
			AtomicLong mostPending = new AtomicLong();
			await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() -> {
				mostPending.accumulateAndGet(this.client.pendingCount("payments", "it-app"), Math::max);
				return handled.size() >= messages;
			});
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.pendingCount("payments", "it-app") == 0);
			assertThat(twice).hasValue(0);
			// nothing was reclaimed: every message was delivered once
			assertThat(attempts).hasSize(messages).containsOnly(1L);
			// the pending list holds what was granted and not yet acknowledged: at most
			// the burst plus what refills while one batch is handled
			assertThat(mostPending.get()).isLessThanOrEqualTo(burst + rate);
			List<Long> times = new ArrayList<>(handled.values());
			times.sort(null);
			int busiest = busiestTwoSeconds(times);
			System.out.printf(
					"[rate-limit] 1,000 messages at 50/s (burst 50), 2 instances x 2 consumers: busiest 2 s "
							+ "window %d messages, whole run %.1f s, most pending %d%n",
					busiest, (times.get(times.size() - 1) - times.get(0)) / 1e9, mostPending.get());
			// the bucket bounds grants exactly; a handler runs a few milliseconds after
			// its
			// grant (the read, the batch before it), which can move one message across
			// each edge of a window
			assertThat(busiest).isLessThanOrEqualTo((int) (2 * rate + burst) + 2);
			// and it is a limit, not a stop: the whole run took about (1,000 - 50) / 50 s
			assertThat(times.get(times.size() - 1) - times.get(0)).isGreaterThan(Duration.ofSeconds(15).toNanos());
			MeterRegistry registry = a.getBean(MeterRegistry.class);
			assertThat(registry.get("redis.streams.rate.limit.granted").counter().count()).isPositive();
			assertThat(registry.get("redis.streams.rate.limit.wait").timer().count()).isPositive();
			assertThat(this.client.sync().keys("*rate-limit*")).containsExactly("{payments}:rate-limit:it-app:50/s+50");
		}));
	}

	@Test
	void thePartitionsOfAPartitionedListenerTakePermitsFromOneBucket() {
		List<Map<String, String>> entries = new ArrayList<>();
		for (int i = 0; i < 25; i++) {
			entries.add(Map.of("payload", "{\"n\":" + i + "}"));
		}
		instance("node-a").withUserConfiguration(PartitionedConfiguration.class).run((context) -> {
			for (int partition = 0; partition < 4; partition++) {
				this.client.sync().xadd("refunds:{" + partition + "}", Map.of("payload", "{\"n\":-1}"));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 4);
			handled.clear();
			for (int partition = 0; partition < 4; partition++) {
				this.client.addAll("refunds:{" + partition + "}", entries);
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == 100);
			List<Long> times = new ArrayList<>(handled.values());
			times.sort(null);
			int busiest = busiestTwoSeconds(times);
			// 20/s and a burst of 20 for the four partitions together (four buckets would
			// allow four times as many)
			assertThat(busiest).isLessThanOrEqualTo(2 * 20 + 20 + 2);
			assertThat(this.client.sync().keys("*refunds*rate-limit*"))
				.containsExactly("{refunds}:rate-limit:it-app:20/s+20");
		});
	}

	/**
	 * The most handler invocations in any 2-second window.
	 * @param times the invocation times (System.nanoTime()), sorted
	 */
	private static int busiestTwoSeconds(List<Long> times) {
		int busiest = 0;
		for (int first = 0, last = 0; first < times.size(); first++) {
			while (last < times.size() && times.get(last) - times.get(first) < Duration.ofSeconds(2).toNanos()) {
				last++;
			}
			busiest = Math.max(busiest, last - first);
		}
		return busiest;
	}

	@Configuration(proxyBeanMethods = false)
	static class PartitionedConfiguration {

		@Bean
		PartitionedListener partitionedListener() {
			return new PartitionedListener();
		}

	}

	static class PartitionedListener {

		@RedisListener(id = "refunds", stream = "refunds", partitions = "4", maxRate = "20/s")
		void on(Map<String, Object> message, StreamMessageContext context) {
			handled.put(context.stream() + "/" + context.id(), System.nanoTime());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RateLimitedConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		RateLimitedListener rateLimitedListener() {
			return new RateLimitedListener();
		}

	}

	static class RateLimitedListener {

		@RedisListener(id = "payments", stream = "payments", maxRate = "50/s")
		void on(Map<String, Object> message, StreamMessageContext context) {
			if (handled.putIfAbsent(context.id(), System.nanoTime()) != null) {
				twice.incrementAndGet();
			}
			attempts.add(context.deliveryAttempt());
		}

	}

}
