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

package io.github.redisstreams.publish;

/**
 * Receives what the {@link DelayedDeliveryMover} does, for metrics. Called on the mover's
 * thread; implementations must return quickly and be thread-safe. The auto-configured
 * implementation records the Micrometer meters {@code redis.streams.delayed.moved} and
 * {@code redis.streams.delayed.scheduled}.
 *
 * @since 0.5.0
 */
public interface DelayedDeliveryMetrics {

	/**
	 * An implementation that records nothing.
	 */
	DelayedDeliveryMetrics NONE = new DelayedDeliveryMetrics() {
	};

	/**
	 * Delayed messages were added to their stream.
	 * @param stream the stream key
	 * @param count how many, at least 1
	 */
	default void moved(String stream, int count) {
	}

	/**
	 * How many delayed messages of a stream are waiting, after a poll of the mover.
	 * @param stream the stream key
	 * @param count how many, 0 or more
	 */
	default void scheduled(String stream, long count) {
	}

	/**
	 * A stream has had no delayed message for a while and is no longer polled (until a
	 * message is scheduled for it again); its meters may go.
	 * @param stream the stream key
	 */
	default void forgotten(String stream) {
	}

}
