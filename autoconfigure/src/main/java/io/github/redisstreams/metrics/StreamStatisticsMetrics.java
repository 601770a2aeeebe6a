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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.listener.StreamListenerContainer;
import io.github.redisstreams.support.StreamStatistics;
import io.github.redisstreams.support.StreamStatisticsReader;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.Assert;

/**
 * Gauges of every listener's stream and group, tagged with {@code stream} and
 * {@code group}: {@code redis.streams.stream.length}, {@code redis.streams.pending},
 * {@code redis.streams.lag} (registered once Redis reports a lag; {@code NaN} while it
 * cannot), {@code redis.streams.oldest.pending.age} (seconds, 0 when nothing is pending),
 * {@code redis.streams.dead.letter.length} and {@code redis.streams.retry.scheduled}.
 * <p>
 * One background task reads all of them every refresh interval (see
 * {@link StreamStatisticsReader} for the commands), so that a scrape never sends commands
 * to Redis. When a read fails, a warning is logged once and the gauges keep the values of
 * their last successful read. When a listener's group changes (a broadcast listener
 * restarted with another instance id), the gauges of its former group are removed.
 * Thread-safe; started and stopped by the application context.
 *
 * @since 0.1.0
 */
public class StreamStatisticsMetrics implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(StreamStatisticsMetrics.class);

	private final MeterRegistry meterRegistry;

	private final RedisStreamListenerRegistry listeners;

	private final StreamStatisticsReader reader;

	private final Duration refreshInterval;

	private final Map<String, StreamStatistics> latest = new ConcurrentHashMap<>();

	private final Set<String> registered = ConcurrentHashMap.newKeySet();

	private final Set<String> lagRegistered = ConcurrentHashMap.newKeySet();

	/** The gauges of each stream and group, removed when a container's group changes. */
	private final Map<String, List<Meter>> gauges = new ConcurrentHashMap<>();

	/**
	 * The stream and group each container was last read for: a broadcast listener's group
	 * follows the instance id its lease gave at the last start.
	 */
	private final Map<StreamListenerContainer, String> keys = new ConcurrentHashMap<>();

	private @Nullable ScheduledExecutorService scheduler;

	private @Nullable ScheduledFuture<?> refresh;

	private boolean failing;

	/**
	 * Create the gauges.
	 * @param meterRegistry the meter registry
	 * @param listeners the listeners whose streams are measured
	 * @param reader reads the statistics
	 * @param refreshInterval how often they are read, at least 1 ms
	 * @throws IllegalArgumentException if the meter registry, the listeners or the reader
	 * is {@code null}, or the refresh interval is shorter than 1 ms
	 */
	public StreamStatisticsMetrics(MeterRegistry meterRegistry, RedisStreamListenerRegistry listeners,
			StreamStatisticsReader reader, Duration refreshInterval) {
		Assert.notNull(meterRegistry, "'meterRegistry' must not be null");
		Assert.notNull(listeners, "'listeners' must not be null");
		Assert.notNull(reader, "'reader' must not be null");
		Assert.isTrue(refreshInterval.toMillis() > 0, "'refreshInterval' must be at least 1ms");
		this.meterRegistry = meterRegistry;
		this.listeners = listeners;
		this.reader = reader;
		this.refreshInterval = refreshInterval;
	}

	/**
	 * Read every stream and group once and update the gauges.
	 */
	public void refresh() {
		try {
			for (StreamListenerContainer container : streamContainers()) {
				String key = container.getStream() + '\u0000' + container.getGroup();
				String previous = this.keys.put(container, key);
				if (previous != null && !previous.equals(key)) {
					remove(previous);
				}
				StreamStatistics statistics = this.reader.read(container.getStream(), container.getGroup());
				this.latest.put(key, statistics);
				if (this.registered.add(key)) {
					register(key, container);
				}
				if (statistics.lag() != null && this.lagRegistered.add(key)) {
					gauge("redis.streams.lag", "Entries of the stream not yet delivered to the group", key, container,
							(stats) -> (stats.lag() != null) ? stats.lag() : Double.NaN);
				}
			}
			this.failing = false;
		}
		catch (RuntimeException ex) {
			if (!this.failing) {
				logger.warn("Could not read stream statistics for metrics (" + ex + "); retrying every "
						+ this.refreshInterval.toMillis() + " ms");
			}
			this.failing = true;
		}
	}

	/** One per stream read: a partitioned stream's gauges are per partition. */
	private List<StreamListenerContainer> streamContainers() {
		List<StreamListenerContainer> containers = new ArrayList<>();
		for (StreamListenerContainer listener : this.listeners.getListenerContainers()) {
			containers.addAll(listener.getStreamContainers());
		}
		return containers;
	}

	private void remove(String key) {
		this.latest.remove(key);
		this.registered.remove(key);
		this.lagRegistered.remove(key);
		List<Meter> removed = this.gauges.remove(key);
		if (removed != null) {
			removed.forEach(this.meterRegistry::remove);
		}
	}

	private void register(String key, StreamListenerContainer container) {
		gauge("redis.streams.stream.length", "Entries in the stream", key, container, StreamStatistics::length);
		gauge("redis.streams.pending", "Entries delivered to the group and not yet acknowledged", key, container,
				StreamStatistics::pending);
		gauge("redis.streams.oldest.pending.age", "Age of the oldest pending entry, from its publication", key,
				container,
				(stats) -> (stats.oldestPendingAge() != null) ? stats.oldestPendingAge().toMillis() / 1000.0 : 0);
		gauge("redis.streams.dead.letter.length", "Entries in the stream's dead-letter stream", key, container,
				StreamStatistics::deadLetterLength);
		gauge("redis.streams.retry.scheduled", "Entries of the group waiting for a retry", key, container,
				StreamStatistics::retryScheduled);
	}

	private void gauge(String name, String description, String key, StreamListenerContainer container,
			ToDoubleFunction<StreamStatistics> value) {
		Gauge gauge = Gauge.builder(name, this.latest, (latest) -> {
			StreamStatistics statistics = latest.get(key);
			return (statistics != null) ? value.applyAsDouble(statistics) : Double.NaN;
		})
			.description(description)
			.tags(Tags.of("stream", container.getStream(), "group", container.getGroup()))
			.baseUnit(name.endsWith(".age") ? "seconds" : null)
			.register(this.meterRegistry);
		this.gauges.computeIfAbsent(key, (unused) -> new CopyOnWriteArrayList<>()).add(gauge);
	}

	@Override
	public void start() {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
				new CustomizableThreadFactory("redis-streams-metrics-"));
		scheduler.setRemoveOnCancelPolicy(true);
		this.refresh = scheduler.scheduleWithFixedDelay(this::refresh, 0, this.refreshInterval.toMillis(),
				TimeUnit.MILLISECONDS);
		this.scheduler = scheduler;
	}

	@Override
	public void stop() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
			this.scheduler = null;
			this.refresh = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	@Override
	public int getPhase() {
		return RedisStreamListenerRegistry.DEFAULT_PHASE + 1;
	}

}
