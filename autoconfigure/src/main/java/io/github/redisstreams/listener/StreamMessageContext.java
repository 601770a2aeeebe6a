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

/**
 * Where a message came from and how often it was delivered. A listener method receives it
 * by declaring a parameter of this type. Immutable and thread-safe.
 *
 * @param id the entry id, for example {@code 1700000000000-0}
 * @param stream the stream key
 * @param group the consumer group
 * @param consumer the consumer name within the group
 * @param deliveryAttempt the delivery attempt as counted by Redis (the delivery counter
 * of the entry in the group's pending entries list, {@code XPENDING}), starting at 1
 * @param listenerId the id of the listener that received the message
 * @since 0.1.0
 */
public record StreamMessageContext(String id, String stream, String group, String consumer, long deliveryAttempt,
		String listenerId) {

	/**
	 * Return the time at which Redis added the entry: the first part of its id, which
	 * Redis takes from its clock unless the producer chose the id.
	 * @return the time in milliseconds since the epoch, for example {@code 1700000000000}
	 * for the id {@code 1700000000000-0}
	 * @throws IllegalStateException if the id is not a stream entry id
	 * ({@code <milliseconds>-<sequence>})
	 * @since 0.2.0
	 */
	public long timestamp() {
		int dash = this.id.indexOf('-');
		try {
			return Long.parseLong(this.id, 0, (dash >= 0) ? dash : this.id.length(), 10);
		}
		catch (NumberFormatException ex) {
			throw new IllegalStateException("'" + this.id + "' is not a stream entry id", ex);
		}
	}

}
