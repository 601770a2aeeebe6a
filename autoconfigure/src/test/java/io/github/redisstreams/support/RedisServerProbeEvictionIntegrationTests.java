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

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.autoconfigure.RedisStreamsHealthAutoConfiguration;
import io.github.redisstreams.autoconfigure.RedisStreamsServerCheckAutoConfiguration;
import io.github.redisstreams.health.RedisStreamsHealthIndicator;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RedisServerProbe} against a Redis that evicts keys ({@code allkeys-lru}) and
 * persists with an append-only file.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisServerProbeEvictionIntegrationTests {

	private static final String EVICTION_WARNING = "an evicted stream loses every message and its consumer groups";

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension().withAppendOnly()
		.withArgs("--maxmemory-policy", "allkeys-lru");

	@Test
	void evictionIsWarnedAboutOnceAndShownInTheHealthDetails(CapturedOutput output) {
		StreamsContextRunner.create(redis)
			.withConfiguration(AutoConfigurations.of(RedisStreamsServerCheckAutoConfiguration.class,
					RedisStreamsHealthAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RedisServerInfo info = context.getBean(RedisServerProbe.class).getServerInfo();
				assertThat(info.maxmemoryPolicy()).isEqualTo("allkeys-lru");
				assertThat(info.appendOnly()).isTrue();
				assertThat(info.warnings()).singleElement().asString().contains("'allkeys-lru'", EVICTION_WARNING);

				RedisStreamsHealthIndicator indicator = context.getBean(RedisStreamsHealthIndicator.class);
				indicator.health();
				Health health = indicator.health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				@SuppressWarnings("unchecked")
				Map<String, Object> server = (Map<String, Object>) health.getDetails().get("server");
				assertThat(server).containsEntry("maxmemoryPolicy", "allkeys-lru").containsEntry("appendOnly", true);
				assertThat((List<?>) server.get("warnings")).singleElement().asString().contains(EVICTION_WARNING);
				assertThat(RedisServerProbeIntegrationTests.countLines(output, EVICTION_WARNING)).isOne();
				assertThat(output).doesNotContain("acknowledged publishes can be lost");
			});
	}

}
