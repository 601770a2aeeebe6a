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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * A {@link RedisServer} that runs a {@code redis-server} process, either the one on the
 * {@code PATH} or the embedded binary.
 */
final class ProcessRedisServer implements RedisServer {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);

	private static final Duration PORT_IN_USE_RETRY = Duration.ofSeconds(5);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private static final int LOG_TAIL_LINES = 20;

	private final RedisServerKind kind;

	private final Path executable;

	private final List<String> extraArgs;

	private final boolean appendOnly;

	private final int port;

	private final Path dataDirectory;

	private final Path logFile;

	private final RespClient client;

	private volatile @Nullable Process process;

	private final @Nullable Path configFile;

	private volatile @Nullable String version;

	private volatile String serverName = "redis";

	private boolean closed;

	ProcessRedisServer(RedisServerKind kind, Path executable, List<String> extraArgs) {
		this(kind, executable, extraArgs, null);
	}

	/**
	 * Create a server process that is not started yet.
	 * @param kind how the executable was found
	 * @param executable the {@code redis-server} executable
	 * @param extraArgs arguments applied after the defaults
	 * @param configFileContent the content of a configuration file written into the data
	 * directory and passed as the first argument (a Sentinel needs one it can rewrite),
	 * or {@code null} for none
	 */
	ProcessRedisServer(RedisServerKind kind, Path executable, List<String> extraArgs,
			@Nullable String configFileContent) {
		this.kind = kind;
		this.executable = executable;
		this.extraArgs = List.copyOf(extraArgs);
		this.appendOnly = RedisServers.isAppendOnly(this.extraArgs);
		this.port = RedisServers.isClusterEnabled(this.extraArgs) ? RedisServers.findFreeClusterPort()
				: RedisServers.findFreePort();
		try {
			this.dataDirectory = Files.createTempDirectory("redis-streams-test-" + this.port + "-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a data directory for redis-server", ex);
		}
		this.logFile = this.dataDirectory.resolve("redis-server.log");
		this.configFile = (configFileContent != null) ? writeConfigFile(configFileContent) : null;
		this.client = new RespClient(RedisServers.LOOPBACK, this.port, RedisServers.password(this.extraArgs));
		RunningServers.register(this, this::destroyOnShutdown);
	}

	@Override
	public String host() {
		return RedisServers.LOOPBACK;
	}

	@Override
	public int port() {
		return this.port;
	}

	@Override
	public RedisServerKind kind() {
		return this.kind;
	}

	@Override
	public String version() {
		return Objects.requireNonNull(this.version, "the version is known once the server has started");
	}

	@Override
	public String serverName() {
		return this.serverName;
	}

	@Override
	public boolean hasCommand(String command) {
		return RedisServers.hasCommand(this.client, command);
	}

	@Override
	public boolean hasArgument(String command, String token) {
		return RedisServers.hasArgument(this.client, command, token);
	}

	@Override
	public boolean isRunning() {
		Process process = this.process;
		return process != null && process.isAlive();
	}

	Path dataDirectory() {
		return this.dataDirectory;
	}

	RespClient client() {
		return this.client;
	}

	/**
	 * Return the operating system's id of the running process.
	 * @return the process id
	 * @throws IllegalStateException if the server is not running
	 */
	long pid() {
		Process process = this.process;
		if (process == null || !process.isAlive()) {
			throw new IllegalStateException(this + " is not running");
		}
		return process.pid();
	}

	private Path writeConfigFile(String content) {
		Path file = this.dataDirectory.resolve("redis.conf");
		try {
			Files.writeString(file, content);
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write " + file, ex);
		}
	}

	@Override
	public synchronized void start() {
		if (this.closed) {
			throw new IllegalStateException("Redis server on port " + this.port + " has been closed");
		}
		if (isRunning()) {
			return;
		}
		long retryDeadline = System.nanoTime() + PORT_IN_USE_RETRY.toNanos();
		while (true) {
			try {
				launchAndAwaitReady();
				return;
			}
			catch (PortInUseException ex) {
				if (System.nanoTime() - retryDeadline > 0) {
					throw new IllegalStateException(ex.getMessage());
				}
				pause(100);
			}
		}
	}

	private void launchAndAwaitReady() {
		long logOffset = logSize();
		Process process = launch();
		this.process = process;
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (true) {
			if (!process.isAlive()) {
				String log = logSince(logOffset);
				String message = "redis-server (" + this.executable + ") on port " + this.port
						+ " exited during startup with code " + process.exitValue() + "; log:\n" + log;
				if (log.contains("Address already in use")) {
					throw new PortInUseException(message);
				}
				throw new IllegalStateException(message);
			}
			boolean ready;
			try {
				ready = isReady(process);
			}
			catch (RuntimeException ex) {
				destroy(process);
				throw ex;
			}
			if (ready) {
				return;
			}
			if (System.nanoTime() - deadline > 0) {
				destroy(process);
				throw new IllegalStateException(
						"redis-server (" + this.executable + ") on port " + this.port + " did not answer PING within "
								+ STARTUP_TIMEOUT.toSeconds() + " s; log:\n" + logSince(logOffset));
			}
			pause(20);
		}
	}

	private boolean isReady(Process process) {
		try {
			if (!this.client.ping()) {
				return false;
			}
			Map<String, String> info = this.client.info("server");
			String processId = info.get("process_id");
			if (processId != null && !processId.equals(String.valueOf(process.pid()))) {
				// Another server answers on our port; ours will exit with "Address
				// already in use"
				return false;
			}
			this.serverName = RedisServers.serverName(info);
			this.version = RedisServers.version(info);
			return true;
		}
		catch (RespClient.ErrorReplyException ex) {
			if (ex.isLoading()) {
				return false;
			}
			throw new IllegalStateException(
					"redis-server on port " + this.port + " answered PING with: " + ex.getMessage(), ex);
		}
		catch (IOException ex) {
			return false;
		}
	}

	private Process launch() {
		List<String> command = new ArrayList<>();
		command.add(this.executable.toString());
		if (this.configFile != null) {
			command.add(this.configFile.toAbsolutePath().toString());
		}
		command.addAll(List.of("--port", String.valueOf(this.port), "--bind", RedisServers.LOOPBACK, "--protected-mode",
				"no", "--save", "", "--appendonly", "no", "--dir", this.dataDirectory.toAbsolutePath().toString(),
				"--daemonize", "no", "--logfile", ""));
		command.addAll(this.extraArgs);
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.dataDirectory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()));
		try {
			return builder.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start " + this.executable, ex);
		}
	}

	@Override
	public synchronized void stop() {
		Process process = this.process;
		if (process == null || !process.isAlive()) {
			return;
		}
		boolean requested;
		try {
			this.client.shutdown(this.appendOnly);
			requested = true;
		}
		catch (IOException | RuntimeException ex) {
			requested = false;
		}
		if (!requested || !waitFor(process, STOP_TIMEOUT)) {
			destroy(process);
		}
	}

	@Override
	public synchronized void kill() {
		Process process = this.process;
		if (process != null && process.isAlive()) {
			destroy(process);
		}
	}

	@Override
	public synchronized void restart() {
		stop();
		start();
	}

	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			stop();
		}
		finally {
			RunningServers.unregister(this);
			deleteDataDirectory();
		}
	}

	private void destroyOnShutdown() {
		Process process = this.process;
		if (process != null) {
			process.destroyForcibly();
			waitFor(process, Duration.ofSeconds(2));
		}
		deleteDataDirectory();
	}

	private static void destroy(Process process) {
		process.destroyForcibly();
		if (!waitFor(process, STOP_TIMEOUT)) {
			throw new IllegalStateException("redis-server (pid " + process.pid() + ") did not exit after SIGKILL");
		}
	}

	private static boolean waitFor(Process process, Duration timeout) {
		try {
			return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
			return false;
		}
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for redis-server", ex);
		}
	}

	private long logSize() {
		try {
			return Files.exists(this.logFile) ? Files.size(this.logFile) : 0;
		}
		catch (IOException ex) {
			return 0;
		}
	}

	/**
	 * Return the last lines of the server's log, for error messages.
	 * @return up to 20 lines
	 */
	String logTail() {
		return logSince(0);
	}

	private String logSince(long offset) {
		try {
			byte[] bytes = Files.exists(this.logFile) ? Files.readAllBytes(this.logFile) : new byte[0];
			int start = (int) Math.min(offset, bytes.length);
			String log = new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
			List<String> lines = log.lines().toList();
			return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
		}
		catch (IOException ex) {
			return "(could not read " + this.logFile + ": " + ex + ")";
		}
	}

	private void deleteDataDirectory() {
		if (!Files.exists(this.dataDirectory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(this.dataDirectory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// Best effort: the directory is in the temp directory anyway
		}
	}

	@Override
	public String toString() {
		return RedisServers.displayName(this.serverName) + " " + this.version + " (" + this.kind + ", "
				+ this.executable + ") on " + host() + ":" + this.port;
	}

	/**
	 * The server could not bind its port, which may still be in use by the previous
	 * process.
	 */
	private static final class PortInUseException extends RuntimeException {

		PortInUseException(String message) {
			super(message);
		}

	}

}
