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
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.autoconfigure.RedisStreamsAutoConfiguration;
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
 * A Redis Cluster master vanishes (SIGSTOP: its connections stay open and nothing
 * answers, as when a machine or its network is gone) while a consumer blocks on it, with
 * Spring Boot's default {@code spring.data.redis.timeout} of 60 s. The consumer must
 * recover within a few poll timeouts plus the cluster's failover time, not after the
 * command timeout (issue 12, input 7).
 */
@Tag("cluster")
class ClusterFailoverIntegrationTests {

	/** Well below the 60 s command timeout, so that waiting for it fails the test. */
	private static final Duration RECOVERY = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisClusterExtension cluster = new RedisClusterExtension();

	@Test
	void aConsumerBlockedOnAVanishedMasterRecoversWithoutWaitingForTheCommandTimeout(RedisCluster redis) {
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(ClusterApplication.class)
			.web(WebApplicationType.NONE)
			.properties(redis.springProperty(), "spring.application.name=cluster-app",
					"redis.streams.listener.instance-id=node-1", "redis.streams.listener.poll-timeout=1s")
			.run()) {
			Received received = app.getBean(Received.class);
			publish(redis.masterFor("orders"), "before");
			await().atMost(RECOVERY).until(() -> received.payloads.contains("before"));

			RedisServer paused = redis.pauseMaster("orders");
			try {
				RedisServer master = redis.masterFor("orders");
				long start = System.nanoTime();
				publish(master, "after");
				await().atMost(RECOVERY).until(() -> received.payloads.contains("after"));
				System.out.printf("[cluster-failover] processed %d ms after publication on the new master%n",
						Duration.ofNanos(System.nanoTime() - start).toMillis());
				await().atMost(RECOVERY).until(() -> pending(master) == 0);
				assertThat(received.payloads).containsExactly("before", "after");
			}
			finally {
				redis.resume(paused);
			}
		}
	}

	private static void publish(RedisServer master, String payload) {
		RedisClient client = RedisClient.create(RedisURI.create(master.host(), master.port()));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			connection.sync().xadd("orders", Map.of("payload", payload));
		}
		finally {
			client.shutdown();
		}
	}

	private static long pending(RedisServer master) {
		RedisClient client = RedisClient.create(RedisURI.create(master.host(), master.port()));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return connection.sync().xpending("orders", "cluster-app").getCount();
		}
		finally {
			client.shutdown();
		}
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
			RedisStreamsAutoConfiguration.class })
	static class ClusterApplication {

		@Bean
		Received received() {
			return new Received();
		}

	}

	static class Received {

		final Queue<String> payloads = new ConcurrentLinkedQueue<>();

		@RedisListener(stream = "orders")
		void onOrder(String payload) {
			this.payloads.add(payload);
		}

	}

}
