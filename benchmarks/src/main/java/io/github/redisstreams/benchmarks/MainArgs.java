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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * What the stand-alone benchmarks ({@link PartitionBenchmark}, {@link TakeoverBenchmark})
 * share: their {@code --name=value} arguments, timing tasks on several threads and the
 * median of their runs.
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
	 * Run {@code count} tasks on {@code threads} threads, thread {@code t} taking
	 * {@code t, t + threads, ...}, and return how many ran per second.
	 * @param threads the threads
	 * @param count the tasks
	 * @param task what to do for task {@code i}
	 * @return tasks per second, from the start to the last one's end
	 * @throws Exception if a task failed
	 */
	static double ratePerSecond(int threads, int count, IntConsumer task) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			long start = System.nanoTime();
			List<Future<?>> done = new ArrayList<>();
			for (int thread = 0; thread < threads; thread++) {
				int first = thread;
				done.add(executor.submit(() -> {
					for (int i = first; i < count; i += threads) {
						task.accept(i);
					}
				}));
			}
			for (Future<?> each : done) {
				each.get();
			}
			return count / ((System.nanoTime() - start) / 1e9);
		}
		finally {
			executor.shutdownNow();
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
