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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.SetArgs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests: consumer names are unique among live instances, also when two
 * instances share the default instance id (the host name).
 */
@Tag("server-independent")
class InstanceIdIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final String GROUP = "it-app";

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	private static final Map<String, AtomicInteger> HANDLED = new ConcurrentHashMap<>();

	/** Holds the handler, so that the first instance keeps its entries in flight. */
	private static volatile CountDownLatch release = new CountDownLatch(0);

	private ApplicationContextRunner runner(String... properties) {
		return StreamsContextRunner.create(redis)
			.withUserConfiguration(SlowListener.class)
			.withPropertyValues("redis.streams.reclaim.interval=200ms", "redis.streams.reclaim.min-idle-time=5s")
			.withPropertyValues(properties);
	}

	@Test
	void twoInstancesWithTheDefaultInstanceIdGetDistinctConsumerNamesAndHandleEachMessageOnce() {
		HANDLED.clear();
		release = new CountDownLatch(1);
		// an empty instance-id keeps the default: the host name, as for two JVMs on one
		// host
		try {
			runner("redis.streams.listener.instance-id=").run((first) -> {
				StreamPublisher publisher = first.getBean(StreamPublisher.class);
				for (int n = 0; n < 10; n++) {
					publisher.publish("slow", Map.of("n", n));
				}
				// the first instance holds an entry, its handler inside it
				await().atMost(TIMEOUT).until(() -> HANDLED.size() == 1);
				runner("redis.streams.listener.instance-id=").run((second) -> {
					List<String> firstNames = container(first).getConsumerNames();
					List<String> secondNames = container(second).getConsumerNames();
					assertThat(secondNames).doesNotContainAnyElementsOf(firstNames);
					assertThat(secondNames.get(0)).isEqualTo(container(first).getSettings().getInstanceId() + "-2-0");
					release.countDown();
					await().atMost(TIMEOUT).until(() -> HANDLED.size() == 10);
					await().atMost(TIMEOUT).until(() -> this.client.pendingCount("slow", GROUP) == 0);
					// restarted, it resolves the collision again (not as a configured id)
					container(second).stop();
					container(second).start();
					assertThat(container(second).isRunning()).isTrue();
					assertThat(container(second).getConsumerNames()).doesNotContainAnyElementsOf(firstNames);
				});
			});
		}
		finally {
			// a failure above must not leave the first instance's handler blocked
			release.countDown();
		}
		assertThat(HANDLED).hasSize(10).allSatisfy((id, count) -> assertThat(count).hasValue(1));
	}

	@Test
	void configuredInstanceIdUsedByALiveInstanceRefusesToStart() {
		HANDLED.clear();
		release = new CountDownLatch(0);
		runner("redis.streams.listener.instance-id=pod-a").run((first) -> {
			assertThat(first).hasNotFailed();
			runner("redis.streams.listener.instance-id=pod-a").run((second) -> {
				assertThat(second).hasFailed();
				assertThat(second.getStartupFailure()).hasStackTraceContaining("instance id 'pod-a'")
					.hasStackTraceContaining("redis.streams.listener.instance-id");
			});
			assertThat(container(first).isRunning()).isTrue();
		});
	}

	@Test
	void instanceRestartedAfterACrashKeepsItsInstanceId() {
		HANDLED.clear();
		release = new CountDownLatch(0);
		// the lease a crashed run left behind, no longer renewed
		this.client.sync().set("{slow}:instance:" + GROUP + ":pod-b", "token-of-a-dead-run", SetArgs.Builder.px(2000));
		runner("redis.streams.listener.instance-id=pod-b").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(container(context).getConsumerNames()).containsExactly("pod-b-0");
			assertThat(this.client.sync().get("{slow}:instance:" + GROUP + ":pod-b"))
				.isNotEqualTo("token-of-a-dead-run");
		});
		// a stopped instance gives its lease up
		assertThat(this.client.sync().exists("{slow}:instance:" + GROUP + ":pod-b")).isZero();
	}

	private static StreamListenerContainer container(ConfigurableApplicationContext context) {
		StreamListenerContainer container = context.getBean(RedisStreamListenerRegistry.class)
			.getListenerContainer("slow");
		assertThat(container).isNotNull();
		return container;
	}

	@Configuration(proxyBeanMethods = false)
	static class SlowListener {

		@RedisListener(id = "slow", stream = "slow", concurrency = "1")
		void on(Map<String, Object> message, StreamMessageContext context) throws InterruptedException {
			HANDLED.computeIfAbsent(context.id(), (id) -> new AtomicInteger()).incrementAndGet();
			release.await(60, TimeUnit.SECONDS);
		}

	}

}
