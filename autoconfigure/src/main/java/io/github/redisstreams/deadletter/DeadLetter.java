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

package io.github.redisstreams.deadletter;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.StreamEntry;

/**
 * A message that will not be processed, with where it came from and why. Immutable.
 *
 * @param entry the original entry; no fields if its payload was lost
 * @param group the consumer group
 * @param consumer the consumer that gives up on it
 * @param deliveryCount how often Redis delivered it (its delivery counter in the group's
 * pending entries list), at least 1
 * @param reason why it is dead-lettered
 * @param exception the last failure, if any
 * @param failedAt when it was given up
 * @since 0.1.0
 */
public record DeadLetter(StreamEntry entry, String group, String consumer, long deliveryCount, DeadLetterReason reason,
		@Nullable Throwable exception, Instant failedAt) {

}
