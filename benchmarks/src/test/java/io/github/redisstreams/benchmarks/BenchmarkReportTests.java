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
import java.util.List;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BenchmarkReport}'s latency tables.
 */
class BenchmarkReportTests {

	private static final BenchmarkReport.Machine MACHINE = new BenchmarkReport.Machine(2, 1L << 30, "JDK", "G1",
			"Linux", "7.0.15", 256);

	@Test
	void aListenersP99IsComparedWithRawsOfTheSameRoundAndTheMedianDecides() {
		// differences +0.5, +3.0 and +0.2 ms: one round over the margin, the median
		// (0.5) within it
		BenchmarkReport report = report(latency(1, BenchmarkRunner.STARTER, 1.5), latency(1, BenchmarkRunner.RAW, 1.0),
				latency(2, BenchmarkRunner.RAW, 1.0), latency(2, BenchmarkRunner.STARTER, 4.0),
				latency(3, BenchmarkRunner.STARTER, 2.2), latency(3, BenchmarkRunner.RAW, 2.0));
		assertThat(report.toMarkdown()).contains("| +0.500 |", "| +3.000 |", "| +0.200 |")
			.contains("| defaults | 3 | +0.500 | ≤ 1 | yes |")
			.contains("| 1.3 % |");
	}

	@Test
	void aMedianOverTheMarginIsNotMet() {
		BenchmarkReport report = report(latency(1, BenchmarkRunner.STARTER, 3.0), latency(1, BenchmarkRunner.RAW, 1.0),
				latency(2, BenchmarkRunner.RAW, 1.0), latency(2, BenchmarkRunner.STARTER, 1.2),
				latency(3, BenchmarkRunner.STARTER, 3.5), latency(3, BenchmarkRunner.RAW, 2.0));
		assertThat(report.toMarkdown()).contains("| defaults | 3 | +1.500 | ≤ 1 | **no** |");
	}

	@Test
	void aRoundInWhichEitherRunHadMoreCpuStealThanFivePercentIsNotJudged() {
		// round 2's listener run (+3.0 ms) and round 3's raw run had 12 % steal: only
		// round 1 (+0.5) is judged
		BenchmarkReport report = report(latency(1, BenchmarkRunner.STARTER, 1.5), latency(1, BenchmarkRunner.RAW, 1.0),
				latency(2, BenchmarkRunner.RAW, 1.0), latency(2, BenchmarkRunner.STARTER, 4.0, 12.0),
				latency(3, BenchmarkRunner.STARTER, 3.5), latency(3, BenchmarkRunner.RAW, 1.0, 12.0));
		assertThat(report.toMarkdown()).contains("| defaults | 1 (2 not: CPU steal above 5 %) | +0.500 | ≤ 1 | yes |",
				"| 12.0 % |");
	}

	@Test
	void noRoundJudgedIsNotAVerdict() {
		BenchmarkReport report = report(latency(1, BenchmarkRunner.STARTER, 1.5, 8.0),
				latency(1, BenchmarkRunner.RAW, 1.0));
		assertThat(report.toMarkdown()).contains("| defaults | 0 (1 not: CPU steal above 5 %) | | ≤ 1 | not judged")
			.doesNotContain("| yes |");
	}

	@Test
	void aRoundWithoutRawSaysSo() {
		BenchmarkReport report = report(latency(1, BenchmarkRunner.STARTER, 3.0));
		assertThat(report.toMarkdown()).contains("no raw run").doesNotContain("median of the rounds");
	}

	private static BenchmarkReport report(LatencyResult... latency) {
		return new BenchmarkReport(MACHINE, BenchmarkOptions.defaults(), List.of(), List.of(latency));
	}

	/** A run of 100 messages whose p99 is the given latency (two messages at it). */
	private static LatencyResult latency(int round, String consumer, double p99Millis) {
		return latency(round, consumer, p99Millis, 1.25);
	}

	private static LatencyResult latency(int round, String consumer, double p99Millis, double stealPercent) {
		// five significant digits: the percentiles read back as recorded, to the
		// microsecond
		Histogram histogram = new Histogram(5);
		histogram.recordValueWithCount(100_000, 98);
		histogram.recordValueWithCount((long) (p99Millis * 1_000_000), 2);
		String settings = consumer.equals(BenchmarkRunner.RAW) ? "1 consumer, COUNT 500" : "defaults";
		return new LatencyResult(round, consumer, settings, 5000, Duration.ofSeconds(5), 100, 100, histogram,
				Duration.ZERO, stealPercent);
	}

}
