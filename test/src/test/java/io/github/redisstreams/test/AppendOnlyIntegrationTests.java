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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests for {@link RedisServerExtension#withAppendOnly()}.
 */
class AppendOnlyIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension().withAppendOnly();

	@Test
	void appendOnlyIsEnabled() {
		assertThat(Redis.command(redis.server(), "CONFIG", "GET", "appendonly"))
			.isEqualTo(List.of("appendonly", "yes"));
		assertThat(Redis.command(redis.server(), "CONFIG", "GET", "appendfsync"))
			.isEqualTo(List.of("appendfsync", "always"));
	}

	@Test
	void keySurvivesKillAndStart() {
		int port = redis.port();
		Redis.command(redis.server(), "SET", "survivor", "killed");
		redis.kill();
		try {
			assertThat(Redis.isReachable(redis.server())).isFalse();
		}
		finally {
			// the later tests of this class use the same server
			redis.start();
		}
		assertThat(redis.port()).isEqualTo(port);
		assertThat(Redis.command(redis.server(), "GET", "survivor")).isEqualTo("killed");
	}

	@Test
	void keySurvivesStopAndRestart() {
		Redis.command(redis.server(), "SET", "stopped", "value");
		redis.stop();
		redis.start();
		assertThat(Redis.command(redis.server(), "GET", "stopped")).isEqualTo("value");
		Redis.command(redis.server(), "XADD", "stream", "*", "field", "value");
		redis.restart();
		assertThat(Redis.command(redis.server(), "XLEN", "stream")).isEqualTo(1L);
	}

}
