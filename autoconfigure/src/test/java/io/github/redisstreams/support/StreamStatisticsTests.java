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

package io.github.redisstreams.support;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.redisstreams.support.StreamStatistics.ConsumerStatistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link StreamStatistics#combine(String, String, List)}.
 */
class StreamStatisticsTests {

	private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

	@Test
	void partitionsAreSummedAndTheirWorstAgesKept() {
		StreamStatistics first = new StreamStatistics("orders:{0}", "g", true, 10, 2, 3L, Duration.ofSeconds(5), 1, 0,
				List.of(new ConsumerStatistics("node-0", 2, Duration.ofMillis(300))), T.plusMillis(5));
		StreamStatistics second = new StreamStatistics("orders:{1}", "g", true, 20, 1, 4L, Duration.ofSeconds(9), 0, 2,
				List.of(new ConsumerStatistics("node-0", 1, Duration.ofMillis(100)),
						new ConsumerStatistics("node-1", 0, Duration.ofMillis(50))),
				T);
		StreamStatistics combined = StreamStatistics.combine("orders", "g", List.of(first, second));
		assertThat(combined).isEqualTo(new StreamStatistics("orders", "g", true, 30, 3, 7L, Duration.ofSeconds(9), 1, 2,
				List.of(new ConsumerStatistics("node-0", 3, Duration.ofMillis(100)),
						new ConsumerStatistics("node-1", 0, Duration.ofMillis(50))),
				T));
	}

	@Test
	void aMissingPartitionOrLagIsNotHidden() {
		StreamStatistics present = new StreamStatistics("orders:{0}", "g", true, 1, 0, 0L, null, 0, 0, List.of(), T);
		StreamStatistics missing = new StreamStatistics("orders:{1}", "g", false, 0, 0, null, null, 0, 0, List.of(), T);
		StreamStatistics combined = StreamStatistics.combine("orders", "g", List.of(present, missing));
		assertThat(combined.exists()).isFalse();
		assertThat(combined.lag()).isNull();
		assertThat(combined.oldestPendingAge()).isNull();
		assertThatIllegalArgumentException().isThrownBy(() -> StreamStatistics.combine("orders", "g", List.of()));
	}

}
