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

/**
 * A consumer's own connection: opened when needed, with its {@code CLIENT ID} kept so
 * that a stopping container can end a blocking read ({@code CLIENT UNBLOCK}); before its
 * first read the consumer group is made sure of and the read claim prepared
 * ({@link ReadClaim#prepare}), again after the group went missing. Used by the consumer's
 * thread, except {@link #unblock()}.
 */
final class ReaderConnection {

	private final StreamConnections connections;

	private final ConsumerGroups groups;

	private final ReadClaim readClaim;

	private final Duration commandTimeout;

	private volatile long clientId = -1;

	private @Nullable StreamConnection connection;

	private boolean groupReady;

	ReaderConnection(StreamConnections connections, ConsumerGroups groups, ReadClaim readClaim,
			Duration commandTimeout) {
		this.connections = connections;
		this.groups = groups;
		this.readClaim = readClaim;
		this.commandTimeout = commandTimeout;
	}

	/**
	 * Return the open connection, opening a new one first if there is none or it closed.
	 * @param reopening called before a new connection is opened (after the old one, if
	 * any, closed)
	 * @return the connection, its group made sure of
	 * @throws Exception when Redis fails or refuses
	 */
	StreamConnection get(Runnable reopening) throws Exception {
		StreamConnection current = this.connection;
		if (current == null || !current.isOpen()) {
			close();
			reopening.run();
			current = this.connections.open();
			try {
				this.clientId = current.clientId(this.commandTimeout);
			}
			catch (Exception ex) {
				// a connection kept without its id could not be unblocked
				current.close();
				throw ex;
			}
			this.connection = current;
			this.groupReady = false;
		}
		if (!this.groupReady) {
			this.groups.ensureGroup(current, this.commandTimeout);
			// before this connection's first read: parked retries must not look idle to
			// it
			this.readClaim.prepare(current, this.commandTimeout);
			this.groupReady = true;
		}
		return current;
	}

	/**
	 * Return the connection, open or not, if there is one.
	 * @return the connection, or {@code null}
	 */
	@Nullable StreamConnection current() {
		return this.connection;
	}

	/**
	 * Note that the group went missing: it is created again before the next read.
	 */
	void groupMissing() {
		this.groupReady = false;
	}

	/**
	 * End the blocking read this connection waits for, if any ({@code CLIENT UNBLOCK}, on
	 * another connection); from any thread.
	 */
	void unblock() {
		long id = this.clientId;
		if (id >= 0) {
			this.connections.unblock(id);
		}
	}

	void close() {
		StreamConnection current = this.connection;
		this.connection = null;
		this.clientId = -1;
		if (current != null) {
			current.close();
		}
	}

}
