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

package io.github.redisstreams.listener;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.deadletter.DeadLetterReason;

/**
 * Receives what happens to messages in a listener container, for metrics. Every method is
 * called on a consumer or reclaimer thread and must return quickly; implementations must
 * be thread-safe, as the threads of every container call them concurrently. The
 * auto-configured implementation records Micrometer meters.
 *
 * @since 0.1.0
 */
public interface ListenerMetrics {

	/**
	 * An implementation that records nothing.
	 */
	ListenerMetrics NONE = new ListenerMetrics() {
	};

	/**
	 * A message reaches its handler for the first time.
	 * @param container the listener container (id, stream, group)
	 * @param latency from publication (the millisecond time of the entry id, set by the
	 * Redis server's clock) to the handler's start (this JVM's clock), with millisecond
	 * precision; never negative
	 */
	default void delivered(StreamListenerContainer container, Duration latency) {
	}

	/**
	 * A handler invocation ended, for a listener whose invocations are not observed
	 * ({@link ListenerSettings#isObservationEnabled()} is {@code false}, or the container
	 * has no observation registry); an observed invocation is timed by the observation
	 * handlers instead.
	 * @param container the listener container (id, stream, group)
	 * @param outcome {@code success}, {@code retry}, {@code dead-letter} or
	 * {@code left-pending} (the {@code StreamReceiverContext} constants)
	 * @param exceptionType the type of what the handler threw, or {@code null} when it
	 * returned normally
	 * @param nanos the invocation's duration, including the failure's handling (retry
	 * decision, dead letter), in nanoseconds, at least 0
	 * @since 0.5.0
	 */
	default void invoked(StreamListenerContainer container, String outcome, @Nullable Class<?> exceptionType,
			long nanos) {
	}

	/**
	 * A consumer of a rate-limited listener used permits: entries it read, or took over
	 * from a consumer that died, under the limit.
	 * @param container the listener container (id, stream, group)
	 * @param permits how many, at least 1
	 * @since 0.5.0
	 */
	default void permitsGranted(StreamListenerContainer container, int permits) {
	}

	/**
	 * A consumer of a rate-limited listener found no permit and waited.
	 * @param container the listener container (id, stream, group)
	 * @param waited how long, from asking to the end of the wait
	 * @since 0.5.0
	 */
	default void permitsAwaited(StreamListenerContainer container, Duration waited) {
	}

	/**
	 * A failed message was scheduled for a retry.
	 * @param container the listener container (id, stream, group)
	 */
	default void retryScheduled(StreamListenerContainer container) {
	}

	/**
	 * A message was dead-lettered.
	 * @param container the listener container (id, stream, group)
	 * @param reason why
	 */
	default void deadLettered(StreamListenerContainer container, DeadLetterReason reason) {
	}

	/**
	 * The stream was trimmed to the listener's retention limits.
	 * @param container the listener container (id, stream, group)
	 * @param trimmed entries removed by this run, at least 0
	 * @param heldBack entries the limits would remove but a consumer group still needs
	 * (counted up to 10,000 for the age limit)
	 * @since 0.5.0
	 */
	default void retention(StreamListenerContainer container, long trimmed, long heldBack) {
	}

	/**
	 * An idempotent listener acknowledged an entry whose key was processed already,
	 * without invoking the listener.
	 * @param container the listener container (id, stream, group)
	 * @since 0.5.0
	 */
	default void duplicateSkipped(StreamListenerContainer container) {
	}

	/**
	 * Pending entries were taken over from a consumer that died or hangs.
	 * @param container the listener container (id, stream, group)
	 * @param reason {@code orphaned} (processed again) or {@code payload-lost} (deleted
	 * from the stream)
	 * @param count how many, at least 1
	 */
	default void reclaimed(StreamListenerContainer container, String reason, int count) {
	}

	/**
	 * Acknowledgements that Redis reported as not pending: the entry was acknowledged
	 * elsewhere, reclaimed, or its stream was deleted.
	 * @param container the listener container (id, stream, group)
	 * @param count how many
	 */
	default void acknowledgementsLost(StreamListenerContainer container, long count) {
	}

	/**
	 * A write that failed (Redis full: {@code OOM}, or refused, or unreachable), so that
	 * its entries stay pending and are tried again: a retry parking or a dead letter.
	 * @param container the listener container (id, stream, group)
	 * @param write {@code retry-schedule} or {@code dead-letter}
	 * @param count how many entries, at least 1
	 * @since 0.3.0
	 */
	default void writeDeferred(StreamListenerContainer container, String write, long count) {
	}

}
