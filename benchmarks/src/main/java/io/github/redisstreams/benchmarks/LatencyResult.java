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

import org.HdrHistogram.Histogram;

/**
 * The outcome of one latency run: messages published at a fixed rate, and the time from
 * each publication to the start of its handler.
 *
 * @param round which round of latency runs this one belongs to, from 1
 * @param consumer what consumed
 * @param settings a description of the settings
 * @param rate the publishing rate in messages per second
 * @param duration how long the publisher ran
 * @param published how many messages were published
 * @param received how many messages reached the handler
 * @param latencies publish-to-handler latencies in nanoseconds
 * @param publisherMaxLag how far behind its schedule the publisher fell at most
 * @param stealPercent the share of the machine's CPU time that the hypervisor gave to
 * other machines during the measured messages, {@code NaN} where unknown
 * ({@link CpuSteal}): above a few percent the run measures the host more than the
 * consumer
 */
public record LatencyResult(int round, String consumer, String settings, int rate, Duration duration, long published,
		long received, Histogram latencies, Duration publisherMaxLag, double stealPercent) {

	/**
	 * Return a percentile of the latency in milliseconds.
	 * @param percentile the percentile, such as 99.0
	 * @return the latency in milliseconds
	 */
	public double millisAt(double percentile) {
		return this.latencies.getValueAtPercentile(percentile) / 1e6;
	}

	/**
	 * Return the highest latency in milliseconds.
	 * @return the maximum
	 */
	public double maxMillis() {
		return this.latencies.getMaxValue() / 1e6;
	}

	/**
	 * Return whether every published message was received exactly once.
	 * @return whether the run is complete
	 */
	public boolean isComplete() {
		return this.received == this.published && this.latencies.getTotalCount() == this.published;
	}

	/**
	 * Return a one-line summary.
	 * @return the summary
	 */
	public String summary() {
		return String.format(
				"round %d, %s (%s): %,d of %,d messages at %,d msg/s, p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms, CPU steal %s%s",
				this.round, this.consumer, this.settings, this.received, this.published, this.rate, millisAt(50),
				millisAt(99), millisAt(99.9), maxMillis(), CpuSteal.format(this.stealPercent),
				isComplete() ? "" : " INCOMPLETE");
	}

}
