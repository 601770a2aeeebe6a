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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.autoconfigure.RedisStreamsServerCheckAutoConfiguration;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RedisServerProbe} against a Redis with the default configuration: no eviction,
 * no append-only persistence.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisServerProbeIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@Test
	void probeReportsTheServerItsCommandsAndItsPersistence() {
		LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(redis.host(), redis.port());
		connectionFactory.afterPropertiesSet();
		try {
			RedisServerInfo info = new RedisServerProbe(connectionFactory).probe();
			assertThat(info.serverName()).isEqualTo(redis.server().serverName());
			assertThat(info.version()).isEqualTo(redis.server().version());
			assertThat(info.capabilities()).contains(RedisServerInfo.XAUTOCLAIM, RedisServerInfo.XREADGROUP);
			// Redis 8.2+ only: decided by what the server says it has, not by its version
			assertThat(info.hasCapability(RedisServerInfo.XACKDEL)).isEqualTo(redis.server().hasCommand("XACKDEL"));
			assertThat(info.hasCapability(RedisServerInfo.XDELEX)).isEqualTo(redis.server().hasCommand("XDELEX"));
			// arguments newer than their command: found in COMMAND DOCS (Redis 7.0+)
			assertThat(info.hasCapability(RedisServerInfo.XREADGROUP_CLAIM))
				.isEqualTo(redis.server().hasArgument("XREADGROUP", "CLAIM"));
			assertThat(info.hasCapability(RedisServerInfo.XADD_IDMP))
				.isEqualTo(redis.server().hasArgument("XADD", "IDMP"));
			assertThat(info.isSupported()).isTrue();
			assertThat(info.maxmemoryPolicy()).isEqualTo("noeviction");
			assertThat(info.appendOnly()).isFalse();
			assertThat(info.warnings()).singleElement()
				.asString()
				.contains("acknowledged publishes can be lost when " + serverDisplayName() + " restarts");
		}
		finally {
			connectionFactory.destroy();
		}
	}

	@Test
	void serverIsProbedOnceAtStartupAndWarnedAboutOnce(CapturedOutput output) {
		StreamsContextRunner.create(redis)
			.withConfiguration(AutoConfigurations.of(RedisStreamsServerCheckAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RedisServerProbe probe = context.getBean(RedisServerProbe.class);
				RedisServerInfo info = probe.getServerInfoIfProbed();
				assertThat(info).isNotNull();
				assertThat(probe.getServerInfo()).isSameAs(info);
				assertThat(output)
					.contains("Redis Streams: connected to " + serverDisplayName() + " " + redis.server().version());
				assertThat(countLines(output,
						"acknowledged publishes can be lost when " + serverDisplayName() + " restarts"))
					.isOne();
			});
	}

	static long countLines(CapturedOutput output, String text) {
		return output.getAll().lines().filter((line) -> line.contains(text)).count();
	}

	private static String serverDisplayName() {
		return "valkey".equals(redis.server().serverName()) ? "Valkey" : "Redis";
	}

}
