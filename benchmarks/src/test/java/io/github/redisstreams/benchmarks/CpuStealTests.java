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

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CpuSteal}.
 */
class CpuStealTests {

	@Test
	void theStealIsTheEighthCounterOfTheAggregateLine() {
		CpuSteal steal = CpuSteal.parse("cpu  110563 0 35725 57274 636 0 10518 13950 0 0");
		assertThat(steal.steal()).isEqualTo(13950);
		assertThat(steal.total()).isEqualTo(110563 + 35725 + 57274 + 636 + 10518 + 13950);
	}

	@Test
	void theShareStolenBetweenTwoReadings() {
		CpuSteal earlier = new CpuSteal(100, 1000);
		assertThat(new CpuSteal(130, 1200).percentSince(earlier)).isEqualTo(15.0);
		assertThat(new CpuSteal(100, 1000).percentSince(earlier)).isNaN();
		assertThat(new CpuSteal(-1, -1).percentSince(earlier)).isNaN();
	}

	@Test
	void aLineOfOneCpuOrAnOlderKernelIsUnknown() {
		assertThat(CpuSteal.parse("cpu0 1 2 3 4 5 6 7 8").steal()).isEqualTo(-1);
		assertThat(CpuSteal.parse("cpu 1 2 3 4 5 6 7").steal()).isEqualTo(-1);
	}

}
