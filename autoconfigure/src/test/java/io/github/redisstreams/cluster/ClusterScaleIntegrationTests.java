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

package io.github.redisstreams.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.lettuce.core.Range;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.protocol.ConnectionIntent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.autoconfigure.RedisStreamsAutoConfiguration;
import io.github.redisstreams.retry.NonRetryableException;
import io.github.redisstreams.support.StreamKeys;
import io.github.redisstreams.test.RedisCluster;
import io.github.redisstreams.test.RedisClusterExtension;
import io.github.redisstreams.test.RedisServer;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scale-out on Redis Cluster: 8 streams in 8 hash slots spread over the 3 masters, 2
 * application instances consuming all of them, and the master of one stream killed
 * mid-run. Afterwards every published entry is processed or (the poison ones)
 * dead-lettered, nothing is pending, and the entries processed twice (in flight at the
 * kill) are counted and reported, not failed (issue 13, item 3).
 * <p>
 * The producer counts an entry as published only once a replica has it ({@code WAIT 1}):
 * a write that a killed master never replicated is lost inside Redis, not by the starter.
 * The killed master is started again (it rejoins as a replica) before the second half is
 * published, so that the shard has a replica to wait for.
 */
@Tag("cluster")
class ClusterScaleIntegrationTests {

	static final List<String> STREAMS = List.of("scale-0", "scale-1", "scale-2", "scale-3", "scale-4", "scale-5",
			"scale-6", "scale-7");

	private static final int PER_STREAM = 150;

	private static final int POISON_EVERY = 50;

	private static final Duration SETTLE = Duration.ofSeconds(90);

	private static final Duration PROCESSING_TIME = Duration.ofMillis(20);

	static final Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();

	@RegisterExtension
	static final RedisClusterExtension cluster = new RedisClusterExtension();

	@Test
	void everyEntryIsProcessedOrDeadLetteredWhenAMasterIsKilledMidRun(RedisCluster redis) {
		assertThat(STREAMS.stream().map(redis::slot).distinct()).hasSize(8);
		assertThat(STREAMS.stream().map(redis::masterFor).distinct()).hasSize(3);
		RedisClusterClient client = RedisClusterClient.create(redis.seedNodes()
			.stream()
			.map((node) -> RedisURI.builder(RedisURI.create("redis://" + node))
				.withTimeout(Duration.ofSeconds(2))
				.build())
			.toList());
		client.setOptions(ClusterClientOptions.builder()
			.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers().build())
			.build());
		List<ConfigurableApplicationContext> instances = new ArrayList<>();
		try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
			instances.add(start(redis, "node-a"));
			instances.add(start(redis, "node-b"));
			Set<String> published = new HashSet<>();
			publish(client, connection, published, 0, PER_STREAM / 2);
			int unsettledAtKill = published.size() - processed.size();
			RedisServer killed = redis.killMaster("scale-0");
			// back as the new master's replica, so that WAIT 1 can be satisfied again
			redis.restart(killed);
			publish(client, connection, published, PER_STREAM / 2, PER_STREAM);
			assertThat(published).hasSize(STREAMS.size() * PER_STREAM);

