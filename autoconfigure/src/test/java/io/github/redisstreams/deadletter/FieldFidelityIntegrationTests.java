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

package io.github.redisstreams.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.retry.NonRetryableException;
import io.github.redisstreams.support.StreamEntry;
import io.github.redisstreams.support.StreamEntry.Field;
import io.github.redisstreams.support.StreamHeaders;
import io.github.redisstreams.test.RedisServerExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for the faithfulness of the data path: whatever field-value pairs a
 * producer wrote (repeated names, names and values that are not UTF-8, user headers that
 * start with {@code x-}, thousands of fields, values of many megabytes) reach the
 * listener, the dead letter, the {@link DeadLetterStreams} pages and the redriven entry
 * byte for byte and in order. The listener rejects every first delivery as not retryable
 * and accepts a redriven one.
 */
@DirtiesContext
@SpringBootTest(classes = FieldFidelityIntegrationTests.TestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=deadletters",
				"management.endpoint.deadletters.access=unrestricted", "spring.application.name=fidelity-app",
				"redis.streams.listener.instance-id=fidelity-node", "redis.streams.listener.poll-timeout=200ms",
				"redis.streams.listener.shutdown-timeout=2s",
				"redis.streams.listeners.fidelity-retry.retry.max-retries=1",
				"redis.streams.listeners.fidelity-retry.retry.delay=10ms" })
class FieldFidelityIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final String STREAM = "fidelity";

	private static final String DEAD_LETTERS = "{fidelity}:dlq";

	private static final byte[] REDRIVEN_FROM = bytes(DeadLetterHeaders.REDRIVEN_FROM);

	private static final JsonMapper jsonMapper = new JsonMapper();

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static RedisClient redisClient;

	private static StatefulRedisConnection<byte[], byte[]> connection;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerSpringProperties(registry);
	}

	@LocalServerPort
	private int port;

	@Autowired
	private DeadLetterStreams deadLetterStreams;

	@Autowired
	private StreamPublisher publisher;

	@Autowired
	private RecordingListener listener;

	@BeforeAll
	static void connect() {
		redisClient = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
		connection = redisClient.connect(ByteArrayCodec.INSTANCE);
	}

	@AfterAll
	static void disconnect() {
		connection.close();
		redisClient.shutdown();
	}

	@BeforeEach
	void clear() {
		sync().del(bytes(DEAD_LETTERS));
		this.listener.received.clear();
		this.listener.retried.clear();
	}

	@Test
	void repeatedFieldNamesAreKeptInOrderThroughDeadLetterAndRedrive() {
		List<Field> fields = List.of(Field.of("payload", "{\"n\":1}"), Field.of("tag", "red"), Field.of("tag", "blue"));
		roundTrip(fields);
	}

	@Test
	void fieldNamesThatAreNotUtf8SurviveByteForByte() {
		byte[] name = { (byte) 0xff, (byte) 0xfe, '-', 'n', 'a', 'm', 'e' };
		byte[] value = { (byte) 0xc3, (byte) 0x28, 0, (byte) 0x80 };
		roundTrip(List.of(Field.of("payload", "{\"n\":2}"), new Field(name, value)));
	}

	@Test
	void valuesThatAreNotUtf8SurviveByteForByte() {
		roundTrip(List.of(Field.of("payload", "{\"n\":3}"),
				new Field(bytes("blob"), new byte[] { (byte) 0xff, 0, (byte) 0x80, (byte) 0xfe })));
	}

	@Test
	void aFlatEntryWithFiveThousandFieldsIsDeadLetteredOnceAndRedriven() {
		List<Field> fields = new ArrayList<>();
		for (int i = 0; i < 5000; i++) {
			fields.add(Field.of("field-" + i, "value-" + i));
		}
		RoundTrip trip = roundTrip(fields);
		assertThat(trip.firstDeliveries()).isEqualTo(1);
	}

	@Test
	void anEntryWithAHundredThousandFieldsIsDeadLetteredAndRedriven() {
		List<Field> fields = new ArrayList<>();
		for (int i = 0; i < 100_000; i++) {
			fields.add(Field.of("f" + i, Integer.toString(i)));
		}
		roundTrip(fields);
	}

	@Test
	void aValueOfSixtyFourMegabytesIsDeadLetteredAndRedriven() {
		byte[] large = new byte[64 * 1024 * 1024];
		new Random(64).nextBytes(large);
		roundTrip(List.of(new Field(bytes("payload"), large), Field.of("kind", "large")));
	}

	@Test
	void repeatedAndBinaryFieldNamesSurviveTheRetryPath() {
		byte[] binaryName = { (byte) 0xff, (byte) 0xfe, '-', 'n', 'a', 'm', 'e' };
		List<Field> fields = List.of(Field.of("payload", "{\"n\":4}"), Field.of("tag", "red"), Field.of("tag", "blue"),
				new Field(binaryName, new byte[] { 1, (byte) 0x80 }));
		sync().del(bytes("{fidelity-retry}:dlq"));
		String id = xadd("fidelity-retry", fields);
		// delivered by XREADGROUP, then again by the retry schedule's claim script
		await().atMost(TIMEOUT).until(() -> sync().xlen(bytes("{fidelity-retry}:dlq")) == 1);
		assertThat(this.listener.retried).extracting(StreamEntry::getId).containsExactly(id, id);
		assertThat(this.listener.retried)
			.allSatisfy((entry) -> assertThat(entry.getFieldList()).containsExactlyElementsOf(fields));
		StreamEntry deadLetter = this.deadLetterStreams.page("fidelity-retry", 1, null).deadLetters().get(0);
		assertThat(deadLetter.getFieldList().subList(0, fields.size())).containsExactlyElementsOf(fields);
		assertThat(deadLetter.getFieldsAsStrings()).containsEntry(DeadLetterHeaders.REASON, "retries-exhausted");
	}

	@Test
	void userHeadersThatStartWithXAreKeptByTheRedriveOfTheEndpoint() {
		String id = this.publisher.publish(STREAM, Map.of("job", 5), Map.of("x-request-id", "req-123"));
		StreamEntry deadLetter = awaitDeadLetterOf(id);
		assertThat(deadLetter.getFieldsAsStrings()).containsEntry("x-request-id", "req-123");
		JsonNode response = jsonMapper.readTree(RestClient.create("http://localhost:" + this.port + "/actuator")
			.post()
			.uri("/deadletters/{stream}", STREAM)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("ids", deadLetter.getId()))
			.retrieve()
			.body(String.class));
		assertThat(response.path("redriven")).hasSize(1);
		StreamEntry redriven = awaitRedrivenFrom(deadLetter.getId());
		assertThat(redriven.getFieldsAsStrings()).containsEntry("x-request-id", "req-123")
			.containsEntry("payload", "{\"job\":5}")
			.doesNotContainKeys(DeadLetterHeaders.REASON, DeadLetterHeaders.ORIGINAL_ID);
	}

	@Test
	void publishingAHeaderWithAReservedNameIsRefused() {
		// the other tests of this class publish to the same stream
		long length = sync().xlen(bytes(STREAM));
		for (String reserved : DeadLetterHeaders.RESERVED) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> this.publisher.publish(STREAM, Map.of("n", 1), Map.of(reserved, "v")))
				.withMessageContaining("'" + reserved + "'")
				.withMessageContaining("reserved");
		}
		for (String delivered : List.of(StreamHeaders.ID, StreamHeaders.TIMESTAMP, StreamHeaders.DELIVERY_ATTEMPT,
				StreamHeaders.PREFIX + "anything")) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> this.publisher.publish(STREAM, Map.of("n", 1), Map.of(delivered, "v")))
				.withMessageContaining("'" + delivered + "'")
				.withMessageContaining("redis_streams_");
		}
		assertThat(sync().xlen(bytes(STREAM))).isEqualTo(length);
	}

	@Test
	void randomEntriesSurvivePublishDeadLetterListAndRedrive() {
		long seed = System.nanoTime();
		Random random = new Random(seed);
		String[] alphabet = { "a", "Z", " ", "{", "}", ":", "-", "x-", "é", "日本", "🙂", "\t", "." };
		for (int entry = 0; entry < 12; entry++) {
			int count = (entry == 0) ? 10_000 : 1 + random.nextInt((entry % 3 == 0) ? 4000 : 40);
			List<Field> fields = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				byte[] name;
				if (i > 0 && random.nextInt(8) == 0) {
					name = fields.get(random.nextInt(fields.size())).name();
				}
				else {
					StringBuilder text = new StringBuilder();
					for (int c = 1 + random.nextInt(6); c > 0; c--) {
						text.append(alphabet[random.nextInt(alphabet.length)]);
					}
					name = bytes(text.toString());
				}
				byte[] value = new byte[(random.nextInt(5) == 0) ? 0 : random.nextInt(64)];
				random.nextBytes(value);
				fields.add(new Field(name, value));
			}
			// a reserved name would be replaced on purpose: keep producer fields only
			fields.removeIf((field) -> DeadLetterHeaders.isReserved(field.nameAsString()));
			if (fields.isEmpty()) {
				fields.add(Field.of("only", "one"));
			}
			clear();
			roundTrip(fields, "seed " + seed + ", entry " + entry);
		}
	}

	private RoundTrip roundTrip(List<Field> fields) {
		return roundTrip(fields, "");
	}

	private RoundTrip roundTrip(List<Field> fields, String description) {
		String id = xadd(fields);
		StreamEntry deadLetter = awaitDeadLetterOf(id);
		// the dead letter holds the producer's pairs verbatim, then the dead-letter
		// fields
		assertThat(deadLetter.getFieldList().subList(0, fields.size())).as(description)
			.containsExactlyElementsOf(fields);
		assertThat(names(deadLetter.getFieldList().subList(fields.size(), deadLetter.getFieldList().size())))
			.as(description)
			.allMatch(DeadLetterHeaders::isReserved)
			.contains(DeadLetterHeaders.REASON, DeadLetterHeaders.ORIGINAL_ID);
		assertThat(deadLetter.getFieldsAsStrings()).containsEntry(DeadLetterHeaders.REASON, "not-retryable")
			.containsEntry(DeadLetterHeaders.ORIGINAL_ID, id);
		// the page of DeadLetterStreams returns the same bytes
		DeadLetterStreams.Page page = this.deadLetterStreams.page(STREAM, 10, null);
		assertThat(page.deadLetters()).singleElement()
			.satisfies((listed) -> assertThat(listed.getFieldList()).as(description)
				.containsExactlyElementsOf(deadLetter.getFieldList()));
		DeadLetterStreams.RedriveResult result = this.deadLetterStreams.redrive(STREAM, List.of(deadLetter.getId()));
		assertThat(result.redriven()).as(description).singleElement();
		// a redrive repeated by the caller finds nothing left to do
		assertThat(this.deadLetterStreams.redrive(STREAM, List.of(deadLetter.getId())).notFound()).as(description)
			.containsExactly(deadLetter.getId());
		StreamEntry redriven = awaitRedrivenFrom(deadLetter.getId());
		assertThat(redriven.getId()).isEqualTo(result.redriven().get(0).id());
		List<Field> expected = new ArrayList<>(fields);
		expected.add(new Field(REDRIVEN_FROM, bytes(deadLetter.getId())));
		assertThat(redriven.getFieldList()).as(description).containsExactlyElementsOf(expected);
		assertThat(sync().xlen(bytes(DEAD_LETTERS))).isZero();
		long firstDeliveries = this.listener.received.stream().filter((entry) -> entry.getId().equals(id)).count();
		return new RoundTrip(firstDeliveries);
	}

	private StreamEntry awaitDeadLetterOf(String id) {
		await().atMost(TIMEOUT).until(() -> sync().xlen(bytes(DEAD_LETTERS)) > 0);
		DeadLetterStreams.Page page = this.deadLetterStreams.page(STREAM, 1, null);
		StreamEntry deadLetter = page.deadLetters().get(0);
		assertThat(deadLetter.getFieldsAsStrings()).containsEntry(DeadLetterHeaders.ORIGINAL_ID, id);
		return deadLetter;
	}

	private StreamEntry awaitRedrivenFrom(String deadLetterId) {
		byte[] expected = bytes(deadLetterId);
		await().atMost(TIMEOUT)
			.until(() -> this.listener.received.stream().anyMatch((entry) -> redrivenFrom(entry, expected)));
		return this.listener.received.stream().filter((entry) -> redrivenFrom(entry, expected)).findFirst().get();
	}

	private static boolean redrivenFrom(StreamEntry entry, byte[] deadLetterId) {
		return entry.getFieldList()
			.stream()
			.anyMatch((field) -> Arrays.equals(field.name(), REDRIVEN_FROM)
					&& Arrays.equals(field.value(), deadLetterId));
	}

	private static String xadd(List<Field> fields) {
		return xadd(STREAM, fields);
	}

	private static String xadd(String stream, List<Field> fields) {
		CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(bytes(stream)).add("*");
		for (Field field : fields) {
			args.add(field.name()).add(field.value());
		}
		List<Object> reply = sync().dispatch(CommandType.XADD, new ArrayOutput<>(ByteArrayCodec.INSTANCE), args);
		return new String((byte[]) reply.get(0), StandardCharsets.UTF_8);
	}

	private static List<String> names(List<Field> fields) {
		return fields.stream().map(Field::nameAsString).toList();
	}

	private static RedisCommands<byte[], byte[]> sync() {
		return connection.sync();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	record RoundTrip(long firstDeliveries) {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		RecordingListener recordingListener() {
			return new RecordingListener();
		}

	}

	static class RecordingListener {

		final List<StreamEntry> received = new CopyOnWriteArrayList<>();

		final List<StreamEntry> retried = new CopyOnWriteArrayList<>();

		@RedisListener(id = "fidelity-retry", stream = "fidelity-retry")
		void onRetriedEntry(StreamEntry entry) {
			this.retried.add(entry);
			throw new IllegalStateException("always failing");
		}

		@RedisListener(id = "fidelity", stream = STREAM)
		void onEntry(StreamEntry entry) {
			this.received.add(entry);
			if (!redrivenFrom(entry)) {
				throw new NonRetryableException("rejected on first delivery");
			}
		}

		private static boolean redrivenFrom(StreamEntry entry) {
			return entry.getFieldList().stream().anyMatch((field) -> Arrays.equals(field.name(), REDRIVEN_FROM));
		}

	}

}
