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

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.test.RedisServer;

/**
 * The soak test: publish at a steady rate for a long time while a share of the messages
 * fails once, and watch whether anything grows that should not: the heap after a full
 * collection, the retry schedule, the pending entries list.
 * <p>
 * Options as {@code --name=value} or system properties {@code soak.name}: {@code rate}
 * (messages per second, default 2000), {@code duration} (default 10m), {@code fail-every}
 * (default 20: every 20th message fails its first delivery, 5 %), {@code sample-interval}
 * (default 30s). Prints one line per sample and a Markdown table.
 */
public final class Soak {

	private Soak() {
	}

	/**
	 * Run the soak test.
	 * @param args options as {@code --name=value}
	 * @throws Exception if the run failed
	 */
	public static void main(String[] args) throws Exception {
		int rate = Integer.parseInt(option(args, "rate", "2000"));
		Duration duration = Duration.parse("PT" + option(args, "duration", "10m").toUpperCase());
		int failEvery = Integer.parseInt(option(args, "fail-every", "20"));
		Duration interval = Duration.parse("PT" + option(args, "sample-interval", "30s").toUpperCase());
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		List<String> rows = new ArrayList<>();
		boolean complete;
		long expected = RatePublisher.count(rate, duration);
		try (RedisServer server = RedisServer.createLocal(List.of("--save", "", "--appendonly", "no"));
				BenchmarkRedis redis = new BenchmarkRedis(server.host(), server.port())) {
			String stream = "soak";
			redis.createGroup(stream);
			Probe probe = Probe.counting(expected);
			Workload workload = new Workload(JsonMapper.builder().build(), 256);
			ExecutorService publisherThread = Executors.newSingleThreadExecutor();
			try (StarterConsumer consumer = new StarterConsumer(redis, stream, ListenerSettings.DEFAULT, true, probe,
					Map.of("benchmark.listener.fail-every", failEvery))) {
				consumer.start();
				long start = System.nanoTime();
				Future<RatePublisher.Published> published = publisherThread
					.submit(() -> new RatePublisher(redis, workload).publish(stream, rate, duration));
				System.out.printf("Soak: %,d msg/s for %s, every %d-th message fails once, %,d messages%n", rate,
						duration, failEvery, expected);
				while (true) {
					try {
						published.get(interval.toMillis(), TimeUnit.MILLISECONDS);
						break;
					}
					catch (TimeoutException ex) {
						rows.add(sample(memory, redis, stream, probe, start, ""));
					}
				}
				rows.add(sample(memory, redis, stream, probe, start, "publishing done"));
				complete = probe.await(Duration.ofMinutes(1));
				rows.add(sample(memory, redis, stream, probe, start, complete ? "all processed" : "INCOMPLETE"));
			}
			finally {
				publisherThread.shutdownNow();
			}
		}
		System.out.println();
		System.out.println(
				"| Minute | Heap after full GC | Retry schedule | Pending entries | Processed | Failed first attempts | Note |");
		System.out.println("|--:|--:|--:|--:|--:|--:|---|");
		rows.forEach(System.out::println);
		if (!complete) {
			throw new IllegalStateException("Not every message was processed");
		}
	}

	private static String sample(MemoryMXBean memory, BenchmarkRedis redis, String stream, Probe probe, long start,
			String note) {
		System.gc();
		long heap = memory.getHeapMemoryUsage().getUsed();
		double minutes = (System.nanoTime() - start) / 60e9;
		String row = String.format("| %.1f | %,d KB | %,d | %,d | %,d | %,d | %s |", minutes, heap / 1024,
				redis.scheduledRetries(stream), redis.pending(stream), probe.processed(), probe.failures(), note);
		System.out.println(row);
		return row;
	}

	private static String option(String[] args, String name, String defaultValue) {
		for (String arg : args) {
			if (arg.startsWith("--" + name + "=")) {
				return arg.substring(name.length() + 3);
			}
		}
		return System.getProperty("soak." + name, defaultValue);
	}

}
