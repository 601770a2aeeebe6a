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

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a benchmark run measured, and its Markdown tables.
 *
 * @param machine where it ran
 * @param options what ran
 * @param throughput the measured throughput runs
 * @param latency the latency runs
 */
public record BenchmarkReport(Machine machine, BenchmarkOptions options, List<ThroughputResult> throughput,
		List<LatencyResult> latency) {

	// the targets of issue 10 (the first measurement's were 0.8, 0.3 and p99 < 5 ms)

	private static final double DEFAULTS_TARGET = 0.85;

	private static final double BEST_TARGET = 0.95;

	private static final double SPRING_DATA_REDIS_TARGET = 5.0;

	private static final double RETRY_TARGET = 0.5;

	/**
	 * Return whether every run processed every message exactly once and left nothing
	 * pending.
	 * @return whether every run is complete
	 */
	public boolean isComplete() {
		return this.throughput.stream().allMatch(ThroughputResult::isComplete)
				&& this.latency.stream().allMatch(LatencyResult::isComplete);
	}

	/**
	 * Return the happy-path run of the starter with default settings.
	 * @return the run, if the starter ran
	 */
	public Optional<ThroughputResult> starterDefault() {
		return find((result) -> result.scenario().equals(BenchmarkRunner.STARTER) && result.listenerSettings() != null
				&& result.listenerSettings().isDefault());
	}

	/**
	 * Return the fastest happy-path run of the starter.
	 * @return the run, if the starter ran
	 */
	public Optional<ThroughputResult> starterBest() {
		return best(BenchmarkRunner.STARTER);
	}

	/**
	 * Return the fastest raw Lettuce run: the baseline.
	 * @return the run, if raw Lettuce ran
	 */
	public Optional<ThroughputResult> rawBest() {
		return best(BenchmarkRunner.RAW);
	}

	private Optional<ThroughputResult> best(String scenario) {
		return BenchmarkRunner.best(this.throughput, scenario)
			.flatMap((best) -> find((result) -> result.scenario().equals(scenario) && !result.retryPath()
					&& best.equals(result.listenerSettings())));
	}

	private Optional<ThroughputResult> retry(Optional<ThroughputResult> happy) {
		return happy.flatMap((run) -> find((result) -> result.retryPath()
				&& Objects.requireNonNull(run.listenerSettings()).equals(result.listenerSettings())));
	}

	private Optional<ThroughputResult> scenario(String scenario) {
		return find((result) -> result.scenario().equals(scenario));
	}

	private Optional<ThroughputResult> find(Predicate<ThroughputResult> predicate) {
		return this.throughput.stream().filter(predicate).findFirst();
	}

	/**
	 * Render the results as Markdown: the machine, the throughput table, the ratios with
	 * their targets and the latency table.
	 * @return the Markdown
	 */
	public String toMarkdown() {
		StringBuilder markdown = new StringBuilder();
		markdown.append("Machine: ").append(this.machine.describe()).append("\n\n");
		if (!this.throughput.isEmpty()) {
			appendThroughput(markdown);
			appendRatios(markdown);
		}
		if (!this.latency.isEmpty()) {
			new LatencyReport(this.latency).appendTo(markdown);
		}
		return markdown.toString();
	}

	private void appendThroughput(StringBuilder markdown) {
		markdown.append(String.format(
				"Throughput: %,d messages per run, %,d-byte JSON payload, stream filled before "
						+ "the consumer starts; median of the runs. CPU per message: the whole JVM's (all threads, "
						+ "GC and JIT included) and the Redis server's (INFO cpu); connections: opened while consuming "
						+ "(INFO stats); CPU steal: the highest share of the machine's CPU time its hypervisor gave to "
						+ "other machines in a run (/proc/stat).%n%n",
				this.options.messages(), this.machine.payloadBytes()));
		markdown.append("| Scenario | Settings | Messages/s | Runs (msg/s) | JVM CPU/msg | Redis CPU/msg | "
				+ "Allocated/msg | Connections | CPU steal |\n");
		markdown.append("|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
		List<ThroughputResult> best = List.of(rawBest(), starterBest()).stream().flatMap(Optional::stream).toList();
		for (ThroughputResult result : this.throughput) {
			boolean isBest = best.contains(result) && this.throughput.stream()
				.filter((other) -> other.scenario().equals(result.scenario()))
				.count() > 1;
			long allocated = result.allocatedPerMessage();
			markdown.append(String.format("| %s%s | %s | %,.0f | %s%s | %.1f µs | %.1f µs | %s | %,d | %s |%n",
					result.scenario(), isBest ? " **(best)**" : "", result.settings(), result.rate(), result.rates(),
					result.isComplete() ? "" : " (INCOMPLETE)", result.jvmCpuMicrosPerMessage(),
					result.redisCpuMicrosPerMessage(),
					(allocated >= 0) ? String.format("%.1f KB", allocated / 1024.0) : "n/a", result.connections(),
					CpuSteal.format(result.maxStealPercent())));
		}
		markdown.append("\n");
	}

	private void appendRatios(StringBuilder markdown) {
		Optional<ThroughputResult> raw = rawBest();
		Optional<ThroughputResult> springDataRedis = scenario(BenchmarkRunner.SPRING_DATA_REDIS);
		Optional<ThroughputResult> starterDefault = starterDefault();
		Optional<ThroughputResult> starterBest = starterBest();
		markdown.append("| Ratio | Value | Target | Met |\n");
		markdown.append("|---|--:|--:|---|\n");
		ratio(markdown, "@RedisListener defaults / best raw Lettuce", starterDefault, raw, DEFAULTS_TARGET);
		ratio(markdown, "@RedisListener best / best raw Lettuce", starterBest, raw, BEST_TARGET);
		for (ThroughputResult starter : this.throughput) {
			ListenerSettings settings = starter.listenerSettings();
			if (starter.scenario().equals(BenchmarkRunner.STARTER) && settings != null) {
				find((result) -> result.scenario().equals(BenchmarkRunner.RAW)
						&& settings.equals(result.listenerSettings()))
					.ifPresent((sameRaw) -> ratio(markdown, "@RedisListener / raw Lettuce, same settings",
							Optional.of(starter), Optional.of(sameRaw), BEST_TARGET));
			}
		}
		ratio(markdown, "@RedisListener defaults / Spring Data Redis", starterDefault, springDataRedis,
				SPRING_DATA_REDIS_TARGET);
		ratio(markdown, "@RedisListener best / Spring Data Redis", starterBest, springDataRedis,
				SPRING_DATA_REDIS_TARGET);
		ratio(markdown, "retry path / happy path, defaults", retry(starterDefault), starterDefault, RETRY_TARGET);
		if (!starterBest.equals(starterDefault)) {
			ratio(markdown, "retry path / happy path, best", retry(starterBest), starterBest, RETRY_TARGET);
		}
		markdown.append("\n");
	}

	private void ratio(StringBuilder markdown, String name, Optional<ThroughputResult> numerator,
			Optional<ThroughputResult> denominator, double target) {
		if (numerator.isEmpty() || denominator.isEmpty()) {
			return;
		}
		String label = name;
		label += " (" + shortSettings(numerator.get()) + " / " + shortSettings(denominator.get()) + ")";
		double value = numerator.get().rate() / denominator.get().rate();
		markdown.append(String.format("| %s | %.2f | ≥ %s | %s |%n", label, value, trim(target),
				(value >= target) ? "yes" : "**no**"));
	}

	private String shortSettings(ThroughputResult result) {
		ListenerSettings settings = result.listenerSettings();
		return (settings != null) ? "c" + settings.concurrency() + " b" + settings.batchSize()
				: "b" + this.options.sdrBatchSize();
	}

	static String trim(double value) {
		return (value == Math.rint(value)) ? String.valueOf((long) value) : String.valueOf(value);
	}

	/**
	 * Where the benchmark ran.
	 *
	 * @param cores available processors
	 * @param maxHeapBytes the JVM's maximum heap
	 * @param jdk the JVM name and version
	 * @param garbageCollectors the garbage collectors
	 * @param os the operating system
	 * @param redisVersion the Redis server's version
	 * @param payloadBytes the size of one JSON payload
	 */
	public record Machine(int cores, long maxHeapBytes, String jdk, String garbageCollectors, String os,
			String redisVersion, int payloadBytes) {

		/**
		 * Return a one-line description.
		 * @return the description
		 */
		public String describe() {
			return String.format("%d cores, %s, max heap %,d MiB (%s), %s, Redis %s", this.cores, this.jdk,
					this.maxHeapBytes / (1024 * 1024), this.garbageCollectors, this.os, this.redisVersion);
		}

	}

}
