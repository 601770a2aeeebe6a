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

package io.github.redisstreams.observation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trace context written by the publisher reaches the listener, whose observation
 * continues the trace; a dead letter keeps it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "spring.application.name=it-app", "management.tracing.sampling.probability=1.0",
				"redis.streams.listener.poll-timeout=200ms", "redis.streams.retry.max-retries=0",
				"redis.streams.listener.observation-enabled=true" })
@DirtiesContext
@Tag("server-independent")
class TracingIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerSpringProperties(registry);
	}

	@Autowired
	private StreamPublisher publisher;

	@Autowired
	private ObservationRegistry observationRegistry;

	@Autowired
	private Tracer tracer;

	@Autowired
	private TracedListener listener;

	@Test
	void theListenerContinuesTheTraceOfThePublisher() throws InterruptedException {
		String traceId = Observation.createNotStarted("checkout", this.observationRegistry).observe(() -> {
			this.publisher.publish("traced", Map.of("order", 1));
			return currentTraceId(this.tracer);
		});
		assertThat(traceId).isNotBlank();
		Seen seen = this.listener.seen.poll(30, TimeUnit.SECONDS);
		assertThat(seen).isNotNull();
		assertThat(seen.observationName()).isEqualTo("redis.streams.listener");
		assertThat(seen.traceId()).isEqualTo(traceId);
		List<StreamMessage<String, String>> entries = this.client.sync().xrange("traced", Range.create("-", "+"));
		assertThat(entries.get(0).getBody().get("traceparent")).contains(traceId);
	}

	@Test
	void aDeadLetterKeepsTheTraceContext() {
		String traceId = Observation.createNotStarted("checkout", this.observationRegistry).observe(() -> {
			this.publisher.publish("traced", Map.of("poison", true));
			return currentTraceId(this.tracer);
		});
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> this.client.sync().xlen("{traced}:dlq") == 1);
		StreamMessage<String, String> deadLetter = this.client.sync()
			.xrange("{traced}:dlq", Range.create("-", "+"))
			.get(0);
		assertThat(deadLetter.getBody().get("traceparent")).contains(traceId);
	}

	static String currentTraceId(Tracer tracer) {
		Span span = tracer.currentSpan();
		return (span != null) ? span.context().traceId() : null;
	}

	record Seen(String observationName, String traceId) {
	}

	static class TracedListener {

		final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();

		private final ObservationRegistry observationRegistry;

		private final Tracer tracer;

		TracedListener(ObservationRegistry observationRegistry, Tracer tracer) {
			this.observationRegistry = observationRegistry;
			this.tracer = tracer;
		}

		@RedisListener(stream = "traced")
		void on(Map<String, Object> message) {
			if (message.containsKey("poison")) {
				throw new IllegalStateException("poison");
			}
			Observation current = this.observationRegistry.getCurrentObservation();
			this.seen
				.add(new Seen((current != null) ? current.getContext().getName() : null, currentTraceId(this.tracer)));
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TracingApplication {

		@Bean
		TracedListener tracedListener(ObservationRegistry observationRegistry, Tracer tracer) {
			return new TracedListener(observationRegistry, tracer);
		}

	}

}
