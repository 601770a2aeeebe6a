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
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of the runs of one throughput scenario: each run consumed a stream of
 * {@code messages} entries filled before its consumer started.
 *
 * @param scenario what consumed: raw Lettuce, Spring Data Redis or the starter
 * @param settings a description of the settings
 * @param listenerSettings consumers and batch size of raw Lettuce and the starter,
 * {@code null} for Spring Data Redis
 * @param retryPath whether every message failed once before it succeeded
 * @param messages the entries in the stream of each run
 * @param runs the runs
 */
public record ThroughputResult(String scenario, String settings, @Nullable ListenerSettings listenerSettings,
		boolean retryPath, long messages, List<Run> runs) {

	/**
	 * Create a result.
	 */
	public ThroughputResult {
		runs = List.copyOf(runs);
	}

	/**
	 * Return the median of the runs' rates, in messages processed per second.
	 * @return the median rate
	 */
	public double rate() {
		return median(this.runs.stream().map(Run::rate).toList());
	}

	/**
	 * Return the median of the runs' allocation per message.
	 * @return bytes allocated per message, -1 if unknown
	 */
	public long allocatedPerMessage() {
		List<Long> values = this.runs.stream().map(Run::allocatedPerMessage).sorted().toList();
		return values.isEmpty() ? -1 : values.get(values.size() / 2);
	}

	/**
	 * Return the median of the runs' JVM CPU time per message.
	 * @return microseconds per message
	 */
	public double jvmCpuMicrosPerMessage() {
		return median(this.runs.stream().map(Run::jvmCpuMicrosPerMessage).toList());
	}

	/**
	 * Return the median of the runs' Redis CPU time per message.
	 * @return microseconds per message
	 */
	public double redisCpuMicrosPerMessage() {
		return median(this.runs.stream().map(Run::redisCpuMicrosPerMessage).toList());
	}

	/**
	 * Return the most connections the Redis server accepted during one run.
	 * @return the number of connections
	 */
	public long connections() {
		return this.runs.stream().mapToLong(Run::connections).max().orElse(0);
	}

	/**
	 * Return the median of some values (the mean of the middle two of an even number).
	 * @param values the values, at least one
	 * @return the median
	 */
	static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	/**
	 * Return the highest share of CPU time stolen from the machine in any run.
	 * @return a percentage, {@code NaN} where unknown ({@link CpuSteal})
	 */
	public double maxStealPercent() {
		return this.runs.stream()
			.mapToDouble(Run::stealPercent)
			.filter((steal) -> !Double.isNaN(steal))
			.max()
			.orElse(Double.NaN);
	}

	/**
	 * Return whether every run processed every message exactly once and acknowledged it.
	 * @return whether every run is complete
	 */
	public boolean isComplete() {
		return this.runs.stream().allMatch((run) -> run.isComplete(this.messages, this.retryPath));
	}

	/**
	 * Return the rates of all runs, formatted.
	 * @return the rates
	 */
	public String rates() {
		return this.runs.stream().map((run) -> String.format("%,.0f", run.rate())).collect(Collectors.joining(" / "));
	}

	/**
	 * Return a one-line summary of the last run.
	 * @return the summary
	 */
	public String summary() {
		Run run = this.runs.get(this.runs.size() - 1);
		return String.format(
				"%s (%s): %,d of %,d messages in %.3f s = %,.0f msg/s; per message: JVM CPU %.1f us, Redis CPU %.1f us, "
						+ "%.1f KB allocated, CPU steal %s%s%s",
				this.scenario, this.settings, run.processed(), this.messages, run.elapsed().toNanos() / 1e9, run.rate(),
				run.jvmCpuMicrosPerMessage(), run.redisCpuMicrosPerMessage(), run.allocatedPerMessage() / 1024.0,
				CpuSteal.format(run.stealPercent()),
				this.retryPath ? String.format(", %,d failed first attempts", run.failures()) : "",
				run.isComplete(this.messages, this.retryPath) ? "" : String
					.format(" INCOMPLETE (pending %,d, dead letters %,d)", run.pendingAfter(), run.deadLetters()));
	}

	/**
	 * Return this result with one more run.
	 * @param run the run
	 * @return the result
	 */
	ThroughputResult with(Run run) {
		List<Run> all = new ArrayList<>(this.runs);
		all.add(run);
		return new ThroughputResult(this.scenario, this.settings, this.listenerSettings, this.retryPath, this.messages,
				all);
	}

	/**
	 * One run.
	 *
	 * @param processed how many messages the listener processed successfully
	 * @param failures how many handler invocations failed (on purpose)
	 * @param elapsed from starting the consumer to the last message processed
	 * @param pendingAfter entries still pending once the consumer stopped (0 when every
	 * message was acknowledged)
	 * @param deadLetters entries dead-lettered
	 * @param allocatedBytes bytes allocated by all threads of the JVM during the run, -1
	 * if unknown
	 * @param jvmCpu CPU time of the whole JVM during the run (every thread, GC and JIT
	 * included), negative if unknown
	 * @param redisCpu CPU time of the Redis server during the run
	 * @param connections connections the Redis server accepted during the run
	 * @param stealPercent the share of the machine's CPU time that the hypervisor gave to
	 * other machines during the run, {@code NaN} where unknown ({@link CpuSteal})
	 */
	public record Run(long processed, long failures, Duration elapsed, long pendingAfter, long deadLetters,
			long allocatedBytes, Duration jvmCpu, Duration redisCpu, long connections, double stealPercent) {

		/**
		 * Return the messages processed per second.
		 * @return the rate
		 */
		public double rate() {
			return this.processed * 1_000_000_000.0 / Math.max(1, this.elapsed.toNanos());
		}

		/**
		 * Return the bytes allocated per processed message.
		 * @return the allocation per message, -1 if unknown
		 */
		public long allocatedPerMessage() {
			return (this.allocatedBytes >= 0 && this.processed > 0) ? this.allocatedBytes / this.processed : -1;
		}

		/**
		 * Return the JVM's CPU time per processed message.
		 * @return microseconds per message, negative if unknown
		 */
		public double jvmCpuMicrosPerMessage() {
			return (this.processed > 0) ? this.jvmCpu.toNanos() / 1000.0 / this.processed : -1;
		}

		/**
		 * Return the Redis server's CPU time per processed message.
		 * @return microseconds per message
		 */
		public double redisCpuMicrosPerMessage() {
			return (this.processed > 0) ? this.redisCpu.toNanos() / 1000.0 / this.processed : -1;
		}

		boolean isComplete(long messages, boolean retryPath) {
			return this.processed == messages && this.pendingAfter == 0 && this.deadLetters == 0
					&& (!retryPath || this.failures == messages);
		}

	}

}
