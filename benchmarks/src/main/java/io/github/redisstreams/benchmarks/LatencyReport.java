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
import java.util.Map;
import java.util.Optional;

/**
 * The latency part of a {@link BenchmarkReport}: each round's runs, and the p99 target
 * judged on the rounds of low CPU steal.
 */
final class LatencyReport {

	/**
	 * The median, over the rounds judged, of a listener's p99 minus raw Lettuce's p99 of
	 * the same round may be this much.
	 */
	private static final double P99_MARGIN_MILLIS = 1.0;

	/**
	 * A round in which either run had more CPU steal than this (percent) is not judged:
	 * it measures the host ({@link CpuSteal}).
	 */
	static final double MAX_STEAL_PERCENT = 5.0;

	private final List<LatencyResult> latency;

	LatencyReport(List<LatencyResult> latency) {
		this.latency = latency;
	}

	/**
	 * Append the latency table and the target's verdict.
	 * @param markdown where to append
	 */
	void appendTo(StringBuilder markdown) {
		LatencyResult first = this.latency.get(0);
		markdown.append(String
			.format("Latency: %,d msg/s for %d s, publish-to-handler (handler start minus the send time embedded in the "
					+ "payload); each listener's p99 is compared with raw Lettuce's of the same round. CPU steal: the "
					+ "share of the machine's CPU time its hypervisor gave to other machines during the measured "
					+ "messages (/proc/stat); a round in which a run had more than %s %% measures the host more than "
					+ "the consumer and is not judged.%n%n", first.rate(), first.duration().toSeconds(),
					BenchmarkReport.trim(MAX_STEAL_PERCENT)));
		markdown.append("| Round | Consumer | Settings | Messages | p50 (ms) | p90 (ms) | p99 (ms) | p99.9 (ms) "
				+ "| max (ms) | CPU steal | p99 − raw's p99 (ms) |\n");
		markdown.append("|--:|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
		Map<String, List<Double>> overRaw = new LinkedHashMap<>();
		Map<String, Integer> notJudged = new LinkedHashMap<>();
		for (LatencyResult result : this.latency) {
			double p99 = result.millisAt(99);
			Optional<LatencyResult> rawRun = rawRun(result.round());
			double rawP99 = rawRun.map((run) -> run.millisAt(99)).orElse(Double.NaN);
			boolean raw = result.consumer().equals(BenchmarkRunner.RAW);
			if (!raw && rawRun.isPresent()) {
				List<Double> judged = overRaw.computeIfAbsent(result.settings(), (settings) -> new ArrayList<>());
				if (isJudged(result) && isJudged(rawRun.get())) {
					judged.add(p99 - rawP99);
				}
				else {
					notJudged.merge(result.settings(), 1, Integer::sum);
				}
			}
			markdown.append(String.format("| %d | %s | %s | %,d%s | %.3f | %.3f | %.3f | %.3f | %.3f | %s | %s |%n",
					result.round(), result.consumer(), result.settings(), result.received(),
					result.isComplete() ? "" : " of " + String.format("%,d", result.published()) + " (incomplete)",
					result.millisAt(50), result.millisAt(90), p99, result.millisAt(99.9), result.maxMillis(),
					CpuSteal.format(result.stealPercent()),
					raw ? "" : Double.isNaN(rawP99) ? "no raw run" : String.format("%+.3f", p99 - rawP99)));
		}
		if (!overRaw.isEmpty()) {
			markdown
				.append(String.format("%n| Listener settings | Rounds judged | p99 − raw's p99, median of the rounds "
						+ "judged (ms) | Target | Met |%n|---|--:|--:|--:|---|%n"));
			overRaw.forEach((settings, differences) -> {
				int skipped = notJudged.getOrDefault(settings, 0);
				String rounds = differences.size() + ((skipped > 0) ? " (" + skipped + " not judged: CPU steal above "
						+ BenchmarkReport.trim(MAX_STEAL_PERCENT) + " % or incomplete)" : "");
				if (differences.isEmpty()) {
					markdown.append(
							String.format("| %s | %s | | ≤ %s | not judged: run more rounds on a quieter " + "host |%n",
									settings, rounds, BenchmarkReport.trim(P99_MARGIN_MILLIS)));
					return;
				}
				double median = ThroughputResult.median(differences);
				markdown.append(String.format("| %s | %s | %+.3f | ≤ %s | %s |%n", settings, rounds, median,
						BenchmarkReport.trim(P99_MARGIN_MILLIS), (median <= P99_MARGIN_MILLIS) ? "yes" : "**no**"));
			});
		}
		markdown.append(String.format("%nPublisher's largest delay behind its schedule: %s.%n",
				this.latency.stream()
					.map((result) -> String.format("%.3f ms", result.publisherMaxLag().toNanos() / 1e6))
					.toList()));
	}

	private Optional<LatencyResult> rawRun(int round) {
		return this.latency.stream()
			.filter((result) -> result.round() == round && result.consumer().equals(BenchmarkRunner.RAW))
			.findFirst();
	}

	/**
	 * Whether a run counts for the target: it received every message, and its CPU steal
	 * was low enough or is unknown (not Linux).
	 */
	private static boolean isJudged(LatencyResult result) {
		return result.isComplete() && !(result.stealPercent() > MAX_STEAL_PERCENT);
	}

}
