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

package io.github.redisstreams.retry;

import java.util.List;

import io.github.redisstreams.support.StreamEntry;

/**
 * A delivery whose listener failed, as given to a {@link StreamErrorHandler}. Immutable.
 *
 * @param listenerId the listener id
 * @param group the consumer group
 * @param entry the entry, with its id, stream and raw fields
 * @param exception what the listener threw (unwrapped from reflection)
 * @param deliveryCount the delivery that failed, starting at 1: Redis's delivery counter
 * of the entry in the group's pending entries list
 * @param retryPolicy the listener's retry policy, from its properties and attributes
 * @since 0.2.0
 */
public record FailedDelivery(String listenerId, String group, StreamEntry entry, Throwable exception,
		long deliveryCount, ListenerRetryPolicy retryPolicy) {

	/**
	 * Return whether the exception or one of its causes is of the given type. Safe with
	 * cyclic cause chains.
	 * @param type the exception type
	 * @return whether the type is in the cause chain
	 */
	public boolean hasCause(Class<? extends Throwable> type) {
		return ListenerRetryPolicy.anyInChain(this.exception, List.of(type));
	}

}
