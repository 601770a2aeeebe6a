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

import io.github.redisstreams.deadletter.DeadLetterReason;

/**
 * Receives what happens to messages in a listener container, for metrics. Every method is
 * called on a consumer or reclaimer thread and must return quickly. The auto-configured
 * implementation records Micrometer meters.
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
	 * @param settings the container's settings
	 * @param latency from publication (the entry id's time) to the handler's start
	 */
	default void delivered(ContainerSettings settings, Duration latency) {
	}

	/**
	 * A failed message was scheduled for a retry.
	 * @param settings the container's settings
	 */
	default void retryScheduled(ContainerSettings settings) {
	}

	/**
	 * A message was dead-lettered.
	 * @param settings the container's settings
	 * @param reason why
	 */
	default void deadLettered(ContainerSettings settings, DeadLetterReason reason) {
	}

	/**
	 * The reclaimer took over pending entries.
	 * @param settings the container's settings
	 * @param reason {@code orphaned} (processed again) or {@code payload-lost} (deleted
	 * from the stream)
	 * @param count how many
	 */
	default void reclaimed(ContainerSettings settings, String reason, int count) {
	}

	/**
	 * Acknowledgements that Redis reported as not pending: the entry was acknowledged
	 * elsewhere, reclaimed, or its stream was deleted.
	 * @param settings the container's settings
	 * @param count how many
	 */
	default void acknowledgementsLost(ContainerSettings settings, long count) {
	}

}
