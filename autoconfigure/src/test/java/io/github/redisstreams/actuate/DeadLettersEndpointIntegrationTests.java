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

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import io.github.redisstreams.actuate.ActuatorClient.Response;
import io.github.redisstreams.actuate.DeadLettersEndpoint.DeadLetterPageDescriptor;
import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code deadletters} endpoint over HTTP, read-only (the default access) and with the
 * default {@code show-values}, against a real Redis.
 */
@DirtiesContext
@SpringBootTest(classes = DeadLettersEndpointIntegrationTests.TestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=redisstreams,deadletters,health",
				"spring.application.name=it-app", "redis.streams.listener.instance-id=it-node",
				"redis.streams.listener.poll-timeout=200ms", "redis.streams.listener.shutdown-timeout=2s",
				"redis.streams.retry.max-retries=0" })
class DeadLettersEndpointIntegrationTests {

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
	private RedisStreamListenerRegistry registry;

	@Autowired
	private RedisConnectionFactory connectionFactory;

	private ActuatorClient actuator;

	@BeforeEach
	void setUp() {
		this.actuator = new ActuatorClient(this.port);
		this.client.sync().del("{orders}:dlq", "{payments}:dlq");
	}

	@AfterEach
	void tearDown() {
		this.client.close();
	}

	@Test
	void listsTheDeadLetterStreamOfEveryListenerStreamWithItsSize() {
		List<String> ids = deadLetter(2);
		assertThat(ids).hasSize(2);
		Response response = this.actuator.get("/deadletters");
		assertThat(response.status()).isEqualTo(200);
		JsonNode streams = response.json().path("deadLetterStreams");
		assertThat(streams).hasSize(2);
		assertThat(streams.get(0).path("stream").asString()).isEqualTo("orders");
		assertThat(streams.get(0).path("deadLetterStream").asString()).isEqualTo("{orders}:dlq");
		assertThat(streams.get(0).path("size").asLong()).isEqualTo(2);
		assertThat(streams.get(1).path("stream").asString()).isEqualTo("payments");
		assertThat(streams.get(1).path("size").asLong()).isZero();
	}

	@Test
	void pagesThroughDeadLettersNewestFirst() {
		deadLetter(5);
		List<String> newestFirst = this.client.sync()
			.xrevrange("{orders}:dlq", Range.create("-", "+"))
			.stream()
			.map(StreamMessage::getId)
			.toList();
		assertThat(newestFirst).hasSize(5);

		Response first = this.actuator.get("/deadletters/{stream}?count=2", "orders");
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.json().path("stream").asString()).isEqualTo("orders");
		assertThat(first.json().path("deadLetterStream").asString()).isEqualTo("{orders}:dlq");
		assertThat(first.json().path("size").asLong()).isEqualTo(5);
		assertThat(ids(first)).containsExactly(newestFirst.get(0), newestFirst.get(1));
		assertThat(first.json().path("next").asString()).isEqualTo(newestFirst.get(1));

		Response second = this.actuator.get("/deadletters/{stream}?count=2&before={before}", "orders",
				newestFirst.get(1));
		assertThat(ids(second)).containsExactly(newestFirst.get(2), newestFirst.get(3));
		assertThat(second.json().path("next").asString()).isEqualTo(newestFirst.get(3));

		Response last = this.actuator.get("/deadletters/{stream}?count=2&before={before}", "orders",
				newestFirst.get(3));
		assertThat(ids(last)).containsExactly(newestFirst.get(4));
		assertThat(last.json().has("next")).isFalse();

