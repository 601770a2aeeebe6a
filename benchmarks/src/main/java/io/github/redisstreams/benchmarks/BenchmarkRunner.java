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

import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import com.sun.management.OperatingSystemMXBean;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.benchmarks.BenchmarkOptions.Scenario;

/**
 * Runs the benchmark against one Redis: a warm-up (every scenario once, untimed), the
 * measured throughput runs (every scenario with {@code messages}, each run on a stream of
 * its own, filled before its consumer starts; raw Lettuce and the starter's happy path
 * {@code repetitions} times, interleaved), then the latency runs at a fixed rate.
 */
public final class BenchmarkRunner {

	static final String RAW = "Raw Lettuce";

	static final String SPRING_DATA_REDIS = "Spring Data Redis container";

	static final String STARTER = "@RedisListener";

	static final String RETRY = "@RedisListener, retry path";

	private final String host;

	private final int port;

	private final BenchmarkOptions options;

	private final PrintStream out;

	private final Map<Integer, List<Map<String, byte[]>>> entries = new HashMap<>();

	/**
	 * Create a runner.
	 * @param host the Redis host
	 * @param port the Redis port
	 * @param options what to run
	 * @param out where progress is printed
	 */
	public BenchmarkRunner(String host, int port, BenchmarkOptions options, PrintStream out) {
		this.host = host;
		this.port = port;
		this.options = options;
		this.out = out;
	}

	/**
	 * Run every selected scenario.
	 * @return the report
	 * @throws InterruptedException if interrupted
	 */
	public BenchmarkReport run() throws InterruptedException {
		try (BenchmarkRedis redis = new BenchmarkRedis(this.host, this.port)) {
			Workload workload = new Workload(JsonMapper.builder().build(), this.options.payloadSize());
			BenchmarkReport.Machine machine = machine(redis, workload);
			this.out.println("Benchmark: " + machine.describe());
			List<ThroughputResult> throughput = throughput(redis, workload);
			this.entries.clear();
			List<LatencyResult> latency = new ArrayList<>();
			if (this.options.runs(Scenario.LATENCY)) {
				ListenerSettings best = best(throughput, STARTER).orElse(ListenerSettings.DEFAULT);
				ListenerSettings bestRaw = best(throughput, RAW)
					.orElse(new ListenerSettings(this.options.rawConcurrency().get(0), this.options.rawBatchSize()));
				latency.addAll(new LatencyRuns(this.options, this.out).run(redis, workload, best, bestRaw));
			}
			return new BenchmarkReport(machine, this.options, throughput, latency);
		}
	}

	/**
	 * A throughput scenario with its settings.
	 */
	private record Spec(String scenario, String settings, @Nullable ListenerSettings listenerSettings,
			boolean retryPath, RunFunction runner) {

		ThroughputResult empty(int messages) {
			return new ThroughputResult(this.scenario, this.settings, this.listenerSettings, this.retryPath, messages,
					List.of());
		}

		String key() {
			if (this.listenerSettings == null) {
				return "spring-data-redis";
			}
			String prefix = this.scenario.equals(RAW) ? "raw" : (this.retryPath ? "retry" : "starter");
			return prefix + "-c" + this.listenerSettings.concurrency() + "-b" + this.listenerSettings.batchSize();
		}

	}

	@FunctionalInterface
	private interface RunFunction {

		ThroughputResult.Run run(String stream, int messages) throws InterruptedException;

	}

	private BenchmarkReport.Machine machine(BenchmarkRedis redis, Workload workload) {
		Runtime runtime = Runtime.getRuntime();
		String gc = ManagementFactory.getGarbageCollectorMXBeans()
			.stream()
			.map(GarbageCollectorMXBean::getName)
			.collect(Collectors.joining(", "));
		return new BenchmarkReport.Machine(runtime.availableProcessors(), runtime.maxMemory(),
				System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"), gc,
				System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
						+ System.getProperty("os.arch"),
				redis.serverVersion(), workload.payloadBytes());
	}

