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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import io.github.redisstreams.actuate.ActuatorClient.Response;
import io.github.redisstreams.annotation.RedisListener;
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
 * Redriving and purging dead letters through the {@code deadletters} endpoint once write
 * access is granted, with {@code show-values=always}, against a real Redis.
 */
@DirtiesContext
@SpringBootTest(classes = DeadLettersEndpointWriteAccessIntegrationTests.TestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=redisstreams,deadletters,health",
				"management.endpoint.deadletters.access=unrestricted",
				"management.endpoint.deadletters.show-values=always", "spring.application.name=it-app",
				"redis.streams.listener.instance-id=it-node", "redis.streams.listener.poll-timeout=200ms",
				"redis.streams.listener.shutdown-timeout=2s", "redis.streams.retry.max-retries=0" })
class DeadLettersEndpointWriteAccessIntegrationTests {

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

	private ActuatorClient actuator;

	@BeforeEach
	void setUp() {
		this.actuator = new ActuatorClient(this.port);
		this.client.sync().del("{orders}:dlq");
		this.listener.failing.set(true);
		this.listener.processed.clear();
	}

	@AfterEach
	void tearDown() {
		this.client.close();
	}

	@Test
	void showsValuesWhenConfigured() {
		this.publisher.publish("orders", Map.of("order", 7), Map.of("tenant", "acme"));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.client.sync().xlen("{orders}:dlq") == 1);
		JsonNode fields = this.actuator.get("/deadletters/{stream}", "orders")
			.json()
			.path("deadLetters")
			.get(0)
			.path("fields");
		assertThat(fields.path("payload").asString()).isEqualTo("{\"order\":7}");
		assertThat(fields.path("tenant").asString()).isEqualTo("acme");
	}

	@Test
	void redriveMovesDeadLettersBackToTheirStreamWhereTheyAreProcessed() {
		List<String> originals = deadLetter(3);
		List<String> deadLetters = oldestFirst();
		this.listener.failing.set(false);

		Response byIds = this.actuator.post("/deadletters/{stream}",
				Map.of("ids", deadLetters.get(0) + "," + deadLetters.get(1)), "orders");
		assertThat(byIds.status()).isEqualTo(200);
		assertThat(byIds.json().path("stream").asString()).isEqualTo("orders");
		JsonNode redriven = byIds.json().path("redriven");
		assertThat(redriven).hasSize(2);
		assertThat(redriven.get(0).path("deadLetterId").asString()).isEqualTo(deadLetters.get(0));
		assertThat(redriven.get(1).path("deadLetterId").asString()).isEqualTo(deadLetters.get(1));
		assertThat(byIds.json().path("skipped")).isEmpty();
		assertThat(byIds.json().path("notFound")).isEmpty();
		// they left the dead-letter stream; the third one is still there
		assertThat(oldestFirst()).containsExactly(deadLetters.get(2));
		// new entries with the original fields and where they came from
		String newId = redriven.get(0).path("id").asString();
		List<StreamMessage<String, String>> entries = this.client.sync().xrange("orders", Range.create(newId, newId));
		assertThat(entries).hasSize(1);
		assertThat(entries.get(0).getBody()).containsEntry("payload", "{\"order\":0}")
			.containsEntry("poison", "yes")
			.containsEntry("x-redriven-from", deadLetters.get(0))
			.doesNotContainKeys("x-reason", "x-original-id", "x-exception-class");
		assertThat(newId).isNotIn(originals);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.listener.processed.size() == 2);
		assertThat(this.listener.processed).extracting((fields) -> fields.get("x-redriven-from"))
			.containsExactly(deadLetters.get(0), deadLetters.get(1));

		Response byCount = this.actuator.post("/deadletters/{stream}", Map.of("count", 10), "{orders}:dlq");
		assertThat(byCount.status()).isEqualTo(200);
		assertThat(byCount.json().path("redriven")).hasSize(1);
		assertThat(byCount.json().path("redriven").get(0).path("deadLetterId").asString())
			.isEqualTo(deadLetters.get(2));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.listener.processed.size() == 3);
		assertThat(this.client.sync().xlen("{orders}:dlq")).isZero();
	}

	@Test
	void redriveTakesTheOldestFirstAndReportsIdsNotFound() {
		deadLetter(3);
		List<String> deadLetters = oldestFirst();
		this.listener.failing.set(false);
		Response byCount = this.actuator.post("/deadletters/{stream}", Map.of("count", 1), "orders");
		assertThat(byCount.json().path("redriven").get(0).path("deadLetterId").asString())
			.isEqualTo(deadLetters.get(0));
		Response byIds = this.actuator.post("/deadletters/{stream}", Map.of("ids", deadLetters.get(2) + ", 1-1"),
				"orders");
		assertThat(byIds.status()).isEqualTo(200);
		assertThat(byIds.json().path("redriven")).hasSize(1);
		assertThat(byIds.json().path("redriven").get(0).path("deadLetterId").asString()).isEqualTo(deadLetters.get(2));
		assertThat(byIds.json().path("notFound")).extracting(JsonNode::asString).containsExactly("1-1");
		assertThat(oldestFirst()).containsExactly(deadLetters.get(1));
		// processed before the next test makes the listener fail again
		await().atMost(Duration.ofSeconds(30)).until(() -> this.listener.processed.size() == 2);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.client.pendingCount("orders", "it-app") == 0);
	}

	@Test
	void deadLettersWhosePayloadWasLostAreSkipped() {
		String lost = this.client.sync()
			.xadd("{orders}:dlq",
					Map.of("x-original-stream", "orders", "x-original-id", "1-0", "x-group", "it-app", "x-consumer",
							"it-node-0", "x-delivery-count", "0", "x-reason", "payload-lost", "x-failed-at",
							"2026-01-01T00:00:00Z"));
		long length = this.client.sync().xlen("orders");
		Response response = this.actuator.post("/deadletters/{stream}", Map.of("ids", lost), "orders");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().path("redriven")).isEmpty();
		assertThat(response.json().path("skipped")).hasSize(1);
		assertThat(response.json().path("skipped").get(0).path("id").asString()).isEqualTo(lost);
		assertThat(response.json().path("skipped").get(0).path("reason").asString()).isEqualTo("payload-lost");
		assertThat(oldestFirst()).containsExactly(lost);
		assertThat(this.client.sync().xlen("orders")).isEqualTo(length);
		JsonNode deadLetter = this.actuator.get("/deadletters/{stream}", "orders").json().path("deadLetters").get(0);
		assertThat(deadLetter.path("reason").asString()).isEqualTo("payload-lost");
		assertThat(deadLetter.path("deliveryCount").asLong()).isZero();
		assertThat(deadLetter.path("fields")).isEmpty();
	}

	@Test
	void purgeRemovesTheGivenDeadLettersOrAllOfThem() {
		deadLetter(4);
		List<String> deadLetters = oldestFirst();
		// an empty list of ids removes nothing
		Response none = this.actuator.delete("/deadletters/{stream}?ids=", "orders");
		assertThat(none.status()).isEqualTo(200);
		assertThat(none.json().path("removed").asLong()).isZero();
		assertThat(oldestFirst()).hasSize(4);
		Response some = this.actuator.delete("/deadletters/{stream}?ids={ids}", "orders",
				deadLetters.get(0) + "," + deadLetters.get(2) + ",1-1");
		assertThat(some.status()).isEqualTo(200);
		assertThat(some.json().path("removed").asLong()).isEqualTo(2);
		assertThat(oldestFirst()).containsExactly(deadLetters.get(1), deadLetters.get(3));
		Response all = this.actuator.delete("/deadletters/{stream}", "orders");
		assertThat(all.status()).isEqualTo(200);
		assertThat(all.json().path("removed").asLong()).isEqualTo(2);
		assertThat(this.client.sync().exists("{orders}:dlq")).isZero();
		assertThat(this.actuator.get("/deadletters/{stream}", "orders").json().path("size").asLong()).isZero();
	}

	@Test
	void invalidWriteRequestsAreBadRequests() {
		assertThat(this.actuator.post("/deadletters/{stream}", Map.of(), "orders").status()).isEqualTo(400);
		assertThat(this.actuator.post("/deadletters/{stream}", Map.of("ids", "1-1", "count", 1), "orders").status())
			.isEqualTo(400);
		assertThat(this.actuator.post("/deadletters/{stream}", Map.of("ids", "oops"), "orders").status())
			.isEqualTo(400);
		assertThat(this.actuator.post("/deadletters/{stream}", Map.of("count", 0), "orders").status()).isEqualTo(400);
		assertThat(this.actuator.post("/deadletters/{stream}", Map.of("count", 1), "nope").status()).isEqualTo(400);
		assertThat(this.actuator.delete("/deadletters/{stream}", "nope").status()).isEqualTo(400);
		assertThat(this.actuator.delete("/deadletters/{stream}?ids=oops", "orders").status()).isEqualTo(400);
	}

	private List<String> deadLetter(int count) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(this.publisher.publish("orders", Map.of("order", i), Map.of("poison", "yes")));
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> this.client.sync().xlen("{orders}:dlq") == count);
		return ids;
	}

	private List<String> oldestFirst() {
		return this.client.sync()
			.xrange("{orders}:dlq", Range.create("-", "+"))
			.stream()
			.map(StreamMessage::getId)
			.toList();
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

		final AtomicBoolean failing = new AtomicBoolean(true);

		final List<Map<String, String>> processed = new CopyOnWriteArrayList<>();

		@RedisListener(id = "orders", stream = "orders")
		void onOrder(Map<String, String> fields) {
			if (this.failing.get()) {
				throw new IllegalStateException("Failing for now");
			}
			this.processed.add(fields);
		}

	}

}
