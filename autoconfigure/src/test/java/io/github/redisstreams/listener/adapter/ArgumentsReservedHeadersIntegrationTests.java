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

package io.github.redisstreams.listener.adapter;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.XAddArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.listener.StreamMessageContext;
import io.github.redisstreams.support.StreamHeaders;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Entry fields whose names spring-messaging gives a meaning of its own ({@code id},
 * {@code timestamp}) reach {@code @Header} and {@code @Headers} parameters unchanged
 * (GitHub issue 11); so do the other names spring-messaging knows, and the entry's own id
 * and time are headers of their own.
 */
class ArgumentsReservedHeadersIntegrationTests {

	private static final long TIMEOUT_SECONDS = 30;

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	private ApplicationContextRunner runner(Class<?>... configurations) {
		return StreamsContextRunner.create(redis)
			.withUserConfiguration(configurations)
			.withPropertyValues("redis.streams.retry.delay=50ms");
	}

	@Test
	void idAndTimestampFieldsOfAnEntryWithPayloadReachHeaderAndHeadersParameters() {
		runner(OptionalHeaders.class).run((context) -> {
			OptionalHeaders listener = context.getBean(OptionalHeaders.class);
			this.client.sync()
				.xadd("reserved", "payload", "{\"n\":1}", "id", "order-42", "timestamp", "1700000000", "tenant",
						"acme");
			Received received = listener.received.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			assertThat(received).isNotNull();
			assertThat(received.id()).isEqualTo("order-42");
			assertThat(received.timestamp()).isEqualTo("1700000000");
			assertThat(received.headers()).containsEntry("id", "order-42")
				.containsEntry("timestamp", "1700000000")
				.containsEntry("tenant", "acme");
		});
	}

	@Test
	void idAndTimestampFieldsOfAFlatEntryReachHeaderAndHeadersParameters() {
		runner(OptionalHeaders.class).run((context) -> {
			OptionalHeaders listener = context.getBean(OptionalHeaders.class);
			this.client.sync().xadd("reserved", "id", "order-42", "timestamp", "1700000000", "n", "1");
			Received received = listener.received.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			assertThat(received).isNotNull();
			assertThat(received.count()).isEqualTo(new Count(1));
			assertThat(received.id()).isEqualTo("order-42");
			assertThat(received.timestamp()).isEqualTo("1700000000");
			assertThat(received.headers()).containsEntry("id", "order-42")
				.containsEntry("timestamp", "1700000000")
				.containsEntry("n", "1");
		});
	}

	@Test
	void requiredTimestampHeaderIsConvertedInsteadOfBeingMissing() {
		runner(RequiredTimestamp.class).run((context) -> {
			RequiredTimestamp listener = context.getBean(RequiredTimestamp.class);
			this.client.sync().xadd("required", "payload", "{\"n\":1}", "timestamp", "1700000000");
			Long timestamp = listener.timestamps.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			assertThat(timestamp).isEqualTo(1700000000L);
			await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
				.until(() -> this.client.pendingCount("required", "it-app") == 0);
			assertThat(this.client.sync().exists("{required}:dlq")).isZero();
		});
	}

	@Test
	void idAndTimestampFieldsReachObjectMapsMessagesAndMessageHeaders() {
		runner(WholeHeaders.class).run((context) -> {
			WholeHeaders listener = context.getBean(WholeHeaders.class);
			this.client.sync().xadd("whole", "payload", "{\"n\":1}", "id", "order-42", "timestamp", "1700000000");
			Map<String, Object> objectMap = listener.objectMaps.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			assertThat(objectMap).containsEntry("id", "order-42").containsEntry("timestamp", "1700000000");
			Message<Count> message = listener.messages.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			assertThat(message).isNotNull();
			assertThat(message.getPayload()).isEqualTo(new Count(1));
			assertThat(message.getHeaders().get("id")).isEqualTo("order-42");
			assertThat(message.getHeaders().get("timestamp")).isEqualTo("1700000000");
			assertThat(message.getHeaders().get("id", String.class)).isEqualTo("order-42");
			assertThat(message.getHeaders().getId()).isNull();
			assertThat(message.getHeaders().getTimestamp()).isNull();
			MessageHeaders headers = listener.headers.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			assertThat(headers).containsEntry("id", "order-42").containsEntry("timestamp", "1700000000");
		});
	}

