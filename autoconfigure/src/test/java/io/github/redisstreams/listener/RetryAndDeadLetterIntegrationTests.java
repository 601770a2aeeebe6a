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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.Consumer;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.deadletter.DeadLetter;
import io.github.redisstreams.deadletter.DeadLetterPublisher;
import io.github.redisstreams.deadletter.RedisDeadLetterPublisher;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.retry.NonRetryableException;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retries with back-off, dead letters, and recovery of pending entries, against a real
 * Redis.
 */
class RetryAndDeadLetterIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	private static final Duration RECLAIM_INTERVAL = Duration.ofMillis(500);

	private ApplicationContextRunner runner(Class<?> configuration, String... properties) {
		return StreamsContextRunner.create(redis)
			.withUserConfiguration(configuration)
			.withPropertyValues("redis.streams.reclaim.interval=" + RECLAIM_INTERVAL.toMillis() + "ms",
					"redis.streams.reclaim.min-idle-time=5s")
			.withPropertyValues(properties);
	}

	@Test
	void messageFailingTwiceIsProcessedOnTheThirdAttemptAfterTheBackOff() {
		runner(FlakyListener.class, "redis.streams.retry.delay=400ms", "redis.streams.retry.multiplier=2")
			.run((context) -> {
				FlakyListener listener = context.getBean(FlakyListener.class);
				context.getBean(StreamPublisher.class).publish("flaky", Map.of("n", 1));
				await().atMost(Duration.ofSeconds(30)).until(() -> listener.succeeded.get() == 1);
				assertThat(listener.attempts).containsExactly(1L, 2L, 3L);
				Duration first = Duration.ofNanos(listener.times.get(1) - listener.times.get(0));
				Duration second = Duration.ofNanos(listener.times.get(2) - listener.times.get(1));
				// each retry waits its back-off, and comes by its schedule: before the
				// reclaimer would take the entry (min-idle-time 5 s)
				assertThat(first).isGreaterThanOrEqualTo(Duration.ofMillis(400)).isLessThan(Duration.ofSeconds(5));
				assertThat(second).isGreaterThanOrEqualTo(Duration.ofMillis(800)).isLessThan(Duration.ofSeconds(5));
				await().atMost(Duration.ofSeconds(10)).until(() -> this.client.pendingCount("flaky", "it-app") == 0);
				assertThat(this.client.sync().exists("{flaky}:dlq")).isZero();
			});
	}

	@Test
	void messageThatAlwaysFailsIsDeliveredMaxRetriesPlusOneTimesThenDeadLetteredOnce() {
		runner(AlwaysFailingListener.class, "redis.streams.retry.max-retries=2", "redis.streams.retry.delay=100ms")
			.run((context) -> {
				AlwaysFailingListener listener = context.getBean(AlwaysFailingListener.class);
				String id = context.getBean(StreamPublisher.class)
					.publish("doomed", Map.of("order", 7), Map.of("tenant", "acme"));
				await().atMost(Duration.ofSeconds(30)).until(() -> this.client.sync().xlen("{doomed}:dlq") == 1);
				await().atMost(Duration.ofSeconds(10)).until(() -> this.client.pendingCount("doomed", "it-app") == 0);
				// and it stays at one: no further delivery, no second dead letter
				await().during(Duration.ofSeconds(2))
					.atMost(Duration.ofSeconds(5))
					.until(() -> listener.deliveries.get() == 3 && this.client.sync().xlen("{doomed}:dlq") == 1);
				Map<String, String> deadLetter = onlyDeadLetter("{doomed}:dlq");
				assertThat(deadLetter).containsEntry("payload", "{\"order\":7}")
					.containsEntry("tenant", "acme")
					.containsEntry("x-original-stream", "doomed")
					.containsEntry("x-original-id", id)
					.containsEntry("x-group", "it-app")
					.containsEntry("x-delivery-count", "3")
					.containsEntry("x-reason", "retries-exhausted")
					.containsEntry("x-exception-class", IllegalStateException.class.getName())
					.containsEntry("x-exception-message", "boom");
				assertThat(deadLetter.get("x-consumer")).startsWith("it-node");
				assertThat(deadLetter.get("x-exception-stacktrace")).contains("boom")
					.hasSizeLessThanOrEqualTo(RedisDeadLetterPublisher.DEFAULT_MAX_STACKTRACE_LENGTH);
				assertThat(Instant.parse(deadLetter.get("x-failed-at"))).isBefore(Instant.now().plusSeconds(1));
			});
	}

	@Test
	void retriesKeptInMemoryAreNotDelayedByABlockingReadOnAQuietStream() {
		// with a 10 s poll timeout, a read that blocked for it would hold the second
		// message's retries back by 10 s
		runner(FlakyListener.class, "redis.streams.listener.poll-timeout=10s",
				"redis.streams.reclaim.min-idle-time=30s", "redis.streams.retry.delay=50ms",
				"redis.streams.retry.multiplier=1")
			.run((context) -> {
				FlakyListener listener = context.getBean(FlakyListener.class);
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				publisher.publish("flaky", Map.of("n", 1));
				await().atMost(Duration.ofSeconds(10)).until(() -> !listener.attempts.isEmpty());
				publisher.publish("flaky", Map.of("n", 2));
				await().atMost(Duration.ofSeconds(5)).until(() -> listener.succeeded.get() == 2);
				assertThat(listener.attempts).containsExactlyInAnyOrder(1L, 1L, 2L, 2L, 3L, 3L);
				await().atMost(Duration.ofSeconds(5)).until(() -> this.client.pendingCount("flaky", "it-app") == 0);
				assertThat(this.client.sync().exists("{flaky}:retry:it-app")).isZero();
			});
	}

	@Test
	void retriesInMemoryAndParkedInRedisCountEveryAttemptTowardsTheDeliveryLimit() {
		// 60 ms: retried in memory by the consumer; 120 ms and 240 ms: parked in Redis,
		// the parking sets the delivery count to the attempts made (XCLAIM RETRYCOUNT)
		runner(AlwaysFailingListener.class, "redis.streams.retry.max-retries=3", "redis.streams.retry.delay=60ms",
				"redis.streams.retry.multiplier=2")
			.run((context) -> {
				AlwaysFailingListener listener = context.getBean(AlwaysFailingListener.class);
				context.getBean(StreamPublisher.class).publish("doomed", Map.of("order", 8));
				await().atMost(Duration.ofSeconds(30)).until(() -> this.client.sync().xlen("{doomed}:dlq") == 1);
				await().during(Duration.ofSeconds(1))
					.atMost(Duration.ofSeconds(5))
					.until(() -> listener.deliveries.get() == 4 && this.client.pendingCount("doomed", "it-app") == 0);
				assertThat(onlyDeadLetter("{doomed}:dlq")).containsEntry("x-delivery-count", "4")
					.containsEntry("x-reason", "retries-exhausted");
			});
	}

	@Test
	void unconvertibleEntriesAreDeadLetteredOnTheirFirstDeliveryWithTheirRawFields() {
		runner(TypedListener.class).run((context) -> {
			TypedListener listener = context.getBean(TypedListener.class);
			String badJson = this.client.sync().xadd("typed", Map.of("payload", "{not json", "tenant", "acme"));
			String badFlat = this.client.sync().xadd("typed", Map.of("id", "o-1", "quantity", "many"));
			await().atMost(Duration.ofSeconds(30)).until(() -> this.client.sync().xlen("{typed}:dlq") == 2);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.pendingCount("typed", "it-app") == 0);
			List<StreamMessage<String, String>> deadLetters = this.client.sync()
				.xrange("{typed}:dlq", Range.create("-", "+"));
			assertThat(deadLetters.get(0).getBody()).containsEntry("payload", "{not json")
				.containsEntry("tenant", "acme")
				.containsEntry("x-original-id", badJson)
				.containsEntry("x-reason", "conversion-failed")
				.containsEntry("x-delivery-count", "1");
			assertThat(deadLetters.get(1).getBody()).containsEntry("id", "o-1")
				.containsEntry("quantity", "many")
				.containsEntry("x-original-id", badFlat)
				.containsEntry("x-reason", "conversion-failed")
				.containsEntry("x-delivery-count", "1");
			assertThat(listener.received).isEmpty();
		});
	}

	@Test
	void notRetryableFailuresAreDeadLetteredAtOnce() {
		runner(NotRetryableListener.class).run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			publisher.publish("fatal", Map.of("kind", "ours"));
			publisher.publish("fatal", Map.of("kind", "listed"));
			await().atMost(Duration.ofSeconds(30)).until(() -> this.client.sync().xlen("{fatal}:dlq") == 2);
			List<StreamMessage<String, String>> deadLetters = this.client.sync()
				.xrange("{fatal}:dlq", Range.create("-", "+"));
			assertThat(deadLetters)
				.allSatisfy((deadLetter) -> assertThat(deadLetter.getBody()).containsEntry("x-reason", "not-retryable")
					.containsEntry("x-delivery-count", "1"));
			assertThat(deadLetters).extracting((deadLetter) -> deadLetter.getBody().get("x-exception-class"))
				// the thrown exception is recorded; its listed cause made it not
				// retryable
				.containsExactly(NonRetryableException.class.getName(), IllegalStateException.class.getName());
		});
	}

	@Test
	void aFailingMessageDoesNotHoldUpTheMessagesBehindIt() {
		runner(HeadOfLineListener.class, "redis.streams.retry.delay=1m").run((context) -> {
			HeadOfLineListener listener = context.getBean(HeadOfLineListener.class);
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			publisher.publish("queue", Map.of("n", 0));
			await().atMost(Duration.ofSeconds(30)).until(() -> listener.failures.get() == 1);
			for (int i = 1; i <= 20; i++) {
				publisher.publish("queue", Map.of("n", i));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> listener.processed.size() == 20);
			// the failed one waits for its retry: still pending (once the successes'
			// acknowledgements, buffered after their handlers returned, were sent),
			// delivered once
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.pendingCount("queue", "it-app") == 1);
			assertThat(listener.failures.get()).isEqualTo(1);
		});
	}

	@Test
	void entriesOfAConsumerThatDiedAreReclaimedAndProcessed() {
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("orphans", "0"), "it-app",
					XGroupCreateArgs.Builder.mkstream(true));
		for (int i = 0; i < 5; i++) {
			this.client.sync().xadd("orphans", Map.of("n", Integer.toString(i)));
		}
		// a consumer of another instance reads them and dies without acknowledging
		assertThat(this.client.sync()
			.xreadgroup(Consumer.from("it-app", "ghost"), XReadArgs.Builder.count(10),
					XReadArgs.StreamOffset.lastConsumed("orphans")))
			.hasSize(5);
		runner(OrphanListener.class, "redis.streams.reclaim.min-idle-time=1s").run((context) -> {
			OrphanListener listener = context.getBean(OrphanListener.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> listener.attempts.size() == 5);
			assertThat(listener.attempts.values()).containsOnly(2L);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.pendingCount("orphans", "it-app") == 0);
		});
	}

	@Test
	void pendingEntriesTrimmedOrDeletedFromTheStreamAreDeadLetteredAsPayloadLost() {
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("lossy", "0"), "it-app", XGroupCreateArgs.Builder.mkstream(true));
		String trimmed = this.client.sync().xadd("lossy", Map.of("n", "1"));
		String deleted = this.client.sync().xadd("lossy", Map.of("n", "2"));
		this.client.sync().xadd("lossy", Map.of("n", "3"));
		// a consumer of another instance takes the first two and dies
		this.client.sync()
			.xreadgroup(Consumer.from("it-app", "ghost"), XReadArgs.Builder.count(2),
					XReadArgs.StreamOffset.lastConsumed("lossy"));
		this.client.sync().xtrim("lossy", 2);
		this.client.sync().xdel("lossy", deleted);
		runner(OrphanListener.class, "redis.streams.reclaim.min-idle-time=1s").run((context) -> {
			await().atMost(Duration.ofSeconds(30)).until(() -> this.client.sync().xlen("{lossy}:dlq") == 2);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.pendingCount("lossy", "it-app") == 0);
			List<StreamMessage<String, String>> deadLetters = this.client.sync()
				.xrange("{lossy}:dlq", Range.create("-", "+"));
			assertThat(deadLetters).extracting((deadLetter) -> deadLetter.getBody().get("x-original-id"))
				.containsExactlyInAnyOrder(trimmed, deleted);
			assertThat(deadLetters)
				.allSatisfy((deadLetter) -> assertThat(deadLetter.getBody()).containsEntry("x-reason", "payload-lost")
					.doesNotContainKey("payload")
					.doesNotContainKey("n"));
			// the third entry, never delivered to the ghost, is processed normally
			await().atMost(Duration.ofSeconds(30))
				.until(() -> context.getBean(OrphanListener.class).attempts.size() == 1);
		});
	}

	@Test
	void entryDeletedWhileWaitingForItsRetryIsDeadLetteredAsPayloadLost() {
		runner(AlwaysFailingListener.class, "redis.streams.retry.delay=1s", "redis.streams.retry.max-retries=5")
			.run((context) -> {
				AlwaysFailingListener listener = context.getBean(AlwaysFailingListener.class);
				String id = context.getBean(StreamPublisher.class).publish("doomed", Map.of("order", 1));
				await().atMost(Duration.ofSeconds(30)).until(() -> listener.deliveries.get() == 1);
				this.client.sync().xdel("doomed", id);
				await().atMost(Duration.ofSeconds(30)).until(() -> this.client.sync().xlen("{doomed}:dlq") == 1);
				await().atMost(Duration.ofSeconds(10)).until(() -> this.client.pendingCount("doomed", "it-app") == 0);
				assertThat(onlyDeadLetter("{doomed}:dlq")).containsEntry("x-reason", "payload-lost")
					.containsEntry("x-original-id", id);
				assertThat(listener.deliveries.get()).isEqualTo(1);
			});
	}

	@Test
	void handlerRunningThreeTimesTheMinimumIdleTimeIsNotProcessedTwice() {
		runner(SlowListener.class, "redis.streams.reclaim.min-idle-time=1s", "redis.streams.reclaim.interval=200ms")
			.run((context) -> {
				SlowListener listener = context.getBean(SlowListener.class);
				context.getBean(StreamPublisher.class).publish("slow", Map.of("n", 1));
				await().atMost(Duration.ofSeconds(30)).until(() -> listener.finished.get() == 1);
				await().atMost(Duration.ofSeconds(10)).until(() -> this.client.pendingCount("slow", "it-app") == 0);
				assertThat(listener.started.get()).isEqualTo(1);
			});
	}

	@Test
	void idleConsumersWithNothingPendingAreRemovedButConsumersWithPendingEntriesAreKept() {
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("members", "0"), "it-app",
					XGroupCreateArgs.Builder.mkstream(true));
		this.client.sync().xadd("members", Map.of("n", "1"));
		this.client.sync().xgroupCreateconsumer("members", Consumer.from("it-app", "idle-and-empty"));
		this.client.sync()
			.xreadgroup(Consumer.from("it-app", "idle-with-pending"), XReadArgs.Builder.count(1),
					XReadArgs.StreamOffset.lastConsumed("members"));
		runner(MembersListener.class, "redis.streams.reclaim.dead-consumer-timeout=300ms",
				"redis.streams.reclaim.min-idle-time=10m")
			.run((context) -> {
				await().atMost(Duration.ofSeconds(30))
					.until(() -> consumerNames("members").stream().noneMatch("idle-and-empty"::equals));
				assertThat(consumerNames("members")).contains("idle-with-pending");
				assertThat(this.client.pendingCount("members", "it-app")).isEqualTo(1);
			});
	}

	@Test
	void aDeadLetterPublisherThatFailsLeavesTheMessagePendingUntilItSucceeds() {
		runner(FailingPublisherConfiguration.class, "redis.streams.retry.max-retries=0",
				"redis.streams.retry.delay=200ms")
			.run((context) -> {
				FlakyDeadLetterPublisher publisher = context.getBean(FlakyDeadLetterPublisher.class);
				context.getBean(StreamPublisher.class).publish("doomed", Map.of("order", 1));
				// the two failed calls left the entry pending: else it would not have
				// come back for the third
				await().atMost(Duration.ofSeconds(30)).until(() -> publisher.recorded.size() == 1);
				await().atMost(Duration.ofSeconds(10)).until(() -> this.client.pendingCount("doomed", "it-app") == 0);
				assertThat(publisher.calls.get()).isEqualTo(3);
			});
	}

	@Test
	void deadLettersDroppedByTheLengthCapAreCounted() {
		runner(AlwaysFailingListener.class, "redis.streams.retry.max-retries=0",
				"redis.streams.dead-letter.max-length=2")
			.run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				for (int i = 0; i < 3; i++) {
					publisher.publish("doomed", Map.of("order", i));
				}
				RedisDeadLetterPublisher deadLetters = context.getBean(RedisDeadLetterPublisher.class);
				await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.getDroppedCount() == 1);
				assertThat(this.client.sync().xlen("{doomed}:dlq")).isEqualTo(2);
				await().atMost(Duration.ofSeconds(10)).until(() -> this.client.pendingCount("doomed", "it-app") == 0);
			});
	}

	private Map<String, String> onlyDeadLetter(String deadLetterStream) {
		List<StreamMessage<String, String>> deadLetters = this.client.sync()
			.xrange(deadLetterStream, Range.create("-", "+"));
		assertThat(deadLetters).hasSize(1);
		return deadLetters.get(0).getBody();
	}

	private List<String> consumerNames(String stream) {
		return this.client.consumerNames(stream, "it-app");
	}

	@Configuration(proxyBeanMethods = false)
	static class FlakyListener {

		final List<Long> attempts = new CopyOnWriteArrayList<>();

		final List<Long> times = new CopyOnWriteArrayList<>();

		final AtomicInteger succeeded = new AtomicInteger();

		@RedisListener(stream = "flaky")
		void on(Map<String, Object> message, StreamMessageContext context) {
			this.times.add(System.nanoTime());
			this.attempts.add(context.deliveryAttempt());
			if (context.deliveryAttempt() < 3) {
				throw new IllegalStateException("Attempt " + context.deliveryAttempt() + " fails");
			}
			this.succeeded.incrementAndGet();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AlwaysFailingListener {

		final AtomicInteger deliveries = new AtomicInteger();

		@RedisListener(stream = "doomed")
		void on(Map<String, Object> message) {
			this.deliveries.incrementAndGet();
			throw new IllegalStateException("boom");
		}

	}

	record Order(String id, int quantity) {
	}

	@Configuration(proxyBeanMethods = false)
	static class TypedListener {

		final List<Order> received = new CopyOnWriteArrayList<>();

		@RedisListener(stream = "typed")
		void on(Order order) {
			this.received.add(order);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NotRetryableListener {

		@RedisListener(stream = "fatal", notRetryable = IllegalArgumentException.class)
		void on(Map<String, Object> message) {
			if ("ours".equals(message.get("kind"))) {
				throw new NonRetryableException("never works");
			}
			throw new IllegalStateException("wrapped", new IllegalArgumentException("listed"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class HeadOfLineListener {

		final AtomicInteger failures = new AtomicInteger();

		final Map<Object, Boolean> processed = new ConcurrentHashMap<>();

		@RedisListener(stream = "queue")
		void on(Map<String, Object> message) {
			if (Integer.valueOf(0).equals(message.get("n"))) {
				this.failures.incrementAndGet();
				throw new IllegalStateException("first one fails");
			}
			this.processed.put(message.get("n"), true);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrphanListener {

		final Map<String, Long> attempts = new ConcurrentHashMap<>();

		@RedisListener(stream = "orphans")
		void on(Map<String, String> fields, StreamMessageContext context) {
			this.attempts.put(context.id(), context.deliveryAttempt());
		}

		@RedisListener(stream = "lossy")
		void onLossy(Map<String, String> fields, StreamMessageContext context) {
			this.attempts.put(context.id(), context.deliveryAttempt());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SlowListener {

		final AtomicInteger started = new AtomicInteger();

		final AtomicInteger finished = new AtomicInteger();

		@RedisListener(stream = "slow")
		void on(Map<String, Object> message) throws InterruptedException {
			this.started.incrementAndGet();
			// simulated work: three times the minimum idle time
			new CountDownLatch(1).await(3, TimeUnit.SECONDS);
			this.finished.incrementAndGet();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MembersListener {

		@RedisListener(stream = "members")
		void on(Map<String, String> fields) {
		}

	}

	static class FlakyDeadLetterPublisher implements DeadLetterPublisher {

		final AtomicInteger calls = new AtomicInteger();

		final List<DeadLetter> recorded = new CopyOnWriteArrayList<>();

		@Override
		public void publish(DeadLetter deadLetter) {
			if (this.calls.incrementAndGet() < 3) {
				throw new IllegalStateException("dead-letter store unavailable");
			}
			this.recorded.add(deadLetter);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FailingPublisherConfiguration {

		@Bean
		FlakyDeadLetterPublisher flakyDeadLetterPublisher() {
			return new FlakyDeadLetterPublisher();
		}

		@Bean
		AlwaysFailingListener alwaysFailingListener() {
			return new AlwaysFailingListener();
		}

	}

}
