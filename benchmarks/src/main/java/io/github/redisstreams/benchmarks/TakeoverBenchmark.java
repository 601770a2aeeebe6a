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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.test.RedisServer;

/**
 * How fast idle pending entries of a consumer that died are taken over: by the
 * reclaimer's {@code XAUTOCLAIM} round, or in the consumers' reads with
 * {@code XREADGROUP ... CLAIM} (Redis 8.4+). Per run, a stream of its own gets
 * {@code --messages} entries, a consumer "ghost" reads them all and dies, and once they
 * are idle for longer than the minimum idle time (1 s) the clock starts with the
 * consumer: raw Lettuce looping over {@code XAUTOCLAIM} (the yardstick), raw Lettuce
 * looping over {@code XREADGROUP ... CLAIM}, and {@code @RedisListener} (one consumer,
 * batch 500, poll timeout 500 ms) with {@code redis.streams.reclaim.claim-on-read} off
 * and on, the reclaimer at its default interval (5 s), and off with the
 * {@code XAUTOCLAIM} round every 100 ms to show its throughput without the wait. The same
 * listener on new entries, with and without {@code CLAIM} in its reads, shows what the
 * argument costs when nothing is idle. Runs against the {@code redis-server} on the
 * {@code PATH}.
 */
public final class TakeoverBenchmark {

	private static final Duration MIN_IDLE = Duration.ofSeconds(1);

	private static final int COUNT = 500;