			Set<String> poison = new HashSet<>();
			for (String payload : published) {
				if (isPoison(payload)) {
					poison.add(payload);
				}
			}
			await().atMost(SETTLE).until(() -> settled(connection, published));
			Set<String> deadLettered = deadLettered(connection);
			assertThat(deadLettered).isEqualTo(poison);
			Set<String> lost = new HashSet<>(published);
			lost.removeAll(processed.keySet());
			lost.removeAll(deadLettered);
			assertThat(lost).as("lost entries").isEmpty();
			int duplicates = processed.values().stream().mapToInt((count) -> count.get() - 1).sum();
			System.out.printf(
					"[cluster-scale] published %d, processed %d, dead-lettered %d, lost %d, "
							+ "processed twice or more %d; %d not yet settled when %s was killed%n",
					published.size(), processed.size(), deadLettered.size(), lost.size(), duplicates, unsettledAtKill,
					killed);
		}
		finally {
			instances.forEach(ConfigurableApplicationContext::close);
			client.shutdown();
		}
	}

	private static ConfigurableApplicationContext start(RedisCluster redis, String instanceId) {
		return new SpringApplicationBuilder(ScaleApplication.class).web(WebApplicationType.NONE)
			.properties(redis.springProperty(), "spring.application.name=scale-app",
					"redis.streams.listener.instance-id=" + instanceId, "redis.streams.listener.poll-timeout=500ms",
					"redis.streams.reclaim.interval=500ms", "redis.streams.reclaim.min-idle-time=3s",
					"redis.streams.retry.delay=100ms")
			.run();
	}

	/**
	 * Publish entries {@code from} to {@code to} of every stream, each acknowledged by
	 * its master and one replica ({@code XADD}, then {@code WAIT 1} on the same node); an
	 * entry whose write failed or was not replicated is written again.
	 */
	private static void publish(RedisClusterClient client, StatefulRedisClusterConnection<String, String> connection,
			Set<String> published, int from, int to) {
		for (int i = from; i < to; i++) {
			for (String stream : STREAMS) {
				String payload = stream + "#" + i;
				await().atMost(SETTLE).pollDelay(Duration.ZERO).until(() -> {
					try {
						RedisClusterNode master = client.getPartitions().getMasterBySlot(SlotHash.getSlot(stream));
						RedisCommands<String, String> node = connection
							.getConnection(master.getUri().getHost(), master.getUri().getPort(), ConnectionIntent.WRITE)
							.sync();
						node.xadd(stream, Map.of("payload", payload));
						if (node.waitForReplication(1, 1000) >= 1) {
							return true;
						}
					}
					catch (RuntimeException ex) {
						// the master is gone: ask the cluster again below
					}
					client.refreshPartitions();
					return false;
				});
				published.add(payload);
			}
		}
	}

	private static boolean settled(StatefulRedisClusterConnection<String, String> connection, Set<String> published) {
		Set<String> done = new HashSet<>(processed.keySet());
		done.addAll(deadLettered(connection));
		if (!done.containsAll(published)) {
			return false;
		}
		for (String stream : STREAMS) {
			if (connection.sync().xpending(stream, "scale-app").getCount() > 0
					|| connection.sync().zcard(StreamKeys.retrySchedule(stream, "scale-app")) > 0) {
				return false;
			}
		}
		return true;
	}

	private static Set<String> deadLettered(StatefulRedisClusterConnection<String, String> connection) {
		Set<String> payloads = new HashSet<>();
		for (String stream : STREAMS) {
			for (StreamMessage<String, String> deadLetter : connection.sync()
				.xrange(StreamKeys.deadLetterStream(stream), Range.create("-", "+"))) {
				payloads.add(deadLetter.getBody().get("payload"));
			}
		}
		return payloads;
	}

	static boolean isPoison(String payload) {
		return Integer.parseInt(payload.substring(payload.indexOf('#') + 1)) % POISON_EVERY == POISON_EVERY - 1;
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
			RedisStreamsAutoConfiguration.class })
	static class ScaleApplication {

		@Bean
		ScaleListeners scaleListeners() {
			return new ScaleListeners();
		}

	}

	static class ScaleListeners {

		@RedisListener(stream = "scale-0")
		void on0(String payload) {
			handle(payload);
		}

		@RedisListener(stream = "scale-1")
		void on1(String payload) {
			handle(payload);
		}

		@RedisListener(stream = "scale-2")
		void on2(String payload) {
			handle(payload);
		}

		@RedisListener(stream = "scale-3")
		void on3(String payload) {
			handle(payload);
		}

		@RedisListener(stream = "scale-4")
		void on4(String payload) {
			handle(payload);
		}

		@RedisListener(stream = "scale-5")
		void on5(String payload) {
			handle(payload);
		}

		@RedisListener(stream = "scale-6")
		void on6(String payload) {
			handle(payload);
		}

		@RedisListener(stream = "scale-7")
		void on7(String payload) {
			handle(payload);
		}

		private static void handle(String payload) {
			if (isPoison(payload)) {
				throw new NonRetryableException("poison: " + payload);
			}
			// simulated work, so that the kill hits entries in flight
			LockSupport.parkNanos(PROCESSING_TIME.toNanos());
			processed.computeIfAbsent(payload, (key) -> new AtomicInteger()).incrementAndGet();
		}

	}

}
