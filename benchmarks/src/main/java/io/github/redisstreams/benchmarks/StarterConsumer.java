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

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.redisstreams.config.RedisStreamListenerRegistry;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One run of the starter: a {@link StarterBenchmarkApplication} context connected to the
 * benchmark's Redis, whose listener does not start with the context
 * ({@code redis.streams.listener.auto-startup=false}) but on {@link #start()}, after the
 * stream was filled.
 */
final class StarterConsumer implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final RedisStreamListenerRegistry registry;

	private final Probe probe;

	/**
	 * Start the application context; the listener stays stopped.
	 * @param redis the benchmark's Redis
	 * @param stream the stream
	 * @param settings the listener settings; for the defaults no property is set
	 * @param failFirstAttempt whether every message fails once (the retry path, with a
	 * retry delay of 1 ms)
	 * @param probe where processed messages are reported
	 */
	StarterConsumer(BenchmarkRedis redis, String stream, ListenerSettings settings, boolean failFirstAttempt,
			Probe probe) {
		this(redis, stream, settings, failFirstAttempt, probe, Map.of());
	}

	/**
	 * Start the application context with more properties; the listener stays stopped.
	 * @param redis the benchmark's Redis
	 * @param stream the stream
	 * @param settings the listener settings; for the defaults no property is set
	 * @param failFirstAttempt whether messages fail once (the retry path, with a retry
	 * delay of 1 ms)
	 * @param probe where processed messages are reported
	 * @param extraProperties more properties, applied last
	 */
	StarterConsumer(BenchmarkRedis redis, String stream, ListenerSettings settings, boolean failFirstAttempt,
			Probe probe, Map<String, Object> extraProperties) {
		this.probe = probe;
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.application.name", Workload.GROUP);
		properties.put("spring.data.redis.host", redis.host());
		properties.put("spring.data.redis.port", redis.port());
		properties.put("redis.streams.listener.auto-startup", false);
		properties.put("benchmark.listener.stream", stream);
		properties.put("benchmark.listener.fail-first-attempt", failFirstAttempt);
		if (!settings.isDefault()) {
			properties.put("redis.streams.listener.concurrency", settings.concurrency());
			properties.put("redis.streams.listener.batch-size", settings.batchSize());
		}
		if (failFirstAttempt) {
			properties.put("redis.streams.retry.delay", "1ms");
			properties.put("redis.streams.retry.multiplier", 1);
			// One WARN line per failed attempt would print every message.
			properties.put("logging.level.io.github.redisstreams.listener.StreamListenerContainer", "error");
		}
		properties.putAll(extraProperties);
		this.context = new SpringApplicationBuilder(StarterBenchmarkApplication.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.registerShutdownHook(false)
			.properties(properties)
			.initializers((context) -> context.getBeanFactory().registerSingleton("benchmarkProbe", probe))
			.run();
		this.registry = this.context.getBean(RedisStreamListenerRegistry.class);
	}

	/**
	 * Start the clock and the listener.
	 */
	void start() {
		this.probe.start();
		this.registry.startListener(StarterBenchmarkApplication.LISTENER_ID);
	}

	/**
	 * Stop the listener (which sends its last acknowledgements) and close the context.
	 */
	@Override
	public void close() {
		try {
			this.registry.stopListener(StarterBenchmarkApplication.LISTENER_ID);
		}
		finally {
			this.context.close();
		}
	}

	/**
	 * Consume a filled stream with the benchmark's listener and return how long it took.
	 * @param redis the benchmark's Redis
	 * @param stream the filled stream
	 * @param count how many entries it holds
	 * @param settings the listener settings
	 * @param properties more properties, applied last
	 * @return seconds from the listener's start to the last message handled
	 * @throws InterruptedException if interrupted while waiting
	 * @throws IllegalStateException if not all were handled within 5 minutes
	 */
	static double secondsToConsume(BenchmarkRedis redis, String stream, int count, ListenerSettings settings,
			Map<String, Object> properties) throws InterruptedException {
		Probe probe = Probe.counting(count);
		try (StarterConsumer consumer = new StarterConsumer(redis, stream, settings, false, probe, properties)) {
			consumer.start();
			if (!probe.await(Duration.ofMinutes(5))) {
				throw new IllegalStateException(stream + ": only " + probe.processed() + " of " + count
						+ " messages were handled within 5 minutes");
			}
			return probe.elapsed().toNanos() / 1e9;
		}
	}

}
