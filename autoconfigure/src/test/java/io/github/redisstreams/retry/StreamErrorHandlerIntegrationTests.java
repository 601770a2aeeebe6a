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

package io.github.redisstreams.retry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.models.stream.PendingMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.deadletter.DeadLetterReason;
import io.github.redisstreams.listener.StreamMessageContext;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.retry.StreamErrorHandler.Decision;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for a user-defined {@link StreamErrorHandler}: it replaces the retry
 * policy's decisions (retry, dead-letter, leave pending), against a real Redis.
 */
class StreamErrorHandlerIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String GROUP = "it-app";

	private static final String RECLAIMER = "it-node-reclaimer";

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	private ApplicationContextRunner runner(Class<?>... configurations) {
		return StreamsContextRunner.create(redis)
			.withUserConfiguration(configurations)
			.withPropertyValues("redis.streams.retry.max-retries=1", "redis.streams.retry.delay=10s");
	}

	@Test
	void timeoutAnywhereInTheCauseChainIsRetriedBeyondMaxRetriesUntilItSucceeds() {
		runner(TimeoutRetryingErrorHandler.class, TimingOutListener.class).run((context) -> {
			TimingOutListener listener = context.getBean(TimingOutListener.class);
			TimeoutRetryingErrorHandler handler = context.getBean(TimeoutRetryingErrorHandler.class);
			String id = context.getBean(StreamPublisher.class).publish("timeouts", Map.of("order", 1));
			await().atMost(TIMEOUT).until(() -> listener.succeeded.size() == 1);
			// six deliveries, where max-retries=1 alone allows two
			assertThat(listener.attempts).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
			assertThat(listener.succeeded).containsExactly(id);
			// the handler saw each failed delivery, with Redis's delivery counter
			assertThat(handler.failures).extracting(FailedDelivery::deliveryCount).containsExactly(1L, 2L, 3L, 4L, 5L);
			assertThat(handler.failures).allSatisfy((failure) -> {
				assertThat(failure.listenerId()).isEqualTo("timeouts");
				assertThat(failure.group()).isEqualTo(GROUP);
				assertThat(failure.entry().getId()).isEqualTo(id);
				assertThat(failure.entry().getStream()).isEqualTo("timeouts");
				assertThat(failure.exception()).isInstanceOf(IllegalStateException.class);
				assertThat(failure.hasCause(TimeoutException.class)).isTrue();
				// the listener's policy is still passed along, for handlers that use it
				assertThat(failure.retryPolicy().getMaxRetries()).isEqualTo(1);
			});
			await().atMost(TIMEOUT).until(() -> this.client.pendingCount("timeouts", GROUP) == 0);
			assertThat(this.client.sync().zcard("{timeouts}:retry:" + GROUP)).isZero();
			assertThat(this.client.sync().exists("{timeouts}:dlq")).isZero();
			assertThat(listener.attempts).hasSize(6);
		});
	}

	@Test
	void otherFailuresAreDeadLetteredAtOnceWithTheReasonTheHandlerGave() {
		runner(TimeoutRetryingErrorHandler.class, RejectingListener.class).run((context) -> {
			RejectingListener listener = context.getBean(RejectingListener.class);
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			String rejected = publisher.publish("rejects", Map.of("kind", "reject"));
			await().atMost(TIMEOUT).until(() -> this.client.sync().xlen("{rejects}:dlq") == 1);
			// an entry behind it is processed: the rejected one was not retried meanwhile
			String accepted = publisher.publish("rejects", Map.of("kind", "accept"));
			await().atMost(TIMEOUT).until(() -> listener.accepted.contains(accepted));
			await().atMost(TIMEOUT).until(() -> this.client.pendingCount("rejects", GROUP) == 0);
			assertThat(listener.rejected).containsExactly(rejected);
			List<StreamMessage<String, String>> deadLetters = this.client.sync()
				.xrange("{rejects}:dlq", Range.create("-", "+"));
			assertThat(deadLetters).singleElement()
				.satisfies((deadLetter) -> assertThat(deadLetter.getBody()).containsEntry("x-original-id", rejected)
					.containsEntry("x-reason", "not-retryable")
					.containsEntry("x-delivery-count", "1")
					.containsEntry("x-exception-class", IllegalStateException.class.getName()));
			assertThat(this.client.sync().zcard("{rejects}:retry:" + GROUP)).isZero();
		});
	}

	@Test
	void leavePendingKeepsTheEntryPendingUnscheduledUntilTheReclaimerDeliversItAgain() {
		reclaimingRunner(LeavingPendingErrorHandler.class, FailingOnceListener.class).run((context) -> {
			LeavingPendingErrorHandler handler = context.getBean(LeavingPendingErrorHandler.class);
			String id = context.getBean(StreamPublisher.class).publish("held", Map.of("order", 1));
			await().atMost(TIMEOUT).until(() -> handler.failures.size() == 1);
			assertLeftPendingThenReclaimed(context.getBean(FailingOnceListener.class), id);
			assertThat(handler.failures).extracting(FailedDelivery::deliveryCount).containsExactly(1L);
		});
	}

	@Test
	void handlerThatThrowsLeavesTheEntryPendingSoItIsDeliveredAgainNotLost() {
		reclaimingRunner(ThrowingErrorHandler.class, FailingOnceListener.class).run((context) -> {
			ThrowingErrorHandler handler = context.getBean(ThrowingErrorHandler.class);
			String id = context.getBean(StreamPublisher.class).publish("held", Map.of("order", 2));
			await().atMost(TIMEOUT).until(() -> handler.calls.size() == 1);
			assertLeftPendingThenReclaimed(context.getBean(FailingOnceListener.class), id);
			assertThat(handler.calls).containsExactly(1L);
		});
	}

	private void assertLeftPendingThenReclaimed(FailingOnceListener listener, String id) {
		// pending, owned by a consumer rather than parked for a retry, not dead-lettered
		assertThat(pendingEntries("held")).singleElement().satisfies((entry) -> {
			assertThat(entry.getId()).isEqualTo(id);
			// the reclaimer may already have taken it over
			assertThat(entry.getConsumer()).isIn("it-node-0", RECLAIMER);
		});
		assertThat(this.client.sync().zcard("{held}:retry:" + GROUP)).isZero();
		assertThat(this.client.sync().exists("{held}:dlq")).isZero();
		// it is delivered again once it was idle for min-idle-time; while that
		// delivery is held, the entry is still pending
		await().atMost(TIMEOUT).until(() -> listener.deliveries.size() == 2);
		assertThat(this.client.pendingCount("held", GROUP)).isEqualTo(1);
		assertThat(this.client.sync().zcard("{held}:retry:" + GROUP)).isZero();
		listener.release.countDown();
		await().atMost(TIMEOUT).until(() -> this.client.pendingCount("held", GROUP) == 0);
		assertThat(listener.deliveries).extracting(StreamMessageContext::id).containsOnly(id);
		assertThat(listener.deliveries).extracting(StreamMessageContext::deliveryAttempt).containsExactly(1L, 2L);
		// taken over in a consumer's read where the server claims in reads (Redis 8.4+),
		// else by the reclaimer's XAUTOCLAIM under its own name
		assertThat(listener.deliveries).extracting(StreamMessageContext::consumer)
			.containsExactly("it-node-0", redis.server().hasArgument("XREADGROUP", "CLAIM") ? "it-node-0" : RECLAIMER);
		assertThat(listener.completed).containsExactly(id);
		assertThat(this.client.sync().exists("{held}:dlq")).isZero();
	}

	private ApplicationContextRunner reclaimingRunner(Class<?>... configurations) {
		// poll timeout (200ms) shorter than the minimum idle time
		return runner(configurations).withPropertyValues("redis.streams.reclaim.min-idle-time=1s",
				"redis.streams.reclaim.interval=200ms");
	}

	private List<PendingMessage> pendingEntries(String stream) {
		return this.client.sync().xpending(stream, GROUP, Range.create("-", "+"), Limit.from(10));
	}

	@Configuration(proxyBeanMethods = false)
	static class TimeoutRetryingErrorHandler implements StreamErrorHandler {

		final List<FailedDelivery> failures = new CopyOnWriteArrayList<>();

		@Override
		public Decision handle(FailedDelivery failure) {
			this.failures.add(failure);
			return failure.hasCause(TimeoutException.class) ? Decision.retryAfter(Duration.ofMillis(50))
					: Decision.deadLetter(DeadLetterReason.NOT_RETRYABLE);
		}

		@Override
		public long deliveryLimit(ListenerRetryPolicy retryPolicy) {
			// retries beyond max-retries need a higher limit than max-retries + 1
			return Long.MAX_VALUE;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TimingOutListener {

		final List<Long> attempts = new CopyOnWriteArrayList<>();

		final List<String> succeeded = new CopyOnWriteArrayList<>();

		@RedisListener(id = "timeouts", stream = "timeouts")
		void on(Map<String, Object> message, StreamMessageContext context) {
			this.attempts.add(context.deliveryAttempt());
			if (context.deliveryAttempt() <= 5) {
				// the timeout is two causes deep
				throw new IllegalStateException("Attempt " + context.deliveryAttempt() + " failed",
						new RuntimeException("Remote call failed", new TimeoutException("Timed out")));
			}
			this.succeeded.add(context.id());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RejectingListener {

		final List<String> rejected = new CopyOnWriteArrayList<>();

		final List<String> accepted = new CopyOnWriteArrayList<>();

		@RedisListener(id = "rejects", stream = "rejects")
		void on(Map<String, Object> message, StreamMessageContext context) {
			if ("reject".equals(message.get("kind"))) {
				this.rejected.add(context.id());
				throw new IllegalStateException("Rejected");
			}
			this.accepted.add(context.id());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LeavingPendingErrorHandler {

		final List<FailedDelivery> failures = new CopyOnWriteArrayList<>();

		@Bean
		StreamErrorHandler leavingPendingErrorHandler() {
			return (failure) -> {
				this.failures.add(failure);
				return Decision.leavePending();
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ThrowingErrorHandler {

		final List<Long> calls = new CopyOnWriteArrayList<>();

		@Bean
		StreamErrorHandler throwingErrorHandler() {
			return (failure) -> {
				this.calls.add(failure.deliveryCount());
				throw new IllegalStateException("Error handler failed");
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FailingOnceListener {

		final List<StreamMessageContext> deliveries = new CopyOnWriteArrayList<>();

		final List<String> completed = new CopyOnWriteArrayList<>();

		final CountDownLatch release = new CountDownLatch(1);

		@RedisListener(id = "held", stream = "held")
		void on(Map<String, Object> message, StreamMessageContext context) throws InterruptedException {
			this.deliveries.add(context);
			if (context.deliveryAttempt() == 1) {
				throw new IllegalStateException("First delivery fails");
			}
			// later deliveries wait for the test to look at the pending entry
			if (this.release.await(30, TimeUnit.SECONDS)) {
				this.completed.add(context.id());
			}
		}

	}

}
