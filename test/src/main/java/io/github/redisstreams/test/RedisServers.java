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

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;

/**
 * Chooses and creates {@link RedisServer} instances.
 */
final class RedisServers {

	static final String PROPERTY = "redis-streams.test.redis";

	static final String ENVIRONMENT_VARIABLE = "REDIS_STREAMS_TEST_REDIS";

	static final String NOT_ON_PATH_MESSAGE = "redis-server is not on the PATH; install it (apt-get install redis-server) or set "
			+ PROPERTY + "=embedded";

	static final String LOOPBACK = "127.0.0.1";

	/** A cluster node's bus port is its port plus this. */
	static final int CLUSTER_BUS_OFFSET = 10000;

	private static final Object dockerLock = new Object();

	private static @Nullable Boolean dockerAvailable;

	private RedisServers() {
	}

	/**
	 * Return the kind selected by the system property or environment variable, resolving
	 * {@code auto}.
	 * @return the selected kind
	 */
	static RedisServerKind selectedKind() {
		String value = System.getProperty(PROPERTY);
		if (value == null || value.isBlank()) {
			value = System.getenv(ENVIRONMENT_VARIABLE);
		}
		return resolveKind(value, RedisServers::isDockerAvailable, () -> findOnPath(System.getenv("PATH")));
	}

	static RedisServerKind resolveKind(String value, BooleanSupplier docker,
			Supplier<Optional<Path>> redisServerOnPath) {
		String normalized = (value != null) ? value.trim().toLowerCase(Locale.ROOT) : "";
		switch (normalized) {
			case "":
			case "auto":
				if (docker.getAsBoolean()) {
					return RedisServerKind.TESTCONTAINERS;
				}
				return (redisServerOnPath.get().isPresent()) ? RedisServerKind.PATH : RedisServerKind.EMBEDDED;
			case "testcontainers":
				return RedisServerKind.TESTCONTAINERS;
			case "path":
				return RedisServerKind.PATH;
			case "embedded":
				return RedisServerKind.EMBEDDED;
			default:
				throw new IllegalArgumentException("Unsupported value '" + value + "' for system property " + PROPERTY
						+ " (or environment variable " + ENVIRONMENT_VARIABLE
						+ "); allowed values are auto, testcontainers, path and embedded");
		}
	}

	/**
	 * Create and start a server of the given kind.
	 * @param kind the kind of server
	 * @param extraArgs additional {@code redis-server} arguments
	 * @return the running server
	 */
	static RedisServer create(RedisServerKind kind, List<String> extraArgs) {
		List<String> args = List.copyOf(extraArgs);
		RedisServer server = switch (kind) {
			case TESTCONTAINERS -> new TestcontainersRedisServer(args);
			case PATH -> new ProcessRedisServer(RedisServerKind.PATH, redisServerOnPath(), args);
			case EMBEDDED -> new ProcessRedisServer(RedisServerKind.EMBEDDED, EmbeddedRedisBinary.path(), args);
		};
		try {
			server.start();
		}
		catch (RuntimeException ex) {
			try {
				server.close();
			}
			catch (RuntimeException closeFailure) {
				ex.addSuppressed(closeFailure);
			}
			throw ex;
		}
		System.err.println("[redis-streams-test] Started " + displayName(server.serverName()) + " " + server.version()
				+ " (" + kind + ") on " + server.host() + ":" + server.port());
		return server;
	}

	/**
	 * Create a {@code redis-server} process that is not started yet, for the nodes of a
	 * cluster or a Sentinel set-up, which need processes: the selected kind when it is
	 * {@code path} or {@code embedded}, else the {@code redis-server} on the PATH, else
	 * the embedded binary.
	 * @param args the {@code redis-server} arguments
	 * @param configFileContent a configuration file's content, or {@code null}
	 * @return the server, not started
	 */
	static ProcessRedisServer process(List<String> args, @Nullable String configFileContent) {
		RedisServerKind kind = selectedKind();
		if (kind == RedisServerKind.TESTCONTAINERS) {
			kind = findOnPath(System.getenv("PATH")).isPresent() ? RedisServerKind.PATH : RedisServerKind.EMBEDDED;
		}
		Path executable = (kind == RedisServerKind.PATH) ? redisServerOnPath() : EmbeddedRedisBinary.path();
		return new ProcessRedisServer(kind, executable, args, configFileContent);
	}

	static Path redisServerOnPath() {
		return redisServerOnPath(System.getenv("PATH"));
	}

	static Path redisServerOnPath(String path) {
		return findOnPath(path).orElseThrow(() -> new IllegalStateException(NOT_ON_PATH_MESSAGE));
	}

