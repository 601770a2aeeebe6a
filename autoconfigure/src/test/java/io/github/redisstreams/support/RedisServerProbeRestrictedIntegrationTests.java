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

import io.lettuce.core.RedisCommandExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.autoconfigure.RedisStreamsServerCheckAutoConfiguration;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.autoconfigure.AutoConfigurations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link RedisServerProbe} against a Redis that forbids {@code CONFIG}, as many managed
 * services do.
 */
class RedisServerProbeRestrictedIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension().withArgs("--maxmemory-policy", "volatile-lru",
			"--rename-command", "CONFIG", "");

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	@Test
	void startupWorksAndTheEvictionPolicyIsReadFromInfo() {
		StreamsContextRunner.create(redis)
			.withConfiguration(AutoConfigurations.of(RedisStreamsServerCheckAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				// CONFIG is really refused
				assertThatExceptionOfType(RedisCommandExecutionException.class)
					.isThrownBy(() -> this.client.sync().configGet("maxmemory-policy"));
				RedisServerInfo info = context.getBean(RedisServerProbe.class).getServerInfoIfProbed();
				assertThat(info).isNotNull();
				assertThat(info.isSupported()).isTrue();
				assertThat(info.capabilities()).contains(RedisServerInfo.XAUTOCLAIM);
				// CONFIG GET would have failed: this comes from INFO memory
				assertThat(info.maxmemoryPolicy()).isEqualTo("volatile-lru");
				assertThat(info.warnings()).anyMatch((warning) -> warning.contains("'volatile-lru'"));
			});
	}

}
