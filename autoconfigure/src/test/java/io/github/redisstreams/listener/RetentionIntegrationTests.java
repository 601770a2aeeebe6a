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

import io.lettuce.core.Consumer;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.autoconfigure.RedisStreamsMetricsAutoConfiguration;
import io.github.redisstreams.metrics.MicrometerListenerMetrics;
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
 * Retention limits trim a stream, but never an entry that a consumer group still needs:
 * not yet delivered to it, pending, or waiting for a retry. On servers with
 * {@code XDELEX ... ACKED} (Redis 8.2+) the server keeps that guarantee, and acknowledged
 * entries after a pending one can go too; elsewhere nothing after the oldest needed entry
 * is trimmed. Tests decide what to expect by the server's capability.
 */
class RetentionIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	private static boolean serverTrimsAcked() {
		return redis.server().hasArgument("XDELEX", "ACKED");
	}

	private ApplicationContextRunner runner(String... properties) {
		return StreamsContextRunner.create(redis)
			.withConfiguration(AutoConfigurations.of(RedisStreamsMetricsAutoConfiguration.class))
			.withUserConfiguration(RetentionConfiguration.class)
			.withPropertyValues("redis.streams.retention.interval=200ms")
			.withPropertyValues(properties);
	}

	private List<String> publish(String stream, int count, String field) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(this.client.sync().xadd(stream, Map.of(field, Integer.toString(i))));
		}
		return ids;
	}

	private static double heldBack(MeterRegistry meters, String stream) {
		return meters.get(MicrometerListenerMetrics.RETENTION_HELD_BACK).tag("stream", stream).gauge().value();
	}

	private boolean exists(String stream, String id) {
		return !this.client.sync().xrange(stream, Range.create(id, id)).isEmpty();
	}

	@Test
	void aGroupThatHasNotReadEntriesHoldsTrimmingBackUntilItIsDone() {
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("audit", "0"), "it-app", XGroupCreateArgs.Builder.mkstream(true));
		this.client.sync().xgroupCreate(XReadArgs.StreamOffset.from("audit", "0"), "slow");
		List<String> ids = publish("audit", 3000, "n");
		runner("redis.streams.retention.max-length=1000").run((context) -> {
			RetentionListener listener = context.getBean(RetentionListener.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> listener.audited.size() == 3000);
			// the group "slow" has read nothing: nothing may go
			await().atMost(Duration.ofSeconds(10))
				.until(() -> meters.find(MicrometerListenerMetrics.RETENTION_HELD_BACK)
					.tag("stream", "audit")
					.gauge() != null && heldBack(meters, "audit") == 2000);
			assertThat(this.client.sync().xlen("audit")).isEqualTo(3000);

			// it reads everything and leaves the newest ten pending
			List<StreamMessage<String, String>> read = this.client.sync()
				.xreadgroup(Consumer.from("slow", "s-0"), XReadArgs.Builder.count(3000),
						XReadArgs.StreamOffset.lastConsumed("audit"));
			assertThat(read).hasSize(3000);
			this.client.sync().xack("audit", "slow", ids.subList(0, 2990).toArray(String[]::new));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.sync().xlen("audit") == 1000);
			assertThat(ids.subList(2990, 3000)).allMatch((id) -> exists("audit", id));
			assertThat(exists("audit", ids.get(1999))).isFalse();
			assertThat(exists("audit", ids.get(2000))).isTrue();
			await().atMost(Duration.ofSeconds(10)).until(() -> heldBack(meters, "audit") == 0);
			assertThat(meters.get(MicrometerListenerMetrics.RETENTION_TRIMMED).tag("stream", "audit").counter().count())
				.isEqualTo(2000);
		});
	}

	@Test
	void entriesWaitingForARetryAreNeverTrimmed() {
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("charges", "0"), "it-app",
					XGroupCreateArgs.Builder.mkstream(true));
		List<String> before = publish("charges", 100, "ok");
		List<String> failing = publish("charges", 5, "fail");
		List<String> after = publish("charges", 100, "ok");
		runner("redis.streams.listeners.charges.retention.max-length=10", "redis.streams.retry.delay=1h",
				"redis.streams.retry.max-retries=1")
			.run((context) -> {
				RetentionListener listener = context.getBean(RetentionListener.class);
				await().atMost(Duration.ofSeconds(30)).until(() -> listener.charged.size() == 205);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> this.client.sync().zcard("{charges}:retry:it-app") == 5);
				// Redis 8.2+ trims every acknowledged entry beyond the limit and keeps
				// the five
				// pending ones; elsewhere nothing after the oldest pending entry goes
				long expected = serverTrimsAcked() ? 10 : 105;
				await().atMost(Duration.ofSeconds(10)).until(() -> this.client.sync().xlen("charges") == expected);
				await().during(Duration.ofMillis(600))
					.atMost(Duration.ofSeconds(5))
					.until(() -> this.client.sync().xlen("charges") == expected);
				assertThat(failing).allMatch((id) -> exists("charges", id));
				assertThat(before).noneMatch((id) -> exists("charges", id));
				assertThat(exists("charges", after.get(99))).isTrue();
				assertThat(this.client.pendingCount("charges", "it-app")).isEqualTo(5);
				assertThat(this.client.sync().exists("{charges}:dlq")).isZero();
			});
	}

	@Test
	void aStreamFarOverItsLimitShrinksOverSeveralRuns() {
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("backlog", "0"), "it-app",
					XGroupCreateArgs.Builder.mkstream(true));
		List<Map<String, String>> entries = new ArrayList<>();
		for (int i = 0; i < 25_000; i++) {
			entries.add(Map.of("n", Integer.toString(i)));
		}
		this.client.addAll("backlog", entries);
		runner("redis.streams.listeners.backlog.retention.max-length=1000").run((context) -> {
			RetentionListener listener = context.getBean(RetentionListener.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			await().atMost(Duration.ofSeconds(60)).until(() -> listener.backlog.get() == 25_000);
			// at most 10,000 entries are looked at per run: it takes three
			await().atMost(Duration.ofSeconds(30)).until(() -> this.client.sync().xlen("backlog") == 1000);
			// the task counts what its script trimmed after the script returns
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(meters.get(MicrometerListenerMetrics.RETENTION_TRIMMED)
					.tag("stream", "backlog")
					.counter()
					.count()).isEqualTo(24_000));
		});
	}

	@Test
	void processedEntriesOlderThanTheMaximumAgeAreTrimmed() {
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("events", "0"), "it-app",
					XGroupCreateArgs.Builder.mkstream(true));
		publish("events", 50, "n");
		runner("redis.streams.listeners.events.retention.max-age=1s").run((context) -> {
			RetentionListener listener = context.getBean(RetentionListener.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> listener.events.size() == 50);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.sync().xlen("events") == 0);
			assertThat(this.client.pendingCount("events", "it-app")).isZero();
		});
	}

	static class RetentionListener {

		final Set<String> audited = ConcurrentHashMap.newKeySet();

		final Set<String> charged = ConcurrentHashMap.newKeySet();

		final Set<String> events = ConcurrentHashMap.newKeySet();

		@RedisListener(id = "audit", stream = "audit")
		void onAudit(Map<String, String> fields, StreamMessageContext context) {
			this.audited.add(context.id());
		}

		@RedisListener(id = "charges", stream = "charges")
		void onCharge(Map<String, String> fields, StreamMessageContext context) {
			this.charged.add(context.id());
			if (fields.containsKey("fail")) {
				throw new IllegalStateException("declined");
			}
		}

		final AtomicInteger backlog = new AtomicInteger();

		@RedisListener(id = "backlog", stream = "backlog")
		void onBacklog(Map<String, String> fields) {
			this.backlog.incrementAndGet();
		}

		@RedisListener(id = "events", stream = "events")
		void onEvent(Map<String, String> fields, StreamMessageContext context) {
			this.events.add(context.id());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RetentionConfiguration {

		@Bean
		RetentionListener retentionListener() {
			return new RetentionListener();
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
