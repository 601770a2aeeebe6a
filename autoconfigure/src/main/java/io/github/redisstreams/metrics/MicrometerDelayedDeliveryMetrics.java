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

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import io.github.redisstreams.publish.DelayedDeliveryMetrics;

import org.springframework.util.Assert;

/**
 * {@link DelayedDeliveryMetrics} recorded as Micrometer meters, tagged with
 * {@code stream}:
 * <ul>
 * <li>{@value #MOVED}: delayed messages added to their stream by this instance's
 * mover;</li>
 * <li>{@value #SCHEDULED}: delayed messages waiting, as of this instance's last poll (the
 * same value in every instance).</li>
 * </ul>
 * Meters are registered on first use, and removed when the mover forgets a stream that
 * has had no delayed message for a while. Thread-safe.
 *
 * @since 0.5.0
 */
public class MicrometerDelayedDeliveryMetrics implements DelayedDeliveryMetrics {

	/**
	 * Counter of delayed messages moved into their stream.
	 */
	public static final String MOVED = "redis.streams.delayed.moved";

	/**
	 * Gauge of delayed messages waiting.
	 */
	public static final String SCHEDULED = "redis.streams.delayed.scheduled";

	private final MeterRegistry registry;

	private final Map<String, Counter> moved = new ConcurrentHashMap<>();

	private final Map<String, AtomicLong> scheduled = new ConcurrentHashMap<>();

	/**
	 * Create the metrics.
	 * @param registry where to register the meters
	 */
	public MicrometerDelayedDeliveryMetrics(MeterRegistry registry) {
		Assert.notNull(registry, "'registry' must not be null");
		this.registry = registry;
	}

	@Override
	public void moved(String stream, int count) {
		this.moved
			.computeIfAbsent(stream,
					(key) -> Counter.builder(MOVED)
						.description("Delayed messages added to their stream when due")
						.tag("stream", key)
						.register(this.registry))
			.increment(count);
	}

	@Override
	public void forgotten(String stream) {
		Counter counter = this.moved.remove(stream);
		if (counter != null) {
			this.registry.remove(counter);
		}
		if (this.scheduled.remove(stream) != null) {
			Gauge gauge = this.registry.find(SCHEDULED).tag("stream", stream).gauge();
			if (gauge != null) {
				this.registry.remove(gauge);
			}
		}
	}

	@Override
	public void scheduled(String stream, long count) {
		this.scheduled.computeIfAbsent(stream, (key) -> {
			AtomicLong value = new AtomicLong();
			Gauge.builder(SCHEDULED, value, AtomicLong::get)
				.description("Delayed messages waiting to be added to their stream")
				.tag("stream", key)
				.register(this.registry);
			return value;
		}).set(count);
	}

}
