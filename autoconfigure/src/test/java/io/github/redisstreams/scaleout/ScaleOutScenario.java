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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisSortedSetCommands;
import io.lettuce.core.api.sync.RedisStreamCommands;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.autoconfigure.RedisStreamsAutoConfiguration;
import io.github.redisstreams.retry.NonRetryableException;
import io.github.redisstreams.support.StreamKeys;

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
 * What the scale-out tests share: 8 streams consumed by application instances started
 * here, entries published in two halves around a fault, and the check that afterwards
 * every entry is processed or (the poison ones) dead-lettered and nothing is pending or
 * scheduled for a retry. Entries processed twice (in flight at the fault) are counted and
 * reported, not failed.
 */
final class ScaleOutScenario {

	static final List<String> STREAMS = List.of("scale-0", "scale-1", "scale-2", "scale-3", "scale-4", "scale-5",
			"scale-6", "scale-7");

	/**
	 * The partitions of the stream {@code scale} that {@link PartitionedScaleApplication}
	 * reads.
	 */
	static final List<String> PARTITIONS = List.of("scale:{0}", "scale:{1}", "scale:{2}", "scale:{3}", "scale:{4}",
			"scale:{5}", "scale:{6}", "scale:{7}");

	static final String GROUP = "scale-app";

	static final int PER_STREAM = 150;

	private static final int POISON_EVERY = 50;

	private static final Duration SETTLE = Duration.ofSeconds(90);

	/** Simulated work per entry, so that a fault hits entries in flight. */
	private static final Duration PROCESSING_TIME = Duration.ofMillis(20);

	/** Processed payloads and how often each was processed, across all instances. */
	static final Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();

	private final Set<String> published = new LinkedHashSet<>();

	private final List<String> streams;

	private int unsettledAtFault;

	/**
	 * Write one entry and return whether a replica has it ({@code XADD}, then
	 * {@code WAIT 1} on the same node); a failure or {@code false} means: ask again.
	 */
	interface Producer {

		boolean publish(String stream, String payload);

	}

	/**
	 * A scenario on the 8 streams of {@link ScaleApplication}.
	 */
	ScaleOutScenario() {
		this(STREAMS);
	}

	/**
	 * A scenario on the given streams.
	 * @param streams the stream keys entries are published to
	 */
	ScaleOutScenario(List<String> streams) {
		this.streams = streams;
		processed.clear();
	}

	/**
	 * Start an application instance that consumes the 8 streams.
	 * @param instanceId the instance id
	 * @param redisProperties where Redis is
	 * @return the running instance
	 */
	static ConfigurableApplicationContext startInstance(String instanceId, String... redisProperties) {
		return startInstance(ScaleApplication.class, instanceId, redisProperties);
	}

	/**
	 * Start an application instance.
	 * @param application the application's configuration
	 * @param instanceId the instance id
	 * @param redisProperties where Redis is
	 * @return the running instance
	 */
	static ConfigurableApplicationContext startInstance(Class<?> application, String instanceId,
			String... redisProperties) {
		return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
			.properties(redisProperties)
			.properties("spring.application.name=" + GROUP, "redis.streams.listener.instance-id=" + instanceId,
					"redis.streams.listener.poll-timeout=500ms", "redis.streams.reclaim.interval=500ms",
					"redis.streams.reclaim.min-idle-time=3s", "redis.streams.retry.delay=100ms")
			.run();
	}

	/**
	 * Publish the first half of every stream's entries.
	 * @param producer the producer
	 */
	void publishFirstHalf(Producer producer) {
		publish(producer, 0, PER_STREAM / 2);
		this.unsettledAtFault = this.published.size() - processed.size();
	}

	/**
	 * Publish the second half of every stream's entries.
	 * @param producer the producer
	 */
	void publishSecondHalf(Producer producer) {
		publish(producer, PER_STREAM / 2, PER_STREAM);
		assertThat(this.published).hasSize(this.streams.size() * PER_STREAM);
	}

	private void publish(Producer producer, int from, int to) {
		for (int i = from; i < to; i++) {
			for (String stream : this.streams) {
				String payload = stream + "#" + i;
				await().atMost(SETTLE).pollDelay(Duration.ZERO).until(() -> {
					try {
						return producer.publish(stream, payload);
					}
					catch (RuntimeException ex) {
						return false;
					}
				});
				this.published.add(payload);
			}
		}
	}

