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

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.test.RedisSentinel;
import io.github.redisstreams.test.RedisSentinelExtension;
import io.github.redisstreams.test.RedisServer;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scale-out with Redis Sentinel: 8 streams on one master, 2 application instances
 * consuming all of them, and the master killed mid-run; the Sentinels promote the replica
 * and the instances follow (issue 13, item 3). See {@link ScaleOutScenario} for what is
 * asserted.
 * <p>
 * The producer counts an entry as published only once the replica has it
 * ({@code WAIT 1}); the killed master is started again as the new master's replica before
 * the second half is published, so that there is a replica to wait for.
 */
@Tag("sentinel")
class SentinelScaleIntegrationTests {

	@RegisterExtension
	static final RedisSentinelExtension sentinel = new RedisSentinelExtension();

	@Test
	void everyEntryIsProcessedOrDeadLetteredWhenTheMasterIsKilledMidRun(RedisSentinel redis) {
		RedisURI.Builder uri = RedisURI.builder().withSentinelMasterId(RedisSentinel.MASTER_NAME);
		for (RedisServer node : redis.sentinels()) {
			uri.withSentinel(node.host(), node.port());
		}
		RedisClient client = RedisClient.create(uri.withTimeout(Duration.ofSeconds(2)).build());
		List<ConfigurableApplicationContext> instances = new ArrayList<>();
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			ScaleOutScenario scenario = new ScaleOutScenario();
			instances.add(ScaleOutScenario.startInstance("node-a", redis.springProperties()));
			instances.add(ScaleOutScenario.startInstance("node-b", redis.springProperties()));
			RedisCommands<String, String> commands = connection.sync();
			ScaleOutScenario.Producer producer = (stream, payload) -> {
				commands.xadd(stream, Map.of("payload", payload));
				return commands.waitForReplication(1, 1000) >= 1;
			};
			scenario.publishFirstHalf(producer);
			RedisServer killed = redis.killMaster();
			redis.restart(killed);
			scenario.publishSecondHalf(producer);
			scenario.assertSettled(commands, "Redis Sentinel, master killed");
		}
		finally {
			instances.forEach(ConfigurableApplicationContext::close);
			client.shutdown();
		}
	}

}
