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
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.github.redisstreams.benchmarks.BenchmarkOptions.Scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link BenchmarkOptions}.
 */
class BenchmarkOptionsTests {

	@Test
	void defaults() {
		BenchmarkOptions options = BenchmarkOptions.defaults();
		assertThat(options.messages()).isEqualTo(50_000);
		assertThat(options.rate()).isEqualTo(5_000);
		assertThat(options.duration()).isEqualTo(Duration.ofSeconds(5));
		assertThat(options.latencyWarmup()).isEqualTo(Duration.ofSeconds(30));
		assertThat(options.latencyRepetitions()).isEqualTo(3);
		assertThat(options.scenarios()).containsExactlyInAnyOrder(Scenario.values());
		// the library's defaults (concurrency 1, batch 500) are the default run, not a
		// candidate
		assertThat(ListenerSettings.DEFAULT).isEqualTo(new ListenerSettings(1, 500));
		assertThat(options.candidates()).containsExactly(new ListenerSettings(1, 100), new ListenerSettings(2, 100),
				new ListenerSettings(2, 500));
	}

	@Test
	void systemPropertiesAndArguments() {
		Properties properties = new Properties();
		properties.setProperty("bench.messages", "1_000");
		properties.setProperty("bench.duration", "2s");
		properties.setProperty("other", "ignored");
		BenchmarkOptions options = BenchmarkOptions.from(properties, "--messages=2000", "--scenarios=raw,latency",
				"bench.rate=100", "--latency-warmup=0s", "--latency-repetitions=5");
		assertThat(options.messages()).isEqualTo(2000);
		assertThat(options.duration()).isEqualTo(Duration.ofSeconds(2));
		assertThat(options.rate()).isEqualTo(100);
		assertThat(options.latencyWarmup()).isZero();
		assertThat(options.latencyRepetitions()).isEqualTo(5);
		assertThat(options.scenarios()).containsExactlyInAnyOrder(Scenario.RAW, Scenario.LATENCY);
	}

	@Test
	void unknownOptionIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.of(Map.of("mesages", "1")))
			.withMessageContaining("mesages");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.of(Map.of("scenarios", "kafka")))
			.withMessageContaining("kafka");
	}

}
