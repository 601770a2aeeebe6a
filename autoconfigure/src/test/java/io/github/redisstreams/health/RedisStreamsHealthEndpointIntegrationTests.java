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

package io.github.redisstreams.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.test.RedisServerExtension;

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

/**
 * The {@code redisstreams} component of the Actuator health endpoint, over HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=it-app", "redis.streams.listener.poll-timeout=200ms",
				"redis.streams.listener.instance-id=it-node", "management.endpoint.health.show-details=always" })
@DirtiesContext
class RedisStreamsHealthEndpointIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerSpringProperties(registry);
	}

	@LocalServerPort
	private int port;

	@Test
	void healthComponentShowsTheListenersAndTheServer() throws Exception {
		HttpResponse<String> response = get("/actuator/health/redisstreams");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode health = new JsonMapper().readTree(response.body());
		assertThat(health.path("status").asString()).isEqualTo("UP");
		JsonNode details = health.path("details");
		JsonNode listener = details.path("listeners").path("orders");
		assertThat(listener.path("state").asString()).isEqualTo("running");
		assertThat(listener.path("stream").asString()).isEqualTo("orders");
		assertThat(listener.path("group").asString()).isEqualTo("it-app");
		assertThat(listener.path("pending").asLong()).isZero();
		assertThat(listener.path("deadLetterLength").asLong()).isZero();
		JsonNode server = details.path("server");
		assertThat(server.path("name").asString()).isEqualTo(redis.server().serverName());
		assertThat(server.path("version").asString()).isEqualTo(redis.server().version());
		assertThat(server.path("maxmemoryPolicy").asString()).isEqualTo("noeviction");
		assertThat(server.path("appendOnly").asBoolean()).isFalse();
		assertThat(server.path("capabilities").toString()).contains("XAUTOCLAIM");
		assertThat(server.path("warnings").toString()).contains("acknowledged publishes can be lost");
	}

	@Test
	void healthIncludesTheComponent() throws Exception {
		HttpResponse<String> response = get("/actuator/health");
		JsonNode health = new JsonMapper().readTree(response.body());
		assertThat(health.path("components").path("redisstreams").path("status").asString()).as(response.body())
			.isEqualTo("UP");
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.GET()
			.build();
		return client.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class HealthApplication {

		@Bean
		OrdersListener ordersListener() {
			return new OrdersListener();
		}

	}

	static class OrdersListener {

		@RedisListener(id = "orders", stream = "orders")
		void onOrder(Map<String, String> fields) {
		}

	}

}
