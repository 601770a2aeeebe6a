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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.Consumer;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.deadletter.DeadLetter;
import io.github.redisstreams.deadletter.DeadLetterPublisher;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.retry.FailedDelivery;
import io.github.redisstreams.retry.ListenerRetryPolicy;
import io.github.redisstreams.retry.StreamErrorHandler;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests: no handler behaviour ends a consumer loop or gets an entry past its
 * delivery limit (interrupt flags, {@code InterruptedException}, {@code Error}s,
 * deliveries that never finished).
 */
@ExtendWith(OutputCaptureExtension.class)
class HandlerBehaviourIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String GROUP = "it-app";

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	private ApplicationContextRunner runner(Class<?>... configurations) {
		return StreamsContextRunner.create(redis)
			.withUserConfiguration(configurations)
			.withPropertyValues("redis.streams.retry.delay=50ms", "redis.streams.reclaim.interval=200ms",
					"redis.streams.reclaim.min-idle-time=1s");
	}

	@Test
	void handlerLeavingTheInterruptFlagSetDoesNotEndTheOnlyConsumer() {
		runner(InterruptingListener.class).run((context) -> {
			InterruptingListener listener = context.getBean(InterruptingListener.class);
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			for (int n = 1; n <= 7; n++) {
				publisher.publish("interrupts", Map.of("n", n));
			}
			await().atMost(TIMEOUT).until(() -> listener.processed.size() == 7);
			assertThat(listener.processed).containsExactly(1, 2, 3, 4, 5, 6, 7);
			assertThat(listener.flagSeenAtStart).containsOnly(false);
			assertHealthyAndSettled(context, "interrupts");
		});
	}

	@Test
	void interruptedExceptionsAndErrorsFromHandlersAreRetriedAndTheConsumerGoesOn() {
		runner(MisbehavingListener.class).run((context) -> {
			MisbehavingListener listener = context.getBean(MisbehavingListener.class);
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			for (String behaviour : List.of("interrupted-exception", "error", "interrupt-and-throw", "stack-overflow",
					"plain")) {
				publisher.publish("misbehaving", Map.of("behaviour", behaviour));
			}
			await().atMost(TIMEOUT).until(() -> listener.processed.size() == 5);
			assertThat(listener.processed).containsExactlyInAnyOrder("interrupted-exception", "error",
					"interrupt-and-throw", "stack-overflow", "plain");
			assertThat(this.client.sync().exists("{misbehaving}:dlq")).isZero();
			assertHealthyAndSettled(context, "misbehaving");
		});
	}

	@Test
	void entryPastItsDeliveryLimitIsDeadLetteredWithoutInvokingTheListener() {
		// the entry was delivered 5 times to this instance's consumer, which died every
		// time
		// before a decision (a crash, an OOM kill): max-retries 3 allows 4 deliveries
		String crashing = addPendingTo("crashes", "it-node-0", 5, Map.of("n", "1"));
		runner(CountingListener.class).withPropertyValues("test.stream=crashes").run((context) -> {
			CountingListener listener = context.getBean(CountingListener.class);
			String next = context.getBean(StreamPublisher.class).publish("crashes", Map.of("n", 2));
			await().atMost(TIMEOUT).until(() -> listener.ids.contains(next));
			await().atMost(TIMEOUT).until(() -> this.client.sync().xlen("{crashes}:dlq") == 1);
			assertThat(listener.ids).containsExactly(next);
			assertDeadLetter("{crashes}:dlq", crashing, "delivery-limit-exceeded");
			assertHealthyAndSettled(context, "crashes");
		});
	}

	@Test
	void entryPastItsDeliveryLimitTakenOverByTheReclaimerIsDeadLetteredWithoutInvokingTheListener() {
		// pending under the consumer of an instance with another id, that is gone
		String crashing = addPendingTo("orphans", "pod-b-0", 5, Map.of("n", "1"));
		runner(CountingListener.class).withPropertyValues("test.stream=orphans").run((context) -> {
			CountingListener listener = context.getBean(CountingListener.class);
			await().atMost(TIMEOUT).until(() -> this.client.sync().xlen("{orphans}:dlq") == 1);
			String next = context.getBean(StreamPublisher.class).publish("orphans", Map.of("n", 2));
			await().atMost(TIMEOUT).until(() -> listener.ids.contains(next));
			assertThat(listener.ids).containsExactly(next);
			assertDeadLetter("{orphans}:dlq", crashing, "delivery-limit-exceeded");
			assertHealthyAndSettled(context, "orphans");
		});
	}

	@Test
	void deadLetterPublisherLeavingTheInterruptFlagSetDoesNotDisturbTheConsumer() {
		// user code on the consumer thread, called without the listener being invoked,
		// for an entry the reclaimer took over: the consumer's next read blocks for new
		// entries
		String crashing = addPendingTo("interrupting-dlq", "pod-b-0", 5, Map.of("n", "1"));
		runner(FlagCheckingListener.class, InterruptingDeadLetterPublisher.class)
			// the read after the dead letter blocks for a poll timeout: long enough for
			// the
			// entries published next
			.withPropertyValues("test.stream=interrupting-dlq", "redis.streams.listener.poll-timeout=3s",
					"redis.streams.reclaim.min-idle-time=4s", "spring.data.redis.timeout=10s")
			.run((context) -> {
				FlagCheckingListener listener = context.getBean(FlagCheckingListener.class);
				InterruptingDeadLetterPublisher deadLetters = context.getBean(InterruptingDeadLetterPublisher.class);
				await().atMost(TIMEOUT).until(() -> deadLetters.ids.contains(crashing));
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				for (int n = 2; n <= 6; n++) {
					publisher.publish("interrupting-dlq", Map.of("n", n));
				}
				await().atMost(TIMEOUT).until(() -> listener.ids.size() == 5);
				// each read once and in time: none lost to an interrupted read and
				// reclaimed later
				assertThat(listener.attempts).containsOnly(1L);
				assertThat(listener.flagSeenAtStart).containsOnly(false);
				assertThat(deadLetters.ids).containsExactly(crashing);
				assertHealthyAndSettled(context, "interrupting-dlq");
			});
	}

	@Test
	void interruptFromAnotherThreadDuringAReadLosesNoEntry(CapturedOutput output) {
		runner(FlagCheckingListener.class)
			.withPropertyValues("test.stream=interrupted-read", "redis.streams.listener.poll-timeout=3s",
					"redis.streams.reclaim.min-idle-time=4s", "spring.data.redis.timeout=10s")
			.run((context) -> {
				FlagCheckingListener listener = context.getBean(FlagCheckingListener.class);
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				publisher.publish("interrupted-read", Map.of("n", 1));
				await().atMost(TIMEOUT).until(() -> listener.ids.size() == 1);
				Thread consumer = listener.thread.get();
				assertThat(consumer).isNotNull();
				// listener code holding the consumer's thread interrupts it while it
				// waits for new entries
				await().atMost(TIMEOUT).until(() -> isWaitingForNewEntries(consumer));
				consumer.interrupt();
				for (int n = 2; n <= 6; n++) {
					publisher.publish("interrupted-read", Map.of("n", n));
				}
				await().atMost(TIMEOUT).until(() -> listener.ids.size() == 6);
				// read again by the consumer, not left to the reclaimer
				assertThat(output).doesNotContain("reclaimed");
				assertThat(listener.flagSeenAtStart).containsOnly(false);
				assertHealthyAndSettled(context, "interrupted-read");
			});
	}

	private static boolean isWaitingForNewEntries(Thread thread) {
		return Arrays.stream(thread.getStackTrace())
			.anyMatch((frame) -> frame.getClassName().endsWith(".NewEntries") && frame.getMethodName().equals("read"));
	}

	@Test
	void errorHandlerThrowingAnErrorDoesNotEndTheConsumerAndTheEntryIsDeadLetteredAtItsDeliveryLimit() {
		runner(PoisonListener.class, ErrorThrowingErrorHandler.class).run((context) -> {
			PoisonListener listener = context.getBean(PoisonListener.class);
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			String poison = publisher.publish("poisoned", Map.of("n", "poison"));
			publisher.publish("poisoned", Map.of("n", "fine"));
			await().atMost(TIMEOUT).until(() -> listener.processed.contains("fine"));
			// left pending at each failure, taken over again by the reclaimer, then past
			// the delivery limit (max-retries 3 + 1) dead-lettered without the listener
			await().atMost(TIMEOUT).until(() -> this.client.sync().xlen("{poisoned}:dlq") == 1);
			assertThat(listener.poisonAttempts).containsExactly(1L, 2L, 3L, 4L);
			assertThat(this.client.sync().xrange("{poisoned}:dlq", Range.create("-", "+"))).singleElement()
				.satisfies((deadLetter) -> assertThat(deadLetter.getBody()).containsEntry("x-original-id", poison)
					.containsEntry("x-reason", "delivery-limit-exceeded")
					.containsEntry("x-delivery-count", "5"));
			assertHealthyAndSettled(context, "poisoned");
		});
	}

	@Test
	void entryWithinItsDeliveryLimitIsStillInvoked() {
		String pending = addPendingTo("survivors", "it-node-0", 2, Map.of("n", "1"));
		runner(CountingListener.class).withPropertyValues("test.stream=survivors").run((context) -> {
			CountingListener listener = context.getBean(CountingListener.class);
			await().atMost(TIMEOUT).until(() -> listener.ids.contains(pending));
			assertThat(this.client.sync().exists("{survivors}:dlq")).isZero();
			assertHealthyAndSettled(context, "survivors");
		});
	}

	@Test
	void errorHandlerCanRaiseTheDeliveryLimit() {
		String pending = addPendingTo("patient", "it-node-0", 9, Map.of("n", "1"));
		runner(CountingListener.class, UnlimitedErrorHandler.class).withPropertyValues("test.stream=patient")
			.run((context) -> {
				CountingListener listener = context.getBean(CountingListener.class);
				await().atMost(TIMEOUT).until(() -> listener.ids.contains(pending));
				assertThat(listener.attempts.get(0)).isGreaterThan(4);
				assertThat(this.client.sync().exists("{patient}:dlq")).isZero();
				assertHealthyAndSettled(context, "patient");
			});
	}

	private String addPendingTo(String stream, String consumer, long deliveryCount, Map<String, String> fields) {
		this.client.sync().xgroupCreate(StreamOffset.from(stream, "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
		String id = this.client.sync().xadd(stream, fields);
		List<StreamMessage<String, String>> read = this.client.sync()
			.xreadgroup(Consumer.from(GROUP, consumer), XReadArgs.Builder.count(1), StreamOffset.lastConsumed(stream));
		assertThat(read).hasSize(1);
		// XCLAIM ... RETRYCOUNT sets the delivery counter as the deliveries that ended in
		// a
		// crash left it
		this.client.sync()
			.xclaim(stream, Consumer.from(GROUP, consumer), XClaimArgs.Builder.minIdleTime(0).retryCount(deliveryCount),
					id);
		return id;
	}

	private void assertDeadLetter(String deadLetterStream, String originalId, String reason) {
		List<StreamMessage<String, String>> deadLetters = this.client.sync()
			.xrange(deadLetterStream, Range.create("-", "+"));
		assertThat(deadLetters).singleElement().satisfies((deadLetter) -> {
			assertThat(deadLetter.getBody()).containsEntry("x-original-id", originalId)
				.containsEntry("x-reason", reason)
				.containsEntry("n", "1");
			assertThat(Long.parseLong(deadLetter.getBody().get("x-delivery-count"))).isGreaterThan(4);
		});
	}

	private void assertHealthyAndSettled(AssertableApplicationContext context, String stream) {
		await().atMost(TIMEOUT).until(() -> this.client.pendingCount(stream, GROUP) == 0);
		for (StreamListenerContainer container : context.getBean(RedisStreamListenerRegistry.class)
			.getListenerContainers()) {
			assertThat(container.isHealthy()).as("container '%s' healthy", container.getListenerId()).isTrue();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class InterruptingListener {

		final List<Integer> processed = new CopyOnWriteArrayList<>();

		final List<Boolean> flagSeenAtStart = new CopyOnWriteArrayList<>();

		@RedisListener(id = "interrupts", stream = "interrupts", concurrency = "1")
		void on(Map<String, Integer> message) {
			this.flagSeenAtStart.add(Thread.currentThread().isInterrupted());
			int n = message.get("n");
			this.processed.add(n);
			if (n == 2) {
				// as a handler does that caught an InterruptedException from a client
				// library
				Thread.currentThread().interrupt();
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MisbehavingListener {

		final List<String> processed = new CopyOnWriteArrayList<>();

		@RedisListener(id = "misbehaving", stream = "misbehaving", concurrency = "1")
		void on(Map<String, Object> message, StreamMessageContext context) throws Exception {
			String behaviour = (String) message.get("behaviour");
			if (context.deliveryAttempt() == 1) {
				switch (behaviour) {
					case "interrupted-exception" -> throw new InterruptedException("from a client library");
					case "error" -> throw new AssertionError("an Error, not an Exception");
					case "interrupt-and-throw" -> {
						Thread.currentThread().interrupt();
						throw new IllegalStateException("failed after an interrupt");
					}
					case "stack-overflow" -> recurse(0);
					default -> {
					}
				}
			}
			this.processed.add(behaviour);
		}

		private static int recurse(int depth) {
			return recurse(depth + 1) + 1;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CountingListener {

		final List<String> ids = new CopyOnWriteArrayList<>();

		final List<Long> attempts = new CopyOnWriteArrayList<>();

		@RedisListener(id = "counting", stream = "${test.stream}")
		void on(Map<String, String> message, StreamMessageContext context) {
			this.ids.add(context.id());
			this.attempts.add(context.deliveryAttempt());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FlagCheckingListener {

		final List<String> ids = new CopyOnWriteArrayList<>();

		final List<Long> attempts = new CopyOnWriteArrayList<>();

		final List<Boolean> flagSeenAtStart = new CopyOnWriteArrayList<>();

		final AtomicReference<@Nullable Thread> thread = new AtomicReference<>();

		@RedisListener(id = "flag-checking", stream = "${test.stream}", concurrency = "1")
		void on(Map<String, String> message, StreamMessageContext context) {
			this.flagSeenAtStart.add(Thread.currentThread().isInterrupted());
			this.thread.set(Thread.currentThread());
			this.ids.add(context.id());
			this.attempts.add(context.deliveryAttempt());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PoisonListener {

		final List<String> processed = new CopyOnWriteArrayList<>();

		final List<Long> poisonAttempts = new CopyOnWriteArrayList<>();

		@RedisListener(id = "poisoned", stream = "poisoned", concurrency = "1")
		void on(Map<String, Object> message, StreamMessageContext context) {
			if ("poison".equals(message.get("n"))) {
				this.poisonAttempts.add(context.deliveryAttempt());
				throw new IllegalStateException("cannot process");
			}
			this.processed.add(String.valueOf(message.get("n")));
		}

	}

	/**
	 * Fails with an {@code Error}, as an error handler that recursed without end.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ErrorThrowingErrorHandler implements StreamErrorHandler {

		@Override
		public Decision handle(FailedDelivery failure) {
			throw new StackOverflowError("the error handler recursed");
		}

	}

	/**
	 * Records dead letters and returns with the thread's interrupt flag set, as code does
	 * that caught an {@code InterruptedException} and re-set the flag.
	 */
	@Configuration(proxyBeanMethods = false)
	static class InterruptingDeadLetterPublisher implements DeadLetterPublisher {

		final List<String> ids = new CopyOnWriteArrayList<>();

		@Override
		public void publish(DeadLetter deadLetter) {
			this.ids.add(deadLetter.entry().getId());
			Thread.currentThread().interrupt();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnlimitedErrorHandler implements StreamErrorHandler {

		@Override
		public Decision handle(FailedDelivery failure) {
			return StreamErrorHandler.DEFAULT.handle(failure);
		}

		@Override
		public long deliveryLimit(ListenerRetryPolicy retryPolicy) {
			return Long.MAX_VALUE;
		}

	}

}
