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

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.listener.StreamMessageContext;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.support.StreamHeaders;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listener method arguments resolved from real entries: published objects, flat entries
 * written by plain {@code XADD}, headers, {@code Message<T>} and the message context.
 */
class ArgumentsIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	@Test
	void flatEntryWrittenByPlainXaddReachesARecordAndABean() {
		StreamsContextRunner.create(redis).withUserConfiguration(Listeners.class).run((context) -> {
			Listeners listeners = context.getBean(Listeners.class);
			String id = this.client.sync().xadd("users", Map.of("user_id", "123", "event", "created"));
			Received received = listeners.users.poll(30, TimeUnit.SECONDS);
			assertThat(received).isNotNull();
			assertThat(received.value()).isEqualTo(new UserEvent(123, "created"));
			assertThat(received.context().id()).isEqualTo(id);
			assertThat(received.context().stream()).isEqualTo("users");
			assertThat(received.context().group()).isEqualTo("it-app");
			assertThat(received.context().consumer()).isEqualTo("it-node-0");
			assertThat(received.context().deliveryAttempt()).isEqualTo(1);
			UserBean bean = listeners.beans.poll(30, TimeUnit.SECONDS);
			assertThat(bean).isNotNull();
			assertThat(bean.getUser_id()).isEqualTo(123);
			assertThat(bean.getEvent()).isEqualTo("created");
		});
	}

	@Test
	void publishedObjectWithHeadersReachesPayloadHeaderAndHeadersParameters() {
		StreamsContextRunner.create(redis).withUserConfiguration(Listeners.class).run((context) -> {
			Listeners listeners = context.getBean(Listeners.class);
			String id = context.getBean(StreamPublisher.class)
				.publish("orders", new Order("o-1", 3), Map.of("tenant", "acme", "priority", "7"));
			Received received = listeners.orders.poll(30, TimeUnit.SECONDS);
			assertThat(received).isNotNull();
			assertThat(received.value()).isEqualTo(new Order("o-1", 3));
			assertThat(received.tenant()).isEqualTo("acme");
			assertThat(received.priority()).isEqualTo(7);
			assertThat(received.headers()).containsEntry("tenant", "acme")
				.containsEntry("priority", "7")
				.containsEntry(StreamHeaders.ID, id)
				.containsEntry(StreamHeaders.DELIVERY_ATTEMPT, "1")
				.doesNotContainKey(StreamHeaders.PAYLOAD);
		});
	}

	@Test
	void messageParameterCarriesTheConvertedPayloadAndHeaders() {
		StreamsContextRunner.create(redis).withUserConfiguration(Listeners.class).run((context) -> {
			Listeners listeners = context.getBean(Listeners.class);
			context.getBean(StreamPublisher.class).publish("messages", new Order("o-2", 1), Map.of("tenant", "acme"));
			Message<Order> message = listeners.messages.poll(30, TimeUnit.SECONDS);
			assertThat(message).isNotNull();
			assertThat(message.getPayload()).isEqualTo(new Order("o-2", 1));
			assertThat(message.getHeaders()).containsEntry("tenant", "acme")
				.containsEntry(StreamHeaders.STREAM, "messages");
		});
	}

	@Test
	void rawParametersGetTheEntryAsItIs() {
		StreamsContextRunner.create(redis).withUserConfiguration(Listeners.class).run((context) -> {
			Listeners listeners = context.getBean(Listeners.class);
			context.getBean(StreamPublisher.class).publish("raw", new Order("o-3", 2), Map.of("tenant", "acme"));
			Map<String, String> fields = listeners.rawFields.poll(30, TimeUnit.SECONDS);
			assertThat(fields).containsEntry("payload", "{\"id\":\"o-3\",\"quantity\":2}")
				.containsEntry("tenant", "acme");
			String text = listeners.rawText.poll(30, TimeUnit.SECONDS);
			assertThat(text).isEqualTo("{\"id\":\"o-3\",\"quantity\":2}");
			byte[] bytes = listeners.rawBytes.poll(30, TimeUnit.SECONDS);
			assertThat(bytes).isEqualTo("{\"id\":\"o-3\",\"quantity\":2}".getBytes(StandardCharsets.UTF_8));
		});
	}

	@Test
	void aListenerOfPayloadAndContextIsInvokedWithoutTheArgumentResolversAndOneWithHeadersThroughThem() {
		StreamsContextRunner.create(redis).withUserConfiguration(Listeners.class).run((context) -> {
			Listeners listeners = context.getBean(Listeners.class);
			context.getBean(StreamPublisher.class)
				.publish("orders", new Order("o-4", 5), Map.of("tenant", "acme", "priority", "1"));
			assertThat(listeners.orders.poll(30, TimeUnit.SECONDS)).isNotNull();
			String direct = listeners.invokers.poll(30, TimeUnit.SECONDS);
			assertThat(direct).isEqualTo(DirectInvocation.class.getName());
			this.client.sync().xadd("users", Map.of("user_id", "124", "event", "created"));
			assertThat(listeners.users.poll(30, TimeUnit.SECONDS)).isNotNull();
			assertThat(listeners.invokers).contains(DirectInvocation.class.getName());
			assertThat(listeners.resolvedInvokers.poll(30, TimeUnit.SECONDS))
				.isEqualTo(InvocableHandlerMethod.class.getName());
		});
	}

	record UserEvent(long user_id, String event) {
	}

	static class UserBean {

		private long user_id;

		private String event;

		public long getUser_id() {
			return this.user_id;
		}

		public void setUser_id(long user_id) {
			this.user_id = user_id;
		}

		public String getEvent() {
			return this.event;
		}

		public void setEvent(String event) {
			this.event = event;
		}

	}

	record Order(String id, int quantity) {
	}

	record Received(Object value, StreamMessageContext context, String tenant, int priority,
			Map<String, String> headers) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		final BlockingQueue<Received> users = new LinkedBlockingQueue<>();

		final BlockingQueue<UserBean> beans = new LinkedBlockingQueue<>();

		final BlockingQueue<Received> orders = new LinkedBlockingQueue<>();

		final BlockingQueue<Message<Order>> messages = new LinkedBlockingQueue<>();

		final BlockingQueue<Map<String, String>> rawFields = new LinkedBlockingQueue<>();

		final BlockingQueue<String> rawText = new LinkedBlockingQueue<>();

		final BlockingQueue<byte[]> rawBytes = new LinkedBlockingQueue<>();

		/** What invoked the listeners of "orders" without headers and of "users". */
		final BlockingQueue<String> invokers = new LinkedBlockingQueue<>();

		/** What invoked the listener of "orders" that reads headers. */
		final BlockingQueue<String> resolvedInvokers = new LinkedBlockingQueue<>();

		@RedisListener(stream = "orders", group = "direct")
		void onOrderOnly(Order order, StreamMessageContext context) {
			this.invokers.add(invoker());
		}

		private static String invoker() {
			return StackWalker.getInstance()
				.walk((frames) -> frames.map(StackWalker.StackFrame::getClassName)
					.filter((name) -> name.equals(DirectInvocation.class.getName())
							|| name.equals(InvocableHandlerMethod.class.getName()))
					.findFirst()
					.orElse("neither"));
		}

		@RedisListener(stream = "users")
		void onUser(UserEvent event, StreamMessageContext context) {
			this.invokers.add(invoker());
			this.users.add(new Received(event, context, null, 0, Map.of()));
		}

		@RedisListener(stream = "users", group = "beans")
		void onUserBean(UserBean bean) {
			this.beans.add(bean);
		}

		@RedisListener(stream = "orders")
		void onOrder(Order order, @Header("tenant") String tenant, @Header("priority") int priority,
				@Headers Map<String, String> headers, StreamMessageContext context) {
			this.resolvedInvokers.add(invoker());
			this.orders.add(new Received(order, context, tenant, priority, headers));
		}

		@RedisListener(stream = "messages")
		void onMessage(Message<Order> message) {
			this.messages.add(message);
		}

		@RedisListener(stream = "raw", group = "fields")
		void onRawFields(Map<String, String> fields) {
			this.rawFields.add(fields);
		}

		@RedisListener(stream = "raw", group = "text")
		void onRawText(String text) {
			this.rawText.add(text);
		}

		@RedisListener(stream = "raw", group = "bytes")
		void onRawBytes(byte[] bytes) {
			this.rawBytes.add(bytes);
		}

	}

}
