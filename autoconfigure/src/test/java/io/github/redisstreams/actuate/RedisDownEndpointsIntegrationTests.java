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
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import io.github.redisstreams.actuate.ActuatorClient.Response;
import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
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
 * The endpoints while Redis is down: listeners are still reported, and every stream
 * reports the error instead of its statistics.
 */
@DirtiesContext
@SpringBootTest(classes = RedisDownEndpointsIntegrationTests.TestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=redisstreams,deadletters,health",
				"spring.application.name=it-app", "redis.streams.listener.instance-id=it-node",
				"redis.streams.listener.poll-timeout=200ms", "redis.streams.listener.shutdown-timeout=2s",
				"spring.data.redis.timeout=1s" })
class RedisDownEndpointsIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerSpringProperties(registry);
	}

	@LocalServerPort
	private int port;

	@Autowired
	private RedisStreamListenerRegistry registry;

	@Test
	void listenersAreReportedAndStreamsReportTheErrorWhileRedisIsDown() {
		ActuatorClient actuator = new ActuatorClient(this.port);
		assertThat(actuator.get("/redisstreams").json().path("streams").get(0).has("error")).isFalse();
		redis.kill();
		try {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.registry.getListenerContainer("orders").isFailing());
			Response response = actuator.get("/redisstreams");
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.json().path("listeners")).hasSize(2);
			// listeners come in registration order, which follows the JVM's method order
			JsonNode listener = null;
			for (JsonNode candidate : response.json().path("listeners")) {
				if ("orders".equals(candidate.path("id").asString())) {
					listener = candidate;
				}
			}
			assertThat(listener).isNotNull();
			assertThat(listener.path("state").asString()).isEqualTo("running");
			assertThat(listener.path("failing").asBoolean()).isTrue();
			assertThat(listener.path("consumers").get(0).path("name").asString()).isEqualTo("it-node-0");
			assertThat(listener.path("consumers").get(0).has("pending")).isFalse();
			assertThat(response.json().path("streams")).hasSize(2).allSatisfy((stream) -> {
				assertThat(stream.path("error").asString()).isNotBlank();
				assertThat(stream.has("length")).isFalse();
				assertThat(stream.path("deadLetterStream").asString()).startsWith("{");
			});
			Response one = actuator.get("/redisstreams/{id}", "orders");
			assertThat(one.status()).isEqualTo(200);
			assertThat(one.json().path("stream").path("error").asString()).isNotBlank();
			Response deadLetters = actuator.get("/deadletters");
			assertThat(deadLetters.status()).isEqualTo(200);
			assertThat(deadLetters.json().path("deadLetterStreams")).hasSize(2)
				.allSatisfy((stream) -> assertThat(stream.path("error").asString()).isNotBlank());
		}
		finally {
			redis.start();
		}
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(actuator.get("/redisstreams").json().path("streams"))
				.allSatisfy((stream) -> assertThat(stream.has("error")).isFalse()));
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		Listeners listeners() {
			return new Listeners();
		}

	}

	static class Listeners {

		@RedisListener(id = "orders", stream = "orders")
		void onOrder(Map<String, String> fields) {
		}

		@RedisListener(id = "payments", stream = "payments")
		void onPayment(Map<String, String> fields) {
		}

	}

}
