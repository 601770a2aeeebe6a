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

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Unit tests of {@link RateLimit}.
 */
class RateLimitTests {

	@Test
	void ratesPerSecondMinuteAndHourWithOneSecondsWorthAsTheDefaultBurst() {
		assertThat(RateLimit.parse("50/s")).satisfies((limit) -> {
			assertThat(limit.getPermits()).isEqualTo(50);
			assertThat(limit.getPeriod()).isEqualTo(Duration.ofSeconds(1));
			assertThat(limit.getBurst()).isEqualTo(50);
			assertThat(limit.perSecond()).isEqualTo(50.0);
		});
		assertThat(RateLimit.parse("3000/m").getBurst()).isEqualTo(50);
		assertThat(RateLimit.parse("3000/m").getPeriod()).isEqualTo(Duration.ofMinutes(1));
		assertThat(RateLimit.parse("100/m").getBurst()).isEqualTo(2);
		assertThat(RateLimit.parse("10/h").getBurst()).isEqualTo(1);
		assertThat(RateLimit.parse(" 7 / S ")).isEqualTo(RateLimit.parse("7/s"));
		assertThat(RateLimit.parse("50/s").withBurst(5).getBurst()).isEqualTo(5);
		assertThat(RateLimit.parse("50/s").withBurst(5)).hasToString("50/s (burst 5)");
		// a changed rate or burst is another bucket
		assertThat(RateLimit.parse("50/s").token()).isEqualTo("50/s+50");
		assertThat(RateLimit.parse("3000/m").withBurst(5).token()).isEqualTo("3000/m+5");
	}

	@Test
	void anythingElseIsRefusedSayingWhatARateLooksLike() {
		for (String text : new String[] { "", "50", "50/d", "0/s", "-5/s", "5.5/s", "fast", "50 per second",
				"1234567890123/s" }) {
			assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.parse(text))
				.withMessageContaining("'" + text + "' is not a rate")
				.withMessageContaining("such as 50/s or 3000/m");
		}
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.parse("2000000000/s"))
			.withMessageContaining("too high a rate: at most 1000000000 permits per s");
		assertThat(RateLimit.parse("1000000000/s").getPermits()).isEqualTo(1_000_000_000L);
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.parse("5/s").withBurst(0))
			.withMessageContaining("burst must be at least 1");
	}

}
