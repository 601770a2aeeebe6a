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

package io.github.redisstreams.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the reclaimer's full rounds run: on the reclaim interval's own schedule, checked
 * by ticks of at most 100 ms (simulated clock, no Redis).
 */
class ReclaimScheduleTests {

	private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

	@ParameterizedTest
	@CsvSource(textBlock = """
			1, 1
			50, 50
			100, 100
			150, 75
			250, 83
			1050, 95
			5000, 100
			""")
	void theTickDividesTheIntervalIntoEqualPartsOfAtMost100Milliseconds(long intervalMillis, long periodMillis) {
		assertThat(new ReclaimSchedule(Duration.ofMillis(intervalMillis), 0).periodMillis()).isEqualTo(periodMillis);
	}

	@ParameterizedTest
	@CsvSource(textBlock = """
			150, 400
			250, 240
			1050, 57
			5000, 12
			""")
	void roundsKeepTheIntervalOverAMinuteAlthoughEachTickRunsLate(long intervalMillis, int rounds) {
		// a task scheduled with a fixed delay: each tick comes its period plus the time
		// the last run took (here 1 ms) after the last
		List<Long> roundTimes = tick(new ReclaimSchedule(Duration.ofMillis(intervalMillis), 0), 60_000, 1);
		// before, an interval of 150 ms ran every 200 ms: 300 rounds a minute
		assertThat(roundTimes).hasSizeBetween(rounds - 1, rounds);
		long period = new ReclaimSchedule(Duration.ofMillis(intervalMillis), 0).periodMillis();
		for (int i = 1; i < roundTimes.size(); i++) {
			assertThat(roundTimes.get(i) - roundTimes.get(i - 1)).as("gap before round %d", i)
				.isBetween((intervalMillis - period) * MS, (intervalMillis + period + 1) * MS);
		}
	}

	@Test
	void aRoundLateByMoreThanATickStartsTheScheduleAgainInsteadOfCatchingUp() {
		ReclaimSchedule schedule = new ReclaimSchedule(Duration.ofMillis(150), 0);
		assertThat(schedule.due(150 * MS)).isTrue();
		// that round took two seconds: one round now, the next one an interval later
		assertThat(schedule.due(2_150 * MS)).isTrue();
		assertThat(schedule.due(2_225 * MS)).isFalse();
		assertThat(schedule.due(2_300 * MS)).isTrue();
	}

	@Test
	void aRoundOutOfScheduleMovesTheNextOne() {
		ReclaimSchedule schedule = new ReclaimSchedule(Duration.ofSeconds(5), 0);
		schedule.ranAt(3_000 * MS);
		assertThat(schedule.due(5_000 * MS)).isFalse();
		assertThat(schedule.due(8_000 * MS)).isTrue();
	}

	private static List<Long> tick(ReclaimSchedule schedule, long forMillis, long runMillis) {
		List<Long> roundTimes = new ArrayList<>();
		long period = schedule.periodMillis();
		for (long now = period * MS; now <= forMillis * MS; now += (period + runMillis) * MS) {
			if (schedule.due(now)) {
				roundTimes.add(now);
			}
		}
		return roundTimes;
	}

}
