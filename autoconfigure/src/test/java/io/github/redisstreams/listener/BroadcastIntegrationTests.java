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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.publish.PublishRequest;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Broadcast listeners: every instance receives every entry through a consumer group of
 * its own, including what was published while it was down; failures stay in the instance
 * they happen in; groups of instances that are gone are removed; a partitioned stream is
 * broadcast partition by partition.
 */
class BroadcastIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	/** The payloads each instance handled, by instance id. */
	static final Map<String, Set<String>> received = new ConcurrentHashMap<>();

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	@BeforeEach
	void clear() {
		received.clear();
	}

	private ApplicationContextRunner instance(String instanceId, String... properties) {
		return StreamsContextRunner.create(redis)
			.withUserConfiguration(BroadcastConfiguration.class)
			.withPropertyValues("redis.streams.listener.instance-id=" + instanceId, "redis.streams.retry.delay=100ms",
					"redis.streams.retry.max-retries=1", "redis.streams.reclaim.interval=500ms")
			.withPropertyValues(properties);
	}

	private static Set<String> of(String instanceId) {
		return received.computeIfAbsent(instanceId, (id) -> ConcurrentHashMap.newKeySet());
	}

	private void publish(int from, int to) {
		List<Map<String, String>> entries = new ArrayList<>();
		for (int i = from; i < to; i++) {
			entries.add(Map.of("payload", "m-" + i));
		}
		this.client.addAll("cache-invalidation", entries);
	}

	@Test
	void threeInstancesEachReceiveAllThousandAndARestartedOneGetsWhatItMissedWhileDown() {
		instance("node-a").run((a) -> instance("node-b").run((b) -> {
			instance("node-c").run((c) -> {
				publish(0, 400);
				await().atMost(TIMEOUT).until(() -> of("node-c").size() == 400);
			});
			// node-c is down: its group waits for it
			publish(400, 1_000);
			await().atMost(TIMEOUT).until(() -> of("node-a").size() == 1_000 && of("node-b").size() == 1_000);
			assertThat(of("node-c")).hasSize(400);
			instance("node-c").run((c) -> await().atMost(TIMEOUT).until(() -> of("node-c").size() == 1_000));
			assertThat(this.client.sync().xinfoGroups("cache-invalidation")).hasSize(3);
			for (String group : List.of("it-app.node-a", "it-app.node-b", "it-app.node-c")) {
				await().atMost(TIMEOUT).until(() -> this.client.pendingCount("cache-invalidation", group) == 0);
			}
		}));
	}

	@Test
	void anInstanceStartedLaterReceivesWhatIsPublishedAfterItFirstStarted() {
		publish(0, 10);
		instance("node-a").run((a) -> {
			// its group is created at the end of the stream
			await().atMost(TIMEOUT).until(() -> this.client.sync().xinfoGroups("cache-invalidation").size() == 1);
			publish(10, 15);
			await().atMost(TIMEOUT).until(() -> of("node-a").size() == 5);
			assertThat(of("node-a")).containsExactlyInAnyOrder("m-10", "m-11", "m-12", "m-13", "m-14");
		});
	}

	@Test
	void aFailingHandlerIsRetriedAndDeadLetteredInItsInstanceOnly() {
		instance("node-a").run((a) -> instance("node-b", "app.fail-on=node-b").run((b) -> {
			this.client.sync().xadd("cache-invalidation", Map.of("payload", "poison"));
			await().atMost(TIMEOUT)
				.until(() -> this.client.sync().exists("{cache-invalidation}:dlq") == 1
						&& this.client.sync().xlen("{cache-invalidation}:dlq") == 1);
			StreamMessage<String, String> deadLetter = this.client.sync()
				.xrange("{cache-invalidation}:dlq", Range.create("-", "+"))
				.get(0);
			assertThat(deadLetter.getBody()).containsEntry("x-group", "it-app.node-b")
				.containsEntry("x-reason", "retries-exhausted")
				.containsEntry("x-delivery-count", "2");
			// node-a's group has its own delivery, not implied by node-b's dead letter
			await().atMost(TIMEOUT).until(() -> !of("node-a").isEmpty());
			assertThat(of("node-a")).containsExactly("poison");
			assertThat(of("node-b")).isEmpty();
			await().atMost(TIMEOUT).until(() -> this.client.pendingCount("cache-invalidation", "it-app.node-b") == 0);
		}));
	}

	@Test
	void theGroupOfAnInstanceThatIsGoneIsRemovedAfterTheDeadConsumerTimeout() {
		String[] quick = { "redis.streams.reclaim.dead-consumer-timeout=2s" };
		// another group with the same prefix, not a broadcast instance's: it stays
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("cache-invalidation", "$"), "it-app.audit",
					XGroupCreateArgs.Builder.mkstream(true));
		instance("node-a", quick).run((a) -> {
			instance("node-b", quick).run((b) -> {
				publish(0, 3);
				await().atMost(TIMEOUT).until(() -> of("node-a").size() == 3 && of("node-b").size() == 3);
			});
			// node-b stopped: its lease expires, its consumers go idle, node-a removes
			// its group
			await().atMost(TIMEOUT)
				.until(() -> this.client.sync()
					.xinfoGroups("cache-invalidation")
					.stream()
					.map((group) -> String.valueOf(((List<?>) group).get(1)))
					.toList()
					.equals(List.of("it-app.audit", "it-app.node-a")));
			publish(3, 4);
			await().atMost(TIMEOUT).until(() -> of("node-a").size() == 4);
		});
	}

	@Test
	void aBroadcastListenerOfAPartitionedStreamReceivesEveryPartitionInEveryInstance() {
		List<String> partitions = List.of("prices:{0}", "prices:{1}", "prices:{2}", "prices:{3}");
		ApplicationContextRunner nodeA = partitioned("node-a");
		ApplicationContextRunner nodeB = partitioned("node-b");
		nodeA.run((a) -> {
			StreamPublisher publisher = a.getBean(StreamPublisher.class);
			nodeB.run((b) -> {
				publishPrices(publisher, 0, 200);
				await().atMost(TIMEOUT).until(() -> of("node-a").size() == 200 && of("node-b").size() == 200);
			});
			// node-b is down: its group of every partition waits for it
			publishPrices(publisher, 200, 300);
			await().atMost(TIMEOUT).until(() -> of("node-a").size() == 300);
			nodeB.run((b) -> await().atMost(TIMEOUT).until(() -> of("node-b").size() == 300));
		});
		assertThat(of("node-a")).isEqualTo(of("node-b"));
		long total = 0;
		for (String partition : partitions) {
			total += this.client.sync().xlen(partition);
			assertThat(this.client.sync().xinfoGroups(partition)).hasSize(2);
			for (String group : List.of("it-app.node-a", "it-app.node-b")) {
				assertThat(this.client.pendingCount(partition, group)).as(partition + " " + group).isZero();
			}
		}
		assertThat(total).isEqualTo(300);
		assertThat(this.client.sync().exists("prices")).isZero();
	}

	private ApplicationContextRunner partitioned(String instanceId) {
		return StreamsContextRunner.create(redis)
			.withUserConfiguration(PartitionedBroadcastConfiguration.class)
			.withPropertyValues("redis.streams.listener.instance-id=" + instanceId);
	}

	private static void publishPrices(StreamPublisher publisher, int from, int to) {
		for (int i = from; i < to; i++) {
			publisher.publish(PublishRequest.to("prices").payload(Map.of("n", i)).partitionKey("instrument-" + i));
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class PartitionedBroadcastConfiguration {

		@Bean
		PriceListener priceListener(@Value("${redis.streams.listener.instance-id}") String instanceId) {
			return new PriceListener(instanceId);
		}

	}

	static class PriceListener {

		private final String instanceId;

		PriceListener(String instanceId) {
			this.instanceId = instanceId;
		}

		@RedisListener(id = "prices", stream = "prices", broadcast = "true", partitions = "4")
		void on(Map<String, Object> price) {
			of(this.instanceId).add(String.valueOf(price.get("n")));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BroadcastConfiguration {

		@Bean
		BroadcastListener broadcastListener(@Value("${redis.streams.listener.instance-id}") String instanceId,
				@Value("${app.fail-on:none}") String failOn) {
			return new BroadcastListener(instanceId, failOn);
		}

	}

	static class BroadcastListener {

		private final String instanceId;

		private final String failOn;

		BroadcastListener(String instanceId, String failOn) {
			this.instanceId = instanceId;
			this.failOn = failOn;
		}

		@RedisListener(id = "cache", stream = "cache-invalidation", broadcast = "true")
		void on(String message) {
			if (this.instanceId.equals(this.failOn) && message.equals("poison")) {
				throw new IllegalStateException("this instance cannot invalidate " + message);
			}
			of(this.instanceId).add(message);
		}

	}

}
