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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.autoconfigure.RedisStreamsMetricsAutoConfiguration;
import io.github.redisstreams.metrics.MicrometerListenerMetrics;
import io.github.redisstreams.retry.NonRetryableException;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.autoconfigure.AutoConfigurations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for a Redis that is full ({@code maxmemory} reached with
 * {@code noeviction}): it refuses {@code XGROUP CREATE} of an existing group with
 * {@code OOM} instead of {@code BUSYGROUP}, but still allows {@code XREADGROUP} and
 * {@code XACK}, so a listener that starts reads and acknowledges; what it cannot write
 * (retry parkings, dead letters) stays pending, is counted, and settles once memory is
 * freed (issue 12, input 3).
 */
class RedisFullIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final StreamTestClient client = new StreamTestClient(redis);

	@AfterEach
	void tearDown() {
		this.client.sync().configSet("maxmemory", "0");
		this.client.sync().flushall();
		this.client.close();
	}

	@Test
	void aListenerThatStartsWhileRedisIsFullReadsAndAcknowledgesItsExistingGroup() {
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("full", "0"), "it-app", XGroupCreateArgs.Builder.mkstream(true));
		List<String> ids = List.of(this.client.sync().xadd("full", Map.of("payload", "one")),
				this.client.sync().xadd("full", Map.of("payload", "two")),
				this.client.sync().xadd("full", Map.of("payload", "three")));
		assertThat(this.client.sync().configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "noeviction");
		this.client.sync().configSet("maxmemory", "1");
		StreamsContextRunner.create(redis).withUserConfiguration(FullListener.class).run((context) -> {
			FullListener listener = context.getBean(FullListener.class);
			await().atMost(TIMEOUT).until(() -> listener.received.size() == 3);
			assertThat(listener.received).containsExactly("one", "two", "three");
			await().atMost(TIMEOUT).until(() -> this.client.pendingCount("full", "it-app") == 0);
			assertThat(this.client.sync().xlen("full")).isEqualTo(ids.size());
		});
	}

	@Test
	void whatCannotBeWrittenWhileFullStaysPendingIsCountedAndSettlesOnceMemoryIsFreed() {
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("full", "0"), "it-app", XGroupCreateArgs.Builder.mkstream(true));
		this.client.sync().xadd("full", Map.of("payload", "retry-me"));
		this.client.sync().xadd("full", Map.of("payload", "poison"));
		this.client.sync().configSet("maxmemory", "1");
		StreamsContextRunner.create(redis)
			.withConfiguration(AutoConfigurations.of(RedisStreamsMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.withUserConfiguration(FailingListener.class)
			.withPropertyValues("redis.streams.retry.delay=100ms", "redis.streams.reclaim.interval=200ms",
					"redis.streams.reclaim.min-idle-time=1s", "redis.streams.retry.max-retries=100")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				// the dead letter (XADD) cannot be written; the retry parking can, as its
				// XCLAIM makes the script a writer before its ZADD, which Redis then
				// allows
				await().atMost(TIMEOUT).until(() -> deferred(registry, "dead-letter") >= 1);
				assertThat(this.client.sync().exists("{full}:dlq")).isZero();
				assertThat(this.client.pendingCount("full", "it-app")).isPositive();

				this.client.sync().configSet("maxmemory", "0");
				FailingListener listener = context.getBean(FailingListener.class);
				await().atMost(TIMEOUT).until(() -> listener.succeeded.contains("retry-me"));
				await().atMost(TIMEOUT).until(() -> this.client.sync().xlen("{full}:dlq") == 1);
				await().atMost(TIMEOUT).until(() -> this.client.pendingCount("full", "it-app") == 0);
			});
	}

	private static double deferred(MeterRegistry registry, String write) {
		Counter counter = registry.find(MicrometerListenerMetrics.WRITES_DEFERRED).tag("reason", write).counter();
		return (counter != null) ? counter.count() : 0;
	}

	static class FailingListener {

		final List<String> succeeded = new CopyOnWriteArrayList<>();

		private final Set<String> failed = ConcurrentHashMap.newKeySet();

		@RedisListener(id = "full", stream = "full")
		void onEntry(String payload) {
			if (payload.equals("poison")) {
				throw new NonRetryableException("poison");
			}
			if (this.failed.add(payload)) {
				throw new IllegalStateException("the first attempt fails");
			}
			this.succeeded.add(payload);
		}

	}

	static class FullListener {

		final List<String> received = new CopyOnWriteArrayList<>();

		@RedisListener(id = "full", stream = "full")
		void onEntry(String payload) {
			this.received.add(payload);
		}

	}

}
