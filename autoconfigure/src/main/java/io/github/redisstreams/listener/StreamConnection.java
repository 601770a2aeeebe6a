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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.api.async.RedisHashAsyncCommands;
import io.lettuce.core.api.async.RedisKeyAsyncCommands;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.api.async.RedisServerAsyncCommands;
import io.lettuce.core.api.async.RedisStreamAsyncCommands;
import io.lettuce.core.api.async.RedisStringAsyncCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.redisstreams.support.RedisRefusal;

/**
 * One dedicated connection with the command interfaces a consumer needs, opened by
 * {@link StreamConnections}: typed views of its asynchronous commands, {@code CLIENT ID}
 * and {@code TYPE}, and a wait for replies that notices a dropped connection at once.
 * Sends no command of its own but those two; the callers send theirs through the views.
 * Thread-safe as Lettuce's connection is (it has no state of its own); each consumer has
 * its own, so that its blocking read stalls no other command.
 */
final class StreamConnection implements AutoCloseable {

	/** The log of {@link StreamConnections}, where this class always logged. */
	private static final Log logger = LogFactory.getLog(StreamConnections.class);

	private static final long AWAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

	private final StatefulConnection<String, byte[]> connection;

	private final boolean standalone;

	private final Object commands;

	StreamConnection(StatefulConnection<String, byte[]> connection, boolean standalone) {
		this.connection = connection;
		this.standalone = standalone;
		this.commands = (connection instanceof StatefulRedisConnection<String, byte[]> redis) ? redis.async()
				: ((StatefulRedisClusterConnection<String, byte[]>) connection).async();
	}

	@SuppressWarnings("unchecked")
	RedisStreamAsyncCommands<String, byte[]> streams() {
		return (RedisStreamAsyncCommands<String, byte[]>) this.commands;
	}

	@SuppressWarnings("unchecked")
	RedisScriptingAsyncCommands<String, byte[]> scripting() {
		return (RedisScriptingAsyncCommands<String, byte[]>) this.commands;
	}

	@SuppressWarnings("unchecked")
	RedisStringAsyncCommands<String, byte[]> strings() {
		return (RedisStringAsyncCommands<String, byte[]>) this.commands;
	}

	@SuppressWarnings("unchecked")
	RedisHashAsyncCommands<String, byte[]> hashes() {
		return (RedisHashAsyncCommands<String, byte[]>) this.commands;
	}

	@SuppressWarnings("unchecked")
	RedisKeyAsyncCommands<String, byte[]> keys() {
		return (RedisKeyAsyncCommands<String, byte[]>) this.commands;
	}

	@SuppressWarnings("unchecked")
	BaseRedisAsyncCommands<String, byte[]> base() {
		return (BaseRedisAsyncCommands<String, byte[]>) this.commands;
	}

	/**
	 * Return the server-side id of this connection, or -1 where it cannot be used to
	 * unblock it (Redis Cluster) or is refused ({@code CLIENT ID} not granted: it only
	 * lets a stop interrupt a blocking read, so the consumer goes on without it and a
	 * stop waits up to the poll timeout).
	 * @param timeout how long to wait
	 * @return the client id
	 * @throws Exception if the command failed otherwise
	 */
	@SuppressWarnings("unchecked")
	long clientId(Duration timeout) throws Exception {
		if (!this.standalone) {
			return -1;
		}
		try {
			return ((RedisServerAsyncCommands<String, byte[]>) this.commands).clientId()
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (RedisRefusal.of(ex) == null) {
				throw ex;
			}
			logger.debug("CLIENT ID refused (" + RedisRefusal.mostSpecificMessage(ex)
					+ "); a stop waits up to the poll timeout");
			return -1;
		}
	}

	/**
	 * Return the type of a key ({@code TYPE}): {@code stream}, {@code list}, {@code none}
	 * and so on.
	 * @param key the key
	 * @param timeout how long to wait
	 * @return the type
	 * @throws Exception if the command failed
	 */
	@SuppressWarnings("unchecked")
	String type(String key, Duration timeout) throws Exception {
		return ((RedisKeyAsyncCommands<String, byte[]>) this.commands).type(key)
			.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Return the Lettuce connection, for the Redis Cluster topology probe.
	 * @return the connection
	 */
	StatefulConnection<String, byte[]> connection() {
		return this.connection;
	}

	boolean isOpen() {
		return this.connection.isOpen();
	}

	/**
	 * Wait for a reply, in slices, so that a connection that dropped is noticed at once
	 * instead of after the command timeout (Lettuce would otherwise keep the command for
	 * replay after a reconnect).
	 */
	<T> T await(RedisFuture<T> future, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			long remaining = deadline - System.nanoTime();
			try {
				return future.get(Math.min(remaining, AWAIT_SLICE_NANOS), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				if (!isOpen()) {
					future.cancel(true);
					throw new RedisConnectionException("Connection to Redis lost while waiting for a reply");
				}
				if (remaining <= AWAIT_SLICE_NANOS) {
					future.cancel(true);
					throw new RedisCommandTimeoutException("No reply from Redis within " + timeout.toMillis() + " ms");
				}
			}
		}
	}

	@Override
	public void close() {
		try {
			this.connection.close();
		}
		catch (RuntimeException ex) {
			logger.debug("Failed to close a consumer connection", ex);
		}
	}

}
