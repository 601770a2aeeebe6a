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

package io.github.redisstreams.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import io.github.redisstreams.actuate.ActuatorClient.Response;
import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code redisstreams} endpoint over HTTP, read-only (the default access), against a
 * real Redis.
 */
@DirtiesContext
@SpringBootTest(classes = RedisStreamsEndpointIntegrationTests.TestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=redisstreams,deadletters,health",
				"spring.application.name=it-app", "redis.streams.listener.instance-id=it-node",
				"redis.streams.listener.poll-timeout=200ms", "redis.streams.listener.shutdown-timeout=2s",
				"redis.streams.retry.max-retries=0" })
class RedisStreamsEndpointIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerSpringProperties(registry);
	}

	private final StreamTestClient client = new StreamTestClient(redis);

	@LocalServerPort
	private int port;

	@Autowired
	private StreamPublisher publisher;

	@Autowired
	private OrdersListener listener;

	@Autowired
	private RedisStreamListenerRegistry registry;

	private ActuatorClient actuator;

	@BeforeEach
	void setUp() {
		this.actuator = new ActuatorClient(this.port);
		this.listener.hold.set(new CountDownLatch(1));
	}

	@AfterEach
	void tearDown() {
		this.listener.hold.get().countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.client.pendingCount("orders", "it-app") == 0);
		this.client.sync().del("{orders}:dlq");
		this.client.close();
	}

	@Test
	void listsEveryListenerWithItsConsumersAndTheStatisticsOfItsStream() {
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("orders", "$"), "reporting",
					XGroupCreateArgs.Builder.mkstream(true));
		this.publisher.publish("orders", Map.of("order", 1), Map.of("poison", "yes"));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.client.sync().xlen("{orders}:dlq") == 1);
		this.publisher.publish("orders", Map.of("order", 2), Map.of("hold", "yes"));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.listener.holding.get() != null);

		Response response = this.actuator.get("/redisstreams");
		assertThat(response.status()).isEqualTo(200);
		JsonNode orders = listener(response.json(), "orders");
		assertThat(orders.path("stream").asString()).isEqualTo("orders");
		assertThat(orders.path("group").asString()).isEqualTo("it-app");
		assertThat(orders.path("state").asString()).isEqualTo("running");
		assertThat(orders.path("healthy").asBoolean()).isTrue();
		assertThat(orders.path("failing").asBoolean()).isFalse();
		assertThat(orders.path("failedAttempts").asLong()).isZero();
		assertThat(orders.path("concurrency").asInt()).isEqualTo(1);
		assertThat(orders.path("consumers")).hasSize(1);
		JsonNode consumer = orders.path("consumers").get(0);
		assertThat(consumer.path("name").asString()).isEqualTo("it-node-0");
		assertThat(consumer.path("pending").asLong()).isEqualTo(1);
		assertThat(consumer.path("idle").isNumber()).isTrue();

		JsonNode stream = stream(response.json(), "orders");
		assertThat(stream.path("group").asString()).isEqualTo("it-app");
		assertThat(stream.path("exists").asBoolean()).isTrue();
		assertThat(stream.path("length").asLong()).isEqualTo(this.client.sync().xlen("orders"));
		assertThat(stream.path("groups")).extracting(JsonNode::asString)
			.containsExactlyInAnyOrder("it-app", "reporting");
		assertThat(stream.path("pending").asLong()).isEqualTo(1);
		assertThat(stream.path("oldestPendingAge").asLong()).isNotNegative();
		assertThat(stream.path("deadLetterStream").asString()).isEqualTo("{orders}:dlq");
		assertThat(stream.path("deadLetterLength").asLong()).isEqualTo(1);
		assertThat(stream.path("retryScheduled").asLong()).isZero();
		assertThat(stream.has("lag")).isTrue();
		if (redisVersion() >= 7) {
			assertThat(stream.path("lag").asLong()).isZero();
		}
		else {
			assertThat(stream.path("lag").isNull()).isTrue();
		}
		assertThat(stream.path("consumers")).extracting((node) -> node.path("name").asString()).contains("it-node-0");
		assertThat(stream.has("error")).isFalse();
		assertThat(listener(response.json(), "auditListener.onAudit").path("stream").asString()).isEqualTo("audit");
		assertThat(stream(response.json(), "audit").path("exists").asBoolean()).isTrue();

		// once the held entry is processed, nothing is pending any more
		this.listener.hold.get().countDown();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode now = this.actuator.get("/redisstreams").json();
			assertThat(stream(now, "orders").path("pending").asLong()).isZero();
			assertThat(listener(now, "orders").path("consumers").get(0).path("pending").asLong()).isZero();
		});
	}

	@Test
	void showsOneListenerWithTheStatisticsOfItsStream() {
		this.publisher.publish("orders", Map.of("order", 3), Map.of("poison", "yes"));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.client.sync().xlen("{orders}:dlq") == 1);
		Response response = this.actuator.get("/redisstreams/{id}", "orders");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().path("listener").path("id").asString()).isEqualTo("orders");
		assertThat(response.json().path("listener").path("state").asString()).isEqualTo("running");
		assertThat(response.json().path("stream").path("stream").asString()).isEqualTo("orders");
		assertThat(response.json().path("stream").path("deadLetterLength").asLong()).isEqualTo(1);
		// a default id contains a dot
		Response audit = this.actuator.get("/redisstreams/{id}", "auditListener.onAudit");
		assertThat(audit.status()).isEqualTo(200);
		assertThat(audit.json().path("listener").path("stream").asString()).isEqualTo("audit");
	}

	@Test
	void unknownListenerIsNotFound() {
		Response unknown = this.actuator.get("/redisstreams/{id}", "nope");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.json().path("message").asString())
			.startsWith("No listener with id 'nope'; known listeners: [");
	}

	@Test
	void startingAndStoppingIsRefusedWithoutWriteAccess() {
		Response response = this.actuator.post("/redisstreams/{id}", Map.of("action", "stop"), "orders");
		assertThat(response.status()).isBetween(400, 499);
		assertThat(this.registry.getListenerContainer("orders").isRunning()).isTrue();
	}

	private static JsonNode listener(JsonNode body, String id) {
		for (JsonNode listener : body.path("listeners")) {
			if (listener.path("id").asString().equals(id)) {
				return listener;
			}
		}
		throw new AssertionError("No listener '" + id + "' in " + body);
	}

	private static JsonNode stream(JsonNode body, String name) {
		for (JsonNode stream : body.path("streams")) {
			if (stream.path("stream").asString().equals(name)) {
				return stream;
			}
		}
		throw new AssertionError("No stream '" + name + "' in " + body);
	}

	private static int redisVersion() {
		return Integer.parseInt(redis.server().version().split("\\.")[0]);
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		OrdersListener ordersListener() {
			return new OrdersListener();
		}

		@Bean
		AuditListener auditListener() {
			return new AuditListener();
		}

	}

	static class OrdersListener {

		final AtomicReference<CountDownLatch> hold = new AtomicReference<>(new CountDownLatch(1));

		final AtomicReference<Map<String, String>> holding = new AtomicReference<>();

		final List<Map<String, String>> processed = new CopyOnWriteArrayList<>();

		@RedisListener(id = "orders", stream = "orders")
		void onOrder(Map<String, String> fields) throws InterruptedException {
			if (fields.containsKey("poison")) {
				throw new IllegalStateException("Poisoned order " + fields.get("payload"));
			}
			if (fields.containsKey("hold")) {
				this.holding.set(fields);
				this.hold.get().await(30, TimeUnit.SECONDS);
				this.holding.set(null);
			}
			this.processed.add(fields);
		}

	}

	static class AuditListener {

		@RedisListener(stream = "audit")
		void onAudit(Map<String, String> fields) {
		}

	}

}
