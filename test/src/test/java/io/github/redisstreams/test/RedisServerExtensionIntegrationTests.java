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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.test.context.DynamicPropertyRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests for {@link RedisServerExtension}.
 */
class RedisServerExtensionIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension().withArgs("--maxmemory-policy", "allkeys-lru");

	private static RedisServer serverInBeforeAll;

	@BeforeAll
	static void captureServer(RedisServer server) {
		serverInBeforeAll = server;
	}

	@Test
	void serverAnswersPingAndReportsVersion() {
		assertThat(Redis.command(redis.server(), "PING")).isEqualTo("PONG");
		assertThat(redis.server().isRunning()).isTrue();
		assertThat(redis.server().version()).matches("\\d+\\.\\d+\\.\\d+");
		assertThat(redis.host()).isEqualTo("127.0.0.1");
		assertThat(redis.port()).isPositive().isNotEqualTo(6379);
	}

	@Test
	void extraArgsAreApplied() {
		assertThat(Redis.command(redis.server(), "CONFIG", "GET", "maxmemory-policy"))
			.isEqualTo(List.of("maxmemory-policy", "allkeys-lru"));
		assertThat(Redis.command(redis.server(), "CONFIG", "GET", "appendonly")).isEqualTo(List.of("appendonly", "no"));
	}

	@Test
	void killMakesServerUnreachableAndStartBringsItBackOnSamePort() {
		int port = redis.port();
		Redis.command(redis.server(), "SET", "volatile", "value");
		redis.kill();
		try {
			assertThat(redis.server().isRunning()).isFalse();
			assertThat(Redis.isReachable(redis.server())).isFalse();
		}
		finally {
			// the later tests of this class use the same server
			redis.start();
		}
		assertThat(redis.port()).isEqualTo(port);
		assertThat(redis.server().isRunning()).isTrue();
		assertThat(Redis.command(redis.server(), "PING")).isEqualTo("PONG");
		assertThat(Redis.command(redis.server(), "GET", "volatile")).isNull();
	}

	@Test
	void stopAndRestartKeepThePort() {
		int port = redis.port();
		redis.stop();
		try {
			assertThat(redis.server().isRunning()).isFalse();
			assertThat(Redis.isReachable(redis.server())).isFalse();
		}
		finally {
			redis.start();
		}
		assertThat(Redis.isReachable(redis.server())).isTrue();
		redis.restart();
		assertThat(redis.port()).isEqualTo(port);
		assertThat(Redis.command(redis.server(), "PING")).isEqualTo("PONG");
	}

	@Test
	void startWhenRunningDoesNothing() {
		Redis.command(redis.server(), "SET", "kept", "value");
		redis.start();
		assertThat(Redis.command(redis.server(), "GET", "kept")).isEqualTo("value");
	}

	@Test
	void springProperties() {
		assertThat(redis.springProperties()).containsExactly("spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + redis.port());
	}

	@Test
	void registerSpringProperties() {
		Map<String, Supplier<Object>> properties = new LinkedHashMap<>();
		DynamicPropertyRegistry registry = properties::put;
		redis.registerSpringProperties(registry);
		assertThat(properties).containsOnlyKeys("spring.data.redis.host", "spring.data.redis.port");
		redis.restart();
		assertThat(properties.get("spring.data.redis.host").get()).isEqualTo("127.0.0.1");
		assertThat(properties.get("spring.data.redis.port").get()).isEqualTo(redis.port());
	}

	@Test
	void parameterResolverInjectsRunningServer(RedisServer server) {
		assertThat(server).isSameAs(redis.server()).isSameAs(serverInBeforeAll);
		assertThat(server.isRunning()).isTrue();
	}

	@Nested
	class WhenNested {

		@Test
		void nestedClassUsesTheSameServer(RedisServer server) {
			assertThat(server).isSameAs(serverInBeforeAll);
			assertThat(Redis.command(server, "PING")).isEqualTo("PONG");
		}

	}

}
