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

package io.github.redisstreams.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.deadletter.DeadLetterStreams;
import io.github.redisstreams.health.RedisStreamsHealthIndicator;
import io.github.redisstreams.listener.StreamListenerContainer;
import io.github.redisstreams.publish.PublishRequest;
import io.github.redisstreams.publish.PublishResult;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.retry.NonRetryableException;
import io.github.redisstreams.support.RedisServerInfo;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter run as a Redis user with only the rules it needs, and the startup check of
 * those rules (issue 12, inputs 1 and 2).
 */
@ExtendWith(OutputCaptureExtension.class)
class LeastPrivilegeIntegrationTests {

	/**
	 * The rules README's "Running with least privilege" gives for one stream,
	 * {@code orders}: every one the starter uses, none other.
	 */
	static final String LEAST_PRIVILEGE = "resetkeys ~orders ~{orders}* ~redis-streams:delayed-streams resetchannels "
			+ "-@all +ping +info +eval +evalsha "
			+ "+xreadgroup +xack +xpending +xclaim +xautoclaim +xlen +xinfo|groups +xinfo|consumers +zadd +zrange "
			+ "+zrangebyscore +zrem +zscore +zcard +get +set +del +xadd +xgroup|create +xgroup|delconsumer +type "
			+ "+client|id +client|unblock +time +watch +multi +exec +xrange +xrevrange +xdel +hget +hdel "
			+ "+command|info +command|docs +xinfo|stream";

	/**
	 * The rule README adds on Redis 8.6+ (older servers refuse it as unknown).
	 */
	static final String LEAST_PRIVILEGE_86 = "+xcfgset";

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	@AfterEach
	void deleteUser() {
		this.client.sync().aclDeluser("app");
	}

	@Test
	void aUserLimitedToTheStreamsOwnKeysIsToldToGrantTheDerivedKeys() {
		// input 1: ~orders* does not match {orders}:retry:it-app
		setUser("on >s3cret ~orders* +@all");
		runner().run((context) -> {
			assertThat(context).hasFailed();
			String message = rootMessage(context.getStartupFailure());
			assertThat(message).contains("The Redis user 'app' lacks permissions that Redis Streams needs")
				.contains("~{orders}*: '{orders}:retry:it-app' (EVALSHA, EVAL, ZADD, ZRANGEBYSCORE, ZREM, ZRANGE, "
						+ "ZSCORE, ZCARD), '{orders}:instance:it-app:it-node' (GET, SET, DEL), '{orders}:dlq' (XLEN, "
						+ "XADD, EVALSHA, EVAL)")
				.contains("Grant them with: ACL SETUSER app ~{orders}*")
				.contains("redis.streams.permission-check=report")
				.doesNotContain("+xreadgroup")
				.doesNotContain("+zadd");
		});
	}

