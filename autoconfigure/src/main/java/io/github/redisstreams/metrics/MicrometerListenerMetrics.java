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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.deadletter.DeadLetterReason;
import io.github.redisstreams.listener.ListenerMetrics;
import io.github.redisstreams.listener.StreamListenerContainer;

import org.springframework.util.Assert;

/**
 * {@link ListenerMetrics} recorded as Micrometer meters, all tagged with {@code stream},
 * {@code group} and {@code listener.id}:
 * <ul>
 * <li>{@value #RETRIES}: messages scheduled for a retry;</li>
 * <li>{@value #DEAD_LETTERS}: messages dead-lettered, by {@code reason};</li>
 * <li>{@value #RECLAIMED}: pending entries taken over by the reclaimer, by {@code reason}
 * ({@code orphaned}, {@code payload-lost});</li>
 * <li>{@value #PAYLOADS_LOST}: entries deleted from the stream while pending;</li>
 * <li>{@value #ACKS_LOST}: acknowledgements Redis reported as not pending;</li>
 * <li>{@value #RATE_LIMIT_GRANTED}: permits granted to a rate-limited listener's
 * consumers;</li>
 * <li>{@value #RATE_LIMIT_WAIT}: their waits for a permit;</li>
 * <li>{@value #LISTENER}: handler invocations of listeners that are not observed
 * ({@code ListenerSettings#isObservationEnabled()} {@code false}), tagged as the default
 * observation convention and Micrometer's {@code DefaultMeterObservationHandler} tag an
 * observed one: {@code messaging.system}, {@code outcome}, {@code exception} and
 * {@code error};</li>
 * <li>{@value #LATENCY}: time from publication (the entry id's time, by the Redis
 * server's clock) to the start of the first handler invocation (by this JVM's clock),
 * with millisecond precision.</li>
 * </ul>
 * Meters are registered on first use. Thread-safe.
 *
 * @since 0.1.0
 */
public class MicrometerListenerMetrics implements ListenerMetrics {

	/**
	 * Counter of scheduled retries.
	 */
	public static final String RETRIES = "redis.streams.retries";

	/**
	 * Counter of dead letters.
	 */
	public static final String DEAD_LETTERS = "redis.streams.dead.letters";

	/**
	 * Counter of reclaimed entries.
	 */
	public static final String RECLAIMED = "redis.streams.reclaimed";

	/**
	 * Counter of lost payloads.
	 */
	public static final String PAYLOADS_LOST = "redis.streams.payloads.lost";

	/**
	 * Counter of entries whose retry parking or dead letter could not be written (Redis
	 * full, a refusal, Redis unreachable); they stay pending and are tried again. Tagged
	 * {@code reason} = {@code retry-schedule} or {@code dead-letter}.
	 */
	public static final String WRITES_DEFERRED = "redis.streams.writes.deferred";

	/**
	 * Counter of lost acknowledgements.
	 */
	public static final String ACKS_LOST = "redis.streams.acks.lost";

	/**
	 * Counter of entries an idempotent listener acknowledged without invoking the
	 * listener: their key was processed already.
	 */
	public static final String DUPLICATES_SKIPPED = "redis.streams.duplicates.skipped";

	/**
	 * Counter of entries removed by the listener's retention limits.
	 */
	public static final String RETENTION_TRIMMED = "redis.streams.retention.trimmed";

	/**
	 * Gauge of entries the retention limits would remove but a consumer group still needs
	 * (not yet delivered to it, or pending): why a stream does not shrink.
	 */
	public static final String RETENTION_HELD_BACK = "redis.streams.retention.held.back";

	/**
	 * Timer of the handler invocations of a listener that is not observed; an observed
	 * listener's timer of this name comes from its observation.
	 */
	public static final String LISTENER = "redis.streams.listener";

	/**
	 * Timer of the end-to-end latency.
	 */
	public static final String LATENCY = "redis.streams.latency";

	/**
	 * Counter of the permits a rate-limited listener's consumers used: entries read (or
	 * taken over from a consumer that died) under the limit; its rate is the rate the
	 * listener reads at.
	 */
	public static final String RATE_LIMIT_GRANTED = "redis.streams.rate.limit.granted";

	/**
	 * Timer of the waits of a rate-limited listener's consumers for a permit.
	 */
	public static final String RATE_LIMIT_WAIT = "redis.streams.rate.limit.wait";

	private final MeterRegistry registry;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	/**
	 * One timer per container (a partitioned listener's partitions each have one), for
	 * the container's current group.
	 */
	private final Map<StreamListenerContainer, Grouped<Timer>> timers = new ConcurrentHashMap<>();

	private final Map<StreamListenerContainer, Grouped<AtomicLong>> heldBack = new ConcurrentHashMap<>();

	private final Map<StreamListenerContainer, Grouped<Timer>> permitWaits = new ConcurrentHashMap<>();

	private final Map<StreamListenerContainer, Grouped<InvocationTimers>> invocations = new ConcurrentHashMap<>();

	private final Function<StreamListenerContainer, Grouped<InvocationTimers>> invocationTimers = this::invocationTimers;

	private final Function<StreamListenerContainer, Grouped<Timer>> latencyTimer = (container) -> timer(container,
			LATENCY, "Time from publication to the start of the first handler invocation");

	private final Function<StreamListenerContainer, Grouped<Timer>> permitWaitTimer = (container) -> timer(container,
			RATE_LIMIT_WAIT, "Waits of a rate-limited listener's consumers for a permit");

