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

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests for {@link RedisSentinelExtension}: the Sentinels agree on the
 * master, promote the replica on request and when the master is killed, and take the old
 * master back as a replica.
 */
@Tag("sentinel")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisSentinelExtensionIntegrationTests {

	@RegisterExtension
	static final RedisSentinelExtension sentinel = new RedisSentinelExtension();

	@Test
	@Order(1)
	void sentinelsMonitorTheMasterAndKnowTheReplica(RedisSentinel redis) {
		RedisServer master = redis.master();
		assertThat(master).isSameAs(redis.dataNodes().get(0));
		for (RedisServer node : redis.sentinels()) {
			assertThat(Redis.command(node, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", RedisSentinel.MASTER_NAME)).asList()
				.containsExactly("127.0.0.1", String.valueOf(master.port()));
		}
		assertThat(Redis.command(master, "INFO", "replication").toString()).contains("connected_slaves:1");
		assertThat(sentinel.springProperties()).containsExactly("spring.data.redis.sentinel.master=mymaster",
				"spring.data.redis.sentinel.nodes=" + String.join(",", redis.sentinelNodes()));
	}

	@Test
	@Order(2)
	void failoverOnRequestPromotesTheReplica(RedisSentinel redis) {
		RedisServer old = redis.master();
		Redis.command(old, "SET", "k", "1");
		Redis.command(old, "WAIT", "1", "5000");
		RedisServer promoted = redis.failover();
		assertThat(promoted).isNotSameAs(old);
		assertThat(Redis.command(promoted, "GET", "k")).isEqualTo("1");
		assertThat(Redis.command(promoted, "INFO", "replication").toString()).contains("role:master");
	}

	@Test
	@Order(3)
	void aKilledMasterIsReplacedAndRejoinsAsReplicaWhenRestarted(RedisSentinel redis) {
		RedisServer killed = redis.killMaster();
		assertThat(killed.isRunning()).isFalse();
		RedisServer promoted = redis.master();
		assertThat(promoted).isNotSameAs(killed);
		assertThat(Redis.command(promoted, "SET", "k", "2")).isEqualTo("OK");
		redis.restart(killed);
		assertThat(Redis.command(killed, "INFO", "replication").toString()).contains("role:slave")
			.contains("master_port:" + promoted.port());
	}

}
