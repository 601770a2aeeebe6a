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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

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
			List<ThroughputResult> throughput = throughput(redis, workload,
					new ThroughputRuns(redis, workload, this.options, this.out));
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

	private List<ThroughputResult> throughput(BenchmarkRedis redis, Workload workload, ThroughputRuns runs)
			throws InterruptedException {
		List<Spec> fast = new ArrayList<>();
		List<Spec> slow = new ArrayList<>();
		if (this.options.runs(Scenario.RAW)) {
			for (int consumers : this.options.rawConcurrency()) {
				ListenerSettings settings = new ListenerSettings(consumers, this.options.rawBatchSize());
				fast.add(new Spec(RAW, rawDescription(settings) + ", pipelined multi-id XACK", settings, false,
						(stream, messages) -> runs.raw(stream, messages, settings)));
			}
		}
		if (this.options.runs(Scenario.SPRING_DATA_REDIS)) {
			slow.add(new Spec(SPRING_DATA_REDIS, "batchSize " + this.options.sdrBatchSize() + ", XACK per message",
					null, false, (stream, messages) -> runs.springDataRedis(stream, messages)));
		}
		if (this.options.runs(Scenario.STARTER)) {
			fast.add(starterSpec(runs, ListenerSettings.DEFAULT, false));
			for (ListenerSettings candidate : this.options.candidates()) {
				fast.add(starterSpec(runs, candidate, false));
			}
		}
		if (this.options.runs(Scenario.RETRY)) {
			slow.add(starterSpec(runs, ListenerSettings.DEFAULT, true));
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

	private Spec starterSpec(ThroughputRuns runs, ListenerSettings settings, boolean retryPath) {
		String description = (settings.isDefault() ? "defaults: " : "") + settings
				+ (retryPath ? ", every message fails once, retry delay 1 ms" : "");
		return new Spec(retryPath ? RETRY : STARTER, description, settings, retryPath,
				(stream, messages) -> runs.starter(stream, messages, settings, retryPath));
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

	static String rawDescription(ListenerSettings settings) {
		return settings.concurrency() + ((settings.concurrency() == 1) ? " consumer" : " consumers") + ", COUNT "
				+ settings.batchSize();
	}

}
