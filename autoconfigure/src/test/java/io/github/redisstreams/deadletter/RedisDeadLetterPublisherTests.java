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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.redisstreams.support.StreamEntry;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisScriptingCommands;
import org.springframework.data.redis.connection.ReturnType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * Tests for {@link RedisDeadLetterPublisher}, without Redis: the dead-letter script is
 * stubbed.
 */
class RedisDeadLetterPublisherTests {

	private static final String MARKER = "... [truncated]";

	private static final Instant FAILED_AT = Instant.parse("2026-01-02T03:04:05Z");

	private final RedisConnectionFactory connectionFactory = mock(RedisConnectionFactory.class);

	private final RedisConnection connection = mock(RedisConnection.class);

	private final RedisScriptingCommands scripting = mock(RedisScriptingCommands.class);

	private final List<Invocation> invocations = new ArrayList<>();

	private List<Object> reply = List.of(1L, bytes("9-0"), 0L);

	@BeforeEach
	void stubScript() {
		given(this.connectionFactory.getConnection()).willReturn(this.connection);
		given(this.connection.scriptingCommands()).willReturn(this.scripting);
		given(this.scripting.evalSha(any(byte[].class), any(ReturnType.class), anyInt(), any(byte[][].class)))
			.willAnswer((invocation) -> {
				Object[] arguments = invocation.getArguments();
				List<byte[]> keysAndArgs = new ArrayList<>();
				for (int i = 3; i < arguments.length; i++) {
					keysAndArgs.add((byte[]) arguments[i]);
				}
				this.invocations.add(new Invocation(new String((byte[]) arguments[0], StandardCharsets.UTF_8),
						(ReturnType) arguments[1], (int) arguments[2], keysAndArgs));
				return this.reply;
			});
	}

	@Test
	void truncateKeepsShortValues() {
		assertThat(RedisDeadLetterPublisher.truncate("short", 10)).isEqualTo("short");
		assertThat(RedisDeadLetterPublisher.truncate("", 0)).isEmpty();
	}

	@Test
	void truncateToLessThanTheMarkerKeepsWithinTheMaximum() {
		assertThat(RedisDeadLetterPublisher.truncate("z".repeat(100), 5)).isEqualTo("zzzzz");
		assertThat(RedisDeadLetterPublisher.truncate("z".repeat(100), 0)).isEmpty();
	}

	@Test
	void truncateKeepsValuesOfExactlyTheMaximumLength() {
		String value = "x".repeat(40);
		assertThat(RedisDeadLetterPublisher.truncate(value, 40)).isEqualTo(value);
	}

	@Test
	void truncateShortensLongValuesToTheMaximumLengthWithAMarker() {
		String value = "a".repeat(30) + "b".repeat(70);
		String truncated = RedisDeadLetterPublisher.truncate(value, 50);
		assertThat(truncated).hasSize(50).endsWith(MARKER).startsWith("a".repeat(30));
		assertThat(truncated).isEqualTo(value.substring(0, 50 - MARKER.length()) + MARKER);
	}

	@Test
	void truncateOneCharacterOverTheMaximum() {
		String truncated = RedisDeadLetterPublisher.truncate("y".repeat(41), 40);
		assertThat(truncated).hasSize(40).isEqualTo("y".repeat(40 - MARKER.length()) + MARKER);
	}

	@Test
	void truncateToTheLengthOfTheMarkerLeavesOnlyTheMarker() {
		assertThat(RedisDeadLetterPublisher.truncate("z".repeat(100), MARKER.length())).isEqualTo(MARKER);
	}

