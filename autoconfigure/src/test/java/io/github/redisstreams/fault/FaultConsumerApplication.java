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

package io.github.redisstreams.fault;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.autoconfigure.RedisStreamsAutoConfiguration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A consumer application, run in separate JVMs by {@link FaultInjectionIntegrationTests}
 * and killed, paused and cut off from Redis there. Its listener records every message it
 * processes in Redis ({@code HINCRBY fault:processed <id> 1}), after
 * {@code fault.processing-time} of simulated work, so that the test sees the processing
 * of JVMs that no longer exist; messages marked {@code poison} always fail and end in the
 * dead-letter stream.
 * <p>
 * Once started it records its process id in the hash {@code fault:ready} under its
 * instance id. It exits when its standard input closes, that is when the test JVM that
 * started it is gone.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
		RedisStreamsAutoConfiguration.class })
public class FaultConsumerApplication {

	static final String STREAM = "faults";

	static final String GROUP = "fault-consumers";

	static final String LISTENER_ID = "faults";

	static final String PROCESSED = "fault:processed";

	static final String READY = "fault:ready";

	static final String INSTANCE_ID_PROPERTY = "redis.streams.listener.instance-id";

	@Bean
	FaultListener faultListener(StringRedisTemplate redisTemplate,
			@Value("${fault.processing-time:0ms}") Duration processingTime) {
		return new FaultListener(redisTemplate, processingTime);
	}

	public static void main(String[] args) {
		exitWhenParentIsGone();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(FaultConsumerApplication.class)
			.web(WebApplicationType.NONE)
			.run(args);
		String instanceId = context.getEnvironment().getRequiredProperty(INSTANCE_ID_PROPERTY);
		context.getBean(StringRedisTemplate.class)
			.opsForHash()
			.put(READY, instanceId, Long.toString(ProcessHandle.current().pid()));
	}

	private static void exitWhenParentIsGone() {
		Thread watchdog = new Thread(() -> {
			InputStream in = System.in;
			try {
				while (in.read() != -1) {
					// nothing is ever written; end of input means the parent is gone
				}
			}
			catch (IOException ex) {
				// the same
			}
			Runtime.getRuntime().halt(3);
		}, "parent-watchdog");
		watchdog.setDaemon(true);
		watchdog.start();
	}

	/**
	 * The payload of a message: its id and whether it always fails.
	 *
	 * @param id the message id, such as {@code m-000123}
	 * @param poison whether processing it always fails
	 */
	public record FaultMessage(String id, boolean poison) {

	}

	/**
	 * Thrown for every delivery of a poison message.
	 */
	static class PoisonMessageException extends RuntimeException {

		PoisonMessageException(String id) {
			super("Poison message " + id);
		}

	}

	static class FaultListener {

		private final StringRedisTemplate redisTemplate;

		private final long processingNanos;

		FaultListener(StringRedisTemplate redisTemplate, Duration processingTime) {
			this.redisTemplate = redisTemplate;
			this.processingNanos = processingTime.toNanos();
		}

		@RedisListener(id = LISTENER_ID, stream = STREAM, group = GROUP)
		void on(FaultMessage message) {
			if (message.poison()) {
				throw new PoisonMessageException(message.id());
			}
			if (this.processingNanos > 0) {
				// some work, so that faults find messages in flight
				LockSupport.parkNanos(this.processingNanos);
			}
			this.redisTemplate.opsForHash().increment(PROCESSED, message.id(), 1);
		}

	}

}