	private TakeoverBenchmark() {
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
			boolean claim = server.hasArgument("XREADGROUP", "CLAIM");
			System.out.println("Server: " + redis.serverVersion() + ", XREADGROUP ... CLAIM: " + claim);
			for (int run = 0; run <= repetitions; run++) {
				boolean warmup = run == 0;
				int count = warmup ? Math.min(messages, 10_000) : messages;
				String suffix = "-" + run;
				MainArgs.record(results, warmup, "Orphans: raw Lettuce, XAUTOCLAIM loop",
						rawAutoclaim(redis, workload, orphan(redis, workload, "raw-xautoclaim" + suffix, count)));
				if (claim) {
					MainArgs.record(results, warmup, "Orphans: raw Lettuce, XREADGROUP CLAIM loop",
							rawReadClaim(redis, workload, orphan(redis, workload, "raw-claim" + suffix, count)));
				}
				MainArgs.record(results, warmup, "Orphans: @RedisListener, claim-on-read=false (XAUTOCLAIM every 5 s)",
						starter(redis, orphan(redis, workload, "starter-xautoclaim" + suffix, count), count, false,
								Duration.ofSeconds(5)));
				MainArgs.record(results, warmup,
						"Orphans: @RedisListener, claim-on-read=false (XAUTOCLAIM every 100 ms)",
						starter(redis, orphan(redis, workload, "starter-xautoclaim-fast" + suffix, count), count, false,
								Duration.ofMillis(100)));
				MainArgs.record(results, warmup, "Orphans: @RedisListener, claim-on-read=true", starter(redis,
						orphan(redis, workload, "starter-claim" + suffix, count), count, true, Duration.ofSeconds(5)));
				MainArgs.record(results, warmup, "New entries: @RedisListener, claim-on-read=false", starter(redis,
						fresh(redis, workload, "new-off" + suffix, count), count, false, Duration.ofSeconds(5)));
				MainArgs.record(results, warmup, "New entries: @RedisListener, claim-on-read=true", starter(redis,
						fresh(redis, workload, "new-on" + suffix, count), count, true, Duration.ofSeconds(5)));
			}
		}
		print(results, messages, repetitions);
	}

	private static String fresh(BenchmarkRedis redis, Workload workload, String stream, int count) {
		redis.fill(stream, workload.entries(count));
		redis.createGroup(stream);
		return stream;
	}

	/**
	 * Fill the stream, let a consumer "ghost" read every entry and die, and wait until
	 * they are idle for longer than the minimum idle time.
	 */
	private static String orphan(BenchmarkRedis redis, Workload workload, String stream, int count)
			throws InterruptedException {
		fresh(redis, workload, stream, count);
		try (StatefulRedisConnection<String, byte[]> connection = redis.connect()) {
			int read = 0;
			while (read < count) {
				read += connection.sync()
					.xreadgroup(Consumer.from(Workload.GROUP, "ghost"), XReadArgs.Builder.count(10_000),
							XReadArgs.StreamOffset.lastConsumed(stream))
					.size();
			}
		}
		Thread.sleep(MIN_IDLE.toMillis() + 100);
		return stream;
	}

	/** Claim, deserialize and acknowledge with XAUTOCLAIM, one consumer, 500 a step. */
	private static double rawAutoclaim(BenchmarkRedis redis, Workload workload, String stream) {
		try (StatefulRedisConnection<String, byte[]> connection = redis.connect()) {
			RedisCommands<String, byte[]> sync = connection.sync();
			long total = redis.pending(stream);
			long start = System.nanoTime();
			long handled = 0;
			String cursor = "0-0";
			while (handled < total) {
				ClaimedMessages<String, byte[]> claimed = sync.xautoclaim(stream,
						XAutoClaimArgs.Builder.xautoclaim(Consumer.from(Workload.GROUP, "raw-0"), MIN_IDLE, cursor)
							.count(COUNT));
				cursor = claimed.getId();
				List<StreamMessage<String, byte[]>> batch = claimed.getMessages();
				String[] ids = new String[batch.size()];
				for (int i = 0; i < batch.size(); i++) {
					workload.read(Objects.requireNonNull(batch.get(i).getBody().get("payload")));
					ids[i] = batch.get(i).getId();
				}
				if (ids.length > 0) {
					sync.xack(stream, Workload.GROUP, ids);
				}
				handled += ids.length;
			}
			return total / ((System.nanoTime() - start) / 1e9);
		}
	}

	/**
	 * Claim, deserialize and acknowledge with XREADGROUP ... CLAIM, one consumer, 500 a
	 * read.
	 */
	private static double rawReadClaim(BenchmarkRedis redis, Workload workload, String stream) {
		try (StatefulRedisConnection<String, byte[]> connection = redis.connect()) {
			RedisCommands<String, byte[]> sync = connection.sync();
			long total = redis.pending(stream);
			long start = System.nanoTime();
			long handled = 0;
			while (handled < total) {
				CommandArgs<String, byte[]> args = new CommandArgs<>(BenchmarkRedis.CODEC).add("GROUP")
					.add(Workload.GROUP)
					.add("raw-0")
					.add("COUNT")
					.add(COUNT)
					.add("BLOCK")
					.add(1000)
					.add("CLAIM")
					.add(MIN_IDLE.toMillis())
					.add("STREAMS")
					.addKey(stream)
					.add(">");
				List<Object> reply = sync.dispatch(CommandType.XREADGROUP, new ArrayOutput<>(BenchmarkRedis.CODEC),
						args);
				List<String> ids = new ArrayList<>();
				for (Object entry : entries(reply)) {
					List<?> fields = (List<?>) ((List<?>) entry).get(1);
					for (int i = 0; i + 1 < fields.size(); i += 2) {
						if ("payload".equals(text(fields.get(i)))) {
							workload.read((byte[]) Objects.requireNonNull(fields.get(i + 1)));
						}
					}
					ids.add(text(((List<?>) entry).get(0)));
				}
				if (!ids.isEmpty()) {
					sync.xack(stream, Workload.GROUP, ids.toArray(String[]::new));
				}
				handled += ids.size();
			}
			return total / ((System.nanoTime() - start) / 1e9);
		}
	}

	/**
	 * The entries of a one-stream {@code XREADGROUP} reply: RESP2 {@code [[stream,
	 * entries]]}, or a RESP3 map flattened to {@code [stream, entries]}.
	 */
	private static List<?> entries(List<Object> reply) {
		if (reply == null || reply.isEmpty()) {
			return List.of();
		}
		List<?> streamAndEntries = (reply.get(0) instanceof List<?> first) ? first : reply;
		return (List<?>) streamAndEntries.get(1);
	}

	private static String text(Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
	}

	private static double starter(BenchmarkRedis redis, String stream, int count, boolean claimOnRead,
			Duration reclaimInterval) throws InterruptedException {
		Probe probe = Probe.counting(count);
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("redis.streams.reclaim.min-idle-time", MIN_IDLE.toMillis() + "ms");
		// shorter than the minimum idle time, as the settings require
		properties.put("redis.streams.listener.poll-timeout", "500ms");
		properties.put("redis.streams.reclaim.claim-on-read", claimOnRead);
		properties.put("redis.streams.reclaim.interval", reclaimInterval.toMillis() + "ms");
		try (StarterConsumer consumer = new StarterConsumer(redis, stream, new ListenerSettings(1, COUNT), false, probe,
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
		double raw = MainArgs.median(results.values().iterator().next());
		System.out.println();
		System.out.printf(Locale.ROOT, "%,d messages per run, %d runs each (median shown), %d cores%n%n", messages,
				repetitions, Runtime.getRuntime().availableProcessors());
		System.out.println("| Scenario | msg/s (median) | runs | vs raw Lettuce, XAUTOCLAIM loop |");
		System.out.println("|---|---|---|---|");
		results.forEach((scenario, rates) -> System.out.printf(Locale.ROOT, "| %s | %,.0f | %s | %.2f |%n", scenario,
				MainArgs.median(rates), rates.stream().map((r) -> String.format(Locale.ROOT, "%,.0f", r)).toList(),
				MainArgs.median(rates) / raw));
	}

}
