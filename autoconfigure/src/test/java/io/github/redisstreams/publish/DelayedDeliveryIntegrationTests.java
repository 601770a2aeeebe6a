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

package io.github.redisstreams.publish;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.autoconfigure.RedisStreamsMetricsAutoConfiguration;
import io.github.redisstreams.metrics.MicrometerDelayedDeliveryMetrics;
import io.github.redisstreams.support.StreamKeys;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Delayed delivery against a real Redis: scheduled messages are added to their stream
 * when due and never before, exactly once however many movers run and whichever dies, and
 * cancelled ones never.
 */
@ExtendWith(OutputCaptureExtension.class)
class DelayedDeliveryIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	private Process child;

	@AfterEach
	void killChild() {
		if (this.child != null && this.child.isAlive()) {
			this.child.destroyForcibly();
		}
	}

	private ApplicationContextRunner runner(String... properties) {
		return StreamsContextRunner.create(redis).withPropertyValues(properties);
	}

	private static PublishRequest reminder(String stream, int n) {
		return PublishRequest.to(stream).payload(Map.of("n", n)).header("kind", "reminder");
	}

	@Test
	void aDelayedMessageIsAddedToItsStreamWhenDueAndNotBefore() {
		runner().run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			Instant due = Instant.now().plusMillis(1500);
			PublishResult result = publisher.publish(reminder("reminders", 1).deliverAt(due));
			assertThat(result.duplicate()).isFalse();
			assertThat(result.stream()).isEqualTo("reminders");
			assertThat(result.id()).matches("[0-9a-f]{32}@reminders");
			assertThat(this.client.sync().exists("reminders")).isZero();
			assertThat(this.client.sync().zcard("{reminders}:delayed")).isEqualTo(1);
			assertThat(this.client.sync().hlen("{reminders}:delayed:messages")).isEqualTo(1);
			assertThat(this.client.sync().zscore(StreamKeys.DELAYED_STREAMS, "reminders")).isNotNull();

			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.sync().xlen("reminders") == 1);
			StreamMessage<String, String> entry = this.client.sync().xrange("reminders", Range.create("-", "+")).get(0);
			assertThat(entry.getBody()).containsExactly(Map.entry("payload", "{\"n\":1}"),
					Map.entry("kind", "reminder"));
			assertThat(entryTime(entry.getId())).isGreaterThanOrEqualTo(due.toEpochMilli());
			assertThat(this.client.sync().exists("{reminders}:delayed", "{reminders}:delayed:messages")).isZero();
		});
	}

	@Test
	void aDelayOfZeroOrADueTimeInThePastIsDeliveredAtTheNextPoll() {
		runner().run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			publisher.publish(reminder("now", 1).deliverAfter(Duration.ZERO));
			publisher.publish(reminder("now", 2).deliverAt(Instant.now().minusSeconds(3600)));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.sync().xlen("now") == 2);
		});
	}

	@Test
	void messagesDueAtTheSameTimeAreAddedInTheOrderTheyWereScheduled() {
		runner().run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			Instant due = Instant.now().plusMillis(300);
			List<String> expected = new ArrayList<>();
			for (int n = 0; n < 200; n++) {
				publisher.publish(reminder("fifo", n).deliverAt(due));
				expected.add("{\"n\":" + n + "}");
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.sync().xlen("fifo") == 200);
			assertThat(this.client.sync().xrange("fifo", Range.create("-", "+")))
				.extracting((entry) -> entry.getBody().get("payload"))
				.containsExactlyElementsOf(expected);
		});
	}

	@Test
	void aCancelledMessageIsNeverDeliveredAndAMovedOneCannotBeCancelled() {
		runner().run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			PublishResult later = publisher.publish(reminder("timeouts", 1).deliverAfter(Duration.ofSeconds(2)));
			PublishResult soon = publisher.publish(reminder("timeouts", 2).deliverAfter(Duration.ofMillis(200)));
			assertThat(publisher.cancel(later.id())).isTrue();
			assertThat(publisher.cancel(later.id())).isFalse();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.sync().xlen("timeouts") == 1);
			assertThat(publisher.cancel(soon.id())).isFalse();
			// unknown, well-formed: false
			assertThat(publisher.cancel("0123456789abcdef0123456789abcdef@timeouts")).isFalse();
			// past the cancelled one's due time, still only the other one
			await().during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(5))
				.until(() -> this.client.sync().xlen("timeouts") == 1);
			assertThat(this.client.sync().xrange("timeouts", Range.create("-", "+")).get(0).getBody())
				.containsEntry("payload", "{\"n\":2}");
			assertThat(this.client.sync().exists("{timeouts}:delayed", "{timeouts}:delayed:messages")).isZero();
		});
	}

	@Test
	void aMalformedScheduleIdIsRefusedNamingTheExpectedForm() {
		runner().run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			for (String id : List.of("1764583613000-0", "", "abc@orders", "0123456789abcdef0123456789abcdef@",
					"0123456789abcdef0123456789abcdeg@orders")) {
				assertThatIllegalArgumentException().isThrownBy(() -> publisher.cancel(id))
					.withMessageContaining("not a schedule id")
					.withMessageContaining("<32 hexadecimal digits>@<stream>");
			}
		});
	}

	@Test
	void aDelayedMessageWithAnIdempotencyKeyIsScheduledOnceAndItsKeyIsFreedByCancel() {
		runner().run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			PublishRequest request = reminder("invoices", 1).idempotencyKey("inv-7")
				.deliverAfter(Duration.ofSeconds(30));
			PublishResult first = publisher.publish(request);
			PublishResult again = publisher.publish(request);
			assertThat(again).isEqualTo(new PublishResult("invoices", first.id(), true));
			// an immediate publication of the same key is a duplicate too
			assertThat(publisher.publish(reminder("invoices", 1).idempotencyKey("inv-7")))
				.isEqualTo(new PublishResult("invoices", first.id(), true));
			assertThat(this.client.sync().zcard("{invoices}:delayed")).isEqualTo(1);

			assertThat(publisher.cancel(first.id())).isTrue();
			assertThat(this.client.sync().exists("{invoices}:published:6:it-app:inv-7")).isZero();
			PublishResult afterCancel = publisher.publish(request.deliverAfter(Duration.ZERO));
			assertThat(afterCancel.duplicate()).isFalse();
			assertThat(afterCancel.id()).isNotEqualTo(first.id());
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.sync().xlen("invoices") == 1);
			// moved: the key stays used for the window
			assertThat(publisher.publish(request).duplicate()).isTrue();
			assertThat(this.client.sync().xlen("invoices")).isEqualTo(1);
		});
	}

	@Test
	void aDelayedMessageToAPartitionedStreamWaitsInItsPartitionsSlot() {
		runner("redis.streams.publish.partitions.orders=4").run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			PublishResult result = publisher
				.publish(reminder("orders", 1).partitionKey("customer-9").deliverAfter(Duration.ofMillis(300)));
			String partition = "orders:{" + StreamKeys.partitionOf("customer-9", 4) + "}";
			assertThat(result.stream()).isEqualTo(partition);
			assertThat(result.id()).endsWith("@" + partition);
			assertThat(this.client.sync().zcard(partition + ":delayed")).isEqualTo(1);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.sync().xlen(partition) == 1);
		});
	}

	@Test
	void aStreamKeyOfAnotherTypeIsNamedAndItsMessagesWaitUntilItIsFixed(CapturedOutput output) {
		runner().run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			this.client.sync().set("alerts", "not a stream");
			publisher.publish(reminder("alerts", 1).deliverAfter(Duration.ZERO));
			publisher.publish(reminder("audits", 1).deliverAfter(Duration.ZERO));
			// the other stream's messages are moved meanwhile
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.sync().xlen("audits") == 1);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> output.getOut().contains("Could not move delayed messages into stream 'alerts'")
						&& output.getOut().contains("WRONGTYPE"));
			assertThat(this.client.sync().zcard("{alerts}:delayed")).isEqualTo(1);
			assertThat(output.getOut().split("Could not move delayed messages into stream 'alerts'", -1)).hasSize(2);

			this.client.sync().del("alerts");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.sync().xlen("alerts") == 1);
			// logged when the script has returned, which can be after XLEN sees the entry
			await().atMost(Duration.ofSeconds(10))
				.until(() -> output.getOut().contains("Delayed delivery works again for 'alerts'"));
		});
	}

	@Test
	void withTheMoverDisabledMessagesWaitForAnotherInstance() {
		runner("redis.streams.delayed.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(DelayedDeliveryMover.class);
			context.getBean(StreamPublisher.class).publish(reminder("later", 1).deliverAfter(Duration.ZERO));
			await().during(Duration.ofMillis(700))
				.atMost(Duration.ofSeconds(2))
				.until(() -> this.client.sync().exists("later") == 0);
			runner().run((other) -> await().atMost(Duration.ofSeconds(10))
				.until(() -> this.client.sync().exists("later") == 1));
		});
	}

	@Test
	void theMoverForgetsAStreamWithoutDelayedMessagesOnlyAfterTheGrace() {
		runner("redis.streams.delayed.enabled=false").run((context) -> {
			context.getBean(StreamPublisher.class).publish(reminder("quiet", 1).deliverAfter(Duration.ZERO));
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			DelayedDeliveryMover mover = new DelayedDeliveryMover(context.getBean(RedisConnectionFactory.class),
					Duration.ofSeconds(1), 100, new MicrometerDelayedDeliveryMetrics(registry));
			long now = System.currentTimeMillis();
			assertThat(mover.poll(now + 1000)).isEqualTo(1);
			// empty, but recorded within the grace: kept
			assertThat(this.client.sync().zscore(StreamKeys.DELAYED_STREAMS, "quiet")).isNotNull();
			assertThat(registry.find("redis.streams.delayed.scheduled").tag("stream", "quiet").gauge()).isNotNull();
			assertThat(mover.poll(now + DelayedDelivery.INDEX_GRACE.toMillis() + 5000)).isZero();
			assertThat(this.client.sync().zscore(StreamKeys.DELAYED_STREAMS, "quiet")).isNull();
			assertThat(this.client.sync().xlen("quiet")).isEqualTo(1);
			// its meters go with it
			assertThat(registry.find("redis.streams.delayed.scheduled").tag("stream", "quiet").gauge()).isNull();
			assertThat(registry.find("redis.streams.delayed.moved").tag("stream", "quiet").counter()).isNull();
		});
	}

	@Test
	void aPublisherThatFillsAnEmptyDelayedSetRecordsTheStreamAgainWhateverItRemembers() {
		runner().run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			publisher.publish(reminder("stalled", 1).deliverAfter(Duration.ZERO));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.sync().xlen("stalled") == 1);
			// a mover forgot the stream while this publisher still counts it as recorded
			// (its schedule stalled past the grace, say)
			this.client.sync().zrem(StreamKeys.DELAYED_STREAMS, "stalled");
			publisher.publish(reminder("stalled", 2).deliverAfter(Duration.ZERO));
			assertThat(this.client.sync().zscore(StreamKeys.DELAYED_STREAMS, "stalled")).isNotNull();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.sync().xlen("stalled") == 2);
		});
	}

	@Test
	void aRefusedScheduleLeavesNoIdempotencyMarkerOfAMessageThatWasNeverScheduled() {
		runner().run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			this.client.sync().set("{refused}:delayed:messages", "not a hash");
			PublishRequest request = reminder("refused", 1).idempotencyKey("k-1").deliverAfter(Duration.ofMinutes(5));
			assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> publisher.publish(request))
				.withStackTraceContaining("WRONGTYPE");
			assertThat(this.client.sync().exists("{refused}:published:6:it-app:k-1", "{refused}:delayed")).isZero();
			this.client.sync().del("{refused}:delayed:messages");
			assertThat(publisher.publish(request).duplicate()).isFalse();
		});
	}

	@Test
	void theIdempotencyKeyOfADelayedMessageIsRememberedForTheWindowAfterItsDueTime() {
		runner("redis.streams.publish.idempotency-window=1h").run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			publisher.publish(reminder("late", 1).idempotencyKey("k-2").deliverAfter(Duration.ofHours(48)));
			assertThat(this.client.sync().pttl("{late}:published:6:it-app:k-2"))
				.isGreaterThan(Duration.ofHours(48).toMillis())
				.isLessThanOrEqualTo(Duration.ofHours(49).toMillis());
		});
	}

	@Test
	void theMeterRegistryShowsMovedAndScheduledMessages() {
		runner().withConfiguration(AutoConfigurations.of(RedisStreamsMetricsAutoConfiguration.class))
			.withUserConfiguration(MeterRegistryConfiguration.class)
			.run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				publisher.publish(reminder("metered", 1).deliverAfter(Duration.ZERO));
				publisher.publish(reminder("metered", 2).deliverAfter(Duration.ofHours(1)));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				// a counter is registered, then incremented: await the count, not the
				// counter
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					Counter moved = registry.find("redis.streams.delayed.moved").tag("stream", "metered").counter();
					assertThat(moved).isNotNull();
					assertThat(moved.count()).isEqualTo(1);
				});
				// the gauge is updated after the move is counted, in the same poll
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(
							registry.get("redis.streams.delayed.scheduled").tag("stream", "metered").gauge().value())
						.isEqualTo(1));
			});
	}

	@Test
	void tenThousandMessagesDueOverFiveSecondsAreDeliveredOnceByTwoMoversWhileOneIsKilled() throws Exception {
		int messages = 10_000;
		Path log = Path.of("target", "delayed-mover.log");
		Files.deleteIfExists(log);
		this.child = startChild(log.toFile());
		await().atMost(Duration.ofSeconds(60))
			.until(() -> Files.exists(log) && Files.readString(log).contains("Started"));
		AtomicLong movedHere = new AtomicLong();
		runner("redis.streams.delayed.poll-interval=50ms")
			.withBean(DelayedDeliveryMetrics.class, () -> new DelayedDeliveryMetrics() {

				@Override
				public void moved(String stream, int count) {
					movedHere.addAndGet(count);
				}

			})
			.run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				long start = System.currentTimeMillis() + 3000;
				ExecutorService executor = Executors.newFixedThreadPool(4);
				try {
					List<Future<?>> published = new ArrayList<>();
					for (int thread = 0; thread < 4; thread++) {
						int first = thread;
						published.add(executor.submit(() -> {
							for (int i = first; i < messages; i += 4) {
								long due = start + (5000L * i) / messages;
								publisher.publish(PublishRequest.to("bulk")
									.payload(Map.of("n", i))
									.header("due", Long.toString(due))
									.deliverAt(Instant.ofEpochMilli(due)));
							}
						}));
					}
					for (Future<?> future : published) {
						future.get(60, TimeUnit.SECONDS);
					}
				}
				finally {
					executor.shutdownNow();
				}
				// kill the other mover half-way through the due times, while both move
				await().atMost(Duration.ofSeconds(30))
					.until(() -> System.currentTimeMillis() >= start + 2500 && movedByChild(log) > 0);
				this.child.destroyForcibly();
				assertThat(this.child.waitFor(30, TimeUnit.SECONDS)).isTrue();
				long movedByChild = movedByChild(log);

				await().atMost(Duration.ofSeconds(60))
					.until(() -> this.client.sync().xlen("bulk") >= messages
							&& this.client.sync().zcard("{bulk}:delayed") == 0);
				List<StreamMessage<String, String>> entries = this.client.sync().xrange("bulk", Range.create("-", "+"));
				Set<String> payloads = new HashSet<>();
				List<Long> lateness = new ArrayList<>();
				for (StreamMessage<String, String> entry : entries) {
					payloads.add(entry.getBody().get("payload"));
					lateness.add(entryTime(entry.getId()) - Long.parseLong(entry.getBody().get("due")));
				}
				assertThat(entries).hasSize(messages);
				assertThat(payloads).hasSize(messages);
				assertThat(lateness).allMatch((late) -> late >= 0);
				assertThat(movedByChild).isPositive();
				assertThat(movedHere.get()).isPositive();
				assertThat(this.client.sync().hlen("{bulk}:delayed:messages")).isZero();
				lateness.sort(null);
				System.out.printf(
						"Delayed delivery, %d messages due over 5 s, 2 movers (poll 50 ms, one killed "
								+ "after moving %d): lateness p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n",
						messages, movedByChild, lateness.get(messages / 2), lateness.get(messages * 9 / 10),
						lateness.get(messages * 99 / 100), lateness.get(messages - 1));
			});
	}

	private static long movedByChild(Path log) throws Exception {
		long moved = 0;
		for (String line : Files.readAllLines(log)) {
			if (line.startsWith("moved ")) {
				moved += Long.parseLong(line.substring(6).trim());
			}
		}
		return moved;
	}

	private Process startChild(File log) throws Exception {
		String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = List.of(java, "-cp", classpath, DelayedMoverApplication.class.getName(),
				"--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port(),
				"--spring.application.name=it-app", "--redis.streams.delayed.poll-interval=50ms");
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
	}

	private static long entryTime(String id) {
		return Long.parseLong(id.substring(0, id.indexOf('-')));
	}

	@Configuration(proxyBeanMethods = false)
	static class MeterRegistryConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
