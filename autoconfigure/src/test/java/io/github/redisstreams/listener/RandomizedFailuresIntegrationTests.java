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

package io.github.redisstreams.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A randomized run: 5,000 messages, 30% failing transiently one to three times, 2% always
 * failing, consumed by two instances of which one is stopped abruptly midway. In the end
 * every message is processed or dead-lettered, nothing is pending, and no message is
 * dead-lettered twice.
 */
class RandomizedFailuresIntegrationTests {

	private static final int MESSAGES = 5_000;

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	/** Planned failures per message number; -1 means always. */
	static final Map<Integer, Integer> plannedFailures = new HashMap<>();

	static final Map<Integer, AtomicInteger> invocations = new ConcurrentHashMap<>();

	static final Set<Integer> processed = ConcurrentHashMap.newKeySet();

	@Test
	void everyMessageIsProcessedOrDeadLetteredOnceAndNothingStaysPending() {
		long seed = 20261121L;
		Random random = new Random(seed);
		plannedFailures.clear();
		invocations.clear();
		processed.clear();
		for (int i = 0; i < MESSAGES; i++) {
			double roll = random.nextDouble();
			plannedFailures.put(i, (roll < 0.02) ? -1 : (roll < 0.32) ? 1 + random.nextInt(3) : 0);
		}
		List<Map<String, String>> entries = new ArrayList<>();
		for (int i = 0; i < MESSAGES; i++) {
			entries.add(Map.of("n", Integer.toString(i)));
		}
		ApplicationContextRunner runner = StreamsContextRunner.create(redis)
			.withBean(RandomListener.class)
			.withPropertyValues("redis.streams.retry.max-retries=3", "redis.streams.retry.delay=20ms",
					"redis.streams.retry.multiplier=1.5", "redis.streams.reclaim.min-idle-time=2s",
					"redis.streams.reclaim.interval=300ms", "redis.streams.listener.batch-size=50",
					"redis.streams.listener.shutdown-timeout=1ms", "redis.streams.listener.concurrency=2");
		runner.withPropertyValues("redis.streams.listener.instance-id=survivor").run((survivor) -> {
			runner.withPropertyValues("redis.streams.listener.instance-id=stopped").run((stopped) -> {
				this.client.addAll("random", entries.subList(0, MESSAGES / 2));
				await().atMost(Duration.ofSeconds(60)).until(() -> processed.size() > MESSAGES / 10);
				this.client.addAll("random", entries.subList(MESSAGES / 2, MESSAGES));
				await().atMost(Duration.ofSeconds(60)).until(() -> processed.size() > MESSAGES / 3);
				// midway: one instance stops abruptly, leaving what it held pending
				stopped.getBean(RedisStreamListenerRegistry.class).stopListener("random");
			});
			await().atMost(Duration.ofMinutes(3))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> this.client.pendingCount("random", "it-app") == 0 && accountedFor().size() == MESSAGES
						&& this.client.sync().zcard("{random}:retry:it-app") == 0);
		});
		List<StreamMessage<String, String>> deadLetters = this.client.sync()
			.xrange("{random}:dlq", Range.create("-", "+"));
		List<String> deadLetteredIds = deadLetters.stream()
			.map((deadLetter) -> deadLetter.getBody().get("x-original-id"))
			.toList();
		assertThat(deadLetteredIds).as("no message is dead-lettered twice").doesNotHaveDuplicates();
		assertThat(accountedFor()).as("every message is processed or dead-lettered").hasSize(MESSAGES);
		Set<Integer> alwaysFailing = new HashSet<>();
		plannedFailures.forEach((n, failures) -> {
			if (failures < 0) {
				alwaysFailing.add(n);
			}
		});
		assertThat(deadLettered()).as("messages that always fail are dead-lettered").containsAll(alwaysFailing);
		assertThat(processed).as("no message that always fails is processed")
			.doesNotContainAnyElementsOf(alwaysFailing);
		assertThat(this.client.pendingCount("random", "it-app")).isZero();
		long duplicates = invocations.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().get() > Math.max(plannedFailures.get(entry.getKey()), 0) + 1
					&& plannedFailures.get(entry.getKey()) >= 0)
			.count();
		System.out.println("Randomized run (seed " + seed + "): " + processed.size() + " processed, "
				+ deadLetters.size() + " dead-lettered, " + alwaysFailing.size() + " always failing, " + duplicates
				+ " with more invocations than planned (in flight at the abrupt stop)");
	}

	/**
	 * The messages processed or dead-lettered: one can be both, processed by the stopped
	 * instance whose acknowledgement was lost, then dead-lettered once reclaimed.
	 */
	private Set<Integer> accountedFor() {
		Set<Integer> accountedFor = new HashSet<>(processed);
		accountedFor.addAll(deadLettered());
		return accountedFor;
	}

	private Set<Integer> deadLettered() {
		Set<Integer> numbers = new HashSet<>();
		for (StreamMessage<String, String> deadLetter : this.client.sync()
			.xrange("{random}:dlq", Range.create("-", "+"))) {
			numbers.add(Integer.valueOf(deadLetter.getBody().get("n")));
		}
		return numbers;
	}

	static class RandomListener {

		@RedisListener(id = "random", stream = "random")
		void on(Map<String, String> fields) {
			int n = Integer.parseInt(fields.get("n"));
			int invocation = invocations.computeIfAbsent(n, (key) -> new AtomicInteger()).incrementAndGet();
			int planned = plannedFailures.get(n);
			if (planned < 0 || invocation <= planned) {
				throw new IllegalStateException("Planned failure " + invocation + " of message " + n);
			}
			processed.add(n);
		}

	}

}
