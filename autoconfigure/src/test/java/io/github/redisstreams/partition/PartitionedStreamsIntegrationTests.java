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

package io.github.redisstreams.partition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.actuate.RedisStreamsEndpoint;
import io.github.redisstreams.actuate.RedisStreamsEndpoint.ListenerDetailsDescriptor;
import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.autoconfigure.RedisStreamsEndpointAutoConfiguration;
import io.github.redisstreams.autoconfigure.RedisStreamsHealthAutoConfiguration;
import io.github.redisstreams.autoconfigure.RedisStreamsMetricsAutoConfiguration;
import io.github.redisstreams.autoconfigure.RedisStreamsServerCheckAutoConfiguration;
import io.github.redisstreams.health.RedisStreamsHealthIndicator;
import io.github.redisstreams.listener.StreamMessageContext;
import io.github.redisstreams.metrics.MicrometerListenerMetrics;
import io.github.redisstreams.publish.PublishRequest;
import io.github.redisstreams.publish.PublishResult;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.support.StreamKeys;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * A listener of a partitioned stream ({@code @RedisListener(partitions = "4")}) and the
 * publisher's routing, against a real Redis: same key, same partition, in publication
 * order; every partition consumed; retries and dead letters per partition; the endpoint
 * and the health show the partitions.
 */
class PartitionedStreamsIntegrationTests {

	private static final int PARTITIONS = 4;

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	private ApplicationContextRunner runner(String... properties) {
		return StreamsContextRunner.create(redis)
			.withConfiguration(AutoConfigurations.of(RedisStreamsServerCheckAutoConfiguration.class,
					RedisStreamsHealthAutoConfiguration.class, RedisStreamsEndpointAutoConfiguration.class))
			.withUserConfiguration(OrdersConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=redisstreams",
					"redis.streams.retry.max-retries=1", "redis.streams.retry.delay=100ms",
					"redis.streams.reclaim.interval=300ms")
			.withPropertyValues(properties);
	}

	@Test
	void messagesWithOneKeyGoToOnePartitionAndAreHandledInPublicationOrder() {
		runner().run((context) -> {
			Orders orders = context.getBean(Orders.class);
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			List<String> keys = keysCoveringEveryPartition();
			Map<String, List<String>> published = new LinkedHashMap<>();
			for (int i = 0; i < 200; i++) {
				String key = keys.get(i % keys.size());
				PublishResult result = publisher.publish(PublishRequest.to("orders")
					.payload(new Order("order-" + i))
					.header("customer", key)
					.partitionKey(key));
				assertThat(result.stream()).isEqualTo(partitionOf(key));
				assertThat(result.duplicate()).isFalse();
				published.computeIfAbsent(key, (k) -> new ArrayList<>()).add("order-" + i);
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> orders.handled.size() == 200);
			for (String key : keys) {
				List<Handled> ofKey = orders.handled.stream().filter((h) -> h.customer().equals(key)).toList();
				assertThat(ofKey).extracting(Handled::stream).containsOnly(partitionOf(key));
				assertThat(ofKey).extracting(Handled::payload).containsExactlyElementsOf(published.get(key));
			}
			assertThat(orders.handled.stream().map(Handled::stream).distinct()).hasSize(PARTITIONS);
			assertThat(this.client.sync().exists("orders")).as("nothing written to the unpartitioned name").isZero();
			for (int partition = 0; partition < PARTITIONS; partition++) {
				String stream = StreamKeys.partition("orders", partition);
				await().atMost(Duration.ofSeconds(10)).until(() -> this.client.pendingCount(stream, "it-app") == 0);
			}
		});
	}

	@Test
	void withoutAKeyMessagesAreSpreadOverThePartitions() {
		runner().run((context) -> {
			Orders orders = context.getBean(Orders.class);
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			for (int i = 0; i < 100; i++) {
				publisher.publish("orders", new Order("order-" + i), Map.of("customer", "none"));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> orders.handled.size() == 100);
			Set<String> streams = new TreeSet<>();
			orders.handled.forEach((handled) -> streams.add(handled.stream()));
			// 100 random choices among 4 partitions miss one with probability 4 *
			// 0.75^100
			assertThat(streams).hasSize(PARTITIONS);
		});
	}

