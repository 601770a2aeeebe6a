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

import io.github.redisstreams.actuate.ActuatorClient.Response;
import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;

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
 * Endpoint failures over HTTP are JSON bodies with a status that fits and the most
 * specific message, never a bare 500 or "Error in execution" (issue 12, input 5).
 */
@DirtiesContext
@SpringBootTest(classes = EndpointErrorsIntegrationTests.TestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=redisstreams,deadletters",
				"management.endpoint.deadletters.access=unrestricted",
				"management.endpoint.redisstreams.access=unrestricted", "spring.application.name=it-app",
				"redis.streams.listener.instance-id=it-node", "redis.streams.listener.poll-timeout=200ms",
				"redis.streams.listener.shutdown-timeout=2s", "spring.data.redis.timeout=1s" })
class EndpointErrorsIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerSpringProperties(registry);
		createUser();
		registry.add("spring.data.redis.username", () -> "app");
		registry.add("spring.data.redis.password", () -> "s3cret");
	}

	// everything but reading dead letters newest first, and deleting some
	private static void createUser() {
		try (StreamTestClient client = new StreamTestClient(redis)) {
			client.setUser("app", "reset on >s3cret ~* +@all -xrevrange -xdel");
		}
	}

	@Test
	void aRefusalIsA500WithRedisOwnWordsAndTheFix() {
		ActuatorClient actuator = new ActuatorClient(this.port);
		Response page = actuator.get("/deadletters/{stream}", "orders");
		assertThat(page.status()).as(page.body()).isEqualTo(500);
		assertThat(page.json().path("status").asInt()).as(page.body()).isEqualTo(500);
		assertThat(page.json().path("error").asString()).as(page.body()).isEqualTo("Refused by Redis");
		// Redis words a refusal inside a script its own way
		assertThat(page.json().path("message").asString())
			.containsAnyOf("NOPERM", "can't run this command", "ACL failure in script")
			.contains("(in script page.lua, which calls XLEN, XREVRANGE)")
			.contains("fix: grant the Redis user that command and key pattern")
			.doesNotContain("Error in execution");

		Response purge = actuator.delete("/deadletters/{stream}?ids=1-1", "orders");
		assertThat(purge.status()).isEqualTo(500);
		assertThat(purge.json().path("message").asString()).contains("NOPERM").contains("fix: grant");
	}

	@Test
	void anInvalidRequestIsA400WithItsReason() {
		ActuatorClient actuator = new ActuatorClient(this.port);
		Response count = actuator.get("/deadletters/{stream}?count=0", "orders");
		assertThat(count.status()).isEqualTo(400);
		assertThat(count.json().path("error").asString()).isEqualTo("Bad Request");
		assertThat(count.json().path("message").asString()).contains("count");

		Response unknown = actuator.post("/redisstreams/{id}", Map.of("action", "start"), "no-such-listener");
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.json().path("message").asString())
			.isEqualTo("No listener with id 'no-such-listener'; known listeners: [orders]");

		Response action = actuator.post("/redisstreams/{id}", Map.of("action", "pause"), "orders");
		assertThat(action.status()).isEqualTo(400);
		assertThat(action.json().path("message").asString()).isEqualTo("Unknown action 'pause'; use 'start' or 'stop'");

		assertThat(actuator.get("/redisstreams/{id}", "no-such-listener").status()).isEqualTo(404);
		assertThat(actuator.get("/redisstreams/{id}", "orders").status()).isEqualTo(200);
	}

	@Test
	void redisDownIsA503() {
		ActuatorClient actuator = new ActuatorClient(this.port);
		redis.kill();
		try {
			Response page = actuator.get("/deadletters/{stream}", "orders");
			assertThat(page.status()).isEqualTo(503);
			assertThat(page.json().path("error").asString()).isEqualTo("Service Unavailable");
			assertThat(page.json().path("message").asString()).isNotBlank().doesNotContain("Error in execution");
		}
		finally {
			redis.start();
			createUser();
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> actuator.get("/deadletters/{stream}?count=1", "orders").status() != 503);
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

	}

}
