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

package io.github.redisstreams.sample;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.test.RedisServerExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample application over HTTP against a real throwaway Redis: orders placed through
 * the REST endpoint are paid (each after one declined attempt) and shipped, an order for
 * an unknown product is dead-lettered, and the Actuator endpoints show it all.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.demo.enabled=false", "sample.payment.failure-rate=1.0",
				"redis.streams.retry.delay=100ms", "redis.streams.listener.poll-timeout=200ms",
				"redis.streams.metrics.refresh-interval=200ms" })
class SampleApplicationIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerSpringProperties(registry);
	}

	@LocalServerPort
	private int port;

	@Autowired
	private OrderProcessor processor;

	@Autowired
	private ShipmentListener shipments;

	@Test
	void ordersArePaidAfterARetryShippedAndThePoisonOrderIsDeadLettered() {
		RestClient http = RestClient.create("http://localhost:" + this.port);
		for (String product : new String[] { "book", "lamp", "kettle", "unicorn" }) {
			Map<String, Object> placed = http.post()
				.uri("/orders")
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("customer", "ada", "product", product, "quantity", 2))
				.retrieve()
				.body(new ParameterizedTypeReference<Map<String, Object>>() {
				});
			assertThat(placed).containsKeys("orderId", "entryId");
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.processor.getProcessed() == 3 && this.shipments.getShipped() == 3);
		assertThat(http.get().uri("/orders/stats").retrieve().body(Map.class)).containsEntry("processed", 3)
			.containsEntry("shipped", 3);

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			String deadLetters = http.get().uri("/actuator/deadletters/orders").retrieve().body(String.class);
			assertThat(deadLetters).contains("\"size\":1", "\"reason\":\"not-retryable\"", "unicorn");
		});
		String streams = http.get().uri("/actuator/redisstreams").retrieve().body(String.class);
		assertThat(streams).contains("\"id\":\"orders\"", "\"id\":\"shipments\"", "\"deadLetterLength\":1");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			String retries = http.get().uri("/actuator/metrics/redis.streams.retries").retrieve().body(String.class);
			assertThat(retries).contains("\"value\":3.0");
		});
		String health = http.get().uri("/actuator/health/redisstreams").retrieve().body(String.class);
		assertThat(health).contains("\"status\":\"UP\"");
		String prometheus = http.get().uri("/actuator/prometheus").retrieve().body(String.class);
		assertThat(prometheus).contains("redis_streams_listener_seconds_count");
	}

}
