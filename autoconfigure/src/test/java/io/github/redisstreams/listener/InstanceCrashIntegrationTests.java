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

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.models.stream.PendingMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application instances; one is killed with SIGKILL while it holds pending messages,
 * and the other reclaims and finishes them.
 */
class InstanceCrashIntegrationTests {

	private static final Duration MIN_IDLE_TIME = Duration.ofSeconds(3);

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	private Process child;

	@AfterEach
	void killChild() {
		if (this.child != null && this.child.isAlive()) {
			this.child.destroyForcibly();
		}
	}

	@Test
	void messagesHeldByAKilledInstanceAreReclaimedAndProcessedByTheOtherOne() throws Exception {
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("handoff", "0"), "it-app",
					XGroupCreateArgs.Builder.mkstream(true));
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			ids.add(this.client.sync().xadd("handoff", Map.of("n", Integer.toString(i))));
		}
		this.child = startChild();
		// the child takes all ten and hangs
		await().atMost(Duration.ofSeconds(60)).until(() -> pendingOwners().equals(Map.of("crashing-0", 10L)));

		StreamsContextRunner.create(redis)
			.withUserConfiguration(SurvivorConfiguration.class)
			.withPropertyValues("redis.streams.listener.instance-id=survivor",
					"redis.streams.reclaim.min-idle-time=" + MIN_IDLE_TIME.toMillis() + "ms",
					"redis.streams.reclaim.interval=500ms")
			.run((context) -> {
				SurvivorListener survivor = context.getBean(SurvivorListener.class);
				// while the child lives, its claims are refreshed: nothing is stolen
				await().during(MIN_IDLE_TIME.multipliedBy(2))
					.atMost(MIN_IDLE_TIME.multipliedBy(3))
					.until(() -> survivor.attempts.isEmpty() && pendingOwners().equals(Map.of("crashing-0", 10L)));

				this.child.destroyForcibly();
				assertThat(this.child.waitFor(30, TimeUnit.SECONDS)).isTrue();

				// once its claims are no longer refreshed they go idle, and after
				// min-idle-time the survivor's reclaimer takes them over
				await().atMost(Duration.ofSeconds(60)).until(() -> survivor.attempts.keySet().containsAll(ids));
				assertThat(survivor.attempts.values()).allMatch((attempt) -> attempt >= 2);
				await().atMost(Duration.ofSeconds(30)).until(() -> this.client.pendingCount("handoff", "it-app") == 0);
			});
	}

	private Map<String, Long> pendingOwners() {
		Map<String, Long> owners = new TreeMap<>();
		for (PendingMessage message : this.client.sync()
			.xpending("handoff", "it-app", Range.create("-", "+"), Limit.from(100))) {
			owners.merge(message.getConsumer(), 1L, Long::sum);
		}
		return owners;
	}

	private Process startChild() throws Exception {
		String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		File log = Path.of("target", "hanging-consumer.log").toFile();
		List<String> command = List.of(java, "-cp", classpath, HangingConsumerApplication.class.getName(),
				"--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port(),
				"--spring.application.name=it-app", "--redis.streams.listener.instance-id=crashing",
				"--redis.streams.listener.batch-size=10", "--redis.streams.listener.poll-timeout=200ms",
				"--redis.streams.reclaim.min-idle-time=" + MIN_IDLE_TIME.toMillis() + "ms");
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
	}

	static class SurvivorListener {

		final Map<String, Long> attempts = new ConcurrentHashMap<>();

		@RedisListener(stream = "handoff")
		void on(Map<String, Object> message, StreamMessageContext context) {
			this.attempts.put(context.id(), context.deliveryAttempt());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SurvivorConfiguration {

		@Bean
		SurvivorListener survivorListener() {
			return new SurvivorListener();
		}

	}

}
