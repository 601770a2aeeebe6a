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

import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * A container's connection for its non-blocking background work (reclaiming, claim
 * refreshes), opened on first use and again after it failed.
 */
final class ControlConnection implements AutoCloseable {

	private final StreamConnections connections;

	private final ReentrantLock lock = new ReentrantLock();

	private @Nullable StreamConnection connection;

	ControlConnection(StreamConnections connections) {
		this.connections = connections;
	}

	StreamConnection get() {
		this.lock.lock();
		try {
			StreamConnection current = this.connection;
			if (current == null || !current.isOpen()) {
				if (current != null) {
					current.close();
				}
				current = this.connections.open();
				this.connection = current;
			}
			return current;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Close the connection after a failure; the next {@link #get()} opens a new one.
	 */
	void reset() {
		close();
	}

	@Override
	public void close() {
		this.lock.lock();
		try {
			if (this.connection != null) {
				this.connection.close();
				this.connection = null;
			}
		}
		finally {
			this.lock.unlock();
		}
	}

}
