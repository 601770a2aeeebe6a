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
		assertThat(report.toMarkdown()).contains(
				"| defaults | 1 (2 not judged: CPU steal above 5 % or incomplete) | +0.500 | ≤ 1 | yes |",
				"| 12.0 % |");
	}

	@Test
	void noRoundJudgedIsNotAVerdict() {
		BenchmarkReport report = report(latency(1, BenchmarkRunner.STARTER, 1.5, 8.0),
				latency(1, BenchmarkRunner.RAW, 1.0));
		assertThat(report.toMarkdown())
			.contains("| defaults | 0 (1 not judged: CPU steal above 5 % or incomplete) | | ≤ 1 | not judged")
			.doesNotContain("| yes |");
	}

	@Test
	void anIncompleteRunIsNotJudged() {
		// a run that received half its messages has a p99 of the ones it did receive
		BenchmarkReport report = report(latency(1, BenchmarkRunner.STARTER, 0.1, 1.0, 50),
				latency(1, BenchmarkRunner.RAW, 3.0), latency(2, BenchmarkRunner.RAW, 1.0),
				latency(2, BenchmarkRunner.STARTER, 3.0));
		assertThat(report.toMarkdown())
			.contains("| defaults | 1 (1 not judged: CPU steal above 5 % or incomplete) | +2.000 | ≤ 1 | **no** |");
	}

	@Test
	void aRunWhoseCpuStealIsUnknownIsJudged() {
		BenchmarkReport report = report(latency(1, BenchmarkRunner.STARTER, 1.5, Double.NaN),
				latency(1, BenchmarkRunner.RAW, 1.0, Double.NaN));
		assertThat(report.toMarkdown()).contains("| defaults | 1 | +0.500 | ≤ 1 | yes |", "| n/a |");
	}

	@Test
	void eachListenerSettingIsJudgedOnItsOwnAndAnEvenNumberOfRoundsOnTheMeanOfTheMiddleTwo() {
		BenchmarkReport report = report(latency(1, BenchmarkRunner.STARTER, 1.5),
				latency(1, BenchmarkRunner.STARTER, "concurrency 2, batch 500", 1.2),
				latency(1, BenchmarkRunner.RAW, 1.0), latency(2, BenchmarkRunner.RAW, 1.0),
				latency(2, BenchmarkRunner.STARTER, 3.5),
				latency(2, BenchmarkRunner.STARTER, "concurrency 2, batch 500", 1.4));
		// defaults: +0.5 and +2.5, median 1.5; the other: +0.2 and +0.4, median 0.3
		assertThat(report.toMarkdown()).contains("| defaults | 2 | +1.500 | ≤ 1 | **no** |",
				"| concurrency 2, batch 500 | 2 | +0.300 | ≤ 1 | yes |");
	}

	@Test
	void aRoundWithoutRawSaysSo() {
		BenchmarkReport report = report(latency(1, BenchmarkRunner.STARTER, 3.0));
		assertThat(report.toMarkdown()).contains("no raw run").doesNotContain("median of the rounds");
	}

	private static BenchmarkReport report(LatencyResult... latency) {
		return new BenchmarkReport(MACHINE, BenchmarkOptions.defaults(), List.of(), List.of(latency));
	}

	private static LatencyResult latency(int round, String consumer, double p99Millis) {
		return latency(round, consumer, p99Millis, 1.25);
	}

	private static LatencyResult latency(int round, String consumer, double p99Millis, double stealPercent) {
		return latency(round, consumer, p99Millis, stealPercent, 100);
	}

	private static LatencyResult latency(int round, String consumer, String settings, double p99Millis) {
		return latency(round, consumer, settings, p99Millis, 1.25, 100);
	}

	private static LatencyResult latency(int round, String consumer, double p99Millis, double stealPercent,
			long received) {
		String settings = consumer.equals(BenchmarkRunner.RAW) ? "1 consumer, COUNT 500" : "defaults";
		return latency(round, consumer, settings, p99Millis, stealPercent, received);
	}

	/**
	 * A run of 100 published messages whose p99 is the given latency (two messages at
	 * it), of which {@code received} reached the handler.
	 */
	private static LatencyResult latency(int round, String consumer, String settings, double p99Millis,
			double stealPercent, long received) {
		// five significant digits: the percentiles read back as recorded, to the
		// microsecond
		Histogram histogram = new Histogram(5);
		histogram.recordValueWithCount(100_000, 98);
		histogram.recordValueWithCount((long) (p99Millis * 1_000_000), 2);
		return new LatencyResult(round, consumer, settings, 5000, Duration.ofSeconds(5), 100, received, histogram,
				Duration.ZERO, stealPercent);
	}

}