	@Test
	void aFailingMessageIsRetriedAndDeadLetteredInItsOwnPartition() {
		runner().run((context) -> {
			Orders orders = context.getBean(Orders.class);
			String key = "customer-42";
			String partition = partitionOf(key);
			PublishResult poison = context.getBean(StreamPublisher.class)
				.publish(PublishRequest.to("orders")
					.payload(new Order("poison"))
					.header("customer", key)
					.partitionKey(key));
			String deadLetters = StreamKeys.deadLetterStream(partition);
			assertThat(deadLetters).isEqualTo(partition + ":dlq");
			await().atMost(Duration.ofSeconds(30)).until(() -> this.client.sync().xlen(deadLetters) == 1);
			List<StreamMessage<String, String>> entries = this.client.sync()
				.xrange(deadLetters, Range.create("-", "+"));
			assertThat(entries.get(0).getBody()).containsEntry("x-original-stream", partition)
				.containsEntry("x-original-id", poison.id())
				.containsEntry("x-reason", "retries-exhausted")
				.containsEntry("x-delivery-count", "2");
			assertThat(orders.attempts).containsExactly(partition + " 1", partition + " 2");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.pendingCount(partition, "it-app") == 0);
			assertThat(this.client.sync().exists("{orders}:dlq", "orders:dlq")).isZero();
		});
	}

	@Test
	void theEndpointAndTheHealthShowThePartitions() {
		runner().run((context) -> {
			Orders orders = context.getBean(Orders.class);
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			List<String> keys = keysCoveringEveryPartition();
			for (String key : keys) {
				publisher.publish(PublishRequest.to("orders")
					.payload(new Order("hello"))
					.header("customer", key)
					.partitionKey(key));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> orders.handled.size() == keys.size());
			// the acknowledgements go to Redis after the handlers returned
			await().atMost(Duration.ofSeconds(10))
				.until(() -> context.getBean(RedisStreamsEndpoint.class).listener("orders").stream().pending() == 0);
			ListenerDetailsDescriptor details = context.getBean(RedisStreamsEndpoint.class).listener("orders");
			assertThat(details).isNotNull();
			assertThat(details.listener().stream()).isEqualTo("orders");
			assertThat(details.listener().partitions()).isEqualTo(PARTITIONS);
			assertThat(details.partitions()).extracting(RedisStreamsEndpoint.StreamDescriptor::stream)
				.containsExactly("orders:{0}", "orders:{1}", "orders:{2}", "orders:{3}");
			assertThat(details.partitions()).allSatisfy((partition) -> {
				assertThat(partition.length()).isPositive();
				assertThat(partition.exists()).isTrue();
			});
			assertThat(details.stream().length()).isEqualTo(keys.size());
			assertThat(details.stream().pending()).isZero();
			assertThat(context.getBean(RedisStreamsEndpoint.class).redisStreams().streams())
				.extracting(RedisStreamsEndpoint.StreamDescriptor::stream)
				.containsExactly("orders:{0}", "orders:{1}", "orders:{2}", "orders:{3}");

			Health health = context.getBean(RedisStreamsHealthIndicator.class).health();
			@SuppressWarnings("unchecked")
			Map<String, Object> listener = (Map<String, Object>) ((Map<String, Object>) health.getDetails()
				.get("listeners")).get("orders");
			assertThat(listener).containsEntry("stream", "orders")
				.containsEntry("partitions", List.of("orders:{0}", "orders:{1}", "orders:{2}", "orders:{3}"))
				.containsEntry("length", (long) keys.size())
				.containsEntry("state", "running");
		});
	}

	@Test
	void eachPartitionHasItsOwnMeters() {
		runner("redis.streams.metrics.refresh-interval=200ms")
			.withConfiguration(AutoConfigurations.of(RedisStreamsMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> {
				Orders orders = context.getBean(Orders.class);
				List<String> keys = keysCoveringEveryPartition();
				for (String key : keys) {
					context.getBean(StreamPublisher.class)
						.publish(PublishRequest.to("orders")
							.payload(new Order("m"))
							.header("customer", key)
							.partitionKey(key));
				}
				await().atMost(Duration.ofSeconds(30)).until(() -> orders.handled.size() == keys.size());
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				List<String> partitions = List.of("orders:{0}", "orders:{1}", "orders:{2}", "orders:{3}");
				// one latency timer per partition, not the first partition's for all
				assertThat(meters.find(MicrometerListenerMetrics.LATENCY).timers())
					.extracting((timer) -> timer.getId().getTag("stream"))
					.containsExactlyInAnyOrderElementsOf(partitions);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(meters.find("redis.streams.stream.length").gauges())
						.extracting((gauge) -> gauge.getId().getTag("stream"))
						.containsExactlyInAnyOrderElementsOf(partitions));
			});
	}

	@Test
	void aPublisherOnlyApplicationRoutesByTheConfiguredPartitions() {
		StreamsContextRunner.create(redis)
			.withPropertyValues("redis.streams.publish.partitions.payments=3")
			.run((context) -> {
				PublishResult result = context.getBean(StreamPublisher.class)
					.publish(PublishRequest.to("payments").payload("p").partitionKey("customer-42"));
				assertThat(result.stream())
					.isEqualTo(StreamKeys.partition("payments", StreamKeys.partitionOf("customer-42", 3)));
				assertThat(this.client.sync().xlen(result.stream())).isEqualTo(1);
				// a key for a stream without known partitions would go where nobody reads
				assertThatIllegalStateException()
					.isThrownBy(() -> context.getBean(StreamPublisher.class)
						.publish(PublishRequest.to("refunds").payload("r").partitionKey("customer-42")))
					.withMessageContaining("redis.streams.publish.partitions[refunds]");
				assertThat(this.client.sync().exists("refunds")).isZero();
			});
	}

	private static String partitionOf(String key) {
		return StreamKeys.partition("orders", StreamKeys.partitionOf(key, PARTITIONS));
	}

	/** Keys such that every partition gets at least one, two keys on some. */
	private static List<String> keysCoveringEveryPartition() {
		List<String> keys = new ArrayList<>();
		Set<Integer> covered = new TreeSet<>();
		for (int i = 0; covered.size() < PARTITIONS || keys.size() < 6; i++) {
			String key = "customer-" + i;
			covered.add(StreamKeys.partitionOf(key, PARTITIONS));
			keys.add(key);
		}
		return keys;
	}

	record Handled(String stream, String customer, String payload) {
	}

	record Order(String id) {
	}

	static class Orders {

		final Queue<Handled> handled = new ConcurrentLinkedQueue<>();

		final Queue<String> attempts = new ConcurrentLinkedQueue<>();

		@RedisListener(stream = "orders", id = "orders", partitions = "" + PARTITIONS)
		void on(Order order, @Header("customer") String customer, StreamMessageContext context) {
			String payload = order.id();
			if (payload.equals("poison")) {
				this.attempts.add(context.stream() + " " + context.deliveryAttempt());
				throw new IllegalStateException("poison");
			}
			this.handled.add(new Handled(context.stream(), customer, payload));
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