	@Test
	void aHandWrittenRuleSetWithoutZrangeAndZcardIsToldWhichCommandsToGrant(CapturedOutput output) {
		// input 2: a plausible set that lacks time, zrange and zcard
		setUser("on >s3cret ~orders* ~{orders* +@stream +@connection +evalsha +eval +script|load +zadd +zrem "
				+ "+zrangebyscore +zscore +ping +info +client|setname");
		if (!serverChecksAclInScripts()) {
			// Redis 6.2 cannot be asked without +multi +discard:
			// the first refusal is named
			runner().withPropertyValues("redis.streams.health.failing-threshold=10m").run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("grant +multi +discard to check permissions at startup");
				StreamListenerContainer container = context.getBean(RedisStreamListenerRegistry.class)
					.getListenerContainer("orders");
				assertThat(container).isNotNull();
				await().atMost(TIMEOUT).until(container::isRefused);
				assertThat(container.getLastFailure()).contains("can't run this command")
					.contains("(in script claim-due.lua, which calls ZRANGEBYSCORE, ZREM, XPENDING, XCLAIM, ZRANGE)");
				Health health = context.getBean(RedisStreamsHealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			});
			return;
		}
		runner().run((context) -> {
			assertThat(context).hasFailed();
			String message = rootMessage(context.getStartupFailure());
			assertThat(message)
				.contains("+zrange: ZRANGE on '{orders}:retry:it-app' (listener 'orders' claims due " + "retries)")
				.contains("+zcard: ZCARD on '{orders}:retry:it-app'")
				.contains("+get: GET on '{orders}:instance:it-app:it-node'")
				.contains("Grant them with: ACL SETUSER app +zrange +get +set +del +zcard")
				// the scripts no longer read the server's clock: TIME is optional
				.doesNotContain("+time")
				.doesNotContain("~{orders}*");
		});
	}

	@Test
	void reportModeStartsWithTheHealthDownAndHealsWhenGranted(CapturedOutput output) {
		setUser("on >s3cret ~orders* +@all");
		runner().withPropertyValues("redis.streams.permission-check=report").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).contains("lacks permissions that Redis Streams needs");
			RedisStreamsHealthIndicator indicator = context.getBean(RedisStreamsHealthIndicator.class);
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat((List<?>) health.getDetails().get("errors")).anySatisfy(
					(error) -> assertThat(error).asString().contains("~{orders}*: '{orders}:retry:it-app' (EVALSHA"));

			this.client.setUser("app", "~{orders}*");
			this.client.sync().xadd("orders", Map.of("payload", "after-the-grant"));
			Orders orders = context.getBean(Orders.class);
			await().atMost(TIMEOUT).until(() -> orders.handled.contains("after-the-grant"));
			await().atMost(TIMEOUT).until(() -> indicator.health().getStatus().equals(Status.UP));
		});
	}

	@Test
	void theLeastPrivilegeRulesConsumeRetryDeadLetterRedriveAndPurge(CapturedOutput output) {
		setUser("on >s3cret " + LEAST_PRIVILEGE);
		runner().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).doesNotContain("lacks permissions");
			Orders orders = context.getBean(Orders.class);
			this.client.sync().xadd("orders", Map.of("payload", "plain"));
			this.client.sync().xadd("orders", Map.of("payload", "retry-1"));
			this.client.sync().xadd("orders", Map.of("payload", "poison-1"));
			await().atMost(TIMEOUT)
				.until(() -> orders.handled.stream().filter("retry-1"::equals).count() == 2
						&& orders.handled.contains("plain"));
			DeadLetterStreams deadLetters = context.getBean(DeadLetterStreams.class);
			await().atMost(TIMEOUT).until(() -> deadLetters.size("orders") == 1);
			await().atMost(TIMEOUT).until(() -> this.client.pendingCount("orders", "it-app") == 0);

			orders.healed = true;
			assertThat(deadLetters.redriveOldest("orders", 10).redriven()).hasSize(1);
			await().atMost(TIMEOUT).until(() -> orders.handled.stream().filter("poison-1"::equals).count() == 2);
			assertThat(deadLetters.size("orders")).isZero();

			orders.healed = false;
			this.client.sync().xadd("orders", Map.of("payload", "poison-2"));
			await().atMost(TIMEOUT).until(() -> deadLetters.size("orders") == 1);
			assertThat(deadLetters.purgeAll("orders")).isOne();
			assertThat(context.getBean(RedisStreamsHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
			assertThat(output).doesNotContain("NOPERM");
		});
	}

	@Test
	void theLeastPrivilegeRulesStartWithoutAWarningFromTheServerProbe(CapturedOutput output) {
		// append-only persistence on: the probe would warn about it whatever the rules
		this.client.sync().configSet("appendonly", "yes");
		try {
			setUser("on >s3cret " + LEAST_PRIVILEGE);
			runner().run((context) -> {
				assertThat(context).hasNotFailed();
				RedisServerInfo info = context.getBean(RedisServerProbe.class).getServerInfo();
				assertThat(info.warnings()).isEmpty();
				// asked, not inferred from the version
				assertThat(info.hasCapability(RedisServerInfo.XACKDEL)).isEqualTo(redis.server().hasCommand("XACKDEL"));
				assertThat(info.hasCapability(RedisServerInfo.XDELEX)).isEqualTo(redis.server().hasCommand("XDELEX"));
				assertThat(output).contains("Redis Streams: connected to " + info.getDescription());
				assertThat(output.getAll().lines()).noneMatch(
						(line) -> line.contains("WARN") && line.contains("Redis Streams: " + info.getDescription()));
			});
		}
		finally {
			this.client.sync().configSet("appendonly", "no");
		}
	}

	@Test
	void theCheckRunsNothing() {
		// a user allowed everything: every command of the check is asked about, none runs
		setUser("on >s3cret ~* +@all");
		runner().withPropertyValues("redis.streams.listener.auto-startup=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(this.client.sync().keys("*")).isEmpty();
		});
	}

	@Test
	void withoutTheOptionalRulesItWarnsWhatIsLostAndWorks(CapturedOutput output) {
		List<String> rules = new ArrayList<>(List.of(LEAST_PRIVILEGE.split(" ")));
		List<String> optional = List.of("+xgroup|create", "+xgroup|delconsumer", "+type", "+client|id",
				"+client|unblock", "+time", "+watch", "+multi", "+exec", "+xrange", "+xrevrange", "+xdel",
				"~redis-streams:delayed-streams", "+hget", "+hdel");
		rules.removeAll(optional);
		if (!serverChecksAclInScripts()) {
			rules.addAll(List.of("+multi", "+discard"));
		}
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("orders", "$"), "it-app", XGroupCreateArgs.Builder.mkstream());
		setUser("on >s3cret " + String.join(" ", rules));
		runner().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).contains("lacks permissions that Redis Streams can work without")
				.contains("+xgroup|create: XGROUP CREATE on 'orders' (listener 'orders' creates its consumer group at "
						+ "startup; without it the group must exist before the application starts)")
				.contains("+time: TIME (")
				.contains("+xdel: XDEL on '{orders}:dlq' (the dead-letters endpoint redrives dead letters; without "
						+ "it they cannot be redriven)")
				.contains("~redis-streams:delayed-streams: 'redis-streams:delayed-streams' (ZRANGE, EVALSHA, EVAL, "
						+ "ZSCORE, ZREM)")
				.contains("+hget: HGET on '{orders}:delayed:messages' (this instance moves delayed messages into "
						+ "'orders' when due");
			Orders orders = context.getBean(Orders.class);
			this.client.sync().xadd("orders", Map.of("payload", "retry-2"));
			await().atMost(TIMEOUT).until(() -> orders.handled.stream().filter("retry-2"::equals).count() == 2);
			await().atMost(TIMEOUT).until(() -> this.client.pendingCount("orders", "it-app") == 0);
			// no optional rule is needed to consume: CLIENT ID refused is not a failed
			// read
			assertThat(output).doesNotContain("reading stream 'orders' failed");
			// nor for the health: TIME refused, ages are measured by the application's
			// clock
			assertThat(context.getBean(RedisStreamsHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void onRedis86TheLeastPrivilegeRulesPublishOnceWithTheServersIdmp(CapturedOutput output) {
		assumeThat(redis.server().hasArgument("XADD", "IDMP")).as("the server documents XADD ... IDMP").isTrue();
		// the stream exists (creating one takes +xgroup|destroy too, see the README)
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("orders", "$"), "it-app", XGroupCreateArgs.Builder.mkstream());
		setUser("on >s3cret " + LEAST_PRIVILEGE + " " + LEAST_PRIVILEGE_86);
		runner().run((context) -> {
			assertThat(context).hasNotFailed();
			RedisServerInfo info = context.getBean(RedisServerProbe.class).getServerInfo();
			assertThat(info.hasCapability(RedisServerInfo.XADD_IDMP)).isTrue();
			assertThat(info.hasCapability(RedisServerInfo.XREADGROUP_CLAIM)).isTrue();
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			PublishResult first = publishOnce(publisher, "k-1");
			PublishResult again = publishOnce(publisher, "k-1");
			assertThat(first.duplicate()).isFalse();
			assertThat(again).isEqualTo(new PublishResult("orders", first.id(), true));
			assertThat(publishOnce(publisher, "k-2").duplicate()).isFalse();
			assertThat(this.client.sync().xlen("orders")).isEqualTo(2);
			// the server remembered the keys: no marker key was written
			assertThat(this.client.sync().keys("{orders}:published:*")).isEmpty();
			assertThat(xinfoStream("orders")).containsEntry("iids-added", 2L).containsEntry("pids-tracked", 1L);
			Orders orders = context.getBean(Orders.class);
			await().atMost(TIMEOUT).until(() -> orders.handled.size() == 2);
			assertThat(output).doesNotContain("NOPERM")
				.doesNotContain("may not run COMMAND DOCS")
				.doesNotContain("uses marker keys");
		});
	}

	@Test
	void onRedis86AUserWithoutXinfoStreamAndXcfgsetPublishesOnceWithMarkerKeys(CapturedOutput output) {
		assumeThat(redis.server().hasArgument("XADD", "IDMP")).as("the server documents XADD ... IDMP").isTrue();
		List<String> rules = new ArrayList<>(List.of(LEAST_PRIVILEGE.split(" ")));
		rules.remove("+xinfo|stream");
		// without +command|info too: the probe finds IDMP in COMMAND DOCS with or without
		// it
		rules.remove("+command|info");
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("orders", "$"), "it-app", XGroupCreateArgs.Builder.mkstream());
		setUser("on >s3cret " + String.join(" ", rules));
		runner().run((context) -> {
			assertThat(context).hasNotFailed();
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			PublishResult first = publishOnce(publisher, "k-1");
			assertThat(first.duplicate()).isFalse();
			for (int i = 0; i < 3; i++) {
				assertThat(publishOnce(publisher, "k-1")).isEqualTo(new PublishResult("orders", first.id(), true));
			}
			assertThat(publishOnce(publisher, "k-2").duplicate()).isFalse();
			assertThat(this.client.sync().xlen("orders")).isEqualTo(2);
			assertThat(this.client.sync().keys("{orders}:published:*"))
				.containsExactlyInAnyOrder("{orders}:published:6:it-app:k-1", "{orders}:published:6:it-app:k-2");
			assertThat(output.getOut().split("idempotent publishing uses marker keys from now on", -1)).hasSize(2);
			assertThat(output).contains("Redis refused the server's idempotent publishing on stream 'orders'")
				.contains("it lacks +xinfo|stream +xcfgset")
				.contains("grant the Redis user +xinfo|stream +xcfgset")
				.contains("redis.streams.publish.server-idempotency=false");
		});
	}

	@Test
	void onRedis84AUserWithoutXrangeRetriesWhenDueWithTheReclaimer(CapturedOutput output) {
		assumeThat(redis.server().hasArgument("XREADGROUP", "CLAIM")).as("the server documents XREADGROUP ... CLAIM")
			.isTrue();
		// refresh-parked.lua, which keeps parked retries from looking idle to a read with
		// CLAIM, calls XRANGE: optional in the README for the dead-letters endpoint
		List<String> rules = new ArrayList<>(List.of(LEAST_PRIVILEGE.split(" ")));
		rules.remove("+xrange");
		setUser("on >s3cret " + String.join(" ", rules));
		runner()
			.withPropertyValues("redis.streams.retry.delay=4s", "redis.streams.reclaim.min-idle-time=1s",
					"redis.streams.listener.poll-timeout=200ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Orders orders = context.getBean(Orders.class);
				this.client.sync().xadd("orders", Map.of("payload", "retry-3"));
				this.client.sync().xadd("orders", Map.of("payload", "plain-3"));
				await().atMost(TIMEOUT)
					.until(() -> orders.handled.stream().filter("retry-3"::equals).count() == 2
							&& orders.handled.contains("plain-3"));
				await().atMost(TIMEOUT).until(() -> this.client.pendingCount("orders", "it-app") == 0);
				List<Long> attempts = new ArrayList<>(orders.handledAt.get("retry-3"));
				// not taken by a read once idle for min-idle-time: retried when due
				assertThat(Duration.ofNanos(attempts.get(1) - attempts.get(0))).isGreaterThan(Duration.ofSeconds(3));
				assertThat(output).doesNotContain("reading stream 'orders' failed")
					.doesNotContain("could not keep the entries waiting for a retry from looking idle");
				assertThat(output.getOut().split("cannot be taken over in the reads", -1)).hasSize(2);
				assertThat(output).contains("they are reclaimed with XAUTOCLAIM every")
					.contains("Grant the Redis user +xpending +xrange +xclaim on the stream");
			});
	}

	@Test
	void onRedis82AUserWithoutXdelexTrimsBeforeTheOldestNeededEntry(CapturedOutput output) {
		assumeThat(redis.server().hasArgument("XDELEX", "ACKED")).as("the server documents XDELEX ... ACKED").isTrue();
		// retention needs +xtrim +exists (README); +xdelex is left out
		setUser("on >s3cret " + LEAST_PRIVILEGE + " +xtrim +exists");
		runner()
			.withPropertyValues("redis.streams.listeners.orders.retention.max-length=2",
					"redis.streams.retention.interval=200ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Orders orders = context.getBean(Orders.class);
				for (int i = 0; i < 5; i++) {
					this.client.sync().xadd("orders", Map.of("payload", "plain-" + i));
				}
				await().atMost(TIMEOUT).until(() -> orders.handled.size() == 5);
				await().atMost(TIMEOUT).until(() -> this.client.sync().xlen("orders") == 2);
				// named once, and not again over the next trimming intervals
				await().during(Duration.ofMillis(600))
					.atMost(TIMEOUT)
					.until(() -> output.getOut().split("with XDELEX ... ACKED was refused", -1).length == 2);
				assertThat(output).contains("Grant the Redis user +xdelex")
					.doesNotContain("trimming stream 'orders' failed");
			});
	}

	private PublishResult publishOnce(StreamPublisher publisher, String key) {
		return publisher.publish(PublishRequest.to("orders").payload("idempotent-" + key).idempotencyKey(key));
	}

	private Map<String, Object> xinfoStream(String stream) {
		List<Object> info = this.client.sync().xinfoStream(stream);
		Map<String, Object> fields = new LinkedHashMap<>();
		for (int i = 0; i + 1 < info.size(); i += 2) {
			fields.put(String.valueOf(info.get(i)), info.get(i + 1));
		}
		return fields;
	}

	private boolean serverChecksAclInScripts() {
		Long answer = this.client.sync()
			.eval("if redis.acl_check_cmd then return 1 end return 0", ScriptOutputType.INTEGER);
		return answer == 1;
	}

	private void setUser(String rules) {
		this.client.setUser("app", "reset " + rules);
	}

	private static String rootMessage(Throwable failure) {
		Throwable current = failure;
		while (current.getCause() != null) {
			current = current.getCause();
		}
		return String.valueOf(current.getMessage());
	}

	private static ApplicationContextRunner runner() {
		return StreamsContextRunner.create(redis)
			.withConfiguration(AutoConfigurations.of(RedisStreamsServerCheckAutoConfiguration.class,
					RedisStreamsHealthAutoConfiguration.class))
			.withUserConfiguration(OrdersConfiguration.class)
			.withPropertyValues("spring.data.redis.username=app", "spring.data.redis.password=s3cret",
					"spring.data.redis.timeout=5s", "redis.streams.retry.delay=100ms",
					"redis.streams.retry.jitter=0ms");
	}

	static class Orders {

		final Queue<String> handled = new ConcurrentLinkedQueue<>();

		final Map<String, Queue<Long>> handledAt = new ConcurrentHashMap<>();

		final Set<String> failed = ConcurrentHashMap.newKeySet();

		volatile boolean healed;

		@RedisListener(id = "orders", stream = "orders")
		void onOrder(String payload) {
			this.handled.add(payload);
			this.handledAt.computeIfAbsent(payload, (key) -> new ConcurrentLinkedQueue<>()).add(System.nanoTime());
			if (payload.startsWith("retry") && this.failed.add(payload)) {
				throw new IllegalStateException("the first attempt fails");
			}
			if (payload.startsWith("poison") && !this.healed) {
				throw new NonRetryableException("poison");
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrdersConfiguration {

		@Bean
		Orders orders() {
			return new Orders();
		}

	}

}