	private List<ThroughputResult> throughput(BenchmarkRedis redis, Workload workload) throws InterruptedException {
		List<Spec> fast = new ArrayList<>();
		List<Spec> slow = new ArrayList<>();
		if (this.options.runs(Scenario.RAW)) {
			for (int consumers : this.options.rawConcurrency()) {
				ListenerSettings settings = new ListenerSettings(consumers, this.options.rawBatchSize());
				fast.add(new Spec(RAW, rawDescription(settings) + ", pipelined multi-id XACK", settings, false,
						(stream, messages) -> raw(redis, workload, stream, messages, settings)));
			}
		}
		if (this.options.runs(Scenario.SPRING_DATA_REDIS)) {
			slow.add(new Spec(SPRING_DATA_REDIS, "batchSize " + this.options.sdrBatchSize() + ", XACK per message",
					null, false, (stream, messages) -> springDataRedis(redis, workload, stream, messages)));
		}
		if (this.options.runs(Scenario.STARTER)) {
			fast.add(starterSpec(redis, workload, ListenerSettings.DEFAULT, false));
			for (ListenerSettings candidate : this.options.candidates()) {
				fast.add(starterSpec(redis, workload, candidate, false));
			}
		}
		if (this.options.runs(Scenario.RETRY)) {
			slow.add(starterSpec(redis, workload, ListenerSettings.DEFAULT, true));
		}
		List<Spec> all = new ArrayList<>(fast);
		all.addAll(slow);
		int warmup = this.options.warmupMessages();
		if (warmup > 0) {
			this.out.printf("Warm-up: every scenario once, untimed: %,d messages, %,d for the slow ones%n", warmup,
					Math.max(1, warmup / 5));
			for (Spec spec : fast) {
				run(spec.empty(warmup), spec, "warmup");
			}
			for (Spec spec : slow) {
				run(spec.empty(Math.max(1, warmup / 5)), spec, "warmup");
			}
		}
		Map<Spec, ThroughputResult> results = new LinkedHashMap<>();
		for (Spec spec : all) {
			results.put(spec, spec.empty(this.options.messages()));
		}
		for (int repetition = 1; !fast.isEmpty() && repetition <= this.options.repetitions(); repetition++) {
			this.out.printf("Measured run %d of %d: %,d messages per scenario%n", repetition,
					this.options.repetitions(), this.options.messages());
			for (Spec spec : fast) {
				results.put(spec, run(Objects.requireNonNull(results.get(spec)), spec, "run" + repetition));
			}
		}
		if (!slow.isEmpty()) {
			this.out.printf("Measured once (bound by round trips per message): %,d messages per scenario%n",
					this.options.messages());
			for (Spec spec : slow) {
				results.put(spec, run(Objects.requireNonNull(results.get(spec)), spec, "run"));
			}
		}
		List<ThroughputResult> ordered = new ArrayList<>();
		for (String scenario : List.of(RAW, SPRING_DATA_REDIS, STARTER, RETRY)) {
			results.values().stream().filter((result) -> result.scenario().equals(scenario)).forEach(ordered::add);
		}
		return ordered;
	}

	private Spec starterSpec(BenchmarkRedis redis, Workload workload, ListenerSettings settings, boolean retryPath) {
		String description = (settings.isDefault() ? "defaults: " : "") + settings
				+ (retryPath ? ", every message fails once, retry delay 1 ms" : "");
		return new Spec(retryPath ? RETRY : STARTER, description, settings, retryPath,
				(stream, messages) -> starter(redis, workload, stream, messages, settings, retryPath));
	}

	private ThroughputResult run(ThroughputResult result, Spec spec, String round) throws InterruptedException {
		String stream = "bench:" + round + ":" + spec.key();
		// Start every run with a clean heap: the garbage of the previous run is not its
		// cost.
		System.gc();
		ThroughputResult.Run run = spec.runner().run(stream, (int) result.messages());
		ThroughputResult updated = result.with(run);
		this.out.println("  " + updated.summary());
		return updated;
	}

	/**
	 * Return the settings of the fastest happy-path runs of a scenario.
	 * @param results the results
	 * @param scenario {@link #RAW} or {@link #STARTER}
	 * @return the best settings, empty if the scenario did not run
	 */
	static Optional<ListenerSettings> best(List<ThroughputResult> results, String scenario) {
		return results.stream()
			.filter((result) -> result.scenario().equals(scenario) && result.listenerSettings() != null)
			.max(Comparator.comparingDouble(ThroughputResult::rate))
			.map(ThroughputResult::listenerSettings);
	}

	private Duration timeout(long messages) {
		return Duration.ofSeconds(60).plusMillis(messages);
	}

	static String rawDescription(ListenerSettings settings) {
		return settings.concurrency() + ((settings.concurrency() == 1) ? " consumer" : " consumers") + ", COUNT "
				+ settings.batchSize();
	}

