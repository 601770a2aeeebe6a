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
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the stand-alone benchmarks ({@link PartitionBenchmark}, {@link TakeoverBenchmark})
 * share: their {@code --name=value} arguments and the median of their runs.
 */
final class MainArgs {

	private MainArgs() {
	}

	/**
	 * Return the value of {@code --name=N} ({@code _} allowed as a digit separator).
	 * @param args the arguments
	 * @param name the option's name
	 * @param defaultValue the value without the option
	 * @return the value
	 * @throws NumberFormatException if the value is not an integer
	 */
	static int intOption(String[] args, String name, int defaultValue) {
		for (String arg : args) {
			if (arg.startsWith("--" + name + "=")) {
				return Integer.parseInt(arg.substring(name.length() + 3).replace("_", ""));
			}
		}
		return defaultValue;
	}

	/**
	 * Print a run's rate and keep it, unless it is a warm-up.
	 * @param results the rates of the measured runs, by scenario
	 * @param warmup whether the run was a warm-up
	 * @param scenario the scenario
	 * @param rate messages per second
	 */
	static void record(Map<String, List<Double>> results, boolean warmup, String scenario, double rate) {
		System.out.printf(Locale.ROOT, "%s%s: %,.0f msg/s%n", warmup ? "(warm-up) " : "", scenario, rate);
		if (!warmup) {
			results.computeIfAbsent(scenario, (key) -> new ArrayList<>()).add(rate);
		}
	}

	/**
	 * Return the median: the middle value, or the mean of the two middle values.
	 * @param values at least one value
	 * @return the median
	 */
	static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

}
