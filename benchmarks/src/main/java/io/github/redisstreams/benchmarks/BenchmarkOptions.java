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
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * What to run and how big. Every option is a system property {@code bench.<name>} or a
 * program argument {@code --<name>=<value>} (arguments win):
 * <ul>
 * <li>{@code messages}: entries per measured throughput run (default 50000);</li>
 * <li>{@code warmup-messages}: entries per warm-up run (untimed, before any measurement)
 * of raw Lettuce and of each happy-path setting of the starter; Spring Data Redis and the
 * retry path warm up with a fifth of it; 0 for no warm-up (default 50000);</li>
 * <li>{@code repetitions}: measured runs of raw Lettuce and of each happy-path setting of
 * the starter, interleaved; their median is reported (default 3). Spring Data Redis and
 * the retry path run once: they take seconds per run and are bound by round trips.</li>
 * <li>{@code payload-size}: size of the JSON payload in bytes, padded with a string field
 * (default 256);</li>
 * <li>{@code concurrency}, {@code batch-size}: comma-separated values whose combinations
 * are tried as "best" settings of {@code @RedisListener} (default {@code 1,2} and
 * {@code 100,500});</li>
 * <li>{@code raw-concurrency}: comma-separated numbers of consumers of the raw Lettuce
 * baseline; the fastest is the baseline (default {@code 1,2});</li>
 * <li>{@code raw-batch-size}: {@code COUNT} of the raw Lettuce baseline (default
 * 500);</li>
 * <li>{@code sdr-batch-size}: {@code batchSize} of the Spring Data Redis container
 * (default 100);</li>
 * <li>{@code rate}, {@code duration}: publishing rate (messages per second) and duration
 * of the latency runs (default 5000 and {@code 5s});</li>
 * <li>{@code latency-warmup}: how long each latency run publishes at that rate, to the
 * same consumer, before the measured messages; {@code 0s} for none (default {@code 30s}:
 * on two cores the JIT compiler takes 20 to 30 seconds to settle the listener's per-read
 * path);</li>
 * <li>{@code latency-repetitions}: latency runs of each consumer, interleaved (raw
 * Lettuce first in every other round); a listener's p99 is compared with raw's of the
 * same round, and the median of those differences is reported (default 3);</li>
 * <li>{@code scenarios}: comma-separated subset of {@code raw},
 * {@code spring-data-redis}, {@code starter}, {@code retry}, {@code latency} (default
 * all).</li>
 * </ul>
 *
 * @param messages entries per measured throughput run
 * @param warmupMessages entries per warm-up run, 0 for none
 * @param repetitions measured runs of the fast scenarios
 * @param payloadSize size of the JSON payload in bytes
 * @param concurrency concurrency values tried for the best settings
 * @param batchSize batch sizes tried for the best settings
 * @param rawConcurrency numbers of consumers tried for the raw Lettuce baseline
 * @param rawBatchSize {@code COUNT} of the raw Lettuce baseline
 * @param sdrBatchSize {@code batchSize} of the Spring Data Redis container
 * @param rate messages per second published in the latency runs
 * @param duration how long the latency runs publish
 * @param latencyWarmup how long each latency run publishes before the measured messages
 * @param latencyRepetitions latency runs of each consumer
 * @param scenarios the scenarios to run
 */
