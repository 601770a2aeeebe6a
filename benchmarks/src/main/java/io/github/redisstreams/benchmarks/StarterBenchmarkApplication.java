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

package io.github.redisstreams.benchmarks;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.autoconfigure.RedisStreamsAutoConfiguration;
import io.github.redisstreams.autoconfigure.RedisStreamsMetricsAutoConfiguration;
import io.github.redisstreams.listener.StreamMessageContext;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The minimal application the starter's scenarios run: Spring Data Redis, Jackson and the
 * starter's auto-configuration, and one {@code @RedisListener} with id
 * {@value #LISTENER_ID} on the stream {@code ${benchmark.listener.stream}}.
 * {@code benchmark.listener.fail-first-attempt=true} selects the listener that throws on
 * the first delivery of every message.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
		RedisStreamsAutoConfiguration.class, RedisStreamsMetricsAutoConfiguration.class })
public class StarterBenchmarkApplication {

	/**
	 * The id of the benchmark's listener.
	 */
	public static final String LISTENER_ID = "orders";

	/**
	 * With {@code -Dbenchmark.observed=true}: what every application with Actuator has, a
	 * meter registry (the listener's timer and counters, the stream gauges) and an
	 * observation registry that records every invocation into it.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("benchmark.observed")
	static class ObservedConfiguration {

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

	@Bean
	@ConditionalOnBooleanProperty(name = "benchmark.listener.fail-first-attempt", havingValue = false,
			matchIfMissing = true)
	OrderListener orderListener(Probe probe) {
		return new OrderListener(probe);
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "benchmark.listener.fail-first-attempt")
	FailingOnceOrderListener failingOnceOrderListener(Probe probe,
			@Value("${benchmark.listener.fail-every:1}") int failEvery) {
		return new FailingOnceOrderListener(probe, failEvery);
	}

	/**
	 * A no-op listener: it only reports the message to the probe.
	 */
	static class OrderListener {

		private final Probe probe;

		OrderListener(Probe probe) {
			this.probe = probe;
		}

		@RedisListener(id = LISTENER_ID, stream = "${benchmark.listener.stream}")
		void onOrder(Order order) {
			this.probe.processed(order);
		}

	}

	/**
	 * A listener that fails the first delivery of every message (or, with
	 * {@code benchmark.listener.fail-every=n}, of every n-th message by its id's hash),
	 * and succeeds on the retry.
	 */
	static class FailingOnceOrderListener {

		private final Probe probe;

		private final int failEvery;

		FailingOnceOrderListener(Probe probe, int failEvery) {
			this.probe = probe;
			this.failEvery = Math.max(1, failEvery);
		}

		@RedisListener(id = LISTENER_ID, stream = "${benchmark.listener.stream}")
		void onOrder(Order order, StreamMessageContext context) {
			if (context.deliveryAttempt() == 1 && Math.floorMod(order.id().hashCode(), this.failEvery) == 0) {
				this.probe.failed();
				throw new IllegalStateException("First attempt of " + order.id() + " fails on purpose");
			}
			this.probe.processed(order);
		}

	}

}
