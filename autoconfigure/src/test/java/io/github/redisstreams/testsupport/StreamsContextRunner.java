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

package io.github.redisstreams.testsupport;

import io.github.redisstreams.autoconfigure.RedisStreamsAutoConfiguration;
import io.github.redisstreams.test.RedisServerExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Application contexts with the auto-configuration, connected to a test Redis.
 */
public final class StreamsContextRunner {

	private StreamsContextRunner() {
	}

	/**
	 * Return a runner with the auto-configuration, the test Redis and quick shutdown.
	 * @param redis the test Redis
	 * @return the runner
	 */
	public static ApplicationContextRunner create(RedisServerExtension redis) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					RedisStreamsAutoConfiguration.class))
			.withPropertyValues(redis.springProperties())
			.withPropertyValues("spring.application.name=it-app", "redis.streams.listener.instance-id=it-node",
					"redis.streams.listener.poll-timeout=200ms", "redis.streams.listener.shutdown-timeout=5s");
	}

}
