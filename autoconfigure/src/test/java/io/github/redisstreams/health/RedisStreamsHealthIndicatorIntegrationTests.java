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

package io.github.redisstreams.health;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.autoconfigure.RedisStreamsHealthAutoConfiguration;
import io.github.redisstreams.autoconfigure.RedisStreamsServerCheckAutoConfiguration;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.listener.StreamListenerContainer;
import io.github.redisstreams.support.RedisServerProbe;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisStreamsHealthIndicator}: listener states, Redis going away, and a Redis
 * that is not there at startup.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisStreamsHealthIndicatorIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	@Test
	void upWithARunningListener() {
		runner().run((context) -> {
			OrdersListener listener = context.getBean(OrdersListener.class);
			this.client.sync().xadd("orders", Map.of("payload", "o-1"));
			await().atMost(TIMEOUT).until(() -> listener.received.contains("o-1"));
			await().atMost(TIMEOUT).until(() -> this.client.pendingCount("orders", "it-app") == 0);

			Health health = indicator(context).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(listener(health, "orders")).containsEntry("state", "running")
				.containsEntry("stream", "orders")
				.containsEntry("group", "it-app")
				.containsEntry("autoStartup", true)
				.containsEntry("groupExists", true)
				.containsEntry("length", 1L)
				.containsEntry("pending", 0L)
				.containsEntry("deadLetterLength", 0L)
				.doesNotContainKey("oldestPendingAge");
			Map<String, Object> server = details(health, "server");
			assertThat(server).containsEntry("name", redis.server().serverName())
				.containsEntry("version", redis.server().version())
				.containsEntry("supported", true)
				.containsEntry("maxmemoryPolicy", "noeviction")
				.containsEntry("appendOnly", false);
			assertThat(server.get("capabilities")).asString().contains("XAUTOCLAIM", "XREADGROUP");
			assertThat((List<?>) server.get("warnings")).singleElement()
				.asString()
				.contains("acknowledged publishes can be lost when "
						+ (redis.server().serverName().equals("valkey") ? "Valkey" : "Redis") + " restarts");
			assertThat(health.getDetails()).doesNotContainKeys("errors", "warnings");
		});
	}

	@Test
	void downWhenAListenerThatStartsWithTheApplicationIsStopped() {
		runner().run((context) -> {
			RedisStreamListenerRegistry registry = context.getBean(RedisStreamListenerRegistry.class);
			assertThat(indicator(context).health().getStatus()).isEqualTo(Status.UP);

			registry.stopListener("orders");
			Health health = indicator(context).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(listener(health, "orders")).containsEntry("state", "stopped");
			assertThat((List<?>) health.getDetails().get("errors")).singleElement()
				.asString()
				.contains("listener 'orders' is stopped");

			registry.startListener("orders");
			assertThat(indicator(context).health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void upWhenAListenerThatDoesNotStartWithTheApplicationIsStopped() {
		runner().withPropertyValues("redis.streams.listeners.orders.auto-startup=false").run((context) -> {
			Health health = indicator(context).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(listener(health, "orders")).containsEntry("state", "stopped")
				.containsEntry("autoStartup", false);
		});
	}

	@Test
	void downWhileRedisIsDownAndUpAgainWhenItIsBack() {
		runner().run((context) -> {
			RedisStreamsHealthIndicator indicator = indicator(context);
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
			redis.kill();
			try {
				Health health = indicator.health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsKey("error");
			}
			finally {
				redis.start();
			}
			await().atMost(TIMEOUT).until(() -> indicator.health().getStatus().equals(Status.UP));
			// the consumer reconnects after its back-off delay
			await().atMost(TIMEOUT).until(() -> "running".equals(listener(indicator.health(), "orders").get("state")));
		});
	}

	@Test
	void redisThatIsNotThereAtStartupIsCheckedWhenTheHealthIsFirstRequested() {
		redis.kill();
		try {
			runner().run((context) -> {
				assertThat(context).hasNotFailed();
				RedisServerProbe probe = context.getBean(RedisServerProbe.class);
				assertThat(probe.getServerInfoIfProbed()).isNull();
				assertThat(indicator(context).health().getStatus()).isEqualTo(Status.DOWN);

				redis.start();
				await().atMost(TIMEOUT).until(() -> indicator(context).health().getStatus().equals(Status.UP));
				assertThat(probe.getServerInfoIfProbed()).isNotNull();
				assertThat(details(indicator(context).health(), "server")).containsEntry("version",
						redis.server().version());
			});
		}
		finally {
			redis.start();
		}
	}

	@Test
	void aKeyOfTheWrongTypeIsARefusalDownAtOnceNamingTheKeyItsTypeAndTheFix(CapturedOutput output) {
		// an old list queue under the stream's name (issue 12, input 4)
		this.client.sync().rpush("orders", "job-1", "job-2");
		runner().withPropertyValues("redis.streams.health.failing-threshold=10m").run((context) -> {
			StreamListenerContainer container = container(context);
			await().atMost(TIMEOUT).until(container::isRefused);
			Health health = indicator(context).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			String lastFailure = "key 'orders' holds a list, not a stream: WRONGTYPE Operation against a key holding "
					+ "the wrong kind of value; fix: delete or rename the key that is not a stream, or point the "
					+ "listener at another stream";
			assertThat(listener(health, "orders")).containsEntry("state", "failing")
				.containsEntry("lastFailure", lastFailure);
			assertThat((List<?>) health.getDetails().get("errors")).singleElement()
				.isEqualTo("listener 'orders' is refused by Redis: " + lastFailure);
			// the state is recorded just before the line is logged
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(output).contains("ERROR")
					.contains("Listener 'orders': key 'orders' holds a list, not a stream"));
			// the list goes away: the listener creates its stream and group and recovers
			this.client.sync().del("orders");
			await().atMost(TIMEOUT).until(() -> indicator(context).health().getStatus().equals(Status.UP));
			assertThat(container.isRefused()).isFalse();
			assertThat(container.getFailingFor()).isNull();
			assertThat(container.getLastFailure()).isNull();
			assertThat(listener(indicator(context).health(), "orders")).doesNotContainKeys("failingFor", "lastFailure");
		});
	}

	@Test
	void aTransientFailureIsDownAfterTheThresholdCountedFromTheFirstFailureNotFromTheFirstHealthCheck() {
		// Redis is full and the group cannot be created: refused with OOM until memory is
		// freed, a transient failure (issue 12, input 6)
		this.client.sync().configSet("maxmemory", "1");
		try {
			runner().withPropertyValues("redis.streams.health.failing-threshold=2s").run((context) -> {
				StreamListenerContainer container = container(context);
				// nobody asks the health indicator while the listener fails for 3 s
				await().atMost(TIMEOUT)
					.until(() -> container.getFailingFor() != null
							&& container.getFailingFor().compareTo(Duration.ofSeconds(3)) >= 0);
				assertThat(container.isRefused()).isFalse();
				Health first = indicator(context).health();
				assertThat(first.getStatus()).isEqualTo(Status.DOWN);
				assertThat(listener(first, "orders")).containsEntry("state", "failing");
				assertThat((String) listener(first, "orders").get("lastFailure")).contains("OOM");
				assertThat((List<?>) first.getDetails().get("errors")).singleElement()
					.asString()
					.containsPattern("listener 'orders' has been failing to talk to Redis for PT([3-9]|[1-9][0-9])");
				this.client.sync().configSet("maxmemory", "0");
				await().atMost(TIMEOUT).until(() -> indicator(context).health().getStatus().equals(Status.UP));
			});
		}
		finally {
			this.client.sync().configSet("maxmemory", "0");
		}
	}

	@Test
	void aMissingPermissionIsARefusalThatNeitherReconnectsNorWaitsAndHealsWhenGranted(CapturedOutput output) {
		// the application's user may not read from the stream (issue 12, input 5)
		this.client.sync()
			.aclSetuser("app",
					AclSetuserArgs.Builder.on()
						.addPassword("s3cret")
						.allKeys()
						.allCommands()
						.removeCommand(CommandType.XREADGROUP));
		try {
			runner()
				.withPropertyValues("spring.data.redis.username=app", "spring.data.redis.password=s3cret",
						"redis.streams.health.failing-threshold=10m",
						// the refusal at runtime, not the startup check's
						"redis.streams.permission-check=none")
				.run((context) -> {
					StreamListenerContainer container = container(context);
					await().atMost(TIMEOUT).until(container::isRefused);
					Health health = indicator(context).health();
					assertThat(health.getStatus()).isEqualTo(Status.DOWN);
					assertThat((List<?>) health.getDetails().get("errors")).singleElement()
						.asString()
						.startsWith("listener 'orders' is refused by Redis: reading stream 'orders' failed: NOPERM")
						.contains("'xreadgroup'")
						.contains("fix: grant the Redis user that command and key pattern");
					// the state is recorded just before the line is logged
					await().atMost(TIMEOUT).until(() -> countLines(output, "Redis refuses this every time") == 1);
					// no reconnect churn: further failed attempts reuse the connection
					long attempts = container.getFailedAttempts();
					long connections = connectionsReceived();
					await().atMost(TIMEOUT).until(() -> container.getFailedAttempts() >= attempts + 2);
					assertThat(connectionsReceived()).isEqualTo(connections);
					// granted at runtime: it resumes by itself
					this.client.sync().aclSetuser("app", AclSetuserArgs.Builder.addCommand(CommandType.XREADGROUP));
					this.client.sync().xadd("orders", Map.of("payload", "after-the-grant"));
					OrdersListener listener = context.getBean(OrdersListener.class);
					await().atMost(TIMEOUT).until(() -> listener.received.contains("after-the-grant"));
					assertThat(container.isRefused()).isFalse();
					assertThat(indicator(context).health().getStatus()).isEqualTo(Status.UP);
				});
		}
		finally {
			this.client.sync().aclDeluser("app");
		}
	}

	@Test
	void aMasterWithoutTheReplicasItRequiresIsARefusalNamedAtOnceAndHealsWhenSatisfied(CapturedOutput output) {
		// min-replicas-to-write 1 and no replica: Redis refuses every write, XREADGROUP
		// included, until a replica is back (as after a Sentinel failover with that
		// setting)
		runner().withPropertyValues("redis.streams.health.failing-threshold=10m").run((context) -> {
			StreamListenerContainer container = container(context);
			OrdersListener listener = context.getBean(OrdersListener.class);
			this.client.sync().xadd("orders", Map.of("payload", "before"));
			await().atMost(TIMEOUT).until(() -> listener.received.contains("before"));
			this.client.sync().configSet("min-replicas-to-write", "1");
			try {
				await().atMost(TIMEOUT).until(container::isRefused);
				Health health = indicator(context).health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat((List<?>) health.getDetails().get("errors")).singleElement()
					.asString()
					.startsWith("listener 'orders' is refused by Redis: ")
					.contains("NOREPLICAS Not enough good replicas to write")
					.contains("fix: bring the master's replicas back, or lower its min-replicas-to-write");
				// the state is recorded just before the line is logged
				await().atMost(TIMEOUT).until(() -> countLines(output, "Redis refuses this every time") == 1);
			}
			finally {
				this.client.sync().configSet("min-replicas-to-write", "0");
			}
			this.client.sync().xadd("orders", Map.of("payload", "after"));
			await().atMost(TIMEOUT).until(() -> listener.received.contains("after"));
			assertThat(container.isRefused()).isFalse();
			assertThat(indicator(context).health().getStatus()).isEqualTo(Status.UP);
		});
	}

	private long connectionsReceived() {
		for (String line : this.client.sync().info("stats").split("\\r?\\n")) {
			if (line.startsWith("total_connections_received:")) {
				return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
			}
		}
		throw new IllegalStateException("No total_connections_received in INFO stats");
	}

	private static long countLines(CapturedOutput output, String text) {
		return output.getAll().lines().filter((line) -> line.contains(text)).count();
	}

	private static StreamListenerContainer container(ApplicationContext context) {
		StreamListenerContainer container = context.getBean(RedisStreamListenerRegistry.class)
			.getListenerContainer("orders");
		assertThat(container).isNotNull();
		return container;
	}

	private static ApplicationContextRunner runner() {
		return StreamsContextRunner.create(redis)
			.withConfiguration(AutoConfigurations.of(RedisStreamsServerCheckAutoConfiguration.class,
					RedisStreamsHealthAutoConfiguration.class))
			.withUserConfiguration(OrdersListenerConfiguration.class)
			.withPropertyValues("spring.data.redis.timeout=2s", "spring.data.redis.connect-timeout=1s");
	}

	static RedisStreamsHealthIndicator indicator(ApplicationContext context) {
		return context.getBean(RedisStreamsHealthIndicator.class);
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> details(Health health, String name) {
		return (Map<String, Object>) health.getDetails().get(name);
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> listener(Health health, String id) {
		Map<String, Object> listeners = details(health, "listeners");
		assertThat(listeners).as("listeners in %s", health).isNotNull().containsKey(id);
		return (Map<String, Object>) listeners.get(id);
	}

	static class OrdersListener {

		final Queue<String> received = new ConcurrentLinkedQueue<>();

		@RedisListener(id = "orders", stream = "orders")
		void onOrder(String payload) {
			this.received.add(payload);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrdersListenerConfiguration {

		@Bean
		OrdersListener ordersListener() {
			return new OrdersListener();
		}

	}

}
