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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.actuate.ActuatorClient.Response;
import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.test.RedisServerExtension;

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
 * Starting and stopping listeners through the {@code redisstreams} endpoint once write
 * access is granted, against a real Redis.
 */
@DirtiesContext
@SpringBootTest(classes = RedisStreamsEndpointWriteAccessIntegrationTests.TestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=redisstreams,deadletters,health",
				"management.endpoint.redisstreams.access=unrestricted", "spring.application.name=it-app",
				"redis.streams.listener.instance-id=it-node", "redis.streams.listener.poll-timeout=200ms",
				"redis.streams.listener.shutdown-timeout=2s" })
class RedisStreamsEndpointWriteAccessIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerSpringProperties(registry);
	}

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
	}

	@AfterEach
	void restart() {
		this.registry.startListener("orders");
	}

	@Test
	void stopsAndStartsAListener() {
		Response stopped = this.actuator.post("/redisstreams/{id}", Map.of("action", "stop"), "orders");
		assertThat(stopped.status()).isEqualTo(200);
		assertThat(stopped.json().path("listener").path("state").asString()).isEqualTo("stopped");
		assertThat(stopped.json().path("listener").path("healthy").asBoolean()).isFalse();
		assertThat(stopped.json().path("stream").path("stream").asString()).isEqualTo("orders");
		assertThat(this.registry.getListenerContainer("orders").isRunning()).isFalse();
		assertThat(this.actuator.get("/redisstreams/{id}", "orders").json().path("listener").path("state").asString())
			.isEqualTo("stopped");

		this.publisher.publish("orders", Map.of("order", 1));
		Response started = this.actuator.post("/redisstreams/{id}", Map.of("action", "start"), "orders");
		assertThat(started.status()).isEqualTo(200);
		assertThat(started.json().path("listener").path("state").asString()).isEqualTo("running");
		assertThat(this.registry.getListenerContainer("orders").isRunning()).isTrue();
		// what was published while it was stopped is processed after the start
		await().atMost(Duration.ofSeconds(30)).until(() -> this.listener.processed.size() == 1);
	}

	@Test
	void unknownActionIsABadRequest() {
		Response response = this.actuator.post("/redisstreams/{id}", Map.of("action", "pause"), "orders");
		assertThat(response.status()).isEqualTo(400);
		assertThat(this.registry.getListenerContainer("orders").isRunning()).isTrue();
	}

	@Test
	void missingActionIsABadRequest() {
		assertThat(this.actuator.post("/redisstreams/{id}", Map.of(), "orders").status()).isEqualTo(400);
	}

	@Test
	void unknownListenerIsABadRequest() {
		assertThat(this.actuator.post("/redisstreams/{id}", Map.of("action", "stop"), "nope").status()).isEqualTo(400);
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		OrdersListener ordersListener() {
			return new OrdersListener();
		}

	}

	static class OrdersListener {

		final List<Map<String, String>> processed = new CopyOnWriteArrayList<>();

		@RedisListener(id = "orders", stream = "orders")
		void onOrder(Map<String, String> fields) {
			this.processed.add(fields);
		}

	}

}