	/**
	 * Wait until every entry is processed or dead-lettered and nothing is pending or
	 * scheduled, assert that nothing was lost and that exactly the poison entries were
	 * dead-lettered, and report.
	 * @param <C> the commands of a connection that reaches every stream
	 * @param commands the commands
	 * @param fault what happened, for the report
	 */
	<C extends RedisStreamCommands<String, String> & RedisSortedSetCommands<String, String>> void assertSettled(
			C commands, String fault) {
		await().atMost(SETTLE).until(() -> settled(commands));
		Set<String> poison = new HashSet<>();
		for (String payload : this.published) {
			if (isPoison(payload)) {
				poison.add(payload);
			}
		}
		Set<String> deadLettered = deadLettered(commands);
		Set<String> lost = new HashSet<>(this.published);
		lost.removeAll(processed.keySet());
		lost.removeAll(deadLettered);
		int duplicates = processed.values().stream().mapToInt((count) -> count.get() - 1).sum();
		System.out.printf(
				"[scale-out] %s: published %d, processed %d, dead-lettered %d, lost %d, processed twice or more %d; "
						+ "%d not yet settled at the fault%n",
				fault, this.published.size(), processed.size(), deadLettered.size(), lost.size(), duplicates,
				this.unsettledAtFault);
		assertThat(lost).as("lost entries").isEmpty();
		assertThat(deadLettered).isEqualTo(poison);
	}

	private <C extends RedisStreamCommands<String, String> & RedisSortedSetCommands<String, String>> boolean settled(
			C commands) {
		Set<String> done = new HashSet<>(processed.keySet());
		done.addAll(deadLettered(commands));
		if (!done.containsAll(this.published)) {
			return false;
		}
		for (String stream : this.streams) {
			if (commands.xpending(stream, GROUP).getCount() > 0
					|| commands.zcard(StreamKeys.retrySchedule(stream, GROUP)) > 0) {
				return false;
			}
		}
		return true;
	}

	private Set<String> deadLettered(RedisStreamCommands<String, String> commands) {
		Set<String> payloads = new HashSet<>();
		for (String stream : this.streams) {
			for (StreamMessage<String, String> deadLetter : commands.xrange(StreamKeys.deadLetterStream(stream),
					Range.create("-", "+"))) {
				payloads.add(deadLetter.getBody().get("payload"));
			}
		}
		return payloads;
	}

	/**
	 * Whether the number after the {@code #} marks a poison entry; a payload that
	 * {@code StreamPublisher} wrote is JSON, so its closing quote is ignored.
	 */
	static boolean isPoison(String payload) {
		String number = payload.substring(payload.lastIndexOf('#') + 1).replace("\"", "");
		return Integer.parseInt(number) % POISON_EVERY == POISON_EVERY - 1;
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
			RedisStreamsAutoConfiguration.class })
	static class ScaleApplication {

		@Bean
		ScaleListeners scaleListeners() {
			return new ScaleListeners();
		}

	}

	/**
	 * One listener of the stream {@code scale} with 8 partitions, {@link #PARTITIONS}.
	 */
	@SpringBootConfiguration
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
			RedisStreamsAutoConfiguration.class })
	static class PartitionedScaleApplication {

		@Bean
		PartitionedScaleListener partitionedScaleListener() {
			return new PartitionedScaleListener();
		}

	}

	static class PartitionedScaleListener {

		@RedisListener(stream = "scale", id = "scale", partitions = "8")
		void on(String payload) {
			ScaleListeners.handle(payload);
		}

	}

	static class ScaleListeners {

		@RedisListener(stream = "scale-0")
		void on0(String payload) {
			handle(payload);
		}

		@RedisListener(stream = "scale-1")
		void on1(String payload) {
			handle(payload);
		}

		@RedisListener(stream = "scale-2")
		void on2(String payload) {
			handle(payload);
		}

		@RedisListener(stream = "scale-3")
		void on3(String payload) {
			handle(payload);
		}

		@RedisListener(stream = "scale-4")
		void on4(String payload) {
			handle(payload);
		}

		@RedisListener(stream = "scale-5")
		void on5(String payload) {
			handle(payload);
		}

		@RedisListener(stream = "scale-6")
		void on6(String payload) {
			handle(payload);
		}

		@RedisListener(stream = "scale-7")
		void on7(String payload) {
			handle(payload);
		}

		static void handle(String payload) {
			if (isPoison(payload)) {
				throw new NonRetryableException("poison: " + payload);
			}
			LockSupport.parkNanos(PROCESSING_TIME.toNanos());
			processed.computeIfAbsent(payload, (key) -> new AtomicInteger()).incrementAndGet();
		}

	}

}
