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
import java.util.List;
import java.util.Map;

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

import io.github.redisstreams.test.RedisCluster;
import io.github.redisstreams.test.RedisClusterExtension;
import io.github.redisstreams.test.RedisServer;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale-out on Redis Cluster: 8 streams in 8 hash slots spread over the 3 masters, 2
 * application instances consuming all of them, and the master of one stream killed
 * mid-run (issue 13, item 3). See {@link ScaleOutScenario} for what is asserted.
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
			ScaleOutScenario scenario = new ScaleOutScenario();
			instances.add(ScaleOutScenario.startInstance("node-a", redis.springProperty()));
			instances.add(ScaleOutScenario.startInstance("node-b", redis.springProperty()));
			ScaleOutScenario.Producer producer = (stream, payload) -> publish(client, connection, stream, payload);
			scenario.publishFirstHalf(producer);
			RedisServer killed = redis.killMaster("scale-0");
			redis.restart(killed);
			scenario.publishSecondHalf(producer);
			scenario.assertSettled(connection.sync(), "Redis Cluster, master of scale-0 killed");
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