public record BenchmarkOptions(int messages, int warmupMessages, int repetitions, int payloadSize,
		List<Integer> concurrency, List<Integer> batchSize, List<Integer> rawConcurrency, int rawBatchSize,
		int sdrBatchSize, int rate, Duration duration, Duration latencyWarmup, int latencyRepetitions,
		Set<Scenario> scenarios) {

	/**
	 * Prefix of the system properties.
	 */
	public static final String PROPERTY_PREFIX = "bench.";

	private static final Map<String, String> DEFAULTS = defaultValues();

	/**
	 * Validate the options.
	 */
	public BenchmarkOptions {
		Assert.isTrue(messages > 0, "'messages' must be positive");
		Assert.isTrue(warmupMessages >= 0, "'warmup-messages' must not be negative");
		Assert.isTrue(repetitions > 0, "'repetitions' must be positive");
		Assert.isTrue(payloadSize > 0, "'payload-size' must be positive");
		Assert.isTrue(!concurrency.isEmpty() && concurrency.stream().allMatch((value) -> value > 0),
				"'concurrency' must list positive numbers");
		Assert.isTrue(!batchSize.isEmpty() && batchSize.stream().allMatch((value) -> value > 0),
				"'batch-size' must list positive numbers");
		Assert.isTrue(!rawConcurrency.isEmpty() && rawConcurrency.stream().allMatch((value) -> value > 0),
				"'raw-concurrency' must list positive numbers");
		Assert.isTrue(rawBatchSize > 0, "'raw-batch-size' must be positive");
		Assert.isTrue(sdrBatchSize > 0, "'sdr-batch-size' must be positive");
		Assert.isTrue(rate > 0, "'rate' must be positive");
		Assert.isTrue(duration.toMillis() > 0, "'duration' must be positive");
		Assert.isTrue(!latencyWarmup.isNegative(), "'latency-warmup' must not be negative");
		Assert.isTrue(latencyRepetitions > 0, "'latency-repetitions' must be positive");
		concurrency = List.copyOf(concurrency);
		batchSize = List.copyOf(batchSize);
		rawConcurrency = List.copyOf(rawConcurrency);
		scenarios = Collections.unmodifiableSet(EnumSet.copyOf(scenarios));
	}

	private static Map<String, String> defaultValues() {
		Map<String, String> defaults = new LinkedHashMap<>();
		defaults.put("messages", "50000");
		defaults.put("warmup-messages", "50000");
		defaults.put("repetitions", "3");
		defaults.put("payload-size", "256");
		defaults.put("concurrency", "1,2");
		defaults.put("batch-size", "100,500");
		defaults.put("raw-concurrency", "1,2");
		defaults.put("raw-batch-size", "500");
		defaults.put("sdr-batch-size", "100");
		defaults.put("rate", "5000");
		defaults.put("duration", "5s");
		defaults.put("latency-warmup", "30s");
		defaults.put("latency-repetitions", "3");
		defaults.put("scenarios", "raw,spring-data-redis,starter,retry,latency");
		return Collections.unmodifiableMap(defaults);
	}

	/**
	 * Return the default options.
	 * @return the defaults
	 */
	public static BenchmarkOptions defaults() {
		return of(Map.of());
	}

	/**
	 * Read the options from {@code bench.*} system properties and {@code --name=value}
	 * arguments; arguments win.
	 * @param systemProperties the system properties
	 * @param args the program arguments
	 * @return the options
	 * @throws IllegalArgumentException for an unknown option or a bad value
	 */
	public static BenchmarkOptions from(Properties systemProperties, String... args) {
		Map<String, String> values = new LinkedHashMap<>();
		for (String name : systemProperties.stringPropertyNames()) {
			if (name.startsWith(PROPERTY_PREFIX)) {
				values.put(name.substring(PROPERTY_PREFIX.length()), systemProperties.getProperty(name));
			}
		}
		for (String arg : args) {
			String option = arg.startsWith("--") ? arg.substring(2) : arg;
			int equals = option.indexOf('=');
			Assert.isTrue(equals > 0, () -> "Expected --name=value, got '" + arg + "'");
			String name = option.substring(0, equals);
			values.put(name.startsWith(PROPERTY_PREFIX) ? name.substring(PROPERTY_PREFIX.length()) : name,
					option.substring(equals + 1));
		}
		return of(values);
	}

	/**
	 * Create options from option names (without the {@code bench.} prefix) and values;
	 * missing ones get their default.
	 * @param values the values by option name
	 * @return the options
	 * @throws IllegalArgumentException for an unknown option or a bad value
	 */
	public static BenchmarkOptions of(Map<String, String> values) {
		Set<String> unknown = new TreeSet<>(values.keySet());
		unknown.removeAll(DEFAULTS.keySet());
		Assert.isTrue(unknown.isEmpty(),
				() -> "Unknown benchmark option(s) " + unknown + "; known: " + DEFAULTS.keySet());
		Map<String, String> merged = new LinkedHashMap<>(DEFAULTS);
		merged.putAll(values);
		try {
			return new BenchmarkOptions(integer(merged, "messages"), integer(merged, "warmup-messages"),
					integer(merged, "repetitions"), integer(merged, "payload-size"), integers(merged, "concurrency"),
					integers(merged, "batch-size"), integers(merged, "raw-concurrency"),
					integer(merged, "raw-batch-size"), integer(merged, "sdr-batch-size"), integer(merged, "rate"),
					DurationStyle.detectAndParse(value(merged, "duration").trim()),
					DurationStyle.detectAndParse(value(merged, "latency-warmup").trim()),
					integer(merged, "latency-repetitions"), scenarios(value(merged, "scenarios")));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Bad benchmark option: " + ex.getMessage(), ex);
		}
	}

	private static int integer(Map<String, String> values, String name) {
		return Integer.parseInt(value(values, name).trim().replace("_", ""));
	}

	// Every option has a default, so the merged values hold every name asked for.
	private static String value(Map<String, String> values, String name) {
		return Objects.requireNonNull(values.get(name), name);
	}

	private static List<Integer> integers(Map<String, String> values, String name) {
		List<Integer> result = new ArrayList<>();
		for (String value : StringUtils.commaDelimitedListToStringArray(values.get(name))) {
			if (StringUtils.hasText(value)) {
				result.add(Integer.parseInt(value.trim().replace("_", "")));
			}
		}
		return result;
	}

	private static Set<Scenario> scenarios(String value) {
		Set<Scenario> scenarios = EnumSet.noneOf(Scenario.class);
		for (String name : StringUtils.commaDelimitedListToStringArray(value)) {
			if (StringUtils.hasText(name)) {
				scenarios.add(Scenario.forName(name.trim()));
			}
		}
		Assert.isTrue(!scenarios.isEmpty(), "'scenarios' must name at least one scenario");
		return scenarios;
	}

	/**
	 * Return the combinations of concurrency and batch size tried for the best settings,
	 * without the library defaults (those are the default run).
	 * @return the candidate settings
	 */
	public List<ListenerSettings> candidates() {
		List<ListenerSettings> candidates = new ArrayList<>();
		for (int consumers : this.concurrency) {
			for (int batch : this.batchSize) {
				ListenerSettings settings = new ListenerSettings(consumers, batch);
				if (!settings.equals(ListenerSettings.DEFAULT) && !candidates.contains(settings)) {
					candidates.add(settings);
				}
			}
		}
		return candidates;
	}

	/**
	 * Return whether a scenario runs.
	 * @param scenario the scenario
	 * @return whether it runs
	 */
	public boolean runs(Scenario scenario) {
		return this.scenarios.contains(scenario);
	}

	/**
	 * A benchmark scenario.
	 */
	public enum Scenario {

		/**
		 * Hand-tuned Lettuce: {@code XREADGROUP COUNT n}, Jackson, pipelined multi-id
		 * {@code XACK}.
		 */
		RAW("raw"),

		/**
		 * Spring Data Redis's {@code StreamMessageListenerContainer} with a listener that
		 * acknowledges each message.
		 */
		SPRING_DATA_REDIS("spring-data-redis"),

		/**
		 * {@code @RedisListener} with default and tuned settings.
		 */
		STARTER("starter"),

		/**
		 * {@code @RedisListener} whose every message fails once.
		 */
		RETRY("retry"),

		/**
		 * Publish-to-handler latency at a fixed rate.
		 */
		LATENCY("latency");

		private final String name;

		Scenario(String name) {
			this.name = name;
		}

		/**
		 * Return the option value naming this scenario.
		 * @return the name
		 */
		public String getName() {
			return this.name;
		}

		static Scenario forName(String name) {
			return Arrays.stream(values())
				.filter((scenario) -> scenario.name.equals(name.toLowerCase(Locale.ROOT)))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("Unknown scenario '" + name + "'; known: "
						+ Arrays.stream(values()).map(Scenario::getName).toList()));
		}

	}

}