	@Test
	void constructorRequiresAConnectionFactory() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RedisDeadLetterPublisher(null))
			.withMessageContaining("'connectionFactory'");
	}

	@Test
	void negativeMaxLengthIsRejected() {
		RedisDeadLetterPublisher publisher = new RedisDeadLetterPublisher(this.connectionFactory);
		assertThatIllegalArgumentException().isThrownBy(() -> publisher.setMaxLength(-1))
			.withMessageContaining("'maxLength' must not be negative");
	}

	@Test
	void negativeMaxStackTraceLengthIsRejected() {
		RedisDeadLetterPublisher publisher = new RedisDeadLetterPublisher(this.connectionFactory);
		assertThatIllegalArgumentException().isThrownBy(() -> publisher.setMaxStackTraceLength(-1))
			.withMessageContaining("'maxStackTraceLength' must not be negative");
	}

	@Test
	void acknowledgesTheOriginal() {
		assertThat(new RedisDeadLetterPublisher(this.connectionFactory).acknowledgesOriginal()).isTrue();
	}

	@Test
	void nothingIsDroppedInitially() {
		assertThat(new RedisDeadLetterPublisher(this.connectionFactory).getDroppedCount()).isZero();
	}

	@Test
	void publishPassesKeysAndArgumentsToTheScript() {
		RedisDeadLetterPublisher publisher = new RedisDeadLetterPublisher(this.connectionFactory);
		publisher.publish(deadLetter(entry("orders"), DeadLetterReason.RETRIES_EXHAUSTED, null));
		assertThat(this.invocations).singleElement().satisfies((invocation) -> {
			// EVALSHA of publish.lua
			assertThat(invocation.script()).matches("[0-9a-f]{40}");
			assertThat(invocation.returnType()).isEqualTo(ReturnType.MULTI);
			assertThat(invocation.numKeys()).isEqualTo(2);
			assertThat(invocation.strings().subList(0, 6)).containsExactly("{orders}:dlq", "orders", "billing", "1-0",
					"0", "0");
		});
		verify(this.connection).close();
	}

	@Test
	void publishPassesTheMaxLength() {
		RedisDeadLetterPublisher publisher = new RedisDeadLetterPublisher(this.connectionFactory);
		publisher.setMaxLength(1000);
		publisher.publish(deadLetter(entry("orders"), DeadLetterReason.NOT_RETRYABLE, null));
		assertThat(this.invocations).singleElement()
			.satisfies((invocation) -> assertThat(invocation.strings().get(5)).isEqualTo("1000"));
	}

	@Test
	void publishUsesTheHashTagOfTheStream() {
		new RedisDeadLetterPublisher(this.connectionFactory)
			.publish(deadLetter(entry("{shop}orders"), DeadLetterReason.PAYLOAD_LOST, null));
		assertThat(this.invocations).singleElement()
			.satisfies((invocation) -> assertThat(invocation.strings().subList(0, 2))
				.containsExactly("{shop}orders:dlq", "{shop}orders"));
		// a lost payload is no longer pending on Redis 7: the script skips its check
		assertThat(this.invocations.get(0).strings().get(4)).isEqualTo("1");
	}

	@Test
	void publishKeepsTheOriginalFieldsAndAddsTheDeadLetterFields() {
		Map<String, byte[]> fields = new LinkedHashMap<>();
		fields.put("payload", bytes("{\"id\":1}"));
		fields.put("binary", new byte[] { (byte) 0xff, 0, (byte) 0x80 });
		new RedisDeadLetterPublisher(this.connectionFactory)
			.publish(new DeadLetter(new StreamEntry("1-0", "orders", fields), "billing", "node-1-0", 4,
					DeadLetterReason.RETRIES_EXHAUSTED, null, FAILED_AT));
		Map<String, byte[]> written = this.invocations.get(0).fields();
		assertThat(written.keySet()).containsExactly("payload", "binary", DeadLetterHeaders.ORIGINAL_STREAM,
				DeadLetterHeaders.ORIGINAL_ID, DeadLetterHeaders.GROUP, DeadLetterHeaders.CONSUMER,
				DeadLetterHeaders.DELIVERY_COUNT, DeadLetterHeaders.REASON, DeadLetterHeaders.FAILED_AT);
		assertThat(written.get("payload")).isEqualTo(bytes("{\"id\":1}"));
		assertThat(written.get("binary")).isEqualTo(new byte[] { (byte) 0xff, 0, (byte) 0x80 });
		assertThat(string(written, DeadLetterHeaders.ORIGINAL_STREAM)).isEqualTo("orders");
		assertThat(string(written, DeadLetterHeaders.ORIGINAL_ID)).isEqualTo("1-0");
		assertThat(string(written, DeadLetterHeaders.GROUP)).isEqualTo("billing");
		assertThat(string(written, DeadLetterHeaders.CONSUMER)).isEqualTo("node-1-0");
		assertThat(string(written, DeadLetterHeaders.DELIVERY_COUNT)).isEqualTo("4");
		assertThat(string(written, DeadLetterHeaders.REASON)).isEqualTo("retries-exhausted");
		assertThat(string(written, DeadLetterHeaders.FAILED_AT)).isEqualTo("2026-01-02T03:04:05Z");
	}

	@Test
	void publishReplacesDeadLetterFieldsOfTheOriginal() {
		Map<String, byte[]> fields = new LinkedHashMap<>();
		fields.put(DeadLetterHeaders.REASON, bytes("stale-reason"));
		fields.put(DeadLetterHeaders.DELIVERY_COUNT, bytes("99"));
		fields.put("tenant", bytes("acme"));
		new RedisDeadLetterPublisher(this.connectionFactory)
			.publish(new DeadLetter(new StreamEntry("2-0", "orders", fields), "billing", "node-1-0", 2,
					DeadLetterReason.NOT_RETRYABLE, null, FAILED_AT));
		List<String> args = this.invocations.get(0).strings();
		assertThat(args.stream().filter(DeadLetterHeaders.REASON::equals)).hasSize(1);
		assertThat(args.stream().filter(DeadLetterHeaders.DELIVERY_COUNT::equals)).hasSize(1);
		Map<String, byte[]> written = this.invocations.get(0).fields();
		assertThat(string(written, DeadLetterHeaders.REASON)).isEqualTo("not-retryable");
		assertThat(string(written, DeadLetterHeaders.DELIVERY_COUNT)).isEqualTo("2");
		assertThat(string(written, "tenant")).isEqualTo("acme");
	}

	@Test
	void publishWritesTheException() {
		IllegalStateException exception = new IllegalStateException("listener failed");
		new RedisDeadLetterPublisher(this.connectionFactory)
			.publish(deadLetter(entry("orders"), DeadLetterReason.NOT_RETRYABLE, exception));
		Map<String, byte[]> written = this.invocations.get(0).fields();
		assertThat(string(written, DeadLetterHeaders.EXCEPTION_CLASS)).isEqualTo(IllegalStateException.class.getName());
		assertThat(string(written, DeadLetterHeaders.EXCEPTION_MESSAGE)).isEqualTo("listener failed");
		assertThat(string(written, DeadLetterHeaders.EXCEPTION_STACKTRACE))
			.startsWith(IllegalStateException.class.getName() + ": listener failed")
			.contains(RedisDeadLetterPublisherTests.class.getName());
	}

	@Test
	void publishWithoutExceptionWritesNoExceptionFields() {
		new RedisDeadLetterPublisher(this.connectionFactory)
			.publish(deadLetter(entry("orders"), DeadLetterReason.PAYLOAD_LOST, null));
		assertThat(this.invocations.get(0).fields()).doesNotContainKeys(DeadLetterHeaders.EXCEPTION_CLASS,
				DeadLetterHeaders.EXCEPTION_MESSAGE, DeadLetterHeaders.EXCEPTION_STACKTRACE);
	}

	@Test
	void publishTruncatesTheExceptionMessage() {
		IllegalStateException exception = new IllegalStateException("m".repeat(5000));
		new RedisDeadLetterPublisher(this.connectionFactory)
			.publish(deadLetter(entry("orders"), DeadLetterReason.NOT_RETRYABLE, exception));
		assertThat(string(this.invocations.get(0).fields(), DeadLetterHeaders.EXCEPTION_MESSAGE))
			.hasSize(RedisDeadLetterPublisher.MAX_MESSAGE_LENGTH)
			.endsWith(MARKER);
	}

	@Test
	void publishTruncatesTheStackTraceToTheDefaultMaximum() {
		new RedisDeadLetterPublisher(this.connectionFactory)
			.publish(deadLetter(entry("orders"), DeadLetterReason.NOT_RETRYABLE, deepException(500, "deep failure")));
		assertThat(string(this.invocations.get(0).fields(), DeadLetterHeaders.EXCEPTION_STACKTRACE))
			.hasSize(RedisDeadLetterPublisher.DEFAULT_MAX_STACKTRACE_LENGTH)
			.endsWith(MARKER);
	}

	@Test
	void publishTruncatesTheStackTraceToTheConfiguredMaximum() {
		RedisDeadLetterPublisher publisher = new RedisDeadLetterPublisher(this.connectionFactory);
		publisher.setMaxStackTraceLength(200);
		publisher.publish(deadLetter(entry("orders"), DeadLetterReason.NOT_RETRYABLE,
				new IllegalStateException("listener failed")));
		assertThat(string(this.invocations.get(0).fields(), DeadLetterHeaders.EXCEPTION_STACKTRACE)).hasSize(200)
			.startsWith(IllegalStateException.class.getName() + ": listener failed")
			.endsWith(MARKER);
	}

	@Test
	void droppedDeadLettersAreCounted() {
		RedisDeadLetterPublisher publisher = new RedisDeadLetterPublisher(this.connectionFactory);
		publisher.setMaxLength(10);
		this.reply = List.of(1L, bytes("9-0"), 2L);
		publisher.publish(deadLetter(entry("orders"), DeadLetterReason.RETRIES_EXHAUSTED, null));
		assertThat(publisher.getDroppedCount()).isEqualTo(2);
		this.reply = List.of(1L, bytes("10-0"), 3L);
		publisher.publish(deadLetter(entry("orders"), DeadLetterReason.RETRIES_EXHAUSTED, null));
		assertThat(publisher.getDroppedCount()).isEqualTo(5);
		this.reply = List.of(1L, bytes("11-0"), 0L);
		publisher.publish(deadLetter(entry("orders"), DeadLetterReason.RETRIES_EXHAUSTED, null));
		assertThat(publisher.getDroppedCount()).isEqualTo(5);
	}

	@Test
	void entryNoLongerPendingIsNotCountedAsDropped() {
		RedisDeadLetterPublisher publisher = new RedisDeadLetterPublisher(this.connectionFactory);
		this.reply = Arrays.asList(0L, null, 0L);
		publisher.publish(deadLetter(entry("orders"), DeadLetterReason.RETRIES_EXHAUSTED, null));
		assertThat(publisher.getDroppedCount()).isZero();
		assertThat(this.invocations).hasSize(1);
	}

	@Test
	void unexpectedReplyFails() {
		RedisDeadLetterPublisher publisher = new RedisDeadLetterPublisher(this.connectionFactory);
		this.reply = List.of(1L);
		assertThatIllegalStateException()
			.isThrownBy(() -> publisher.publish(deadLetter(entry("orders"), DeadLetterReason.NOT_RETRYABLE, null)))
			.withMessageContaining("Unexpected reply of the dead-letter script");
		verify(this.connection).close();
	}

	private static StreamEntry entry(String stream) {
		return new StreamEntry("1-0", stream, Map.of("payload", bytes("{}")));
	}

	private static DeadLetter deadLetter(StreamEntry entry, DeadLetterReason reason, Throwable exception) {
		return new DeadLetter(entry, "billing", "node-1-0", 4, reason, exception, FAILED_AT);
	}

	private static Throwable deepException(int depth, String message) {
		if (depth == 0) {
			return new IllegalStateException(message);
		}
		return deepException(depth - 1, message);
	}

	private static String string(Map<String, byte[]> fields, String name) {
		assertThat(fields).containsKey(name);
		return new String(fields.get(name), StandardCharsets.UTF_8);
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	record Invocation(String script, ReturnType returnType, int numKeys, List<byte[]> keysAndArgs) {

		List<String> strings() {
			return this.keysAndArgs.stream().map((value) -> new String(value, StandardCharsets.UTF_8)).toList();
		}

		Map<String, byte[]> fields() {
			Map<String, byte[]> fields = new LinkedHashMap<>();
			for (int i = 6; i + 1 < this.keysAndArgs.size(); i += 2) {
				fields.put(new String(this.keysAndArgs.get(i), StandardCharsets.UTF_8), this.keysAndArgs.get(i + 1));
			}
			return fields;
		}

	}

}
