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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.lettuce.core.Consumer;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.support.StreamKeys;
import io.github.redisstreams.test.RedisCluster;
import io.github.redisstreams.test.RedisServer;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Throughput of one stream against the same stream with 8 partitions, on a local Redis
 * Cluster of 3 masters and 3 replicas (the test module's {@link RedisCluster}), with raw
 * Lettuce reading the one stream as the yardstick, in one run. Each run fills its own
 * stream (or partitions) with {@code --messages} entries before its consumer starts and
 * measures until the last is handled. Prints a Markdown table.
 * <p>
 * Run with {@code java -cp ... io.github.redisstreams.benchmarks.PartitionBenchmark
 * --messages=100000 --repetitions=2} (see BENCHMARKS.md).
 */
public final class PartitionBenchmark {

	private static final int PARTITIONS = 8;

	private PartitionBenchmark() {
	}

	/**
	 * Run the benchmark.
	 * @param args {@code --messages=N} (default 100,000) and {@code --repetitions=N}
	 * (default 2)
	 * @throws Exception if a run failed
	 */
	public static void main(String[] args) throws Exception {
		int messages = MainArgs.intOption(args, "messages", 100_000);
		int repetitions = MainArgs.intOption(args, "repetitions", 2);
		Workload workload = new Workload(JsonMapper.builder().build(), 256);
		Map<String, List<Double>> results = new LinkedHashMap<>();
		Map<String, List<double[]>> cpu = new LinkedHashMap<>();
		try (RedisCluster cluster = RedisCluster.start(List.of("--save", "", "--appendonly", "no"))) {
			RedisClusterClient client = RedisClusterClient
				.create(cluster.seedNodes().stream().map((node) -> RedisURI.create("redis://" + node)).toList());
			try (StatefulRedisClusterConnection<String, byte[]> connection = client.connect(BenchmarkRedis.CODEC)) {
				for (int run = 0; run <= repetitions; run++) {
					boolean warmup = run == 0;
					int count = warmup ? Math.min(messages, 20_000) : messages;
					String suffix = "-" + run;
					ServerCpu servers = new ServerCpu(cluster, connection);
					record(results, cpu, warmup, "Raw Lettuce, 1 stream (c1, b500)",
							raw(connection, workload, "raw" + suffix, count), servers.take(count));
					record(results, cpu, warmup, "@RedisListener, 1 stream (c1, b500)",
							starter(cluster, connection, workload, "single" + suffix, 0, 1, count),
							servers.take(count));
					record(results, cpu, warmup, "@RedisListener, 1 stream (c2, b500)",
							starter(cluster, connection, workload, "single2" + suffix, 0, 2, count),
							servers.take(count));
					record(results, cpu, warmup, "@RedisListener, 8 partitions (c1 each, b500)",
							starter(cluster, connection, workload, "parted" + suffix, PARTITIONS, 1, count),
							servers.take(count));
				}
			}
			finally {
				client.shutdown();
			}
		}
		print(results, cpu, messages, repetitions);
	}

	private static void record(Map<String, List<Double>> results, Map<String, List<double[]>> cpu, boolean warmup,
			String scenario, double rate, double[] serverCpu) {
		System.out.printf(Locale.ROOT,
				"%s%s: %,.0f msg/s; Redis CPU per message: busiest node %.1f us, all nodes %.1f us%n",
				warmup ? "(warm-up) " : "", scenario, rate, serverCpu[0], serverCpu[1]);
		if (!warmup) {
			results.computeIfAbsent(scenario, (key) -> new ArrayList<>()).add(rate);
			cpu.computeIfAbsent(scenario, (key) -> new ArrayList<>()).add(serverCpu);
		}
	}

	private static void print(Map<String, List<Double>> results, Map<String, List<double[]>> cpu, int messages,
			int repetitions) {
		double raw = MainArgs.median(results.values().iterator().next());
		double single = MainArgs.median(results.getOrDefault("@RedisListener, 1 stream (c1, b500)", List.of(raw)));
		System.out.println();
		System.out.printf(Locale.ROOT,
				"%,d messages per run, %d runs each (median shown), 3 masters + 3 replicas on this machine, "
						+ "%d cores%n%n",
				messages, repetitions, Runtime.getRuntime().availableProcessors());
		System.out.println("| Scenario | msg/s (median) | runs | vs raw Lettuce, 1 stream | vs @RedisListener, "
				+ "1 stream | Redis CPU per message, busiest node (median) | all nodes |");
		System.out.println("|---|---|---|---|---|---|---|");
		results.forEach((scenario, rates) -> {
			List<double[]> used = Objects.requireNonNull(cpu.get(scenario));
			double busiest = MainArgs.median(used.stream().map((each) -> each[0]).toList());
			double all = MainArgs.median(used.stream().map((each) -> each[1]).toList());
			System.out.printf(Locale.ROOT, "| %s | %,.0f | %s | %.2f | %.2f | %.1f us | %.1f us |%n", scenario,
					MainArgs.median(rates), rates.stream().map((r) -> String.format(Locale.ROOT, "%,.0f", r)).toList(),
					MainArgs.median(rates) / raw, MainArgs.median(rates) / single, busiest, all);
		});
	}

	/**
	 * Fill each stream with its share of the entries, pipelined, before any consumer
	 * starts.
	 */
	private static void fill(StatefulRedisClusterConnection<String, byte[]> connection, Workload workload,
			List<String> streams, int count) {
		RedisAdvancedClusterAsyncCommands<String, byte[]> async = connection.async();
		List<Map<String, byte[]>> entries = workload.entries(count);
		List<RedisFuture<?>> pending = new ArrayList<>();
		for (int i = 0; i < entries.size(); i++) {
			pending.add(async.xadd(streams.get(i % streams.size()), entries.get(i)));
			if (pending.size() == 1000) {
				LettuceFutures.awaitAll(Duration.ofMinutes(1), pending.toArray(RedisFuture[]::new));
				pending.clear();
			}
		}
		LettuceFutures.awaitAll(Duration.ofMinutes(1), pending.toArray(RedisFuture[]::new));
	}

	/** Read, deserialize and acknowledge with one raw Lettuce consumer: the yardstick. */
	private static double raw(StatefulRedisClusterConnection<String, byte[]> connection, Workload workload,
			String stream, int count) {
		fill(connection, workload, List.of(stream), count);
		RedisAdvancedClusterCommands<String, byte[]> sync = connection.sync();
		sync.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), Workload.GROUP,
				XGroupCreateArgs.Builder.mkstream());
		long start = System.nanoTime();
		int handled = 0;
		while (handled < count) {
			List<StreamMessage<String, byte[]>> batch = sync.xreadgroup(Consumer.from(Workload.GROUP, "raw-0"),
					XReadArgs.Builder.count(500).block(1000), XReadArgs.StreamOffset.lastConsumed(stream));
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
		return count / ((System.nanoTime() - start) / 1e9);
	}

	/** The starter's listener on one stream or its partitions. */
	private static double starter(RedisCluster cluster, StatefulRedisClusterConnection<String, byte[]> connection,
			Workload workload, String stream, int partitions, int concurrency, int count) throws InterruptedException {
		List<String> streams = new ArrayList<>();
		if (partitions == 0) {
			streams.add(stream);
		}
		for (int partition = 0; partition < partitions; partition++) {
			streams.add(StreamKeys.partition(stream, partition));
		}
		fill(connection, workload, streams, count);
		Probe probe = Probe.counting(count);
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.application.name", Workload.GROUP);
		properties.put("spring.data.redis.cluster.nodes", String.join(",", cluster.seedNodes()));
		properties.put("redis.streams.listener.auto-startup", false);
		properties.put("redis.streams.listener.concurrency", concurrency);
		properties.put("redis.streams.listener.batch-size", 500);
		properties.put("redis.streams.listeners." + StarterBenchmarkApplication.LISTENER_ID + ".partitions",
				partitions);
		properties.put("benchmark.listener.stream", stream);
		properties.put("benchmark.listener.fail-first-attempt", false);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(StarterBenchmarkApplication.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.registerShutdownHook(false)
			.properties(properties)
			.initializers((initialized) -> initialized.getBeanFactory().registerSingleton("benchmarkProbe", probe))
			.run()) {
			probe.start();
			context.getBean(RedisStreamListenerRegistry.class).startListener(StarterBenchmarkApplication.LISTENER_ID);
			if (!probe.await(Duration.ofMinutes(5))) {
				throw new IllegalStateException(stream + ": only " + probe.processed() + " of " + count
						+ " messages were handled within 5 minutes");
			}
			return count / (probe.elapsed().toNanos() / 1e9);
		}
	}

	/**
	 * CPU time the cluster's nodes used ({@code INFO cpu}: {@code used_cpu_sys} plus
	 * {@code used_cpu_user}) since the last call: the busiest node's, which caps the
	 * throughput of what it serves, and all nodes' together, each per message in
	 * microseconds.
	 */
	private static final class ServerCpu {

		private final StatefulRedisClusterConnection<String, byte[]> connection;

		private final RedisCluster cluster;

		private double[] last;

		ServerCpu(RedisCluster cluster, StatefulRedisClusterConnection<String, byte[]> connection) {
			this.cluster = cluster;
			this.connection = connection;
			this.last = read();
		}

		double[] take(int messages) {
			double[] now = read();
			double busiest = 0;
			double all = 0;
			for (int i = 0; i < now.length; i++) {
				double used = now[i] - this.last[i];
				busiest = Math.max(busiest, used);
				all += used;
			}
			this.last = now;
			return new double[] { busiest * 1e6 / messages, all * 1e6 / messages };
		}

		private double[] read() {
			List<RedisServer> servers = this.cluster.nodes();
			double[] used = new double[servers.size()];
			for (int i = 0; i < servers.size(); i++) {
				RedisServer server = servers.get(i);
				String info = this.connection.getConnection(server.host(), server.port()).sync().info("cpu");
				for (String line : info.split("\\r?\\n")) {
					if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
						used[i] += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
					}
				}
			}
			return used;
		}

	}

}