	private ThroughputResult.Run raw(BenchmarkRedis redis, Workload workload, String stream, int messages,
			ListenerSettings settings) throws InterruptedException {
		redis.fill(stream, this.entries.computeIfAbsent(messages, workload::entries));
		Probe probe = Probe.counting(messages);
		Usage used;
		try (RawLettuceConsumers consumers = new RawLettuceConsumers(redis, workload, stream, settings.concurrency(),
				settings.batchSize(), probe)) {
			Usage usage = Usage.start(redis);
			consumers.start();
			probe.await(timeout(messages));
			used = usage.stop();
		}
		return finish(redis, stream, probe, used);
	}

	private ThroughputResult.Run springDataRedis(BenchmarkRedis redis, Workload workload, String stream, int messages)
			throws InterruptedException {
		redis.fill(stream, this.entries.computeIfAbsent(messages, workload::entries));
		Probe probe = Probe.counting(messages);
		Usage used;
		try (SpringDataRedisConsumer consumer = new SpringDataRedisConsumer(redis, workload.jsonMapper(), stream,
				this.options.sdrBatchSize(), probe)) {
			Usage usage = Usage.start(redis);
			consumer.start();
			probe.await(timeout(messages));
			used = usage.stop();
		}
		return finish(redis, stream, probe, used);
	}

	private ThroughputResult.Run starter(BenchmarkRedis redis, Workload workload, String stream, int messages,
			ListenerSettings settings, boolean retryPath) throws InterruptedException {
		redis.fill(stream, this.entries.computeIfAbsent(messages, workload::entries));
		Probe probe = Probe.counting(messages);
		Usage used;
		Map<String, long[]> commandsBefore = redis.commandStats();
		try (StarterConsumer consumer = new StarterConsumer(redis, stream, settings, retryPath, probe)) {
			Usage usage = Usage.start(redis);
			consumer.start();
			probe.await(timeout(messages));
			used = usage.stop();
		}
		if (retryPath) {
			printCommands(commandsBefore, redis.commandStats(), messages);
		}
		return finish(redis, stream, probe, used);
	}

	/**
	 * Print where Redis spent its time during a run: calls and microseconds per message
	 * of each command (a script's time includes the commands it calls, which are also
	 * listed on their own).
	 */
	private void printCommands(Map<String, long[]> before, Map<String, long[]> after, int messages) {
		StringBuilder line = new StringBuilder("    Redis commands per message:");
		after.forEach((name, stats) -> {
			long[] earlier = before.getOrDefault(name, new long[2]);
			long calls = stats[0] - earlier[0];
			long usec = stats[1] - earlier[1];
			if (calls > 0 && !name.equals("info")) {
				line.append(String.format(" %s %.2f calls %.2f us;", name, (double) calls / messages,
						(double) usec / messages));
			}
		});
		this.out.println(line);
	}

	private ThroughputResult.Run finish(BenchmarkRedis redis, String stream, Probe probe, Usage usage) {
		ThroughputResult.Run run = new ThroughputResult.Run(probe.processed(), probe.failures(), probe.elapsed(),
				redis.pending(stream), redis.deadLetters(stream), probe.allocated(), usage.jvmCpu(), usage.redisCpu(),
				usage.connections(), usage.stealPercent());
		redis.delete(stream);
		return run;
	}

	/**
	 * CPU time used by the JVM and by Redis during a run.
	 */
	private record Usage(BenchmarkRedis redis, long jvmCpuAtStart, long redisCpuAtStart, long connectionsAtStart,
			CpuSteal stealAtStart, Duration jvmCpu, Duration redisCpu, long connections, double stealPercent) {

		static Usage start(BenchmarkRedis redis) {
			return new Usage(redis, jvmCpuNanos(), redis.serverCpuMicros(), redis.connectionsReceived(), CpuSteal.now(),
					Duration.ZERO, Duration.ZERO, 0, Double.NaN);
		}

		Usage stop() {
			long jvm = jvmCpuNanos();
			long server = this.redis.serverCpuMicros();
			long connections = this.redis.connectionsReceived();
			return new Usage(this.redis, this.jvmCpuAtStart, this.redisCpuAtStart, this.connectionsAtStart,
					this.stealAtStart,
					Duration.ofNanos((jvm >= 0 && this.jvmCpuAtStart >= 0) ? jvm - this.jvmCpuAtStart : -1),
					Duration.ofNanos((server - this.redisCpuAtStart) * 1000), connections - this.connectionsAtStart,
					CpuSteal.now().percentSince(this.stealAtStart));
		}

		private static long jvmCpuNanos() {
			if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
				return os.getProcessCpuTime();
			}
			return -1;
		}

	}

}
