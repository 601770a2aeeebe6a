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

import io.github.redisstreams.support.StreamEntry;

/**
 * Callback that processes one entry for a listener container.
 * <p>
 * Returning normally means the entry was processed: unless {@link #isManualAck()} is
 * {@code true}, the container then acknowledges it ({@code XACK}). Throwing hands the
 * failure to the {@code StreamErrorHandler}, which retries, dead-letters or leaves the
 * entry pending.
 * <p>
 * One handler serves every consumer of a container, so with a concurrency above 1 it is
 * called from several threads at once and must be thread-safe.
 *
 * @since 0.1.0
 */
public interface StreamMessageHandler {

	/**
	 * Process one entry.
	 * @param entry the entry as read from Redis
	 * @param context where the entry came from and its delivery attempt
	 * @param acknowledgment the handle that acknowledges the entry in manual mode
	 * @throws Exception if processing failed; the entry stays pending until the
	 * {@code StreamErrorHandler}'s decision is carried out
	 */
	void handle(StreamEntry entry, StreamMessageContext context, Acknowledgment acknowledgment) throws Exception;

	/**
	 * Return whether this handler acknowledges entries itself through the
	 * {@link Acknowledgment} it receives.
	 * @return {@code true} for manual acknowledgement
	 */
	default boolean isManualAck() {
		return false;
	}

}
