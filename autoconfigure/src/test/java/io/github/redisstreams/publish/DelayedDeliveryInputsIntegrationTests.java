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

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.support.StreamKeys;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Delayed delivery against a real Redis, fed the inputs a user may give: field values
 * that must reach the stream byte for byte, the most fields a delayed message takes and
 * one more, stream keys of unusual shapes, reserved header names, due times far in the
 * future, thousands of messages due at once, and keys someone else changed while the
 * messages waited.
 */
@ExtendWith(OutputCaptureExtension.class)
class DelayedDeliveryInputsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String MOVE_FAILED = "Could not move delayed messages into stream";

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	private ApplicationContextRunner runner(String... properties) {
		return StreamsContextRunner.create(redis).withPropertyValues(properties);
	}

	private static PublishRequest reminder(String stream, int n) {
		return PublishRequest.to(stream).payload(Map.of("n", n)).header("kind", "reminder");
	}

	@Test
	void fieldValuesReachTheStreamByteForByteAsAnImmediatePublishWritesThem(CapturedOutput output) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("emoji", "🚀👩‍👩‍👧‍👦🇯🇵");
		headers.put("cjk", "注文番号 订单 주문");
		headers.put("combining", "e\u0301 a\u0308 n\u0303 \u0915\u094d\u0937");
		headers.put("rtl", "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627");
		headers.put("empty", "");
		headers.put("zero", "0");
		headers.put("leading-zeros", "007");
		headers.put("exponent", "1e3");
		headers.put("negative-zero", "-0");
		headers.put("hex", "0x1F");
		headers.put("big", "123456789012345678901234567890");
		headers.put("fraction", "0.1000");
		headers.put("infinity", "inf");
		headers.put("nan", "nan");
		headers.put("spaces", "  padded  ");
		headers.put("controls", "\t\r\u0001\u0007\u001b\u007f\u0085");
		headers.put("lua-patterns", "%s %d [^a] .* %%");
		headers.put("msgpack-markers", "\u00c0\u00c1\u00c2\u00c3\u00d9\u00da\u00db\u00dc\u00dd\u00de\u00df");
		headers.put("x-custom", "kept");
		headers.put("ключ ✓", "значение");
		headers.put("0", "header named zero");
		headers.put("1e3", "header named like a number");
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("text", "注文 🚀 e\u0301");
		payload.put("empty", "");
		payload.put("number", "007");
		PublishRequest request = PublishRequest.to("values").payload(payload).headers(headers);
		assertDeliveredAsImmediate(request, output);
	}

	@Test
	void newlinesAndNulBytesReachTheStreamByteForByte(CapturedOutput output) {
		PublishRequest request = PublishRequest.to("values")
			.payload("line 1\nline 2\u0000end")
			.header("newline", "a\nb\r\nc\n")
			.header("nul", "\u0000")
			.header("nuls", "a\u0000b\u0000\u0000c")
			.header("nul\u0000name", "value")
			.header("only-newline", "\n");
		assertDeliveredAsImmediate(request, output);
	}

	@Test
	void aOneMegabytePayloadAndHeaderReachTheStreamByteForByte(CapturedOutput output) {
		String megabyte = megabyte();
		PublishRequest request = PublishRequest.to("values")
			.payload(Map.of("text", megabyte))
			.header("large", megabyte)
			.header("after", "small");
		assertDeliveredAsImmediate(request, output);
	}

	@Test
	void aDelayedMessageWithTheMostFieldsIsDeliveredIntactAndInOrder(CapturedOutput output) {
		PublishRequest request = PublishRequest.to("values").payload(Map.of("n", 1)).headers(headers(3_499));
		assertDeliveredAsImmediate(request, output);
	}

	@Test
	void aDelayedMessageWithTooManyFieldsIsRefusedBeforeAnythingIsWritten() {
		runner().run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			PublishRequest request = PublishRequest.to("crowded").payload(Map.of("n", 1)).headers(headers(3_500));
			assertThatIllegalArgumentException()
				.isThrownBy(() -> publisher.publish(request.deliverAfter(Duration.ZERO)))
				.withMessageContaining("3501");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> publisher.publish(request.deliverAt(Instant.now().plusSeconds(3600))))
				.withMessageContaining("3501");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> publisher.publish(request.idempotencyKey("k-1").deliverAfter(Duration.ZERO)))
				.withMessageContaining("3501");
			assertThat(this.client.sync().keys("*")).isEmpty();
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(5))
				.until(() -> this.client.sync().keys("*").isEmpty());
		});
	}

	@Test
	void streamKeysOfUnusualShapesGetTheirOwnDelayedKeysAndCancellableScheduleIds() {
		List<Shape> shapes = List.of(new Shape("{shop}orders", "{shop}orders:delayed"),
				new Shape("shop@eu: new orders 2026", "{shop@eu: new orders 2026}:delayed"),
				new Shape("@", "{@}:delayed"), new Shape("a@b@c", "{a@b@c}:delayed"),
				new Shape("注文:🛒 e\u0301", "{注文:🛒 e\u0301}:delayed"), new Shape("half{open", "{half{open}:delayed"),
				new Shape("0123456789abcdef0123456789abcdef@orders",
						"{0123456789abcdef0123456789abcdef@orders}:delayed"),
				new Shape("s".repeat(2_000), "{" + "s".repeat(2_000) + "}:delayed"));
		runner().run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			for (Shape shape : shapes) {
				PublishResult later = publisher.publish(reminder(shape.stream(), 1).deliverAfter(Duration.ofHours(1)));
				assertThat(later.stream()).isEqualTo(shape.stream());
				assertThat(later.duplicate()).isFalse();
				assertThat(later.id()).matches("[0-9a-f]{32}@" + Pattern.quote(shape.stream()));
				assertThat(this.client.sync().zscore(shape.delayed(), member(later))).isNotNull();
				assertThat(this.client.sync().hexists(shape.delayed() + ":messages", member(later))).isTrue();
				assertThat(this.client.sync().zscore(StreamKeys.DELAYED_STREAMS, shape.stream())).isNotNull();
				assertThat(publisher.cancel(later.id())).isTrue();
				assertThat(publisher.cancel(later.id())).isFalse();
				assertThat(this.client.sync().exists(shape.delayed(), shape.delayed() + ":messages")).isZero();

				PublishResult now = publisher.publish(reminder(shape.stream(), 2).deliverAfter(Duration.ZERO));
				assertThat(now.id()).endsWith("@" + shape.stream());
				await().atMost(TIMEOUT).until(() -> this.client.sync().xlen(shape.stream()) == 1);
				assertThat(this.client.sync().xrange(shape.stream(), Range.create("-", "+")).get(0).getBody())
					.containsExactly(Map.entry("payload", "{\"n\":2}"), Map.entry("kind", "reminder"));
				assertThat(publisher.cancel(now.id())).isFalse();
			}
			// nothing but the streams and the index: no delayed key under another name
			Set<String> expected = new HashSet<>();
			shapes.forEach((shape) -> expected.add(shape.stream()));
			expected.add(StreamKeys.DELAYED_STREAMS);
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(this.client.sync().keys("*")).hasSameElementsAs(expected));
		});
	}

	@Test
	void aStreamKeyWhoseDelayedKeysCannotShareItsSlotIsRefusedBeforeAnythingIsWritten(CapturedOutput output) {
		runner().run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			for (String stream : List.of("a}b", "{}orders")) {
				assertThatIllegalArgumentException()
					.isThrownBy(() -> publisher.publish(reminder(stream, 1).deliverAfter(Duration.ZERO)))
					.withMessageContaining("'" + stream + "'");
			}
			SoftAssertions softly = new SoftAssertions();
			softly.assertThat(this.client.sync().keys("*")).as("keys written for refused requests").isEmpty();
			// give the mover a few polls to find what was written
			catchThrowable(() -> await().during(Duration.ofMillis(600))
				.atMost(Duration.ofSeconds(5))
				.until(() -> !output.getOut().contains(MOVE_FAILED)));
			softly.assertThat(output.getOut().lines().filter((line) -> line.contains(MOVE_FAILED)).toList())
				.as("the mover's warnings about streams no message was scheduled for")
				.isEmpty();
			softly.assertAll();
		});
	}

	@Test
	void idempotencyKeysOfUnusualShapesAreHonouredAndFreedByCancel() {
		runner().run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			for (String key : List.of("}{:@ 注文 e\u0301", "{orders}", "a:b:c", "0", " padded ", "k".repeat(5_000))) {
				PublishRequest request = reminder("keyed", 1).idempotencyKey(key).deliverAfter(Duration.ofHours(1));
				PublishResult first = publisher.publish(request);
				assertThat(first.duplicate()).isFalse();
				assertThat(publisher.publish(request)).isEqualTo(new PublishResult("keyed", first.id(), true));
				String marker = StreamKeys.published("keyed", "it-app", key);
				assertThat(this.client.sync().get(marker)).isEqualTo(first.id());
				assertThat(publisher.cancel(first.id())).isTrue();
				assertThat(this.client.sync().exists(marker)).isZero();
				PublishResult again = publisher.publish(request.deliverAfter(Duration.ZERO));
				assertThat(again.duplicate()).isFalse();
				assertThat(again.id()).isNotEqualTo(first.id());
			}
			await().atMost(TIMEOUT).until(() -> this.client.sync().xlen("keyed") == 6);
			assertThat(this.client.sync().exists("{keyed}:delayed", "{keyed}:delayed:messages")).isZero();
		});
	}

	@Test
	void aPartitionedStreamWithoutAPartitionKeyGetsItsMessagesInTheChosenPartition() {
		runner("redis.streams.publish.partitions.orders=4").run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			Set<String> partitions = Set.of("orders:{0}", "orders:{1}", "orders:{2}", "orders:{3}");
			Set<String> used = new HashSet<>();
			for (int n = 0; n < 40; n++) {
				PublishResult later = publisher.publish(reminder("orders", n).deliverAfter(Duration.ofHours(1)));
				assertThat(later.stream()).isIn(partitions);
				assertThat(later.id()).isEqualTo(member(later) + "@" + later.stream());
				assertThat(this.client.sync().zscore(later.stream() + ":delayed", member(later))).isNotNull();
				used.add(later.stream());
				assertThat(publisher.cancel(later.id())).isTrue();
			}
			assertThat(used).hasSizeGreaterThan(1);
			for (String partition : partitions) {
				assertThat(this.client.sync().exists(partition + ":delayed", partition + ":delayed:messages")).isZero();
			}

			Map<String, String> payloadsByPartition = new LinkedHashMap<>();
			for (int n = 0; n < 40; n++) {
				PublishResult now = publisher.publish(reminder("orders", n).deliverAfter(Duration.ZERO));
				payloadsByPartition.put("{\"n\":" + n + "}", now.stream());
			}
			await().atMost(TIMEOUT)
				.until(() -> partitions.stream()
					.mapToLong((partition) -> this.client.sync().xlen(partition))
					.sum() == 40);
			for (String partition : partitions) {
				for (StreamMessage<String, String> entry : this.client.sync()
					.xrange(partition, Range.create("-", "+"))) {
					assertThat(payloadsByPartition.get(entry.getBody().get("payload"))).isEqualTo(partition);
				}
			}
			assertThat(this.client.sync().exists("orders", "{orders}:delayed", "{orders}:delayed:messages")).isZero();

			// the idempotency key chooses the partition, and a repeat goes where the
			// first went
			String partition = StreamKeys.partition("orders", StreamKeys.partitionOf("order-77", 4));
			PublishRequest keyed = reminder("orders", 77).idempotencyKey("order-77").deliverAfter(Duration.ofHours(1));
			PublishResult first = publisher.publish(keyed);
			assertThat(first.stream()).isEqualTo(partition);
			assertThat(publisher.publish(keyed)).isEqualTo(new PublishResult(partition, first.id(), true));
			assertThat(publisher.cancel(first.id())).isTrue();
			assertThat(publisher.publish(keyed).duplicate()).isFalse();
		});
	}

	@Test
	void reservedHeaderNamesAreRefusedForDelayedRequestsAsForImmediateOnes() {
		runner().run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			for (String name : List.of("payload", "redis_streams_", "redis_streams_attempt", "x-reason",
					"x-original-stream", "x-redriven-from")) {
				PublishRequest request = PublishRequest.to("guarded").payload(Map.of("n", 1)).header(name, "v");
				Throwable immediate = catchThrowable(() -> publisher.publish(request));
				assertThat(immediate).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name);
				for (PublishRequest delayed : List.of(request.deliverAfter(Duration.ZERO),
						request.deliverAt(Instant.now().plusSeconds(3600)),
						request.idempotencyKey("key-" + name).deliverAfter(Duration.ofMillis(10)))) {
					assertThatIllegalArgumentException().isThrownBy(() -> publisher.publish(delayed))
						.withMessage(immediate.getMessage());
				}
			}
			assertThat(this.client.sync().keys("*")).isEmpty();
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(5))
				.until(() -> this.client.sync().keys("*").isEmpty());
		});
	}

	@Test
	void aPayloadThatCannotBeSerializedIsRefusedBeforeAnythingIsWritten() {
		runner().run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			PublishRequest request = PublishRequest.to("broken").payload(new Unserializable());
			assertThatRuntimeException().isThrownBy(() -> publisher.publish(request.deliverAfter(Duration.ZERO)));
			assertThatRuntimeException()
				.isThrownBy(() -> publisher.publish(request.idempotencyKey("k").deliverAfter(Duration.ZERO)));
			assertThat(this.client.sync().keys("*")).isEmpty();
		});
	}

	@Test
	void dueTimesFarInTheFutureAreScheduledExactlyAndCancellable() {
		runner().run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			Instant year3000 = Instant.parse("3000-01-01T00:00:00Z");
			PublishResult millennium = publisher.publish(reminder("future", 1).deliverAt(year3000));
			long before = System.currentTimeMillis();
			PublishResult century = publisher.publish(reminder("future", 2).deliverAfter(Duration.ofDays(36_500)));
			long after = System.currentTimeMillis();
			PublishResult forever = publisher
				.publish(reminder("future", 3).deliverAfter(Duration.ofSeconds(Long.MAX_VALUE)));
			PublishResult last = publisher
				.publish(reminder("future", 4).deliverAt(PublishRequest.MAX_DUE_TIME.minusMillis(1)));
			assertThat(this.client.sync().zscore("{future}:delayed", member(millennium)))
				.isEqualTo((double) year3000.toEpochMilli());
			assertThat(this.client.sync().zscore("{future}:delayed", member(century))).isBetween(
					(double) (before + Duration.ofDays(36_500).toMillis()),
					// a due time between two milliseconds is the later one
					(double) (after + Duration.ofDays(36_500).toMillis() + 1));
			assertThat(this.client.sync().zscore("{future}:delayed", member(forever))).isEqualTo((double) (1L << 53));
			assertThat(this.client.sync().zscore("{future}:delayed", member(last)))
				.isEqualTo((double) ((1L << 53) - 1));

			// one due at the epoch shows that the mover ran past the others
			publisher.publish(reminder("future", 0).deliverAt(Instant.EPOCH));
			await().atMost(TIMEOUT).until(() -> this.client.sync().xlen("future") == 1);
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(5))
				.until(() -> this.client.sync().xlen("future") == 1);
			assertThat(this.client.sync().xrange("future", Range.create("-", "+")).get(0).getBody())
				.containsEntry("payload", "{\"n\":0}");
			assertThat(this.client.sync().zcard("{future}:delayed")).isEqualTo(4);

			for (PublishResult result : List.of(millennium, century, forever, last)) {
				assertThat(publisher.cancel(result.id())).isTrue();
			}
			assertThat(this.client.sync().exists("{future}:delayed", "{future}:delayed:messages")).isZero();
		});
	}

	@Test
	void fiveThousandMessagesDueAtTheSameMillisecondAreEachDeliveredOnceByTwoMovers() {
		int messages = 5_000;
		// a whole millisecond: a due time between two is delivered at the later one
		Instant due = Instant.now().plusMillis(500).truncatedTo(ChronoUnit.MILLIS);
		runner("redis.streams.delayed.enabled=false").run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			for (int n = 0; n < messages; n++) {
				publisher.publish(reminder("crowd", n).deliverAt(due));
			}
			assertThat(this.client.sync().zcard("{crowd}:delayed")).isEqualTo(messages);
			assertThat(
					this.client.sync().zcount("{crowd}:delayed", Range.create(due.toEpochMilli(), due.toEpochMilli())))
				.isEqualTo(messages);
		});
		runner().run((first) -> runner().run((second) -> {
			await().atMost(TIMEOUT)
				.until(() -> this.client.sync().xlen("crowd") >= messages
						&& this.client.sync().zcard("{crowd}:delayed") == 0);
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(5))
				.until(() -> this.client.sync().xlen("crowd") == messages);
		}));
		List<StreamMessage<String, String>> entries = this.client.sync().xrange("crowd", Range.create("-", "+"));
		Set<String> payloads = new HashSet<>();
		for (StreamMessage<String, String> entry : entries) {
			payloads.add(entry.getBody().get("payload"));
			assertThat(entryTime(entry.getId())).isGreaterThanOrEqualTo(due.toEpochMilli());
		}
		assertThat(entries).hasSize(messages);
		assertThat(payloads).hasSize(messages);
		assertThat(this.client.sync().exists("{crowd}:delayed:messages")).isZero();
	}

	@Test
	void manyMoreMessagesDueThanTheBatchSizeAreAllDeliveredOnceAndTheOthersWait() {
		int messages = 1_234;
		runner("redis.streams.delayed.enabled=false").run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			Instant due = Instant.now();
			for (int n = 0; n < messages; n++) {
				publisher.publish(reminder("batched", n).deliverAt(due));
			}
			for (int n = 0; n < 5; n++) {
				publisher.publish(reminder("batched", -1 - n).deliverAfter(Duration.ofHours(1)));
			}
		});
		runner("redis.streams.delayed.batch-size=10").run((context) -> {
			await().atMost(TIMEOUT).until(() -> this.client.sync().xlen("batched") >= messages);
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(5))
				.until(() -> this.client.sync().xlen("batched") == messages);
		});
		Set<String> payloads = new HashSet<>();
		this.client.sync()
			.xrange("batched", Range.create("-", "+"))
			.forEach((entry) -> payloads.add(entry.getBody().get("payload")));
		assertThat(payloads).hasSize(messages).doesNotContain("{\"n\":-1}");
		assertThat(this.client.sync().zcard("{batched}:delayed")).isEqualTo(5);
		assertThat(this.client.sync().hlen("{batched}:delayed:messages")).isEqualTo(5);
	}

	@Test
	void aStreamDeletedWhileMessagesWaitIsCreatedAgainByTheirDelivery(CapturedOutput output) {
		runner("redis.streams.delayed.enabled=false").run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			DelayedDeliveryMover mover = new DelayedDeliveryMover(context.getBean(RedisConnectionFactory.class),
					Duration.ofSeconds(1), 100, DelayedDeliveryMetrics.NONE);
			publisher.publish(reminder("doomed", 1).deliverAfter(Duration.ZERO));
			long now = System.currentTimeMillis();
			assertThat(mover.poll(now + 1)).isEqualTo(1);
			publisher.publish(reminder("doomed", 2).deliverAfter(Duration.ofHours(1)));
			publisher.publish(reminder("doomed", 3).deliverAfter(Duration.ofHours(1)));
			assertThat(this.client.sync().del("doomed")).isEqualTo(1);

			assertThat(mover.poll(now + 2)).isZero();
			assertThat(this.client.sync().exists("doomed")).isZero();
			assertThat(mover.poll(now + Duration.ofHours(2).toMillis())).isEqualTo(2);
			assertThat(this.client.sync().xrange("doomed", Range.create("-", "+")))
				.extracting((entry) -> entry.getBody().get("payload"))
				.containsExactly("{\"n\":2}", "{\"n\":3}");
			assertThat(this.client.sync().exists("{doomed}:delayed", "{doomed}:delayed:messages")).isZero();

			// and with the mover of a running instance
			this.client.sync().del("doomed");
			runner().run((other) -> {
				other.getBean(StreamPublisher.class).publish(reminder("doomed", 4).deliverAfter(Duration.ZERO));
				await().atMost(TIMEOUT).until(() -> this.client.sync().xlen("doomed") == 1);
			});
			assertThat(output.getOut()).doesNotContain(MOVE_FAILED);
		});
	}

	@Test
	void aMessageWhoseFieldsWereRemovedIsDroppedWithoutBlockingTheOthers(CapturedOutput output) {
		runner("redis.streams.delayed.enabled=false").run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			long now = System.currentTimeMillis();
			List<PublishResult> results = new ArrayList<>();
			for (int n = 0; n < 25; n++) {
				results.add(publisher.publish(reminder("holes", n).deliverAt(Instant.ofEpochMilli(now - 25_000 + n))));
			}
			// the earliest twelve (more than a batch) and one in the middle lose their
			// fields
			List<Integer> lost = new ArrayList<>();
			for (int n = 0; n < 25; n++) {
				if (n < 12 || n == 17) {
					assertThat(this.client.sync().hdel("{holes}:delayed:messages", member(results.get(n)))).isOne();
					lost.add(n);
				}
			}
			DelayedDeliveryMover mover = new DelayedDeliveryMover(context.getBean(RedisConnectionFactory.class),
					Duration.ofSeconds(1), 10, DelayedDeliveryMetrics.NONE);
			assertThat(mover.poll(now)).isEqualTo(25 - lost.size());
			List<String> expected = new ArrayList<>();
			for (int n = 0; n < 25; n++) {
				if (!lost.contains(n)) {
					expected.add("{\"n\":" + n + "}");
				}
			}
			assertThat(this.client.sync().xrange("holes", Range.create("-", "+")))
				.extracting((entry) -> entry.getBody().get("payload"))
				.containsExactlyElementsOf(expected);
			assertThat(this.client.sync().exists("{holes}:delayed", "{holes}:delayed:messages")).isZero();
			assertThat(publisher.cancel(results.get(0).id())).isFalse();

			// and with the mover of a running instance, batch by batch
			PublishResult gone = publisher.publish(reminder("holes", 100).deliverAfter(Duration.ZERO));
			publisher.publish(reminder("holes", 101).deliverAfter(Duration.ZERO));
			this.client.sync().hdel("{holes}:delayed:messages", member(gone));
			runner("redis.streams.delayed.batch-size=1").run((other) -> await().atMost(TIMEOUT)
				.until(() -> this.client.sync().xlen("holes") == expected.size() + 1
						&& this.client.sync().exists("{holes}:delayed") == 0));
			assertThat(this.client.sync().xrevrange("holes", Range.create("-", "+")).get(0).getBody())
				.containsEntry("payload", "{\"n\":101}");
			assertThat(output.getOut()).doesNotContain(MOVE_FAILED);
		});
	}

	/**
	 * Publish a request at once, then the same request delayed, to the same stream; the
	 * moved entry must hold the same fields, in the same order, byte for byte, and those
	 * must be the payload's JSON and the request's headers.
	 */
	private void assertDeliveredAsImmediate(PublishRequest request, CapturedOutput output) {
		runner().run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			String stream = request.getStream();
			PublishResult immediate = publisher.publish(request);
			assertThat(immediate.id()).doesNotContain("@");
			PublishResult delayed = publisher.publish(request.deliverAfter(Duration.ofMillis(100)));
			assertThat(delayed.id()).endsWith("@" + stream);
			await().atMost(TIMEOUT).until(() -> this.client.sync().xlen(stream) == 2);
			assertThat(this.client.sync().exists(StreamKeys.delayed(stream), StreamKeys.delayedMessages(stream)))
				.isZero();

			List<List<String>> entries = rawEntries(stream);
			List<String> expected = new ArrayList<>();
			expected.add(fingerprint(bytes("payload")));
			expected
				.add(fingerprint(bytes(context.getBean(JsonMapper.class).writeValueAsString(request.getPayload()))));
			request.getHeaders().forEach((name, value) -> {
				expected.add(fingerprint(bytes(name)));
				expected.add(fingerprint(bytes(value)));
			});
			assertThat(entries.get(0)).containsExactlyElementsOf(expected);
			assertThat(entries.get(1)).containsExactlyElementsOf(entries.get(0));
			assertThat(output.getOut()).doesNotContain(MOVE_FAILED);
		});
	}

	/**
	 * Return each entry's fields, names and values alternating, as their bytes in hex (or
	 * length and SHA-256 where longer than 256 bytes).
	 */
	private static List<List<String>> rawEntries(String stream) {
		RedisURI uri = RedisURI.create(redis.host(), redis.port());
		uri.setTimeout(Duration.ofSeconds(30));
		RedisClient redisClient = RedisClient.create(uri);
		try (StatefulRedisConnection<byte[], byte[]> connection = redisClient.connect(ByteArrayCodec.INSTANCE)) {
			CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(bytes(stream))
				.add("-")
				.add("+");
			List<Object> reply = connection.sync()
				.dispatch(CommandType.XRANGE, new ArrayOutput<>(ByteArrayCodec.INSTANCE), args);
			List<List<String>> entries = new ArrayList<>();
			for (Object entry : reply) {
				List<String> fields = new ArrayList<>();
				for (Object field : (List<?>) ((List<?>) entry).get(1)) {
					fields.add(fingerprint((byte[]) field));
				}
				entries.add(fields);
			}
			return entries;
		}
		finally {
			redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

	private static String fingerprint(byte[] bytes) {
		if (bytes.length <= 256) {
			return HexFormat.of().formatHex(bytes);
		}
		try {
			return bytes.length + " bytes, SHA-256 "
					+ HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return 1 MiB of characters of one to four UTF-8 bytes each.
	 */
	private static String megabyte() {
		String pattern = "abc é 注文 🚀\t\"\\/" + "\u0301";
		StringBuilder builder = new StringBuilder(1 << 20);
		while (builder.length() < (1 << 20)) {
			builder.append(pattern).append(builder.length());
		}
		return builder.toString();
	}

	private static Map<String, String> headers(int count) {
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			headers.put("h-" + (count - i), (i % 3 == 0) ? "" : "v" + i + "é");
		}
		return headers;
	}

	private static String member(PublishResult result) {
		return result.id().substring(0, 32);
	}

	private static long entryTime(String id) {
		return Long.parseLong(id.substring(0, id.indexOf('-')));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	record Shape(String stream, String delayed) {

	}

	static class Unserializable {

		public String getValue() {
			throw new IllegalStateException("cannot be serialized");
		}

	}

}
