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

package io.github.redisstreams.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.Range;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.support.StreamKeys;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Publishing at most once per idempotency key: with the server's {@code XADD ... IDMP}
 * where it documents it (Redis 8.6+) and {@code redis.streams.publish.server-idempotency}
 * is on, else with marker keys. Each test checks which path ran.
 */
class IdempotentPublishingIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	private static boolean serverDeduplicates() {
		return redis.server().hasArgument("XADD", "IDMP");
	}

	private ApplicationContextRunner runner(String... properties) {
		return StreamsContextRunner.create(redis).withPropertyValues(properties);
	}

	private static PublishResult publish(StreamPublisher publisher, String stream, String key, int amount) {
		return publisher.publish(PublishRequest.to(stream).payload(Map.of("amount", amount)).idempotencyKey(key));
	}

	@Test
	void aRepeatedKeyIsPublishedOnceAndReturnsTheFirstEntryId() {
		runner().run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			// the stream does not exist before the first publication
			PublishResult first = publish(publisher, "payments", "pay-1", 10);
			PublishResult again = publish(publisher, "payments", "pay-1", 99);
			PublishResult other = publish(publisher, "payments", "pay-2", 20);
			assertThat(first.duplicate()).isFalse();
			assertThat(again.duplicate()).isTrue();
			assertThat(again.id()).isEqualTo(first.id());
			assertThat(again.stream()).isEqualTo("payments");
			assertThat(other.duplicate()).isFalse();
			assertThat(other.id()).isNotEqualTo(first.id());
			assertThat(this.client.sync().xlen("payments")).isEqualTo(2);
			assertThat(this.client.sync().xrange("payments", Range.create("-", "+")).get(0).getBody())
				.containsEntry("payload", "{\"amount\":10}");
			assertThat(this.client.sync().xinfoGroups("payments")).isEmpty();
			List<String> markers = this.client.sync().keys("{payments}:published:*");
			if (serverDeduplicates()) {
				assertThat(markers).isEmpty();
				assertThat(xinfo("payments")).containsEntry("iids-added", 2L).containsEntry("idmp-duration", 86400L);
			}
			else {
				assertThat(markers).containsExactlyInAnyOrder("{payments}:published:6:it-app:pay-1",
						"{payments}:published:6:it-app:pay-2");
				assertThat(this.client.sync().pttl("{payments}:published:6:it-app:pay-1"))
					.isBetween(Duration.ofHours(23).toMillis(), Duration.ofHours(24).toMillis());
			}
		});
	}

	@Test
	void instancesOfOneApplicationShareTheKeysAndOtherApplicationsDoNot() {
		runner().run((one) -> runner().run((two) -> runner("spring.application.name=other-app").run((other) -> {
			PublishResult first = publish(one.getBean(StreamPublisher.class), "refunds", "r-1", 1);
			PublishResult fromTwo = publish(two.getBean(StreamPublisher.class), "refunds", "r-1", 1);
			PublishResult fromOther = publish(other.getBean(StreamPublisher.class), "refunds", "r-1", 1);
			assertThat(fromTwo.duplicate()).isTrue();
			assertThat(fromTwo.id()).isEqualTo(first.id());
			assertThat(fromOther.duplicate()).isFalse();
			assertThat(this.client.sync().xlen("refunds")).isEqualTo(2);
		})));
	}

	@Test
	void fivePublicationsOfOneKeyAtOnceFromTwoInstancesAddOneEntry() {
		runner().run((one) -> runner().run((two) -> {
			List<StreamPublisher> publishers = List.of(one.getBean(StreamPublisher.class),
					two.getBean(StreamPublisher.class));
			ExecutorService executor = Executors.newFixedThreadPool(5);
			try {
				CountDownLatch start = new CountDownLatch(1);
				List<Future<PublishResult>> results = new ArrayList<>();
				for (int i = 0; i < 5; i++) {
					StreamPublisher publisher = publishers.get(i % 2);
					results.add(executor.submit(() -> {
						start.await();
						return publish(publisher, "captures", "c-1", 1);
					}));
				}
				start.countDown();
				List<PublishResult> published = new ArrayList<>();
				for (Future<PublishResult> result : results) {
					published.add(result.get(30, TimeUnit.SECONDS));
				}
				assertThat(published).filteredOn((result) -> !result.duplicate()).hasSize(1);
				String id = published.stream().filter((result) -> !result.duplicate()).findFirst().orElseThrow().id();
				assertThat(published).extracting(PublishResult::id).containsOnly(id);
				assertThat(this.client.sync().xlen("captures")).isEqualTo(1);
			}
			finally {
				executor.shutdownNow();
			}
		}));
	}

	@Test
	void afterTheWindowTheSameKeyIsPublishedAgain() {
		runner("redis.streams.publish.idempotency-window=1s").run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			PublishResult first = publish(publisher, "reminders", "r-1", 1);
			assertThat(publish(publisher, "reminders", "r-1", 1).duplicate()).isTrue();
			await().atMost(Duration.ofSeconds(10)).until(() -> !publish(publisher, "reminders", "r-1", 1).duplicate());
			assertThat(this.client.sync().xlen("reminders")).isEqualTo(2);
			assertThat(first.duplicate()).isFalse();
		});
	}

	@Test
	void withServerIdempotencyOffMarkerKeysAreUsedOnEveryServer() {
		runner("redis.streams.publish.server-idempotency=false").run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			PublishResult first = publish(publisher, "invoices", "i-1", 1);
			assertThat(publish(publisher, "invoices", "i-1", 1))
				.isEqualTo(new PublishResult("invoices", first.id(), true));
			assertThat(this.client.sync().get("{invoices}:published:6:it-app:i-1")).isEqualTo(first.id());
			assertThat(this.client.sync().xlen("invoices")).isEqualTo(1);
		});
	}

	@Test
	void onAPartitionedStreamTheIdempotencyKeyChoosesThePartition() {
		runner("redis.streams.publish.partitions.orders=4").run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			PublishResult first = publish(publisher, "orders", "o-42", 1);
			PublishResult again = publish(publisher, "orders", "o-42", 1);
			assertThat(first.stream()).isEqualTo("orders:{" + StreamKeys.partitionOf("o-42", 4) + "}");
			assertThat(again).isEqualTo(new PublishResult(first.stream(), first.id(), true));
			long total = 0;
			for (int partition = 0; partition < 4; partition++) {
				total += this.client.sync().xlen("orders:{" + partition + "}");
			}
			assertThat(total).isEqualTo(1);
		});
	}

	@Test
	void withoutAnApplicationNameAnIdempotentPublishIsRefusedNamingTheProperty() {
		runner("spring.application.name=").run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			assertThatIllegalStateException().isThrownBy(() -> publish(publisher, "payments", "p-1", 1))
				.withMessageContaining("spring.application.name");
			assertThat(this.client.sync().exists("payments")).isZero();
			// without a key, nothing changes
			assertThat(publisher.publish(PublishRequest.to("payments").payload(Map.of("amount", 1))).duplicate())
				.isFalse();
		});
	}

	@Test
	void aWindowSetByAnotherPublisherIsKeptAndNobodysKeysAreForgotten() {
		assumeThat(serverDeduplicates()).as("XADD ... IDMP (Redis 8.6+)").isTrue();
		runner("redis.streams.publish.idempotency-window=1h")
			.run((one) -> runner("spring.application.name=other-app").run((other) -> {
				PublishResult first = publish(one.getBean(StreamPublisher.class), "ledger", "k1", 1);
				publish(other.getBean(StreamPublisher.class), "ledger", "kx", 2);
				PublishResult again = publish(one.getBean(StreamPublisher.class), "ledger", "k1", 1);
				assertThat(again).isEqualTo(new PublishResult("ledger", first.id(), true));
				assertThat(this.client.sync().xlen("ledger")).isEqualTo(2);
				assertThat(xinfo("ledger")).containsEntry("idmp-duration", 3600L);
			}));
	}

	@Test
	void aKeyPublishedWithAMarkerIsNotPublishedAgainWithTheServersDeduplication() {
		runner("redis.streams.publish.server-idempotency=false").run((markers) -> runner().run((server) -> {
			PublishResult first = publish(markers.getBean(StreamPublisher.class), "ledger", "k1", 1);
			PublishResult again = publish(server.getBean(StreamPublisher.class), "ledger", "k1", 1);
			assertThat(again).isEqualTo(new PublishResult("ledger", first.id(), true));
			assertThat(this.client.sync().xlen("ledger")).isEqualTo(1);
		}));
	}

	@Test
	void aServerThatRefusesIdmpIsLeftForMarkerKeysWithoutLosingThePublish() {
		assumeThat(serverDeduplicates()).as("a server without XADD ... IDMP").isFalse();
		runner().run((context) -> {
			RedisStreamPublisher publisher = new RedisStreamPublisher(
					new StringRedisTemplate(context.getBean(RedisConnectionFactory.class)),
					JsonMapper.builder().build());
			// told the server deduplicates, as a probe of another node of a mixed cluster
			// could
			publisher.setIdempotency("it-app", Duration.ofHours(1), () -> true);
			PublishResult first = publish(publisher, "ledger", "k1", 1);
			PublishResult again = publish(publisher, "ledger", "k1", 1);
			assertThat(first.duplicate()).isFalse();
			assertThat(again).isEqualTo(new PublishResult("ledger", first.id(), true));
			assertThat(this.client.sync().xlen("ledger")).isEqualTo(1);
			assertThat(this.client.sync().get("{ledger}:published:6:it-app:k1")).isEqualTo(first.id());
		});
	}

	@Test
	void aPublishWithMoreFieldsThanAScriptTakesIsRefusedBeforeAnythingIsSent() {
		runner().run((context) -> {
			Map<String, String> headers = new LinkedHashMap<>();
			for (int i = 0; i < 3500; i++) {
				headers.put("h" + i, "v");
			}
			assertThatIllegalArgumentException()
				.isThrownBy(() -> context.getBean(StreamPublisher.class)
					.publish(PublishRequest.to("wide").payload(Map.of("n", 1)).headers(headers).idempotencyKey("w")))
				.withMessageContaining("at most 3500 fields");
			assertThat(this.client.sync().exists("wide")).isZero();
		});
	}

	private Map<String, Object> xinfo(String stream) {
		List<Object> info = this.client.sync().xinfoStream(stream);
		Map<String, Object> fields = new LinkedHashMap<>();
		for (int i = 0; i + 1 < info.size(); i += 2) {
			fields.put(String.valueOf(info.get(i)), info.get(i + 1));
		}
		return fields;
	}

}
