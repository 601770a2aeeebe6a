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

package io.github.redisstreams.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.autoconfigure.RedisStreamsServerCheckAutoConfiguration;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.autoconfigure.AutoConfigurations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application does not start against a server without {@code XAUTOCLAIM}, here a
 * Redis that hides it the way a Redis older than 6.2 lacks it.
 */
class RedisServerProbeUnsupportedIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension().withArgs("--rename-command", "XAUTOCLAIM", "");

	@Test
	void startupFailsNamingTheServerAndTheRequiredVersion() {
		StreamsContextRunner.create(redis)
			.withConfiguration(AutoConfigurations.of(RedisStreamsServerCheckAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).isInstanceOf(IllegalStateException.class)
					.hasMessageContaining("needs Redis 6.2 or later")
					.hasMessageContaining(("valkey".equals(redis.server().serverName()) ? "Valkey " : "Redis ")
							+ redis.server().version())
					.hasMessageContaining("XAUTOCLAIM");
			});
	}

}
