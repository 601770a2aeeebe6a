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

package io.github.redisstreams.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.autoconfigure.RedisStreamsMetricsAutoConfiguration;
import io.github.redisstreams.listener.Acknowledgment;
import io.github.redisstreams.observation.DefaultStreamListenerObservationConvention;
import io.github.redisstreams.observation.StreamListenerObservationConvention;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Counters, timers and gauges hold exactly what happened, after a run with successes,
 * retries and dead letters against a real Redis.
 */
@ExtendWith(OutputCaptureExtension.class)
class MetricsIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	/**
	 * The same meters whether the listener is observed (its timer comes from Micrometer's
	 * observation handler) or not (the default: a cached timer of the same name and
	 * tags).
	 */
	@ParameterizedTest(name = "observation-enabled={0}")
	@ValueSource(booleans = { false, true })
	void metersCountEveryOutcomeAndGaugesShowTheRealState(boolean observationEnabled) {
		StreamsContextRunner.create(redis)
			.withConfiguration(AutoConfigurations.of(RedisStreamsMetricsAutoConfiguration.class))
			.withUserConfiguration(Registries.class, Listeners.class)
			.withPropertyValues("redis.streams.retry.max-retries=1", "redis.streams.retry.delay=100ms",
					"redis.streams.metrics.refresh-interval=200ms",
					"redis.streams.listener.observation-enabled=" + observationEnabled)
			.run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				Listeners listeners = context.getBean(Listeners.class);
				for (int i = 0; i < 5; i++) {
					publisher.publish("metered", Map.of("kind", "ok", "n", i));
				}
				for (int i = 0; i < 3; i++) {
					publisher.publish("metered", Map.of("kind", "flaky", "n", i));
				}
				for (int i = 0; i < 2; i++) {
					publisher.publish("metered", Map.of("kind", "poison", "n", i));
				}
				for (int i = 0; i < 3; i++) {
					publisher.publish("held", Map.of("n", i));
				}
				await().atMost(Duration.ofSeconds(30))
					.until(() -> listeners.succeeded.get() == 8 && this.client.sync().xlen("{metered}:dlq") == 2
							&& listeners.held.get() == 3);
				await().atMost(Duration.ofSeconds(10)).until(() -> this.client.pendingCount("metered", "it-app") == 0);

				MeterRegistry meters = context.getBean(MeterRegistry.class);
				String id = "metered";
				// the listener observation's timer, by outcome
				await().atMost(Duration.ofSeconds(10))
					.until(() -> timerCount(meters, "redis.streams.listener", id, "dead-letter") == 2);
				assertThat(timerCount(meters, "redis.streams.listener", id, "success")).isEqualTo(8);
				assertThat(timerCount(meters, "redis.streams.listener", id, "retry")).isEqualTo(5);
				assertThat(meters.get("redis.streams.listener")
					.tags("listener.id", id, "outcome", "retry", "exception", "IllegalStateException")
					.timer()
					.count()).isEqualTo(5);
				// the same tags either way, so dashboards do not depend on the switch
				assertThat(meters.find("redis.streams.listener").timers())
					.allSatisfy((timer) -> assertThat(timer.getId().getTags().stream().map(Tag::getKey))
						.containsExactlyInAnyOrder("error", "exception", "group", "listener.id", "messaging.system",
								"outcome", "stream"));
				assertThat(meters.get("redis.streams.listener")
					.tags("listener.id", id, "outcome", "dead-letter", "error", "IllegalStateException",
							"messaging.system", "redis", "stream", "metered", "group", "it-app")
					.timer()
					.count()).isEqualTo(2);
				// only an observed listener is seen by the observation handlers: the
				// meter handler's long task timer, and the observation current in the
				// handler
				assertThat(meters.find("redis.streams.listener.active").longTaskTimers().isEmpty())
					.isEqualTo(!observationEnabled);
				assertThat(listeners.observed).containsOnly(observationEnabled);
				assertThat(meters.get("redis.streams.retries").tags("listener.id", id).counter().count()).isEqualTo(5);
				assertThat(meters.get("redis.streams.dead.letters")
					.tags("listener.id", id, "reason", "retries-exhausted")
					.counter()
					.count()).isEqualTo(2);
				assertThat(meters.get("redis.streams.latency").tags("listener.id", id).timer().count()).isEqualTo(10);
				assertThat(meters.find("redis.streams.acks.lost").counter()).isNull();

				// gauges: refreshed in the background from what Redis reports
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(gauge(meters, "redis.streams.dead.letter.length", "metered"))
						.isEqualTo(2));
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(gauge(meters, "redis.streams.pending", "held"))
						.isEqualTo(this.client.pendingCount("held", "it-app"))
						.isEqualTo(3));
				// a refresh that began after the last acknowledgement
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(gauge(meters, "redis.streams.pending", "metered")).isZero());
				assertThat(gauge(meters, "redis.streams.stream.length", "metered")).isEqualTo(10);
				assertThat(gauge(meters, "redis.streams.oldest.pending.age", "held")).isGreaterThanOrEqualTo(0);
				if (this.client.reportsLag("metered", "it-app")) {
					// Redis 7+ and Valkey report lag; 6.2 does not, and then the gauge is
					// absent
					await().atMost(Duration.ofSeconds(10))
						.untilAsserted(() -> assertThat(gauge(meters, "redis.streams.lag", "metered")).isZero());
				}
				else {
					assertThat(meters.find("redis.streams.lag").gauge()).isNull();
				}
			});
	}

	@Test
	void anObservedListenerWithoutAnObservationRegistryIsStillTimed() {
		StreamsContextRunner.create(redis)
			.withConfiguration(AutoConfigurations.of(RedisStreamsMetricsAutoConfiguration.class))
			.withUserConfiguration(MeterRegistryOnly.class, Listeners.class)
			.withPropertyValues("redis.streams.listener.observation-enabled=true")
			.run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				for (int i = 0; i < 3; i++) {
					publisher.publish("metered", Map.of("kind", "ok", "n", i));
				}
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				await().atMost(Duration.ofSeconds(30))
					.until(() -> timerCount(meters, "redis.streams.listener", "metered", "success") == 3);
			});
	}

	@Test
	void aConventionOfAListenerThatIsNotObservedIsNamedAtStartup(CapturedOutput output) {
		StreamsContextRunner.create(redis)
			.withConfiguration(AutoConfigurations.of(RedisStreamsMetricsAutoConfiguration.class))
			.withUserConfiguration(Registries.class, Listeners.class)
			.withBean(StreamListenerObservationConvention.class, CustomConvention::new)
			.withPropertyValues("redis.streams.listeners.held.observation-enabled=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("Listener 'metered': a StreamListenerObservationConvention ("
						+ CustomConvention.class.getName() + ") is set, but the listener's invocations are not "
						+ "observed, so it is not used; set redis.streams.listener.observation-enabled=true");
				assertThat(output).doesNotContain("Listener 'held': a StreamListenerObservationConvention");
			});
	}

	static class CustomConvention extends DefaultStreamListenerObservationConvention {

	}

	@Configuration(proxyBeanMethods = false)
	static class MeterRegistryOnly {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		ObservationRegistry observationRegistry() {
			return ObservationRegistry.NOOP;
		}

	}

	private static long timerCount(MeterRegistry meters, String name, String listenerId, String outcome) {
		var timer = meters.find(name).tags("listener.id", listenerId, "outcome", outcome).timer();
		return (timer != null) ? timer.count() : 0;
	}

	private static double gauge(MeterRegistry meters, String name, String stream) {
		return meters.get(name).tags("stream", stream, "group", "it-app").gauge().value();
	}

	@Configuration(proxyBeanMethods = false)
	static class Registries {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		ObservationRegistry observationRegistry(MeterRegistry meterRegistry) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meterRegistry));
			return registry;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		final AtomicInteger succeeded = new AtomicInteger();

		final AtomicInteger held = new AtomicInteger();

		final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

		final Set<Boolean> observed = ConcurrentHashMap.newKeySet();

		private final ObservationRegistry observationRegistry;

		Listeners(ObservationRegistry observationRegistry) {
			this.observationRegistry = observationRegistry;
		}

		@RedisListener(id = "metered", stream = "metered")
		void onMessage(Map<String, Object> message) {
			Observation current = this.observationRegistry.getCurrentObservation();
			this.observed.add(current != null && !current.isNoop());
			String kind = (String) message.get("kind");
			int attempt = this.attempts.computeIfAbsent(kind + message.get("n"), (key) -> new AtomicInteger())
				.incrementAndGet();
			if ("poison".equals(kind) || ("flaky".equals(kind) && attempt == 1)) {
				throw new IllegalStateException(kind + " fails");
			}
			this.succeeded.incrementAndGet();
		}

		@RedisListener(id = "held", stream = "held")
		void onHeld(Map<String, Object> message, Acknowledgment acknowledgment) {
			this.held.incrementAndGet();
		}

	}

}
