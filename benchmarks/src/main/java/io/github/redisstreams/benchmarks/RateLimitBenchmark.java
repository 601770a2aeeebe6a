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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.test.RedisServer;

/**
 * How exact and how costly a rate-limited listener is. Accuracy: for each rate, a stream
 * of {@code rate x --seconds} entries (default 10 s) is consumed by the benchmark's
 * {@code @RedisListener} with 2 consumers and the rate as {@code rate-limit.rate}; the
 * bucket starts full, so the run should take {@code (entries - burst) / rate}: the ratio
 * of that to the measured time is 1.00 for a limit met exactly, above 1 for a listener
 * faster than its limit. Cost: the same listener on {@code --messages} entries without a
 * limit and with a limit far above what it can reach, as a ratio. Runs against the
 * {@code redis-server} on the {@code PATH}.
 */
public final class RateLimitBenchmark {

	private static final int[] RATES = { 100, 1_000, 5_000 };

	private RateLimitBenchmark() {
	}

	/**
	 * Run the benchmark.
	 * @param args {@code --seconds=N} (default 10), {@code --messages=N} (default
	 * 200,000) and {@code --repetitions=N} (default 3) for the cost
	 * @throws Exception if a run failed
	 */
	public static void main(String[] args) throws Exception {
		int seconds = MainArgs.intOption(args, "seconds", 10);
		int messages = MainArgs.intOption(args, "messages", 200_000);
		int repetitions = MainArgs.intOption(args, "repetitions", 3);
		Workload workload = new Workload(JsonMapper.builder().build(), 256);
		List<String> accuracy = new ArrayList<>();
		Map<String, List<Double>> cost = new LinkedHashMap<>();
		try (RedisServer server = RedisServer.createLocal(List.of("--save", "", "--appendonly", "no"));
				BenchmarkRedis redis = new BenchmarkRedis(server.host(), server.port())) {
			System.out.println("Server: " + redis.serverVersion());
			for (int rate : RATES) {
				int count = rate * seconds;
				double elapsed = consume(redis, workload, "rate-" + rate, count, rate + "/s");
				double expected = (count - rate) / (double) rate;
				accuracy.add(String.format(Locale.ROOT, "| %,d/s | %,d | %.2f s | %.2f s | %,.0f | %.3f |", rate, count,
						expected, elapsed, count / elapsed, expected / elapsed));
			}
			for (int run = 0; run <= repetitions; run++) {
				boolean warmup = run == 0;
				int count = warmup ? Math.min(messages, 50_000) : messages;
				MainArgs.record(cost, warmup, "no limit", count / consume(redis, workload, "free-" + run, count, null));
				MainArgs.record(cost, warmup, "limit 10,000,000/s (never reached)",
						count / consume(redis, workload, "high-" + run, count, "10000000/s"));
			}
		}
		System.out.println();
		System.out.printf(Locale.ROOT, "Accuracy, 2 consumers, batch 100, %d s per rate, %d cores%n%n", seconds,
				Runtime.getRuntime().availableProcessors());
		System.out.println("| limit | entries | expected time | measured time | msg/s | expected / measured |");
		System.out.println("|--:|--:|--:|--:|--:|--:|");
		accuracy.forEach(System.out::println);
		System.out.println();
		System.out.printf(Locale.ROOT, "Cost, %,d messages per run, %d runs each (median shown)%n%n", messages,
				repetitions);
		System.out.println("| Scenario | msg/s (median) | runs | vs no limit |");
		System.out.println("|---|---|---|---|");
		double free = MainArgs.median(cost.getOrDefault("no limit", List.of(1.0)));
		cost.forEach((scenario, rates) -> System.out.printf(Locale.ROOT, "| %s | %,.0f | %s | %.2f |%n", scenario,
				MainArgs.median(rates), rates.stream().map((r) -> String.format(Locale.ROOT, "%,.0f", r)).toList(),
				MainArgs.median(rates) / free));
	}

	/**
	 * Consume a filled stream with 2 consumers (batch 100); return the seconds from the
	 * start to the last message.
	 */
	private static double consume(BenchmarkRedis redis, Workload workload, String stream, int count,
			@Nullable String rate) throws InterruptedException {
		redis.fill(stream, workload.entries(count));
		Map<String, Object> properties = new LinkedHashMap<>();
		if (rate != null) {
			properties.put("redis.streams.listeners." + StarterBenchmarkApplication.LISTENER_ID + ".rate-limit.rate",
					rate);
		}
		return StarterConsumer.secondsToConsume(redis, stream, count, new ListenerSettings(2, 100), properties);
	}

}