	/**
	 * Create metrics.
	 * @param registry the meter registry
	 * @throws IllegalArgumentException if {@code registry} is {@code null}
	 */
	public MicrometerListenerMetrics(MeterRegistry registry) {
		Assert.notNull(registry, "'registry' must not be null");
		this.registry = registry;
	}

	@Override
	public void duplicateSkipped(StreamListenerContainer container) {
		counter(DUPLICATES_SKIPPED, "Entries acknowledged without invoking the listener: their key was processed",
				container, null)
			.increment();
	}

	@Override
	public void retention(StreamListenerContainer container, long trimmed, long heldBack) {
		counter(RETENTION_TRIMMED, "Entries removed by the retention limits", container, null).increment(trimmed);
		grouped(this.heldBack, container, (unused) -> {
			AtomicLong value = new AtomicLong();
			Gauge gauge = Gauge.builder(RETENTION_HELD_BACK, value, AtomicLong::get)
				.description("Entries the retention limits would remove but a consumer group still needs")
				.tags(tags(container))
				.register(this.registry);
			return new Grouped<>(container.getGroup(), value, gauge);
		}).set(heldBack);
	}

	@Override
	public void delivered(StreamListenerContainer container, Duration latency) {
		grouped(this.timers, container, this.latencyTimer).record(latency);
	}

	@Override
	public void invoked(StreamListenerContainer container, String outcome, @Nullable Class<?> exceptionType,
			long nanos) {
		grouped(this.invocations, container, this.invocationTimers).timer(outcome, exceptionType)
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void permitsGranted(StreamListenerContainer container, int permits) {
		counter(RATE_LIMIT_GRANTED, "Permits a rate-limited listener's consumers were granted", container, null)
			.increment(permits);
	}

	@Override
	public void permitsAwaited(StreamListenerContainer container, Duration waited) {
		grouped(this.permitWaits, container, this.permitWaitTimer).record(waited);
	}

	@Override
	public void retryScheduled(StreamListenerContainer container) {
		counter(RETRIES, "Messages scheduled for a retry", container, null).increment();
	}

	@Override
	public void deadLettered(StreamListenerContainer container, DeadLetterReason reason) {
		counter(DEAD_LETTERS, "Messages dead-lettered", container, reason.getValue()).increment();
		if (reason == DeadLetterReason.PAYLOAD_LOST) {
			counter(PAYLOADS_LOST, "Entries deleted from the stream while pending", container, null).increment();
		}
	}

	@Override
	public void reclaimed(StreamListenerContainer container, String reason, int count) {
		counter(RECLAIMED,
				"Pending entries taken over from consumers that died or hang (by the reclaimer, or in a read with CLAIM)",
				container, reason)
			.increment(count);
	}

	@Override
	public void acknowledgementsLost(StreamListenerContainer container, long count) {
		counter(ACKS_LOST, "Acknowledgements that Redis reported as not pending", container, null).increment(count);
	}

	@Override
	public void writeDeferred(StreamListenerContainer container, String write, long count) {
		counter(WRITES_DEFERRED, "Entries whose retry parking or dead letter could not be written yet", container,
				write)
			.increment(count);
	}

	private Counter counter(String name, String description, StreamListenerContainer container,
			@Nullable String reason) {
		// a partitioned listener's containers share its id, one per partition stream
		String key = name + '\u0000' + container.getListenerId() + '\u0000' + container.getStream() + '\u0000'
				+ container.getGroup() + '\u0000' + reason;
		return this.counters.computeIfAbsent(key, (unused) -> {
			Tags tags = tags(container);
			if (reason != null) {
				tags = tags.and("reason", reason);
			}
			return Counter.builder(name).description(description).tags(tags).register(this.registry);
		});
	}

	private Grouped<InvocationTimers> invocationTimers(StreamListenerContainer container) {
		InvocationTimers timers = new InvocationTimers(this.registry, tags(container));
		return new Grouped<>(container.getGroup(), timers, timers.success());
	}

	private Grouped<Timer> timer(StreamListenerContainer container, String name, String description) {
		Timer timer = Timer.builder(name).description(description).tags(tags(container)).register(this.registry);
		return new Grouped<>(container.getGroup(), timer, timer);
	}

	/**
	 * Return the container's meter for its current group: a broadcast listener's group
	 * follows the instance id its lease gave at the last start. A gauge of a former group
	 * is removed (a timer keeps what it recorded).
	 */
	private <T> T grouped(Map<StreamListenerContainer, Grouped<T>> meters, StreamListenerContainer container,
			Function<StreamListenerContainer, Grouped<T>> create) {
		String group = container.getGroup();
		Grouped<T> current = meters.get(container);
		if (current == null || !current.group().equals(group)) {
			current = meters.compute(container, (key, existing) -> {
				if (existing != null && existing.group().equals(group)) {
					return existing;
				}
				if (existing != null && existing.meter() instanceof Gauge gauge) {
					this.registry.remove(gauge);
				}
				return create.apply(key);
			});
		}
		return current.value();
	}

	static Tags tags(StreamListenerContainer container) {
		return Tags.of("stream", container.getStream(), "group", container.getGroup(), "listener.id",
				container.getListenerId());
	}

	/**
	 * A meter of one container, for the group it was registered with.
	 */
	private record Grouped<T>(String group, T value, Meter meter) {

	}

}
