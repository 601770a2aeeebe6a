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

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every scenario of the benchmark with a few hundred messages: each must process
 * every message exactly once, acknowledge it, and report a positive rate. No timing
 * thresholds: this machine's speed is not under test.
 */
class BenchmarkIntegrationTests {

	private static final int MESSAGES = 500;

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@Test
	void everyScenarioProcessesEveryMessageExactlyOnce() throws InterruptedException {
		BenchmarkOptions options = BenchmarkOptions.of(Map.of("messages", String.valueOf(MESSAGES), "warmup-messages",
				"100", "repetitions", "1", "concurrency", "2", "batch-size", "50", "raw-concurrency", "1,2", "rate",
				"500", "duration", "1s", "latency-warmup", "1s", "latency-repetitions", "2"));
		ByteArrayOutputStream progress = new ByteArrayOutputStream();
		BenchmarkReport report = new BenchmarkRunner(redis.host(), redis.port(), options,
				new PrintStream(progress, true, StandardCharsets.UTF_8))
			.run();
		assertThat(report.throughput()).extracting(ThroughputResult::scenario)
			.containsExactly(BenchmarkRunner.RAW, BenchmarkRunner.RAW, BenchmarkRunner.SPRING_DATA_REDIS,
					BenchmarkRunner.STARTER, BenchmarkRunner.STARTER, BenchmarkRunner.RETRY);
		for (ThroughputResult result : report.throughput()) {
			assertThat(result.runs()).as(result.scenario()).hasSize(1);
			ThroughputResult.Run run = result.runs().get(0);
			assertThat(run.processed()).as(result.scenario()).isEqualTo(MESSAGES);
			assertThat(run.pendingAfter()).as(result.scenario()).isZero();
			assertThat(run.deadLetters()).as(result.scenario()).isZero();
			assertThat(run.failures()).as(result.scenario()).isEqualTo(result.retryPath() ? MESSAGES : 0);
			assertThat(result.rate()).as(result.scenario()).isPositive();
			assertThat(result.isComplete()).as(result.scenario()).isTrue();
			assertIsAShareOrUnknown(run.stealPercent());
		}
		assertThat(report.starterDefault())
			.hasValueSatisfying((result) -> assertThat(result.listenerSettings()).isEqualTo(ListenerSettings.DEFAULT));
		// the best settings get a latency run of their own only when they are not the
		// defaults, which with so few messages is a matter of noise; raw Lettuce runs
		// last in the first round and first in the second
		List<String> consumers = report.latency()
			.stream()
			.map((result) -> result.round() + " " + result.consumer())
			.toList();
		assertThat(consumers).isIn(
				List.of("1 " + BenchmarkRunner.STARTER, "1 " + BenchmarkRunner.STARTER, "1 " + BenchmarkRunner.RAW,
						"2 " + BenchmarkRunner.RAW, "2 " + BenchmarkRunner.STARTER, "2 " + BenchmarkRunner.STARTER),
				List.of("1 " + BenchmarkRunner.STARTER, "1 " + BenchmarkRunner.RAW, "2 " + BenchmarkRunner.RAW,
						"2 " + BenchmarkRunner.STARTER));
		for (LatencyResult result : report.latency()) {
			assertThat(result.published()).isEqualTo(500);
			assertThat(result.received()).as(result.consumer()).isEqualTo(result.published());
			assertThat(result.latencies().getTotalCount()).isEqualTo(result.published());
			assertThat(result.millisAt(99)).isPositive();
			assertIsAShareOrUnknown(result.stealPercent());
		}
		assertThat(report.isComplete()).isTrue();
		assertThat(report.toMarkdown()).contains("| Scenario |", "| Ratio |", "| Round | Consumer |",
				"p99 − raw's p99, median of the rounds", "CPU steal", "@RedisListener defaults / best raw Lettuce",
				"retry path / happy path");
		assertThat(progress.toString(StandardCharsets.UTF_8)).contains("Warm-up", "Measured run 1 of 1", "Latency");
	}

	/** A percentage, or NaN where /proc/stat cannot be read (not Linux). */
	private static void assertIsAShareOrUnknown(double stealPercent) {
		assertThat(Double.isNaN(stealPercent) || (stealPercent >= 0 && stealPercent <= 100)).as("%s", stealPercent)
			.isTrue();
	}

}
