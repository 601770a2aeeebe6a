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

package io.github.redisstreams.listener;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.autoconfigure.RedisStreamsAutoConfiguration;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * An application, run in a separate JVM by {@link InstanceCrashIntegrationTests}, whose
 * listener takes messages and never finishes them, until the JVM is killed.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
		RedisStreamsAutoConfiguration.class })
public class HangingConsumerApplication {

	@Bean
	HangingListener hangingListener() {
		return new HangingListener();
	}

	public static void main(String[] args) {
		new SpringApplicationBuilder(HangingConsumerApplication.class).web(WebApplicationType.NONE).run(args);
	}

	static class HangingListener {

		private final CountDownLatch never = new CountDownLatch(1);

		@RedisListener(stream = "handoff")
		void on(Map<String, Object> message) throws InterruptedException {
			this.never.await();
		}

	}

}