	static Optional<Path> findOnPath(String path) {
		if (path == null || path.isBlank()) {
			return Optional.empty();
		}
		List<String> names = new ArrayList<>(List.of("redis-server"));
		if (File.separatorChar == '\\') {
			names.add("redis-server.exe");
		}
		for (String directory : path.split(File.pathSeparator)) {
			if (directory.isBlank()) {
				continue;
			}
			for (String name : names) {
				try {
					Path candidate = Path.of(directory.trim(), name);
					if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
						return Optional.of(candidate);
					}
				}
				catch (RuntimeException ex) {
					// Invalid path entry, ignore it
				}
			}
		}
		return Optional.empty();
	}

	static boolean isDockerAvailable() {
		synchronized (dockerLock) {
			if (dockerAvailable == null) {
				dockerAvailable = checkDocker();
			}
			return dockerAvailable;
		}
	}

	private static boolean checkDocker() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Throwable ex) {
			return false;
		}
	}

	/**
	 * Find a port that is free on the loopback interface right now.
	 * @return the port
	 */
	static int findFreePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not find a free port", ex);
		}
	}

	/**
	 * Find a port for a Redis Cluster node: free on the loopback interface together with
	 * its cluster bus port (the port plus 10000), and both below the operating system's
	 * ephemeral range (32768 and up on Linux), so that no outgoing connection takes the
	 * bus port before a node restarts.
	 * @return the port, between 10000 and 22767
	 * @throws IllegalStateException if no such pair is free after 200 tries
	 */
	static int findFreeClusterPort() {
		for (int attempt = 0; attempt < 200; attempt++) {
			int port = 10000 + ThreadLocalRandom.current().nextInt(12768);
			if (isFree(port) && isFree(port + CLUSTER_BUS_OFFSET)) {
				return port;
			}
		}
		throw new IllegalStateException("Could not find a free port pair for a Redis Cluster node");
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(LOOPBACK))) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Return whether the arguments enable Redis Cluster mode.
	 * @param args the {@code redis-server} arguments
	 * @return {@code true} for {@code --cluster-enabled yes}
	 */
	static boolean isClusterEnabled(List<String> args) {
		return "yes".equalsIgnoreCase(lastValue(args, "--cluster-enabled"));
	}

	/**
	 * Return whether the arguments enable append-only persistence (the last
	 * {@code --appendonly} wins).
	 * @param args the {@code redis-server} arguments
	 * @return {@code true} if append-only persistence is enabled
	 */
	static boolean isAppendOnly(List<String> args) {
		return "yes".equalsIgnoreCase(lastValue(args, "--appendonly"));
	}

	/**
	 * Return the password set with {@code --requirepass}, if any.
	 * @param args the {@code redis-server} arguments
	 * @return the password or {@code null}
	 */
	static @Nullable String password(List<String> args) {
		String password = lastValue(args, "--requirepass");
		return (password != null && !password.isEmpty()) ? password : null;
	}

	/**
	 * Return the server's name from {@code INFO server} fields.
	 * @param info the fields
	 * @return {@code valkey} or {@code redis}
	 */
	static String serverName(Map<String, String> info) {
		boolean valkey = "valkey".equalsIgnoreCase(info.get("server_name")) || info.containsKey("valkey_version");
		return valkey ? "valkey" : "redis";
	}

	/**
	 * Return the server's own version from {@code INFO server} fields: Valkey keeps
	 * {@code redis_version} at 7.2.4 and reports its own in {@code valkey_version}.
	 * @param info the fields
	 * @return the version, or {@code unknown}
	 */
	static String version(Map<String, String> info) {
		String valkey = info.get("valkey_version");
		return (valkey != null && !valkey.isBlank()) ? valkey : info.getOrDefault("redis_version", "unknown");
	}

	static String displayName(String serverName) {
		return "valkey".equals(serverName) ? "Valkey" : "Redis";
	}

	static boolean hasCommand(RespClient client, String command) {
		try {
			Object reply = client.command("COMMAND", "INFO", command);
			return reply instanceof List<?> list && !list.isEmpty() && list.get(0) != null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not ask " + client + " about " + command, ex);
		}
	}

	static boolean hasArgument(RespClient client, String command, String token) {
		Object reply;
		try {
			reply = client.command("COMMAND", "DOCS", command);
		}
		catch (RespClient.ErrorReplyException ex) {
			// no COMMAND DOCS before Redis 7.0
			return false;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not ask " + client + " about " + command, ex);
		}
		return hasToken(reply, token);
	}

	private static boolean hasToken(@Nullable Object reply, String token) {
		if (!(reply instanceof List<?> list)) {
			return false;
		}
		for (int i = 0; i < list.size(); i++) {
			if (list.get(i) instanceof List<?> nested) {
				if (hasToken(nested, token)) {
					return true;
				}
			}
			else if (i + 1 < list.size() && "token".equals(list.get(i))
					&& token.equalsIgnoreCase(String.valueOf(list.get(i + 1)))) {
				return true;
			}
		}
		return false;
	}

	private static @Nullable String lastValue(List<String> args, String option) {
		String value = null;
		for (int i = 0; i < args.size() - 1; i++) {
			if (option.equalsIgnoreCase(args.get(i))) {
				value = args.get(i + 1);
			}
		}
		return value;
	}

}
