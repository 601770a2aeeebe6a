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

package io.github.redisstreams.test;

import java.util.List;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Integration tests for {@link RedisClusterExtension}: the cluster forms, routes keys by
 * slot, and survives a paused master (the first change to the cluster, so that the
 * replicas' ids are known without any failover before), a graceful failover and a killed
 * master.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterExtensionIntegrationTests {

	@RegisterExtension
	static final RedisClusterExtension cluster = new RedisClusterExtension();

	@Test
	@Order(1)
	void formsAClusterOfThreeMastersWithOneReplicaEach(RedisCluster redis) {
		assertThat(redis.nodes()).hasSize(6);
		for (RedisServer node : redis.nodes()) {
			assertThat(Redis.command(node, "CLUSTER", "INFO").toString()).contains("cluster_state:ok")
				.contains("cluster_known_nodes:6")
				.contains("cluster_slots_assigned:16384");
		}
		assertThat(List.of("a", "b", "c", "orders").stream().map(redis::masterFor).distinct()).hasSize(3);
		assertThat(redis.replicasFor("orders")).hasSize(1);
		assertThat(cluster.springProperties()[0]).startsWith("spring.data.redis.cluster.nodes=127.0.0.1:")
			.contains(String.valueOf(redis.nodes().get(5).port()));
	}

	@Test
	@Order(2)
	void keysAreServedByTheMasterOfTheirSlot(RedisCluster redis) {
		assertThat(redis.slot("{orders}:retry")).isEqualTo(redis.slot("orders"));
		RedisServer master = redis.masterFor("orders");
		assertThat(Redis.command(master, "SET", "orders", "1")).isEqualTo("OK");
		RedisServer other = redis.nodes().stream().filter((node) -> node != master).findFirst().orElseThrow();
		assertThatException().isThrownBy(() -> Redis.command(other, "GET", "orders"))
			.withMessageStartingWith("MOVED " + redis.slot("orders") + " 127.0.0.1:" + master.port());
	}

	@Test
	@Order(4)
	void gracefulFailoverPromotesTheReplicaAndKeepsTheData(RedisCluster redis) {
		RedisServer old = redis.masterFor("orders");
		RedisServer replica = redis.replicasFor("orders").get(0);
		Redis.command(old, "SET", "orders", "2");
		Redis.command(old, "WAIT", "1", "5000");
		RedisServer promoted = redis.failover("orders");
		assertThat(promoted).isSameAs(replica);
		assertThat(redis.masterFor("orders")).isSameAs(replica);
		assertThat(Redis.command(promoted, "GET", "orders")).isEqualTo("2");
		assertThat(redis.replicasFor("orders")).containsExactly(old);
	}

	@Test
	@Order(5)
	void aKilledMasterIsReplacedAndRejoinsAsReplicaWhenRestarted(RedisCluster redis) {
		RedisServer killed = redis.killMaster("a");
		assertThat(killed.isRunning()).isFalse();
		RedisServer promoted = redis.masterFor("a");
		assertThat(promoted).isNotSameAs(killed);
		assertThat(Redis.command(promoted, "SET", "a", "1")).isEqualTo("OK");
		redis.restart(killed);
		assertThat(redis.replicasFor("a")).containsExactly(killed);
	}

	@Test
	@Order(3)
	void aPausedMasterIsReplacedAndRejoinsAsReplicaWhenResumed(RedisCluster redis) {
		RedisServer paused = redis.pauseMaster("b");
		try {
			assertThat(paused.isRunning()).isTrue();
			RedisServer promoted = redis.masterFor("b");
			assertThat(promoted).isNotSameAs(paused);
			assertThat(Redis.command(promoted, "SET", "b", "1")).isEqualTo("OK");
		}
		finally {
			// the later tests of this class use the same cluster
			redis.resume(paused);
		}
		assertThat(redis.replicasFor("b")).containsExactly(paused);
	}

}
