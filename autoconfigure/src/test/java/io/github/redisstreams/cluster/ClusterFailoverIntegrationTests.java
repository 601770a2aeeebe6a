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
import java.util.function.Function;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
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

	/**
	 * The nodes want a password, so that the test also shows that the starter's own
	 * topology read keeps the credentials Lettuce uses.
	 */
	private static final String PASSWORD = "s3cret";

	@RegisterExtension
	static final RedisClusterExtension cluster = new RedisClusterExtension().withArgs("--requirepass", PASSWORD,
			"--masterauth", PASSWORD);

	@Test
	void aConsumerBlockedOnAVanishedMasterRecoversWithoutWaitingForTheCommandTimeout(RedisCluster redis) {
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(ClusterApplication.class)
			.web(WebApplicationType.NONE)
			.properties(redis.springProperty(), "spring.data.redis.password=" + PASSWORD,
					"spring.application.name=cluster-app", "redis.streams.listener.instance-id=node-1",
					"redis.streams.listener.poll-timeout=1s")
			.run()) {
			Received received = app.getBean(Received.class);
			publish(redis.masterFor("orders"), "before");
			await().atMost(RECOVERY).until(() -> received.payloads.contains("before"));
			// its acknowledgement, sent after the handler returned, reached the replica
			// that takes over: else the new master delivers it again
			RedisServer first = redis.masterFor("orders");
			await().atMost(RECOVERY).until(() -> pending(first) == 0);
			onMaster(first, (commands) -> commands.waitForReplication(1, 5000));

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
		onMaster(master, (commands) -> commands.xadd("orders", Map.of("payload", payload)));
	}

	private static long pending(RedisServer master) {
		return onMaster(master, (commands) -> commands.xpending("orders", "cluster-app").getCount());
	}

	private static <T> T onMaster(RedisServer master, Function<RedisCommands<String, String>, T> action) {
		RedisClient client = RedisClient.create(RedisURI.builder()
			.withHost(master.host())
			.withPort(master.port())
			.withPassword(PASSWORD.toCharArray())
			.build());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return action.apply(connection.sync());
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
