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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.jspecify.annotations.Nullable;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@link RedisServer} that runs a {@code redis:7.4-alpine} container with
 * Testcontainers. The container port is bound to a fixed free host port so that the
 * address survives {@link #kill()} and {@link #start()}.
 */
final class TestcontainersRedisServer implements RedisServer {

	static final String IMAGE = "redis:7.4-alpine";

	private static final int REDIS_PORT = 6379;

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private final int port;

	private final boolean appendOnly;

	private final @Nullable String password;

	private final GenericContainer<?> container;

	private volatile @Nullable String version;

	private volatile String serverName = "redis";

	private boolean created;

	private boolean closed;

	TestcontainersRedisServer(List<String> extraArgs) {
		this.port = RedisServers.findFreePort();
		this.appendOnly = RedisServers.isAppendOnly(extraArgs);
		this.password = RedisServers.password(extraArgs);
		List<String> command = new ArrayList<>(List.of("redis-server", "--protected-mode", "no", "--save", "",
				"--appendonly", "no", "--daemonize", "no", "--logfile", ""));
		command.addAll(extraArgs);
		int hostPort = this.port;
		this.container = new GenericContainer<>(DockerImageName.parse(IMAGE)).withExposedPorts(REDIS_PORT)
			.withCommand(command.toArray(String[]::new))
			.withCreateContainerCmdModifier((cmd) -> {
				HostConfig hostConfig = (cmd.getHostConfig() != null) ? cmd.getHostConfig()
						: HostConfig.newHostConfig();
				hostConfig
					.withPortBindings(new PortBinding(Ports.Binding.bindPort(hostPort), ExposedPort.tcp(REDIS_PORT)));
				cmd.withHostConfig(hostConfig);
			})
			.waitingFor(
					Wait.forLogMessage(".*Ready to accept connections.*\\n", 1).withStartupTimeout(STARTUP_TIMEOUT));
		RunningServers.register(this, this::killQuietly);
	}

	@Override
	public String host() {
		return this.container.getHost();
	}

	@Override
	public int port() {
		return this.port;
	}

	@Override
	public RedisServerKind kind() {
		return RedisServerKind.TESTCONTAINERS;
	}

	@Override
	public String serverName() {
		return this.serverName;
	}

	@Override
	public boolean hasCommand(String command) {
		return RedisServers.hasCommand(client(), command);
	}

	@Override
	public boolean hasArgument(String command, String token) {
		return RedisServers.hasArgument(client(), command, token);
	}

	@Override
	public String version() {
		return Objects.requireNonNull(this.version, "the version is known once the server has started");
	}

	@Override
	public synchronized boolean isRunning() {
		if (!this.created || this.closed) {
			return false;
		}
		try {
			InspectContainerResponse.ContainerState state = dockerClient()
				.inspectContainerCmd(this.container.getContainerId())
				.exec()
				.getState();
			return Boolean.TRUE.equals(state.getRunning());
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	@Override
	public synchronized void start() {
		if (this.closed) {
			throw new IllegalStateException("Redis container on port " + this.port + " has been closed");
		}
		if (!this.created) {
			this.container.start();
			this.created = true;
			Integer mappedPort = this.container.getMappedPort(REDIS_PORT);
			if (mappedPort != this.port) {
				throw new IllegalStateException(
						"Redis container was published on port " + mappedPort + " instead of " + this.port);
			}
		}
		else if (!isRunning()) {
			dockerClient().startContainerCmd(this.container.getContainerId()).exec();
		}
		awaitReady();
	}

	private void awaitReady() {
		RespClient client = client();
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (true) {
			try {
				if (client.ping()) {
					Map<String, String> info = client.info("server");
					this.serverName = RedisServers.serverName(info);
					this.version = RedisServers.version(info);
					return;
				}
			}
			catch (RespClient.ErrorReplyException ex) {
				if (!ex.isLoading()) {
					throw new IllegalStateException(
							"Redis container on port " + this.port + " answered PING with: " + ex.getMessage(), ex);
				}
			}
			catch (IOException ex) {
				// Not ready yet
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Redis container on port " + this.port + " did not answer PING within "
						+ STARTUP_TIMEOUT.toSeconds() + " s; log:\n" + this.container.getLogs());
			}
			pause();
		}
	}

	@Override
	public synchronized void stop() {
		if (!isRunning()) {
			return;
		}
		boolean requested;
		try {
			client().shutdown(this.appendOnly);
			requested = true;
		}
		catch (IOException | RuntimeException ex) {
			requested = false;
		}
		if (!requested || !awaitNotRunning(STOP_TIMEOUT)) {
			kill();
		}
	}

	@Override
	public synchronized void kill() {
		if (!isRunning()) {
			return;
		}
		try {
			dockerClient().killContainerCmd(this.container.getContainerId()).exec();
		}
		catch (RuntimeException ex) {
			if (isRunning()) {
				throw ex;
			}
		}
		if (!awaitNotRunning(STOP_TIMEOUT)) {
			throw new IllegalStateException("Redis container on port " + this.port + " is still running after kill");
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
			this.container.stop();
		}
		finally {
			RunningServers.unregister(this);
		}
	}

	private boolean awaitNotRunning(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (isRunning()) {
			if (System.nanoTime() - deadline > 0) {
				return false;
			}
			pause();
		}
		return true;
	}

	private void killQuietly() {
		String containerId = this.container.getContainerId();
		if (containerId != null) {
			dockerClient().killContainerCmd(containerId).exec();
		}
	}

	private DockerClient dockerClient() {
		return this.container.getDockerClient();
	}

	private RespClient client() {
		return new RespClient(host(), this.port, this.password);
	}

	private static void pause() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the Redis container", ex);
		}
	}

	@Override
	public String toString() {
		return RedisServers.displayName(this.serverName) + " " + this.version + " (" + IMAGE + ") on " + host() + ":"
				+ this.port;
	}

}
