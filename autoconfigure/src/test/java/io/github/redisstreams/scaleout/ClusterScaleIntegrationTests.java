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

package io.github.redisstreams.scaleout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.Range;
import io.lettuce.core.RedisURI;
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

import io.github.redisstreams.publish.PublishRequest;
import io.github.redisstreams.publish.PublishResult;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.support.StreamKeys;
import io.github.redisstreams.test.RedisCluster;
import io.github.redisstreams.test.RedisClusterExtension;
import io.github.redisstreams.test.RedisServer;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scale-out on Redis Cluster: 8 streams in 8 hash slots spread over the 3 masters, 2
 * application instances consuming all of them, and the master of one stream killed
 * mid-run (issue 13, item 3); the same with one stream of 8 partitions (item 4), whose
 * publisher's routing is checked on the cluster too. See {@link ScaleOutScenario} for
 * what is asserted.
 * <p>
 * The producer counts an entry as published only once a replica has it ({@code WAIT 1}):
 * a write that a killed master never replicated is lost inside Redis, not by the starter.
 * The killed master is started again (it rejoins as a replica) before the second half is
 * published, so that the shard has a replica to wait for.
 */
@Tag("cluster")
class ClusterScaleIntegrationTests {

	@RegisterExtension
	static final RedisClusterExtension cluster = new RedisClusterExtension();

	@Test
	void everyEntryIsProcessedOrDeadLetteredWhenAMasterIsKilledMidRun(RedisCluster redis) {
		assertThat(ScaleOutScenario.STREAMS.stream().map(redis::slot).distinct()).hasSize(8);
		assertThat(ScaleOutScenario.STREAMS.stream().map(redis::masterFor).distinct()).hasSize(3);
		run(redis, new ScaleOutScenario(), ScaleOutScenario.ScaleApplication.class, "scale-0",
				"Redis Cluster, master of scale-0 killed");
	}

	@Test
	void everyEntryOfAPartitionedStreamIsProcessedOrDeadLetteredWhenAMasterIsKilledMidRun(RedisCluster redis) {
		// 8 partitions, each its own slot, on all 3 masters
		assertThat(ScaleOutScenario.PARTITIONS.stream().map(redis::slot).distinct()).hasSize(8);
		assertThat(ScaleOutScenario.PARTITIONS.stream().map(redis::masterFor).distinct()).hasSize(3);
		run(redis, new ScaleOutScenario(ScaleOutScenario.PARTITIONS),
				ScaleOutScenario.PartitionedScaleApplication.class, "scale:{0}",
				"Redis Cluster, stream 'scale' with 8 partitions, master of scale:{0} killed");
	}

	@Test
	void thePublisherRoutesEachPartitionKeyToItsPartitionOnTheCluster(RedisCluster redis) {
		ScaleOutScenario.processed.clear();
		try (ConfigurableApplicationContext instance = ScaleOutScenario
			.startInstance(ScaleOutScenario.PartitionedScaleApplication.class, "node-r", redis.springProperty())) {
			StreamPublisher publisher = instance.getBean(StreamPublisher.class);
			Map<String, String> partitionOfPayload = new HashMap<>();
			for (int i = 0; i < 48; i++) {
				String key = "customer-" + (i % 12);
				String payload = "routed-" + key + "#" + i;
				PublishResult result = publisher.publish(PublishRequest.to("scale").payload(payload).partitionKey(key));
				assertThat(result.stream()).isEqualTo(
						StreamKeys.partition("scale", StreamKeys.partitionOf(key, ScaleOutScenario.PARTITIONS.size())));
				partitionOfPayload.put("\"" + payload + "\"", result.stream());
			}
			await().atMost(Duration.ofSeconds(60))
				.until(() -> partitionOfPayload.keySet().stream().allMatch(ScaleOutScenario.processed::containsKey));
			RedisClusterClient client = RedisClusterClient
				.create(redis.seedNodes().stream().map((node) -> RedisURI.create("redis://" + node)).toList());
			try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
				partitionOfPayload.forEach((payload,
						stream) -> assertThat(connection.sync()
							.xrange(stream, Range.create("-", "+"))
							.stream()
							.map((entry) -> entry.getBody().get("payload"))).contains(payload));
				assertThat(connection.sync().exists("scale")).isZero();
			}
			finally {
				client.shutdown();
			}
		}
	}

	@Test
	void delayedIdempotentAndCancelledPublicationsWorkAcrossTheClustersSlots(RedisCluster redis) {
		ScaleOutScenario.processed.clear();
		try (ConfigurableApplicationContext instance = ScaleOutScenario
			.startInstance(ScaleOutScenario.PartitionedScaleApplication.class, "node-d", redis.springProperty())) {
			StreamPublisher publisher = instance.getBean(StreamPublisher.class);
			List<String> expected = new ArrayList<>();
			for (int i = 0; i < 24; i++) {
				String payload = "delayed#" + i;
				PublishResult result = publisher.publish(PublishRequest.to("scale")
					.payload(payload)
					.partitionKey("customer-" + i)
					.deliverAfter(Duration.ofMillis(500)));
				assertThat(result.id()).endsWith("@" + result.stream());
				expected.add("\"" + payload + "\"");
			}
			PublishResult cancelled = publisher.publish(PublishRequest.to("scale")
				.payload("cancelled#100")
				.partitionKey("c")
				.deliverAfter(Duration.ofSeconds(2)));
			assertThat(publisher.cancel(cancelled.id())).isTrue();
			PublishRequest once = PublishRequest.to("scale").payload("once#101").idempotencyKey("once-1");
			PublishResult first = publisher.publish(once);
			assertThat(publisher.publish(once)).isEqualTo(new PublishResult(first.stream(), first.id(), true));
			expected.add("\"once#101\"");
			await().atMost(Duration.ofSeconds(60))
				.until(() -> expected.stream().allMatch(ScaleOutScenario.processed::containsKey));
			await().during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(10))
				.until(() -> !ScaleOutScenario.processed.containsKey("\"cancelled#100\""));
		}
	}

	private static void run(RedisCluster redis, ScaleOutScenario scenario, Class<?> application, String killed,
			String description) {
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
			instances.add(ScaleOutScenario.startInstance(application, "node-a", redis.springProperty()));
			instances.add(ScaleOutScenario.startInstance(application, "node-b", redis.springProperty()));
			ScaleOutScenario.Producer producer = (stream, payload) -> publish(client, connection, stream, payload);
			scenario.publishFirstHalf(producer);
			RedisServer master = redis.killMaster(killed);
			redis.restart(master);
			scenario.publishSecondHalf(producer);
			scenario.assertSettled(connection.sync(), description);
		}
		finally {
			instances.forEach(ConfigurableApplicationContext::close);
			client.shutdown();
		}
	}

	/**
	 * XADD and WAIT on the slot's master, which the client looks up again when that
	 * fails.
	 */
	private static boolean publish(RedisClusterClient client, StatefulRedisClusterConnection<String, String> connection,
			String stream, String payload) {
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
	}

}