		// the default page holds them all; the dead-letter key selects the same stream
		Response all = this.actuator.get("/deadletters/{stream}", "{orders}:dlq");
		assertThat(ids(all)).isEqualTo(newestFirst);
		assertThat(all.json().path("stream").asString()).isEqualTo("orders");
		assertThat(all.json().has("next")).isFalse();
	}

	@Test
	void describesEachDeadLetterAndHidesTheValuesOfPayloadAndHeaders() {
		String originalId = this.publisher.publish("orders", Map.of("order", "confidential"),
				Map.of("poison", "yes", "tenant", "acme"));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.client.sync().xlen("{orders}:dlq") == 1);
		Response response = this.actuator.get("/deadletters/{stream}", "orders");
		assertThat(response.status()).isEqualTo(200);
		JsonNode deadLetter = response.json().path("deadLetters").get(0);
		assertThat(deadLetter.path("originalId").asString()).isEqualTo(originalId);
		assertThat(deadLetter.path("reason").asString()).isEqualTo("retries-exhausted");
		assertThat(deadLetter.path("exceptionClass").asString()).isEqualTo(IllegalStateException.class.getName());
		// the exception message may quote the payload: hidden like it
		assertThat(deadLetter.path("exceptionMessage").asString()).isEqualTo("******");
		assertThat(deadLetter.path("deliveryCount").asLong()).isEqualTo(1);
		assertThat(Instant.parse(deadLetter.path("failedAt").asString())).isBefore(Instant.now().plusSeconds(1));
		assertThat(deadLetter.path("group").asString()).isEqualTo("it-app");
		assertThat(deadLetter.path("consumer").asString()).isEqualTo("it-node-0");
		JsonNode fields = deadLetter.path("fields");
		// the original fields (the publisher may add tracing headers); no x- fields
		assertThat(fields.propertyNames()).contains("payload", "poison", "tenant")
			.noneMatch((name) -> name.startsWith("x-"));
		assertThat(fields.properties())
			.allSatisfy((field) -> assertThat(field.getValue().asString()).isEqualTo("******"));
		assertThat(response.body()).doesNotContain("acme").doesNotContain("confidential").doesNotContain("stacktrace");
	}

	@Test
	void showsValuesWhenAuthorizedToUsersWithARole() {
		deadLetter(1);
		DeadLettersEndpoint endpoint = new DeadLettersEndpoint(this.registry, this.connectionFactory, List.of(),
				Show.WHEN_AUTHORIZED, Set.of("ops"));
		assertThat(payload(endpoint.deadLetters("orders", null, null, SecurityContext.NONE))).isEqualTo("******");
		assertThat(payload(endpoint.deadLetters("orders", null, null, new UserInRoles("dev")))).isEqualTo("******");
		assertThat(payload(endpoint.deadLetters("orders", null, null, new UserInRoles("ops"))))
			.isEqualTo("{\"order\":0}");
		assertThat(endpoint.deadLetters("orders", null, null, new UserInRoles("ops"))
			.deadLetters()
			.get(0)
			.exceptionMessage()).isEqualTo("Poisoned order");
		assertThat(endpoint.deadLetters("orders", null, null, SecurityContext.NONE)
			.deadLetters()
			.get(0)
			.exceptionMessage()).isEqualTo("******");
	}

	@Test
	void unknownStreamIsNotFound() {
		Response unknown = this.actuator.get("/deadletters/{stream}", "nope");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.json().path("message").asString())
			.startsWith("No listener consumes stream 'nope'; known streams: [");
	}

	@Test
	void invalidPageParametersAreBadRequests() {
		assertThat(this.actuator.get("/deadletters/{stream}?count=0", "orders").status()).isEqualTo(400);
		assertThat(this.actuator.get("/deadletters/{stream}?count=1001", "orders").status()).isEqualTo(400);
		assertThat(this.actuator.get("/deadletters/{stream}?before=latest", "orders").status()).isEqualTo(400);
	}

	@Test
	void redriveAndPurgeAreRefusedWithoutWriteAccess() {
		List<String> ids = deadLetter(2);
		assertThat(this.actuator.post("/deadletters/{stream}", Map.of("count", 1), "orders").status()).isBetween(400,
				499);
		assertThat(this.actuator.delete("/deadletters/{stream}", "orders").status()).isBetween(400, 499);
		assertThat(this.actuator.delete("/deadletters/{stream}?ids={ids}", "orders", ids.get(0)).status())
			.isBetween(400, 499);
		assertThat(this.client.sync().xlen("{orders}:dlq")).isEqualTo(2);
	}

	private List<String> deadLetter(int count) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(this.publisher.publish("orders", Map.of("order", i), Map.of("poison", "yes")));
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> this.client.sync().xlen("{orders}:dlq") == count);
		return ids;
	}

	private static List<String> ids(Response response) {
		assertThat(response.status()).isEqualTo(200);
		List<String> ids = new ArrayList<>();
		response.json().path("deadLetters").forEach((deadLetter) -> ids.add(deadLetter.path("id").asString()));
		return ids;
	}

	private static Object payload(DeadLetterPageDescriptor page) {
		assertThat(page).isNotNull();
		assertThat(page.deadLetters()).hasSize(1);
		return page.deadLetters().get(0).fields().get("payload");
	}

	record UserInRoles(String... roles) implements SecurityContext {

		@Override
		public Principal getPrincipal() {
			return () -> "user";
		}

		@Override
		public boolean isUserInRole(String role) {
			return List.of(this.roles).contains(role);
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		OrdersListener ordersListener() {
			return new OrdersListener();
		}

		@Bean
		PaymentsListener paymentsListener() {
			return new PaymentsListener();
		}

	}

	static class OrdersListener {

		@RedisListener(id = "orders", stream = "orders")
		void onOrder(Map<String, String> fields) {
			if (fields.containsKey("poison")) {
				throw new IllegalStateException("Poisoned order");
			}
		}

	}

	static class PaymentsListener {

		@RedisListener(id = "payments", stream = "payments")
		void onPayment(Map<String, String> fields) {
		}

	}

}
