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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.publish.PublishRequest;
import io.github.redisstreams.publish.RedisStreamPublisher;
import io.github.redisstreams.test.RedisServer;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * What idempotency costs. Publishing: {@link RedisStreamPublisher} with 4 threads, plain
 * against an idempotency key per message, with marker keys and (where the server has
 * {@code XADD ... IDMP}, Redis 8.6+) with the server's deduplication. Consuming: the
 * benchmark's {@code @RedisListener} (one consumer, batch 500) on a filled stream, plain
 * against {@code idempotency.header} on a header unique per entry (a lookup per batch and
 * the key recorded with each acknowledgement). Runs against the {@code redis-server} on
 * the {@code PATH}; ratios against the plain run of the same run.
 */
public final class IdempotencyBenchmark {

	private static final int THREADS = 4;

	private IdempotencyBenchmark() {
	}

	/**
	 * Run the benchmark.
	 * @param args {@code --messages=N} (default 50,000) and {@code --repetitions=N}
	 * (default 3)
	 * @throws Exception if a run failed
	 */
	public static void main(String[] args) throws Exception {
		int messages = MainArgs.intOption(args, "messages", 50_000);
		int repetitions = MainArgs.intOption(args, "repetitions", 3);
		Workload workload = new Workload(JsonMapper.builder().build(), 256);
		Map<String, List<Double>> results = new LinkedHashMap<>();
		try (RedisServer server = RedisServer.createLocal(List.of("--save", "", "--appendonly", "no"));
				BenchmarkRedis redis = new BenchmarkRedis(server.host(), server.port())) {
			boolean idmp = server.hasArgument("XADD", "IDMP");
			System.out.println("Server: " + redis.serverVersion() + ", XADD ... IDMP: " + idmp);
			LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(server.host(), server.port());
			connectionFactory.afterPropertiesSet();
			try {
				for (int run = 0; run <= repetitions; run++) {
					boolean warmup = run == 0;
					int count = warmup ? Math.min(messages, 10_000) : messages;
					String suffix = "-" + run;
					MainArgs.record(results, warmup, "Publish: plain",
							publish(connectionFactory, workload, "pub-plain" + suffix, count, null));
					MainArgs.record(results, warmup, "Publish: idempotency key, marker keys",
							publish(connectionFactory, workload, "pub-marker" + suffix, count, false));
					if (idmp) {
						MainArgs.record(results, warmup, "Publish: idempotency key, XADD IDMP",
								publish(connectionFactory, workload, "pub-idmp" + suffix, count, true));
					}
					MainArgs.record(results, warmup, "Consume: @RedisListener, plain",
							consume(redis, workload, "con-plain" + suffix, count, false));
					MainArgs.record(results, warmup, "Consume: @RedisListener, idempotency header",
							consume(redis, workload, "con-idem" + suffix, count, true));
				}
			}
			finally {
				connectionFactory.destroy();
			}
		}
		print(results, messages, repetitions);
	}

	/**
	 * Publish with 4 threads; {@code serverIdempotency} {@code null} for plain publishes.
	 */
	private static double publish(LettuceConnectionFactory connectionFactory, Workload workload, String stream,
			int count, @Nullable Boolean serverIdempotency) throws Exception {
		RedisStreamPublisher publisher = new RedisStreamPublisher(new StringRedisTemplate(connectionFactory),
				workload.jsonMapper());
		if (serverIdempotency != null) {
			publisher.setIdempotency("benchmark", Duration.ofHours(1), () -> serverIdempotency);
		}
		return MainArgs.ratePerSecond(THREADS, count, (i) -> {
			PublishRequest request = PublishRequest.to(stream).payload(workload.order(i, 0));
			publisher.publish((serverIdempotency != null) ? request.idempotencyKey("o-" + i) : request);
		});
	}

	private static double consume(BenchmarkRedis redis, Workload workload, String stream, int count, boolean idempotent)
			throws InterruptedException {
		List<Map<String, byte[]>> entries = workload.entries(count);
		for (int i = 0; i < entries.size(); i++) {
			entries.get(i).put("order-id", ("o-" + i).getBytes(StandardCharsets.UTF_8));
		}
		redis.fill(stream, entries);
		Probe probe = Probe.counting(count);
		Map<String, Object> properties = new LinkedHashMap<>();
		if (idempotent) {
			properties.put("redis.streams.listeners." + StarterBenchmarkApplication.LISTENER_ID + ".idempotency.header",
					"order-id");
		}
		try (StarterConsumer consumer = new StarterConsumer(redis, stream, new ListenerSettings(1, 500), false, probe,
				properties)) {
			consumer.start();
			if (!probe.await(Duration.ofMinutes(5))) {
				throw new IllegalStateException(stream + ": only " + probe.processed() + " of " + count
						+ " messages were handled within 5 minutes");
			}
			return count / (probe.elapsed().toNanos() / 1e9);
		}
	}

	private static void print(Map<String, List<Double>> results, int messages, int repetitions) {
		System.out.println();
		System.out.printf(Locale.ROOT, "%,d messages per run, %d runs each (median shown), %d cores%n%n", messages,
				repetitions, Runtime.getRuntime().availableProcessors());
		System.out.println("| Scenario | msg/s (median) | runs | vs plain |");
		System.out.println("|---|---|---|---|");
		double publishPlain = MainArgs.median(results.getOrDefault("Publish: plain", List.of(1.0)));
		double consumePlain = MainArgs.median(results.getOrDefault("Consume: @RedisListener, plain", List.of(1.0)));
		results.forEach((scenario, rates) -> System.out.printf(Locale.ROOT, "| %s | %,.0f | %s | %.2f |%n", scenario,
				MainArgs.median(rates), rates.stream().map((r) -> String.format(Locale.ROOT, "%,.0f", r)).toList(),
				MainArgs.median(rates) / (scenario.startsWith("Publish") ? publishPlain : consumePlain)));
	}

}
