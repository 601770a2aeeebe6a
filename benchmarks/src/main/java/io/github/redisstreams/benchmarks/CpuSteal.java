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

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's CPU time so far, and how much of it the hypervisor gave to other virtual
 * machines ({@code steal} in the first line of {@code /proc/stat}, Linux only). On a
 * virtual machine whose host is busy, a thread that is ready to run waits for a CPU
 * however little work it has: a latency run during which the steal is high measures the
 * host, not the consumer.
 *
 * @param steal ticks stolen, -1 where unknown
 * @param total ticks of every state (user, nice, system, idle, iowait, irq, softirq,
 * steal), -1 where unknown
 */
record CpuSteal(long steal, long total) {

	private static final Path PROC_STAT = Path.of("/proc/stat");

	private static final CpuSteal UNKNOWN = new CpuSteal(-1, -1);

	/**
	 * Read the counters now.
	 * @return the counters, unknown where {@code /proc/stat} cannot be read
	 */
	static CpuSteal now() {
		if (!Files.isReadable(PROC_STAT)) {
			return UNKNOWN;
		}
		// the first line only: the publisher reads this between two sends
		try (BufferedReader reader = Files.newBufferedReader(PROC_STAT)) {
			String line = reader.readLine();
			return (line != null) ? parse(line) : UNKNOWN;
		}
		catch (IOException | RuntimeException ex) {
			return UNKNOWN;
		}
	}

	/**
	 * Parse the aggregate line of {@code /proc/stat}: {@code cpu user nice system idle
	 * iowait irq softirq steal ...}.
	 * @param line the line
	 * @return the counters, unknown when the line is not one
	 */
	static CpuSteal parse(String line) {
		String[] fields = line.trim().split("\\s+");
		if (fields.length < 9 || !fields[0].equals("cpu")) {
			return UNKNOWN;
		}
		long total = 0;
		for (int i = 1; i <= 8; i++) {
			total += Long.parseLong(fields[i]);
		}
		return new CpuSteal(Long.parseLong(fields[8]), total);
	}

	/**
	 * Return the share of the CPU time since an earlier reading that was stolen.
	 * @param earlier the earlier reading
	 * @return a percentage from 0 to 100, {@code NaN} where unknown
	 */
	/**
	 * Format a share of stolen CPU time as the benchmark prints it.
	 * @param percent a percentage, or {@code NaN}
	 * @return for example {@code 2.5 %}, or {@code n/a} where unknown
	 */
	static String format(double percent) {
		return Double.isNaN(percent) ? "n/a" : String.format("%.1f %%", percent);
	}

	double percentSince(CpuSteal earlier) {
		if (this.steal < 0 || earlier.steal < 0 || this.total <= earlier.total) {
			return Double.NaN;
		}
		return 100.0 * (this.steal - earlier.steal) / (this.total - earlier.total);
	}

}
