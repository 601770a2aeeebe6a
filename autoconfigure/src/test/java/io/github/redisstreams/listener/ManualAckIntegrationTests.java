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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.models.stream.PendingMessage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.ThrowingConsumer;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.publish.StreamPublisher;
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
 * Integration tests: a manual acknowledgement given from another thread reaches Redis
 * within a bounded time, whatever the consumer does, also for entries taken over by the
 * reclaimer; one given after the consumer stopped is named in a warning, not dropped
 * without a word.
 */
@ExtendWith(OutputCaptureExtension.class)
class ManualAckIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String GROUP = "it-app";

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	private ApplicationContextRunner runner(Class<?>... configurations) {
		return StreamsContextRunner.create(redis)
			.withUserConfiguration(configurations)
			.withPropertyValues("redis.streams.reclaim.interval=200ms", "redis.streams.reclaim.min-idle-time=1s");
	}

	@Test
	void entriesOfADeadConsumerAcknowledgedLaterFromAnotherThreadAreHandledOnce() {
		this.client.sync()
			.xgroupCreate(StreamOffset.from("late-acks", "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
		for (int n = 1; n <= 5; n++) {
			this.client.sync().xadd("late-acks", Map.of("n", Integer.toString(n)));
		}
		// a consumer that read them and died
		List<StreamMessage<String, String>> read = this.client.sync()
			.xreadgroup(Consumer.from(GROUP, "pod-dead-0"), XReadArgs.Builder.count(5),
					StreamOffset.lastConsumed("late-acks"));
		assertThat(read).hasSize(5);
		runner(LateAckListener.class).run((context) -> {
			LateAckListener listener = context.getBean(LateAckListener.class);
			await().atMost(TIMEOUT).until(() -> listener.handled.size() == 5);
			await().atMost(TIMEOUT).until(() -> this.client.pendingCount("late-acks", GROUP) == 0);
			// several reclaim rounds later, still once each
			await().during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(10))
				.until(() -> listener.handled.values().stream().allMatch((count) -> count.get() == 1)
						&& listener.handled.size() == 5);
			// the reclaimer only claims: a consumer thread ran the handler
			assertThat(listener.threads).isNotEmpty()
				.allSatisfy((thread) -> assertThat(thread).startsWith("redis-streams-late-acks-")
					.doesNotContain("reclaim"));
		});
	}

	@Test
	void acknowledgementFromAnotherThreadReachesRedisWhileTheConsumerRunsALongHandler() {
		runner(BusyListener.class).run((context) -> {
			BusyListener listener = context.getBean(BusyListener.class);
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			String acknowledgedLater = publisher.publish("busy", Map.of("kind", "late-ack"));
			String longRunning = publisher.publish("busy", Map.of("kind", "long"));
			await().atMost(TIMEOUT).until(() -> listener.longStarted.getCount() == 0);
			try {
				// the consumer is inside the long handler and reads nothing meanwhile
				await().atMost(TIMEOUT).until(() -> !isPending("busy", acknowledgedLater));
				assertThat(isPending("busy", longRunning)).isTrue();
			}
			finally {
				listener.release.countDown();
			}
			await().atMost(TIMEOUT).until(() -> this.client.pendingCount("busy", GROUP) == 0);
			assertThat(listener.deliveries).hasValue(2);
		});
	}

	@Test
	void acknowledgementAfterTheConsumerStoppedIsNamedInAWarningAndTheEntryStaysPending(CapturedOutput output) {
		runner(HandingOffListener.class).run((context) -> {
			HandingOffListener listener = context.getBean(HandingOffListener.class);
			String id = context.getBean(StreamPublisher.class).publish("handing-off", Map.of("n", "1"));
			await().atMost(TIMEOUT).until(() -> listener.handedOff.getCount() == 0);
			// the handler returned; the listener stops before its executor acknowledges
			RedisStreamListenerRegistry registry = context.getBean(RedisStreamListenerRegistry.class);
			registry.stopListener("handing-off");
			StreamListenerContainer container = registry.getListenerContainer("handing-off");
			assertThat(container).isNotNull();
			await().atMost(TIMEOUT).until(() -> !container.isRunning());
			listener.acknowledgeNow.countDown();
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(output).contains("Listener 'handing-off': entry " + id
						+ " was acknowledged after its consumer stopped; the acknowledgement is not sent, the "
						+ "entry stays pending and will be delivered again"));
			assertThat(isPending("handing-off", id)).isTrue();
		});
	}

	@Test
	void acknowledgementFromAnotherThreadIsSentWhenTheShutdownTimeoutLeavesTheConsumerInItsHandler(
			CapturedOutput output) {
		// the flusher would send the acknowledgement after a poll timeout (4s): the
		// shutdown timeout (1s) ends the background tasks before that
		stuckWithAWaitingAcknowledgement("1s", (context) -> {
			// returns after the shutdown timeout, the handler still running
			context.getBean(RedisStreamListenerRegistry.class).stopListener("busy");
			// the idle background tasks are not said to hold entries
			assertThat(output).contains("did not finish within the shutdown timeout")
				.doesNotContain("was still running at the shutdown timeout");
		});
	}

	@Test
	void aStopInterruptedWhileAHandlerRunsStillEndsTheBackgroundTasksAndSendsWaitingAcknowledgements() {
		stuckWithAWaitingAcknowledgement("30s", (context) -> {
			Thread stopping = new Thread(() -> context.getBean(RedisStreamListenerRegistry.class).stopListener("busy"));
			stopping.start();
			// waiting for the running handler, up to the shutdown timeout
			await().atMost(TIMEOUT).until(() -> stopping.getState() == Thread.State.TIMED_WAITING);
			stopping.interrupt();
			stopping.join(TIMEOUT.toMillis());
			assertThat(stopping.isAlive()).isFalse();
			// the instance-id lease is given up: its renewal ended
			assertThat(this.client.sync().exists("{busy}:instance:it-app:it-node")).isZero();
		});
	}

	/**
	 * Run a listener whose handler runs until released, with an acknowledgement given
	 * from another thread waiting in its buffer (the poll timeout, 4s, is longer than the
	 * test), stop it with the given shutdown timeout, then check that the waiting
	 * acknowledgement was sent and the running handler's entry stays pending.
	 */
	private void stuckWithAWaitingAcknowledgement(String shutdownTimeout,
			ThrowingConsumer<AssertableApplicationContext> stop) {
		runner(BusyListener.class)
			.withPropertyValues("redis.streams.listener.poll-timeout=4s",
					"redis.streams.listener.shutdown-timeout=" + shutdownTimeout,
					"redis.streams.reclaim.min-idle-time=30s", "spring.data.redis.timeout=10s")
			.run((context) -> {
				BusyListener listener = context.getBean(BusyListener.class);
				listener.acknowledgeLater = false;
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				String acknowledgedLater = publisher.publish("busy", Map.of("kind", "late-ack"));
				String longRunning = publisher.publish("busy", Map.of("kind", "long"));
				await().atMost(TIMEOUT).until(() -> listener.longStarted.getCount() == 0);
				try {
					Acknowledgment acknowledgment = listener.handedOff.get();
					assertThat(acknowledgment).isNotNull();
					acknowledgment.acknowledge();
					stop.accept(context);
					assertThat(isPending("busy", acknowledgedLater)).isFalse();
					assertThat(isPending("busy", longRunning)).isTrue();
				}
				finally {
					listener.release.countDown();
				}
			});
	}

	private boolean isPending(String stream, String id) {
		List<PendingMessage> pending = this.client.sync().xpending(stream, GROUP, Range.create(id, id), Limit.from(1));
		return !pending.isEmpty();
	}

	@Configuration(proxyBeanMethods = false)
	static class LateAckListener {

		final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();

		final Set<String> threads = ConcurrentHashMap.newKeySet();

		private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

		@RedisListener(id = "late-acks", stream = "late-acks")
		void on(Map<String, String> message, StreamMessageContext context, Acknowledgment acknowledgment) {
			this.threads.add(Thread.currentThread().getName());
			this.handled.computeIfAbsent(context.id(), (id) -> new AtomicInteger()).incrementAndGet();
			this.executor.schedule(acknowledgment::acknowledge, 200, TimeUnit.MILLISECONDS);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BusyListener {

		final CountDownLatch longStarted = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicInteger deliveries = new AtomicInteger();

		final AtomicReference<@Nullable Acknowledgment> handedOff = new AtomicReference<>();

		volatile boolean acknowledgeLater = true;

		private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

		@RedisListener(id = "busy", stream = "busy", concurrency = "1")
		void on(Map<String, Object> message, Acknowledgment acknowledgment) throws InterruptedException {
			this.deliveries.incrementAndGet();
			if ("late-ack".equals(message.get("kind"))) {
				if (this.acknowledgeLater) {
					this.executor.schedule(acknowledgment::acknowledge, 200, TimeUnit.MILLISECONDS);
				}
				else {
					this.handedOff.set(acknowledgment);
				}
				return;
			}
			this.longStarted.countDown();
			this.release.await(60, TimeUnit.SECONDS);
			acknowledgment.acknowledge();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class HandingOffListener {

		final CountDownLatch handedOff = new CountDownLatch(1);

		final CountDownLatch acknowledgeNow = new CountDownLatch(1);

		private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

		@RedisListener(id = "handing-off", stream = "handing-off", concurrency = "1")
		void on(Map<String, Object> message, Acknowledgment acknowledgment) {
			this.executor.execute(() -> {
				try {
					if (this.acknowledgeNow.await(60, TimeUnit.SECONDS)) {
						acknowledgment.acknowledge();
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			this.handedOff.countDown();
		}

	}

}