	@Test
	void requiredIdHeaderOfAFlatEntryIsTheField() {
		runner(RequiredId.class).run((context) -> {
			RequiredId listener = context.getBean(RequiredId.class);
			this.client.sync().xadd("required-id", "id", "order-42", "n", "1");
			assertThat(listener.ids.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo("order-42");
		});
	}

	@Test
	void otherNamesSpringMessagingKnowsAreOrdinaryFieldsToo() {
		runner(OtherNames.class).run((context) -> {
			OtherNames listener = context.getBean(OtherNames.class);
			this.client.sync()
				.xadd("other-names", "payload", "{\"n\":1}", "contentType", "text/csv", "replyChannel", "replies",
						"errorChannel", "errors", "nativeHeaders", "none");
			Map<String, String> received = listener.received.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			assertThat(received).containsExactlyInAnyOrderEntriesOf(Map.of("contentType", "text/csv", "replyChannel",
					"replies", "errorChannel", "errors", "nativeHeaders", "none"));
			Map<String, String> headers = listener.headers.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			assertThat(headers).containsEntry("contentType", "text/csv")
				.containsEntry("replyChannel", "replies")
				.containsEntry("errorChannel", "errors")
				.containsEntry("nativeHeaders", "none");
		});
	}

	@Test
	void entryIdAndTimeAreHeadersAndInTheContextWithoutShadowingFields() {
		runner(EntryTime.class).run((context) -> {
			EntryTime listener = context.getBean(EntryTime.class);
			this.client.sync()
				.xadd("entry-time", new XAddArgs().id("1700000000123-4"), "id", "order-42", "timestamp", "1700000000",
						"n", "1");
			Map<String, String> headers = listener.headers.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			assertThat(headers).containsEntry(StreamHeaders.ID, "1700000000123-4")
				.containsEntry(StreamHeaders.TIMESTAMP, "1700000000123")
				.containsEntry("id", "order-42")
				.containsEntry("timestamp", "1700000000");
			assertThat(listener.entryTimes.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(1700000000123L);
			StreamMessageContext messageContext = listener.contexts.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			assertThat(messageContext).isNotNull();
			assertThat(messageContext.id()).isEqualTo("1700000000123-4");
			assertThat(messageContext.timestamp()).isEqualTo(1700000000123L);
		});
	}

	record Count(int n) {
	}

	record Received(Count count, String id, String timestamp, Map<String, String> headers) {
	}

	@Configuration(proxyBeanMethods = false)
	static class OptionalHeaders {

		final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

		@RedisListener(stream = "reserved")
		void onEntry(Count count, @Header(name = "id", required = false) String id,
				@Header(name = "timestamp", required = false) String timestamp, @Headers Map<String, String> headers) {
			this.received.add(new Received(count, id, timestamp, Map.copyOf(headers)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RequiredTimestamp {

		final BlockingQueue<Long> timestamps = new LinkedBlockingQueue<>();

		@RedisListener(stream = "required")
		void onEntry(Count count, @Header("timestamp") long timestamp) {
			this.timestamps.add(timestamp);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WholeHeaders {

		final BlockingQueue<Map<String, Object>> objectMaps = new LinkedBlockingQueue<>();

		final BlockingQueue<Message<Count>> messages = new LinkedBlockingQueue<>();

		final BlockingQueue<MessageHeaders> headers = new LinkedBlockingQueue<>();

		@RedisListener(stream = "whole", group = "object-map")
		void onObjectMap(Count count, @Headers Map<String, Object> headers) {
			this.objectMaps.add(headers);
		}

		@RedisListener(stream = "whole", group = "message")
		void onMessage(Message<Count> message) {
			this.messages.add(message);
		}

		@RedisListener(stream = "whole", group = "message-headers")
		void onMessageHeaders(Count count, MessageHeaders headers) {
			this.headers.add(headers);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RequiredId {

		final BlockingQueue<String> ids = new LinkedBlockingQueue<>();

		@RedisListener(stream = "required-id")
		void onEntry(Count count, @Header("id") String id) {
			this.ids.add(id);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OtherNames {

		final BlockingQueue<Map<String, String>> received = new LinkedBlockingQueue<>();

		final BlockingQueue<Map<String, String>> headers = new LinkedBlockingQueue<>();

		@RedisListener(stream = "other-names")
		void onEntry(Count count, @Header("contentType") String contentType,
				@Header("replyChannel") String replyChannel, @Header("errorChannel") String errorChannel,
				@Header("nativeHeaders") String nativeHeaders, @Headers Map<String, String> headers) {
			this.received.add(Map.of("contentType", contentType, "replyChannel", replyChannel, "errorChannel",
					errorChannel, "nativeHeaders", nativeHeaders));
			this.headers.add(Map.copyOf(headers));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EntryTime {

		final BlockingQueue<Map<String, String>> headers = new LinkedBlockingQueue<>();

		final BlockingQueue<Long> entryTimes = new LinkedBlockingQueue<>();

		final BlockingQueue<StreamMessageContext> contexts = new LinkedBlockingQueue<>();

		@RedisListener(stream = "entry-time")
		void onEntry(Count count, @Headers Map<String, String> headers, @Header(StreamHeaders.TIMESTAMP) long entryTime,
				StreamMessageContext context) {
			this.headers.add(Map.copyOf(headers));
			this.entryTimes.add(entryTime);
			this.contexts.add(context);
		}

	}

}
