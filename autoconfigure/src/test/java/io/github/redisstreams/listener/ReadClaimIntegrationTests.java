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

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.autoconfigure.RedisStreamsMetricsAutoConfiguration;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * How idle pending entries are taken over: in the consumers' reads
 * ({@code XREADGROUP ... CLAIM}) where the server documents it (Redis 8.4+), else, or
 * with {@code redis.streams.reclaim.claim-on-read=false}, by the reclaimer's
 * {@code XAUTOCLAIM}. Each test says which path it needs by the server's capability.
 */
class ReadClaimIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	private static boolean claimsInReads() {
		return redis.server().hasArgument("XREADGROUP", "CLAIM");
	}

	private ApplicationContextRunner runner(String... properties) {
		return StreamsContextRunner.create(redis)
			.withConfiguration(AutoConfigurations.of(RedisStreamsMetricsAutoConfiguration.class))
			.withUserConfiguration(OrphanConfiguration.class)
			.withPropertyValues("redis.streams.listener.poll-timeout=200ms", "redis.streams.reclaim.min-idle-time=1s")
			.withPropertyValues(properties);
	}

	/**
	 * A consumer of another instance takes five entries and dies.
	 */
	private List<String> orphanFive() {
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("orphans", "0"), "it-app",
					XGroupCreateArgs.Builder.mkstream(true));
		for (int i = 0; i < 5; i++) {
			this.client.sync().xadd("orphans", Map.of("n", Integer.toString(i)));
		}
		return this.client.sync()
			.xreadgroup(Consumer.from("it-app", "ghost"), XReadArgs.Builder.count(5),
					XReadArgs.StreamOffset.lastConsumed("orphans"))
			.stream()
			.map((message) -> message.getId())
			.toList();
	}

	@Test
	void idleEntriesAreTakenOverInTheReadItselfWhereTheServerClaimsInReads() {
		assumeThat(claimsInReads()).as("XREADGROUP ... CLAIM (Redis 8.4+)").isTrue();
		List<String> orphans = orphanFive();
		// the reclaimer's first round would come after an hour: only reads can take them
		runner("redis.streams.reclaim.interval=1h").run((context) -> {
			OrphanListener listener = context.getBean(OrphanListener.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> listener.attempts.keySet().containsAll(orphans));
			assertThat(listener.attempts.values()).containsOnly(2L);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.pendingCount("orphans", "it-app") == 0);
			assertThat(this.client.consumerNames("orphans", "it-app")).doesNotContain("it-node-reclaimer");
			assertThat(context.getBean(MeterRegistry.class)
				.get("redis.streams.reclaimed")
				.tag("reason", "orphaned")
				.counter()
				.count()).isEqualTo(5);
		});
	}

	@Test
	void withClaimOnReadOffTheReclaimerTakesIdleEntriesOver() {
		List<String> orphans = orphanFive();
		runner("redis.streams.reclaim.claim-on-read=false", "redis.streams.reclaim.interval=300ms").run((context) -> {
			OrphanListener listener = context.getBean(OrphanListener.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> listener.attempts.keySet().containsAll(orphans));
			assertThat(listener.attempts.values()).containsOnly(2L);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.pendingCount("orphans", "it-app") == 0);
		});
	}

	@Test
	void withClaimOnReadOffReadsNeverClaim() {
		List<String> orphans = orphanFive();
		runner("redis.streams.reclaim.claim-on-read=false", "redis.streams.reclaim.interval=1h").run((context) -> {
			OrphanListener listener = context.getBean(OrphanListener.class);
			await().during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(10))
				.until(() -> listener.attempts.isEmpty() && this.client.pendingCount("orphans", "it-app") == 5);
			assertThat(orphans).hasSize(5);
		});
	}

	@Test
	void anEntryWaitingForARetryLongerThanTheMinimumIdleTimeIsNotTakenEarly() {
		// min-idle-time 1 s, next attempt 4 s after the first: a read that claimed the
		// parked entry when it became idle would deliver it about 3 s early
		runner("redis.streams.reclaim.interval=300ms", "redis.streams.retry.delay=4s", "redis.streams.retry.jitter=0",
				"redis.streams.retry.max-retries=1")
			.run((context) -> {
				OrphanListener listener = context.getBean(OrphanListener.class);
				context.getBean(StreamPublisher.class).publish("flaky", Map.of("order", 1));
				await().atMost(Duration.ofSeconds(30)).until(() -> listener.flakyAttempts.size() == 2);
				await().atMost(Duration.ofSeconds(10)).until(() -> this.client.pendingCount("flaky", "it-app") == 0);
				Attempt first = listener.flakyAttempts.get(0);
				Attempt second = listener.flakyAttempts.get(1);
				assertThat(second.attempt()).isEqualTo(2);
				assertThat(second.nanos() - first.nanos()).isGreaterThanOrEqualTo(Duration.ofMillis(3900).toNanos());
				await().during(Duration.ofSeconds(2))
					.atMost(Duration.ofSeconds(5))
					.until(() -> listener.flakyAttempts.size() == 2);
			});
	}

	@Test
	void anEntryParkedBeforeTheStartAndIdleSinceIsNotTakenEarly() {
		ApplicationContextRunner runner = runner("redis.streams.reclaim.interval=300ms", "redis.streams.retry.delay=6s",
				"redis.streams.retry.jitter=0", "redis.streams.retry.max-retries=1");
		List<Attempt> first = new CopyOnWriteArrayList<>();
		runner.run((context) -> {
			context.getBean(StreamPublisher.class).publish("flaky", Map.of("order", 1));
			await().atMost(Duration.ofSeconds(30)).until(() -> this.client.sync().zcard("{flaky}:retry:it-app") == 1);
			first.addAll(context.getBean(OrphanListener.class).flakyAttempts);
		});
		// no instance runs: the parked entry goes idle for longer than min-idle-time
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.client.sync()
				.xpending("flaky", "it-app", Range.create("-", "+"), Limit.from(1))
				.get(0)
				.getMsSinceLastDelivery() > 1500);
		runner.run((context) -> {
			OrphanListener second = context.getBean(OrphanListener.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> second.flakyAttempts.size() == 1);
			assertThat(second.flakyAttempts.get(0).attempt()).isEqualTo(2);
			assertThat(second.flakyAttempts.get(0).nanos() - first.get(0).nanos())
				.isGreaterThanOrEqualTo(Duration.ofMillis(5900).toNanos());
		});
	}

	@Test
	void aPendingEntryDeletedFromTheStreamIsStillDeadLetteredWhenReadsClaim() {
		List<String> orphans = orphanFive();
		this.client.sync().xdel("orphans", orphans.get(0));
		runner("redis.streams.reclaim.interval=300ms").run((context) -> {
			OrphanListener listener = context.getBean(OrphanListener.class);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> listener.attempts.keySet().containsAll(orphans.subList(1, 5)));
			await().atMost(Duration.ofSeconds(30)).until(() -> this.client.sync().xlen("{orphans}:dlq") == 1);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.pendingCount("orphans", "it-app") == 0);
			assertThat(this.client.sync().xrange("{orphans}:dlq", Range.create("-", "+")).get(0).getBody())
				.containsEntry("x-reason", "payload-lost")
				.containsEntry("x-original-id", orphans.get(0));
			assertThat(listener.attempts).doesNotContainKey(orphans.get(0));
		});
	}

	record Attempt(long nanos, long attempt) {
	}

	static class OrphanListener {

		final Map<String, Long> attempts = new ConcurrentHashMap<>();

		final List<Attempt> flakyAttempts = new CopyOnWriteArrayList<>();

		@RedisListener(stream = "orphans")
		void on(Map<String, String> fields, StreamMessageContext context) {
			this.attempts.put(context.id(), context.deliveryAttempt());
		}

		@RedisListener(stream = "flaky")
		void onFlaky(Map<String, String> fields, StreamMessageContext context) {
			this.flakyAttempts.add(new Attempt(System.nanoTime(), context.deliveryAttempt()));
			if (context.deliveryAttempt() == 1) {
				throw new IllegalStateException("first attempt fails");
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrphanConfiguration {

		@Bean
		OrphanListener orphanListener() {
			return new OrphanListener();
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
