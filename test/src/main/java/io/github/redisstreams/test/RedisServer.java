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

package io.github.redisstreams.test;

import java.util.List;

/**
 * A throwaway real Redis server for tests, listening on a fixed free port for its whole
 * life so that it can be killed and started again at the same address.
 *
 * @see RedisServerExtension
 */
public interface RedisServer extends AutoCloseable {

	/**
	 * Return the host that clients should connect to.
	 * @return the host, usually {@code 127.0.0.1}
	 */
	String host();

	/**
	 * Return the port that clients should connect to. The port does not change when the
	 * server is stopped and started again.
	 * @return the port
	 */
	int port();

	/**
	 * Return how this server is provided.
	 * @return the kind of server
	 */
	RedisServerKind kind();

	/**
	 * Return the server's own version from {@code INFO server}: {@code valkey_version}
	 * for Valkey (whose {@code redis_version} stays at {@code 7.2.4}), else
	 * {@code redis_version}; for example {@code 7.0.15} or {@code 8.1.1}.
	 * @return the version
	 */
	String version();

	/**
	 * Return which server this is, from {@code INFO server}: {@code valkey} when it
	 * reports {@code server_name:valkey} or a {@code valkey_version}, else {@code redis}.
	 * @return {@code redis} or {@code valkey}
	 */
	String serverName();

	/**
	 * Return whether the server knows a command, asked with {@code COMMAND INFO}. Tests
	 * should decide what to expect by such a capability, never by a version string.
	 * @param command the command name, for example {@code XACKDEL}, or a subcommand as
	 * {@code XINFO|STREAM}
	 * @return {@code true} if the server has the command
	 * @throws IllegalStateException if the server cannot be asked
	 */
	boolean hasCommand(String command);

	/**
	 * Return whether the server documents an argument of a command, asked with
	 * {@code COMMAND DOCS} (Redis 7.0+; {@code false} where it is missing): for example
	 * {@code CLAIM} of {@code XREADGROUP} (Redis 8.4+) or {@code IDMP} of {@code XADD}
	 * (Redis 8.6+). Tests decide by such a capability, never by a version string.
	 * @param command the command name, for example {@code XREADGROUP}
	 * @param token the argument's token, for example {@code CLAIM}
	 * @return {@code true} if the server documents the argument
	 * @throws IllegalStateException if the server cannot be asked
	 */
	boolean hasArgument(String command, String token);

	/**
	 * Return whether the server process (or container) is currently running.
	 * @return {@code true} if the server is running
	 */
	boolean isRunning();

	/**
	 * Start the server (again) on the same port and with the same data directory and wait
	 * until it answers {@code PING}. Does nothing if the server is already running.
	 */
	void start();

	/**
	 * Stop the server gracefully with {@code SHUTDOWN NOSAVE} (or {@code SHUTDOWN} when
	 * append-only persistence is enabled, so that the append-only file is kept) and wait
	 * for it to exit. Does nothing if the server is not running.
	 */
	void stop();

	/**
	 * Kill the server without giving it a chance to save anything and wait for it to be
	 * gone. Does nothing if the server is not running.
	 */
	void kill();

	/**
	 * {@link #stop() Stop} the server, then {@link #start() start} it again.
	 */
	void restart();

	/**
	 * Stop the server and delete its data. Calling this method more than once has no
	 * effect.
	 */
	@Override
	void close();

	/**
	 * Create and start a server of the kind selected by the
	 * {@code redis-streams.test.redis} system property or the
	 * {@code REDIS_STREAMS_TEST_REDIS} environment variable: {@code auto} (the default:
	 * Testcontainers if Docker is available, else {@code redis-server} on the
	 * {@code PATH}, else the embedded binary), {@code testcontainers}, {@code path} or
	 * {@code embedded}.
	 * @param extraArgs additional {@code redis-server} arguments, for example
	 * {@code List.of("--maxmemory-policy", "allkeys-lru")}; they are applied after the
	 * defaults so they win
	 * @return the running server
	 * @throws IllegalArgumentException if the selection property has an unknown value
	 * @throws IllegalStateException if the server cannot be started
	 */
	static RedisServer create(List<String> extraArgs) {
		return RedisServers.create(RedisServers.selectedKind(), extraArgs);
	}

	/**
	 * Create and start a local server process, without Docker: the {@code redis-server}
	 * on the PATH, else the Redis 6.2 binary shipped in embedded-redis. Meant for demos
	 * that need a Redis when none is running.
	 * @param extraArgs extra {@code redis-server} arguments
	 * @return the running server
	 */
	static RedisServer createLocal(List<String> extraArgs) {
		RedisServerKind kind = RedisServers.findOnPath(System.getenv("PATH")).isPresent() ? RedisServerKind.PATH
				: RedisServerKind.EMBEDDED;
		return RedisServers.create(kind, extraArgs);
	}

}
