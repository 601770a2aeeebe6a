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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for the process-based {@link RedisServerKind kinds} and for
 * {@link RedisServer#create(List)}.
 */
class RedisServerKindsIntegrationTests {

	private String originalProperty;

	@BeforeEach
	void saveProperty() {
		this.originalProperty = System.getProperty(RedisServers.PROPERTY);
	}

	@AfterEach
	void restoreProperty() {
		if (this.originalProperty != null) {
			System.setProperty(RedisServers.PROPERTY, this.originalProperty);
		}
		else {
			System.clearProperty(RedisServers.PROPERTY);
		}
	}

	@Test
	void pathServer() {
		try (RedisServer server = RedisServers.create(RedisServerKind.PATH, List.of())) {
			assertThat(server.kind()).isEqualTo(RedisServerKind.PATH);
			assertServerWorks(server);
		}
	}

	@Test
	void embeddedServer() {
		try (RedisServer server = RedisServers.create(RedisServerKind.EMBEDDED, List.of())) {
			assertThat(server.kind()).isEqualTo(RedisServerKind.EMBEDDED);
			assertThat(server.version()).startsWith("6.2.");
			assertThat(server.serverName()).isEqualTo("redis");
			assertThat(server.hasCommand("XAUTOCLAIM")).isTrue();
			assertThat(server.hasCommand("XACKDEL")).isFalse();
			assertServerWorks(server);
		}
	}

	@Test
	void embeddedBinaryIsExtractedOnce() {
		assertThat(EmbeddedRedisBinary.path()).isSameAs(EmbeddedRedisBinary.path()).isExecutable();
	}

	@Test
	void createUsesSystemProperty() {
		System.setProperty(RedisServers.PROPERTY, "embedded");
		try (RedisServer server = RedisServer.create(List.of())) {
			assertThat(server.kind()).isEqualTo(RedisServerKind.EMBEDDED);
		}
		System.setProperty(RedisServers.PROPERTY, "path");
		try (RedisServer server = RedisServer.create(List.of())) {
			assertThat(server.kind()).isEqualTo(RedisServerKind.PATH);
		}
	}

	@Test
	void createWithUnknownKindFails() {
		System.setProperty(RedisServers.PROPERTY, "docker");
		assertThatIllegalArgumentException().isThrownBy(() -> RedisServer.create(List.of()))
			.withMessageContaining(RedisServers.PROPERTY)
			.withMessageContaining("auto, testcontainers, path and embedded");
	}

	@Test
	void closeDeletesDataDirectoryAndIsIdempotent() {
		ProcessRedisServer server = (ProcessRedisServer) RedisServers.create(RedisServerKind.PATH,
				List.of("--appendonly", "yes"));
		Path dataDirectory = server.dataDirectory();
		assertThat(dataDirectory).isDirectory();
		server.close();
		assertThat(server.isRunning()).isFalse();
		assertThat(Redis.isReachable(server)).isFalse();
		assertThat(dataDirectory).doesNotExist();
		server.close();
		assertThatIllegalStateException().isThrownBy(server::start).withMessageContaining("closed");
	}

	@Test
	void failedStartReportsTheLog() {
		assertThatIllegalStateException()
			.isThrownBy(() -> RedisServers.create(RedisServerKind.PATH, List.of("--no-such-option", "1")))
			.withMessageContaining("exited during startup")
			.withMessageContaining("no-such-option");
	}

	@Test
	void startRetriesWhileThePortIsInUse() throws Exception {
		try (ProcessRedisServer server = (ProcessRedisServer) RedisServers.create(RedisServerKind.PATH, List.of())) {
			server.kill();
			Path log = server.dataDirectory().resolve("redis-server.log");
			CompletableFuture<Void> started;
			try (ServerSocket blocker = new ServerSocket(server.port(), 1, InetAddress.getByName("127.0.0.1"))) {
				started = CompletableFuture.runAsync(server::start);
				await().atMost(Duration.ofSeconds(5)).until(() -> logContains(log, "Address already in use"));
				assertThat(started).isNotDone();
			}
			started.get(10, TimeUnit.SECONDS);
			assertThat(Redis.command(server, "PING")).isEqualTo("PONG");
		}
	}

	private static boolean logContains(Path log, String text) throws IOException {
		return Files.exists(log) && Files.readString(log).contains(text);
	}

	private static void assertServerWorks(RedisServer server) {
		assertThat(server.version()).matches("\\d+\\.\\d+\\.\\d+");
		assertThat(server.host()).isEqualTo("127.0.0.1");
		assertThat(server.isRunning()).isTrue();
		assertThat(Redis.command(server, "PING")).isEqualTo("PONG");
		String info = Redis.command(server, "INFO", "server").toString();
		assertThat(info).contains(server.serverName() + "_version:" + server.version());
		assertThat(server.serverName()).isEqualTo(info.contains("valkey_version:") ? "valkey" : "redis");
		assertThat(server.hasCommand("XAUTOCLAIM")).isTrue();
		assertThat(server.hasCommand("XREADGROUP")).isTrue();
		assertThat(server.hasCommand("NOSUCHCOMMAND")).isFalse();
		// COMMAND DOCS is Redis 7.0+: before it, no argument is documented
		boolean docs = server.hasCommand("COMMAND|DOCS");
		assertThat(server.hasArgument("XREADGROUP", "COUNT")).isEqualTo(docs);
		assertThat(server.hasArgument("XREADGROUP", "NOSUCHTOKEN")).isFalse();
		assertThat(server.hasArgument("NOSUCHCOMMAND", "COUNT")).isFalse();
		int port = server.port();
		server.kill();
		assertThat(server.isRunning()).isFalse();
		assertThat(Redis.isReachable(server)).isFalse();
		server.start();
		assertThat(server.port()).isEqualTo(port);
		assertThat(Redis.command(server, "PING")).isEqualTo("PONG");
		server.stop();
		assertThat(server.isRunning()).isFalse();
		server.restart();
		assertThat(server.isRunning()).isTrue();
	}

}
