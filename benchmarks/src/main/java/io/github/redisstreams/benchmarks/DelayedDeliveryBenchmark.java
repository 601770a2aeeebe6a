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

package io.github.redisstreams.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.publish.DelayedDeliveryMetrics;
import io.github.redisstreams.publish.DelayedDeliveryMover;
import io.github.redisstreams.publish.PublishRequest;
import io.github.redisstreams.publish.RedisStreamPublisher;
import io.github.redisstreams.test.RedisServer;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * What delayed delivery costs and how late it is. Scheduling:
 * {@link RedisStreamPublisher} with 4 threads, a delayed publish ({@code deliverAfter},
 * one script that keeps the fields and the due time) against a plain one ({@code XADD}).
 * Lateness: 4 threads schedule {@code --rate} messages per second (default 10,000) for
 * {@code --seconds} (default 10), each due 1 second after it is scheduled, while two
 * movers (two instances) poll every {@code --poll-interval-ms} (default 100, the default
 * of {@code redis.streams.delayed.poll-interval}); the lateness of a message is the time
 * of its entry id (the Redis server's clock when the mover added it) minus its due time.
 * Runs against the {@code redis-server} on the {@code PATH}.
 */
public final class DelayedDeliveryBenchmark {

	private static final int THREADS = 4;

	private DelayedDeliveryBenchmark() {
	}

	/**
	 * Run the benchmark.
	 * @param args {@code --messages=N} (default 50,000) and {@code --repetitions=N}
	 * (default 3) for the scheduling cost; {@code --rate}, {@code --seconds},
	 * {@code --poll-interval-ms} for the lateness
	 * @throws Exception if a run failed
	 */
	public static void main(String[] args) throws Exception {
		int messages = MainArgs.intOption(args, "messages", 50_000);
		int repetitions = MainArgs.intOption(args, "repetitions", 3);
		int rate = MainArgs.intOption(args, "rate", 10_000);
		int seconds = MainArgs.intOption(args, "seconds", 10);
		int pollInterval = MainArgs.intOption(args, "poll-interval-ms", 100);
		Workload workload = new Workload(JsonMapper.builder().build(), 256);
		Map<String, List<Double>> results = new LinkedHashMap<>();
		try (RedisServer server = RedisServer.createLocal(List.of("--save", "", "--appendonly", "no"))) {
			LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(server.host(), server.port());
			connectionFactory.afterPropertiesSet();
			RedisClient client = RedisClient.create("redis://" + server.host() + ":" + server.port());
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				RedisCommands<String, String> redis = connection.sync();
				System.out.println("Server: " + redis.info("server")
					.lines()
					.filter((line) -> line.startsWith("redis_version") || line.startsWith("valkey_version"))
					.findFirst()
					.orElse("?"));
				RedisStreamPublisher publisher = new RedisStreamPublisher(new StringRedisTemplate(connectionFactory),
						workload.jsonMapper());
				for (int run = 0; run <= repetitions; run++) {
					boolean warmup = run == 0;
					int count = warmup ? Math.min(messages, 10_000) : messages;
					MainArgs.record(results, warmup, "Publish: plain",
							schedule(publisher, workload, "plain-" + run, count, false));
					MainArgs.record(results, warmup, "Publish: delayed (deliverAfter)",
							schedule(publisher, workload, "delayed-" + run, count, true));
					redis.flushall();
				}
				print(results, messages, repetitions);
				lateness(connectionFactory, publisher, workload, redis, rate, seconds, pollInterval);
			}
			finally {
				client.shutdown();
				connectionFactory.destroy();
			}
		}
	}

	private static double schedule(RedisStreamPublisher publisher, Workload workload, String stream, int count,
			boolean delayed) throws Exception {
		return MainArgs.ratePerSecond(THREADS, count, (i) -> {
			PublishRequest request = PublishRequest.to(stream).payload(workload.order(i, 0));
			publisher.publish(delayed ? request.deliverAfter(Duration.ofHours(1)) : request);
		});
	}

	private static void lateness(LettuceConnectionFactory connectionFactory, RedisStreamPublisher publisher,
			Workload workload, RedisCommands<String, String> redis, int rate, int seconds, int pollInterval)
			throws Exception {
		int count = rate * seconds;
		List<DelayedDeliveryMover> movers = List.of(
				new DelayedDeliveryMover(connectionFactory, Duration.ofMillis(pollInterval), 1000,
						DelayedDeliveryMetrics.NONE),
				new DelayedDeliveryMover(connectionFactory, Duration.ofMillis(pollInterval), 1000,
						DelayedDeliveryMetrics.NONE));
		movers.forEach(DelayedDeliveryMover::start);
		ExecutorService executor = Executors.newFixedThreadPool(THREADS);
		long lag = 0;
		try {
			long start = System.nanoTime() + 100_000_000L;
			long startMillis = System.currentTimeMillis() + 100;
			List<Future<Long>> done = new ArrayList<>();
			for (int thread = 0; thread < THREADS; thread++) {
				int first = thread;
				done.add(executor.submit(() -> {
					long behind = 0;
					for (int i = first; i < count; i += THREADS) {
						long at = start + i * 1_000_000_000L / rate;
						long wait = at - System.nanoTime();
						if (wait > 0) {
							LockSupport.parkNanos(wait);
						}
						else {
							behind = Math.max(behind, -wait);
						}
						long due = startMillis + (long) i * 1000 / rate + 1000;
						publisher.publish(PublishRequest.to("late")
							.payload(workload.order(i, 0))
							.header("due", Long.toString(due))
							.deliverAt(Instant.ofEpochMilli(due)));
					}
					return behind;
				}));
			}
			for (Future<Long> each : done) {
				lag = Math.max(lag, each.get());
			}
			long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
			while (redis.xlen("late") < count && System.nanoTime() < deadline) {
				LockSupport.parkNanos(50_000_000L);
			}
		}
		finally {
			executor.shutdownNow();
			movers.forEach(DelayedDeliveryMover::stop);
		}
		long[] lateness = new long[count];
		Set<String> seen = new HashSet<>();
		int read = 0;
		int early = 0;
		String from = "-";
		while (true) {
			List<StreamMessage<String, String>> page = redis.xrange("late", Range.create(from, "+"),
					Limit.from(10_000));
			List<StreamMessage<String, String>> fresh = from.equals("-") ? page : page.subList(1, page.size());
			if (fresh.isEmpty()) {
				break;
			}
			for (StreamMessage<String, String> entry : fresh) {
				long added = Long.parseLong(entry.getId().substring(0, entry.getId().indexOf('-')));
				long late = added - Long.parseLong(entry.getBody().get("due"));
				if (late < 0) {
					early++;
				}
				if (read < count) {
					lateness[read] = late;
				}
				read++;
				seen.add(entry.getBody().get("payload"));
			}
			from = fresh.get(fresh.size() - 1).getId();
		}
		Arrays.sort(lateness, 0, Math.min(read, count));
		int n = Math.min(read, count);
		System.out.println();
		System.out.printf(Locale.ROOT,
				"Lateness: %,d messages scheduled at %,d/s for %d s, each due 1 s later, 2 movers polling every %d ms "
						+ "(publisher at most %.1f ms behind its schedule)%n%n",
				count, rate, seconds, pollInterval, lag / 1e6);
		System.out.println("| delivered | distinct | early | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | target p99 |");
		System.out.println("|--:|--:|--:|--:|--:|--:|--:|--:|");
		System.out.printf(Locale.ROOT, "| %,d | %,d | %d | %d | %d | %d | %d | %d |%n", read, seen.size(), early,
				lateness[n / 2], lateness[n * 9 / 10], lateness[n * 99 / 100], lateness[n - 1], pollInterval + 50);
	}

	private static void print(Map<String, List<Double>> results, int messages, int repetitions) {
		System.out.println();
		System.out.printf(Locale.ROOT, "%,d messages per run, %d runs each (median shown), %d cores%n%n", messages,
				repetitions, Runtime.getRuntime().availableProcessors());
		System.out.println("| Scenario | msg/s (median) | runs | vs plain |");
		System.out.println("|---|---|---|---|");
		double plain = MainArgs.median(results.getOrDefault("Publish: plain", List.of(1.0)));
		results.forEach((scenario, rates) -> System.out.printf(Locale.ROOT, "| %s | %,.0f | %s | %.2f |%n", scenario,
				MainArgs.median(rates), rates.stream().map((r) -> String.format(Locale.ROOT, "%,.0f", r)).toList(),
				MainArgs.median(rates) / plain));
	}

}
