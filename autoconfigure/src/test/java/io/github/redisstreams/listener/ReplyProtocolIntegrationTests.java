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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.Consumer;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.support.StreamEntry;
import io.github.redisstreams.support.StreamEntry.Field;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for reading entries over both reply protocols (RESP2 and RESP3, which
 * shape the {@code XREADGROUP} reply differently): repeated field names and names that
 * are not UTF-8 reach the listener byte for byte, and an entry of the consumer's own
 * pending list that was deleted from the stream ({@code [id, nil]}) is dead-lettered as
 * {@code payload-lost} while the others are processed.
 */
class ReplyProtocolIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final StreamTestClient client = new StreamTestClient(redis);

	@AfterEach
	void tearDown() {
		this.client.sync().flushall();
		this.client.close();
	}

	private ApplicationContextRunner runner(ProtocolVersion protocol) {
		return StreamsContextRunner.create(redis)
			.withUserConfiguration(RecordingListener.class)
			.withBean(LettuceClientConfigurationBuilderCustomizer.class, () -> (builder) -> builder
				.clientOptions(ClientOptions.builder().protocolVersion(protocol).build()));
	}

	@ParameterizedTest
	@EnumSource(ProtocolVersion.class)
	void repeatedAndBinaryFieldNamesReachTheListenerByteForByte(ProtocolVersion protocol) {
		byte[] binaryName = { (byte) 0xff, (byte) 0xfe, '-', 'n', 'a', 'm', 'e' };
		List<Field> fields = List.of(Field.of("payload", "{\"n\":1}"), Field.of("tag", "red"), Field.of("tag", "blue"),
				new Field(binaryName, new byte[] { 0, (byte) 0x80 }));
		runner(protocol).run((context) -> {
			RecordingListener listener = context.getBean(RecordingListener.class);
			try (RedisClient redisClient = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
					StatefulRedisConnection<byte[], byte[]> connection = redisClient.connect(ByteArrayCodec.INSTANCE)) {
				Object[] pairs = fields.stream().flatMap((field) -> Stream.of(field.name(), field.value())).toArray();
				connection.sync().xadd(bytes("protocol"), pairs);
			}
			await().atMost(TIMEOUT).until(() -> listener.received.size() == 1);
			StreamEntry entry = listener.received.get(0);
			assertThat(entry.getFieldList()).containsExactlyElementsOf(fields);
			assertThat(entry.getFieldsAsStrings()).containsEntry("tag", "blue");
		});
	}

	@ParameterizedTest
	@EnumSource(ProtocolVersion.class)
	void ownPendingEntriesDeletedFromTheStreamAreDeadLetteredAsPayloadLost(ProtocolVersion protocol) {
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("protocol", "0"), "it-app",
					XGroupCreateArgs.Builder.mkstream(true));
		String kept = this.client.sync().xadd("protocol", Map.of("n", "1"));
		String deleted = this.client.sync().xadd("protocol", Map.of("n", "2"));
		// this instance's first consumer read both before it stopped
		this.client.sync()
			.xreadgroup(Consumer.from("it-app", "it-node-0"), XReadArgs.Builder.count(2),
					XReadArgs.StreamOffset.lastConsumed("protocol"));
		this.client.sync().xdel("protocol", deleted);
		runner(protocol).run((context) -> {
			RecordingListener listener = context.getBean(RecordingListener.class);
			await().atMost(TIMEOUT).until(() -> this.client.sync().xlen("{protocol}:dlq") == 1);
			await().atMost(TIMEOUT).until(() -> this.client.pendingCount("protocol", "it-app") == 0);
			List<StreamMessage<String, String>> deadLetters = this.client.sync()
				.xrange("{protocol}:dlq", Range.create("-", "+"));
			assertThat(deadLetters).singleElement()
				.satisfies((deadLetter) -> assertThat(deadLetter.getBody()).containsEntry("x-original-id", deleted)
					.containsEntry("x-reason", "payload-lost"));
			assertThat(listener.received).extracting(StreamEntry::getId).containsExactly(kept);
		});
	}

	@ParameterizedTest
	@EnumSource(ProtocolVersion.class)
	void severalEntriesInOneReplyArriveIntactWithIdleOnesOfADeadConsumerFirst(ProtocolVersion protocol) {
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("protocol", "0"), "it-app",
					XGroupCreateArgs.Builder.mkstream(true));
		Map<String, Map<String, String>> published = new LinkedHashMap<>();
		for (int i = 0; i < 8; i++) {
			Map<String, String> body = Map.of("n", Integer.toString(i), "tag", "t" + i);
			published.put(this.client.sync().xadd("protocol", body), body);
		}
		// a consumer of another instance takes the first three and dies: on servers with
		// XREADGROUP ... CLAIM they come back as [id, fields, idle, count] in the same
		// reply as the five new ones
		this.client.sync()
			.xreadgroup(Consumer.from("it-app", "ghost"), XReadArgs.Builder.count(3),
					XReadArgs.StreamOffset.lastConsumed("protocol"));
		runner(protocol)
			.withPropertyValues("redis.streams.reclaim.min-idle-time=1s", "redis.streams.reclaim.interval=300ms")
			.run((context) -> {
				RecordingListener listener = context.getBean(RecordingListener.class);
				await().atMost(TIMEOUT).until(() -> listener.received.size() >= 8);
				await().atMost(TIMEOUT).until(() -> this.client.pendingCount("protocol", "it-app") == 0);
				Map<String, Map<String, String>> received = new LinkedHashMap<>();
				listener.received.forEach((entry) -> received.put(entry.getId(), entry.getFieldsAsStrings()));
				assertThat(received).isEqualTo(published);
				assertThat(listener.received).hasSize(8);
			});
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static class RecordingListener {

		final List<StreamEntry> received = new CopyOnWriteArrayList<>();

		@RedisListener(id = "protocol", stream = "protocol")
		void onEntry(StreamEntry entry) {
			this.received.add(entry);
		}

	}

}
