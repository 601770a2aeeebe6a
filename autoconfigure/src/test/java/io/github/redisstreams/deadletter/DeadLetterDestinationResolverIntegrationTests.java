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

package io.github.redisstreams.deadletter;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.health.RedisStreamsHealthIndicator;
import io.github.redisstreams.listener.StreamMessageContext;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.retry.NonRetryableException;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for a user-defined {@link DeadLetterDestinationResolver}: the dead
 * letters, the {@code deadletters} and {@code redisstreams} endpoints, the dead-letter
 * length gauge and the health indicator all use the stream it names, in one web
 * application against a real Redis.
 */
@DirtiesContext
@SpringBootTest(classes = DeadLetterDestinationResolverIntegrationTests.TestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=redisstreams,deadletters,health",
				"management.endpoint.deadletters.access=unrestricted", "spring.application.name=it-app",
				"redis.streams.listener.instance-id=it-node", "redis.streams.listener.poll-timeout=200ms",
				"redis.streams.listener.shutdown-timeout=2s", "redis.streams.metrics.refresh-interval=200ms",
				"redis.streams.health.max-dead-letter-growth=0",
				"redis.streams.health.threshold-status=out-of-service" })
class DeadLetterDestinationResolverIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String STREAM = "orders";

	private static final String DEAD_LETTERS = "dead-letters:orders";

	private static final String DEFAULT_DEAD_LETTERS = "{orders}:dlq";

	private static final JsonMapper jsonMapper = new JsonMapper();

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
	private RejectingListener listener;

	@Autowired
	private MeterRegistry meterRegistry;

	@Autowired
	private RedisStreamsHealthIndicator healthIndicator;

	private RestClient actuator;

	@BeforeEach
	void setUp() {
		this.actuator = RestClient.builder().baseUrl("http://localhost:" + this.port + "/actuator").build();
		this.client.sync().del(DEAD_LETTERS, DEFAULT_DEAD_LETTERS);
		this.listener.received.clear();
	}

	@AfterEach
	void tearDown() {
		this.client.close();
	}

	@Test
	void deadLettersAreWrittenToTheResolvedStreamOnly() {
		String id = deadLetter(Map.of("order", 1));
		List<StreamMessage<String, String>> deadLetters = this.client.sync()
			.xrange(DEAD_LETTERS, Range.create("-", "+"));
		assertThat(deadLetters).singleElement()
			.satisfies((deadLetter) -> assertThat(deadLetter.getBody()).containsEntry("payload", "{\"order\":1}")
				.containsEntry("x-original-stream", STREAM)
				.containsEntry("x-original-id", id)
				.containsEntry("x-reason", "not-retryable")
				.containsEntry("x-exception-class", NonRetryableException.class.getName()));
		await().atMost(TIMEOUT).until(() -> this.client.pendingCount(STREAM, "it-app") == 0);
		assertThat(this.client.sync().exists(DEFAULT_DEAD_LETTERS)).isZero();
	}

	@Test
	void deadLettersEndpointListsAndPagesTheResolvedStream() {
		String id = deadLetter(Map.of("order", 2));
		Response list = get("/deadletters");
		assertThat(list.status()).isEqualTo(200);
		JsonNode streams = list.json().path("deadLetterStreams");
		assertThat(streams).hasSize(1);
		assertThat(streams.get(0).path("stream").asString()).isEqualTo(STREAM);
		assertThat(streams.get(0).path("deadLetterStream").asString()).isEqualTo(DEAD_LETTERS);
		assertThat(streams.get(0).path("size").asLong()).isEqualTo(1);

		Response page = get("/deadletters/{stream}", STREAM);
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.json().path("stream").asString()).isEqualTo(STREAM);
		assertThat(page.json().path("deadLetterStream").asString()).isEqualTo(DEAD_LETTERS);
		assertThat(page.json().path("size").asLong()).isEqualTo(1);
		JsonNode deadLetters = page.json().path("deadLetters");
		assertThat(deadLetters).hasSize(1);
		assertThat(deadLetters.get(0).path("id").asString()).isEqualTo(onlyDeadLetterId());
		assertThat(deadLetters.get(0).path("originalId").asString()).isEqualTo(id);
		assertThat(deadLetters.get(0).path("reason").asString()).isEqualTo("not-retryable");
		assertThat(deadLetters.get(0).path("deliveryCount").asLong()).isEqualTo(1);

		// the resolved key selects the same stream
		Response byKey = get("/deadletters/{stream}", DEAD_LETTERS);
		assertThat(byKey.status()).isEqualTo(200);
		assertThat(byKey.json().path("stream").asString()).isEqualTo(STREAM);
		assertThat(byKey.json().path("deadLetters").get(0).path("originalId").asString()).isEqualTo(id);
	}

	@Test
	void redriveMovesADeadLetterFromTheResolvedStreamBackToItsStream() {
		deadLetter(Map.of("order", 3));
		String deadLetterId = onlyDeadLetterId();
		Response response = post("/deadletters/{stream}", Map.of("count", 10), STREAM);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().path("deadLetterStream").asString()).isEqualTo(DEAD_LETTERS);
		JsonNode redriven = response.json().path("redriven");
		assertThat(redriven).hasSize(1);
		assertThat(redriven.get(0).path("deadLetterId").asString()).isEqualTo(deadLetterId);
		String newId = redriven.get(0).path("id").asString();
		// the listener sees it again (and rejects it again, into the resolved stream)
		await().atMost(TIMEOUT)
			.until(() -> this.listener.received.stream()
				.anyMatch((fields) -> deadLetterId.equals(fields.get("x-redriven-from"))));
		await().atMost(TIMEOUT)
			.until(() -> this.client.sync()
				.xrange(DEAD_LETTERS, Range.create("-", "+"))
				.stream()
				.anyMatch((deadLetter) -> newId.equals(deadLetter.getBody().get("x-original-id"))));
		assertThat(this.client.sync().xrange(DEAD_LETTERS, Range.create("-", "+"))).extracting(StreamMessage::getId)
			.doesNotContain(deadLetterId);
		assertThat(this.client.sync().exists(DEFAULT_DEAD_LETTERS)).isZero();
	}

	@Test
	void purgeEmptiesTheResolvedStream() {
		deadLetter(Map.of("order", 4));
		deadLetter(Map.of("order", 5));
		Response response = delete("/deadletters/{stream}", STREAM);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().path("deadLetterStream").asString()).isEqualTo(DEAD_LETTERS);
		assertThat(response.json().path("removed").asLong()).isEqualTo(2);
		assertThat(this.client.sync().exists(DEAD_LETTERS)).isZero();
	}

	@Test
	void redisStreamsEndpointShowsTheResolvedStreamAndItsLength() {
		deadLetter(Map.of("order", 6));
		deadLetter(Map.of("order", 7));
		Response all = get("/redisstreams");
		assertThat(all.status()).isEqualTo(200);
		JsonNode stream = null;
		for (JsonNode candidate : all.json().path("streams")) {
			if (STREAM.equals(candidate.path("stream").asString())) {
				stream = candidate;
			}
		}
		assertThat(stream).as("stream '%s' in %s", STREAM, all.body()).isNotNull();
		assertThat(stream.path("deadLetterStream").asString()).isEqualTo(DEAD_LETTERS);
		assertThat(stream.path("deadLetterLength").asLong()).isEqualTo(2);

		Response one = get("/redisstreams/{id}", STREAM);
		assertThat(one.status()).isEqualTo(200);
		assertThat(one.json().path("stream").path("deadLetterStream").asString()).isEqualTo(DEAD_LETTERS);
		assertThat(one.json().path("stream").path("deadLetterLength").asLong()).isEqualTo(2);
	}

	@Test
	void deadLetterLengthGaugeMeasuresTheResolvedStream() {
		deadLetter(Map.of("order", 8));
		deadLetter(Map.of("order", 9));
		assertThat(this.client.sync().xlen(DEAD_LETTERS)).isEqualTo(2);
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(deadLetterLengthGauge().value()).isEqualTo(2.0));
		deadLetter(Map.of("order", 10));
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(deadLetterLengthGauge().value())
				.isEqualTo((double) this.client.sync().xlen(DEAD_LETTERS))
				.isEqualTo(3.0));
	}

	@Test
	void healthReportsTheGrowthOfTheResolvedStream() {
		// the first check sets the baseline
		this.healthIndicator.health();
		assertThat(this.healthIndicator.health().getStatus()).isEqualTo(Status.UP);
		deadLetter(Map.of("order", 11));
		Health health = this.healthIndicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(listenerDetails(health)).containsEntry("deadLetterLength", 1L);
		assertThat((List<?>) health.getDetails().get("warnings")).singleElement()
			.asString()
			.contains("1 entries of stream 'orders' were dead-lettered since the previous health check");
		// nothing new since
		assertThat(this.healthIndicator.health().getStatus()).isEqualTo(Status.UP);
	}

	private String deadLetter(Map<String, Object> payload) {
		long before = this.client.sync().xlen(DEAD_LETTERS);
		String id = this.publisher.publish(STREAM, payload);
		await().atMost(TIMEOUT).until(() -> this.client.sync().xlen(DEAD_LETTERS) == before + 1);
		return id;
	}

	private String onlyDeadLetterId() {
		List<StreamMessage<String, String>> deadLetters = this.client.sync()
			.xrange(DEAD_LETTERS, Range.create("-", "+"));
		assertThat(deadLetters).hasSize(1);
		return deadLetters.get(0).getId();
	}

	private Gauge deadLetterLengthGauge() {
		return this.meterRegistry.get("redis.streams.dead.letter.length")
			.tags("stream", STREAM, "group", "it-app")
			.gauge();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> listenerDetails(Health health) {
		Map<String, Object> listeners = (Map<String, Object>) health.getDetails().get("listeners");
		assertThat(listeners).as("listeners in %s", health).isNotNull().containsKey(STREAM);
		return (Map<String, Object>) listeners.get(STREAM);
	}

	private Response get(String path, Object... uriVariables) {
		return response(this.actuator.get().uri(path, uriVariables).retrieve());
	}

	private Response post(String path, Map<String, ?> body, Object... uriVariables) {
		return response(this.actuator.post()
			.uri(path, uriVariables)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve());
	}

	private Response delete(String path, Object... uriVariables) {
		return response(this.actuator.delete().uri(path, uriVariables).retrieve());
	}

	private static Response response(RestClient.ResponseSpec spec) {
		ResponseEntity<String> entity = spec.onStatus((status) -> true, (request, response) -> {
		}).toEntity(String.class);
		String body = entity.getBody();
		JsonNode json = (body != null && body.trim().startsWith("{")) ? jsonMapper.readTree(body)
				: MissingNode.getInstance();
		return new Response(entity.getStatusCode().value(), json, body);
	}

	record Response(int status, JsonNode json, String body) {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		DeadLetterDestinationResolver deadLetterDestinationResolver() {
			return (stream) -> "dead-letters:" + stream;
		}

		@Bean
		RejectingListener rejectingListener() {
			return new RejectingListener();
		}

	}

	static class RejectingListener {

		final List<Map<String, String>> received = new CopyOnWriteArrayList<>();

		@RedisListener(id = "orders", stream = "orders")
		void onOrder(Map<String, String> fields, StreamMessageContext context) {
			this.received.add(fields);
			throw new NonRetryableException("Rejected " + context.id());
		}

	}

}
