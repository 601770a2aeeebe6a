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

/**
 * Records a message that will not be processed. The default writes it to the stream's
 * dead-letter stream (named by the {@link DeadLetterDestinationResolver}; by default
 * {@code {stream}:dlq}) and acknowledges the original in one atomic step; define a bean
 * of this type to replace it.
 * <p>
 * Returning normally means the message is dead-lettered: the listener container then
 * acknowledges the original (again, for the default). Throwing leaves the original
 * pending, to be delivered and dead-lettered again later; it is never acknowledged.
 * <p>
 * One bean serves every listener and is called from all their consumer threads at once,
 * so implementations must be thread-safe.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DeadLetterPublisher {

	/**
	 * Record a dead letter.
	 * @param deadLetter the dead letter
	 * @throws RuntimeException if the dead letter could not be recorded; the original
	 * then stays pending and the listener container tries again later, with the retry
	 * back-off of its delivery count (it treats an {@code Error} thrown here alike, and
	 * clears the thread's interrupt flag if this method left it set)
	 */
	void publish(DeadLetter deadLetter);

	/**
	 * Return whether {@link #publish} acknowledges the original message itself, so that
	 * the container does not acknowledge it a second time.
	 * @return {@code true} if the original is acknowledged by the publisher
	 */
	default boolean acknowledgesOriginal() {
		return false;
	}

}
