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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.test.RedisServer;

/**
 * What retention costs a listener: the benchmark's {@code @RedisListener} (2 consumers,
 * batch 100) on a stream filled with {@code --messages} entries, without retention and
 * with {@code retention.max-length} of 10,000 trimmed every 100 ms (so that the trimming
 * runs about as often as it ever would, and on the oldest 10,000 entries each time), as a
 * ratio; and the stream's length at the end. Runs against the {@code redis-server} on the
 * {@code PATH}: the trimming path depends on it ({@code XDELEX ... ACKED} on Redis 8.2+,
 * else {@code XTRIM MINID}).
 */
public final class RetentionBenchmark {

	private RetentionBenchmark() {
	}

	/**
	 * Run the benchmark.
	 * @param args {@code --messages=N} (default 200,000) and {@code --repetitions=N}
	 * (default 3)
	 * @throws Exception if a run failed
	 */
	public static void main(String[] args) throws Exception {
		int messages = MainArgs.intOption(args, "messages", 200_000);
		int repetitions = MainArgs.intOption(args, "repetitions", 3);
		Workload workload = new Workload(JsonMapper.builder().build(), 256);
		Map<String, List<Double>> results = new LinkedHashMap<>();
		try (RedisServer server = RedisServer.createLocal(List.of("--save", "", "--appendonly", "no"));
				BenchmarkRedis redis = new BenchmarkRedis(server.host(), server.port())) {
			System.out.println("Server: " + redis.serverVersion());
			for (int run = 0; run <= repetitions; run++) {
				boolean warmup = run == 0;
				int count = warmup ? Math.min(messages, 50_000) : messages;
				MainArgs.record(results, warmup, "no retention",
						consume(redis, workload, "plain-" + run, count, false));
				MainArgs.record(results, warmup, "retention.max-length 10,000, every 100 ms",
						consume(redis, workload, "kept-" + run, count, true));
			}
		}
		System.out.println();
		System.out.printf(Locale.ROOT, "%,d messages per run, %d runs each (median shown), %d cores%n%n", messages,
				repetitions, Runtime.getRuntime().availableProcessors());
		System.out.println("| Scenario | msg/s (median) | runs | vs no retention |");
		System.out.println("|---|---|---|---|");
		double plain = MainArgs.median(results.getOrDefault("no retention", List.of(1.0)));
		results.forEach((scenario, rates) -> System.out.printf(Locale.ROOT, "| %s | %,.0f | %s | %.2f |%n", scenario,
				MainArgs.median(rates), rates.stream().map((r) -> String.format(Locale.ROOT, "%,.0f", r)).toList(),
				MainArgs.median(rates) / plain));
	}

	private static double consume(BenchmarkRedis redis, Workload workload, String stream, int count, boolean retention)
			throws InterruptedException {
		redis.fill(stream, workload.entries(count));
		Map<String, Object> properties = new LinkedHashMap<>();
		if (retention) {
			String prefix = "redis.streams.listeners." + StarterBenchmarkApplication.LISTENER_ID + ".retention.";
			properties.put(prefix + "max-length", 10_000);
			properties.put(prefix + "interval", "100ms");
		}
		double rate = count
				/ StarterConsumer.secondsToConsume(redis, stream, count, new ListenerSettings(2, 100), properties);
		if (retention) {
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (redis.length(stream) > 10_000 && System.nanoTime() < deadline) {
				LockSupport.parkNanos(50_000_000L);
			}
			System.out.printf(Locale.ROOT, "  %s: %,d entries left after the run%n", stream, redis.length(stream));
		}
		return rate;
	}

}
