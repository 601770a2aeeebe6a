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

package io.github.redisstreams.publish;

import io.github.redisstreams.autoconfigure.RedisStreamsAutoConfiguration;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * An application with the starter and nothing else, run in a separate JVM by
 * {@link DelayedDeliveryIntegrationTests} so that its mover can be killed while it moves.
 * It prints {@code moved <n>} for each batch it moves.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
		RedisStreamsAutoConfiguration.class })
public class DelayedMoverApplication {

	@Bean
	DelayedDeliveryMetrics printingMetrics() {
		return new DelayedDeliveryMetrics() {

			@Override
			public void moved(String stream, int count) {
				System.out.println("moved " + count);
			}

		};
	}

	public static void main(String[] args) {
		new SpringApplicationBuilder(DelayedMoverApplication.class).web(WebApplicationType.NONE).run(args);
	}

}
