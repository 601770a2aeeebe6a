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

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Manual acknowledgement of one entry: adds its id (and the idempotency key, if any) to
 * the consumer's {@link AckBuffer} once, from any thread; later calls do nothing. An
 * acknowledgement made after the consumer stopped is not sent, and says so in a warning:
 * the entry stays pending and is delivered again. Thread-safe.
 */
final class BufferedAcknowledgment implements Acknowledgment {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final String listenerId;

	private final AckBuffer acks;

	private final String id;

	private final @Nullable String key;

	private final AtomicBoolean acknowledged = new AtomicBoolean();

	BufferedAcknowledgment(String listenerId, AckBuffer acks, String id, @Nullable String key) {
		this.listenerId = listenerId;
		this.acks = acks;
		this.id = id;
		this.key = key;
	}

	/**
	 * Return whether the listener acknowledged the entry.
	 * @return whether {@link #acknowledge()} was called
	 */
	boolean isAcknowledged() {
		return this.acknowledged.get();
	}

	@Override
	public void acknowledge() {
		if (this.acknowledged.compareAndSet(false, true) && !this.acks.add(this.id, this.key)) {
			logger.warn("Listener '" + this.listenerId + "': entry " + this.id + " was acknowledged after its "
					+ "consumer stopped; the acknowledgement is not sent, the entry stays pending and will be "
					+ "delivered again");
		}
	}

}
