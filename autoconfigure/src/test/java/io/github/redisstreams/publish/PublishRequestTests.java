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

package io.github.redisstreams.publish;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Unit tests of {@link PublishRequest}'s delivery delay and of what the default
 * {@link StreamPublisher#publish(PublishRequest)} refuses.
 */
class PublishRequestTests {

	private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

	private final PublishRequest request = PublishRequest.to("reminders").payload(Map.of("n", 1));

	@Test
	void aRequestWithoutDelayIsDueAtOnce() {
		assertThat(this.request.isDelayed()).isFalse();
		assertThat(this.request.getDueTime(NOW)).isNull();
	}

	@Test
	void deliverAfterCountsFromThePublicationAndDeliverAtIsAbsolute() {
		PublishRequest after = this.request.deliverAfter(Duration.ofMinutes(5));
		assertThat(after.isDelayed()).isTrue();
		assertThat(after.getDueTime(NOW)).isEqualTo(NOW.plusSeconds(300));
		assertThat(after.getDueTime(NOW.plusSeconds(60))).isEqualTo(NOW.plusSeconds(360));
		Instant at = Instant.parse("2027-01-01T00:00:00Z");
		assertThat(this.request.deliverAt(at).getDueTime(NOW)).isEqualTo(at);
		assertThat(this.request.deliverAfter(Duration.ZERO).getDueTime(NOW)).isEqualTo(NOW);
	}

	@Test
	void theLastOfDeliverAfterAndDeliverAtWins() {
		Instant at = Instant.parse("2027-01-01T00:00:00Z");
		assertThat(this.request.deliverAt(at).deliverAfter(Duration.ofSeconds(1)).getDueTime(NOW))
			.isEqualTo(NOW.plusSeconds(1));
		assertThat(this.request.deliverAfter(Duration.ofSeconds(1)).deliverAt(at).getDueTime(NOW)).isEqualTo(at);
	}

	@Test
	void otherSettersKeepTheDelay() {
		PublishRequest delayed = this.request.deliverAfter(Duration.ofSeconds(7));
		for (PublishRequest copy : new PublishRequest[] { delayed.header("a", "b"), delayed.headers(Map.of("c", "d")),
				delayed.partitionKey("k"), delayed.idempotencyKey("i"), delayed.payload("other") }) {
			assertThat(copy.getDueTime(NOW)).isEqualTo(NOW.plusSeconds(7));
		}
		assertThat(delayed.toString()).contains("deliverAfter=PT7S");
	}

	@Test
	void aNegativeOrMissingDelayIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.request.deliverAfter(Duration.ofMillis(-1)))
			.withMessageContaining("'delay' must not be negative");
		assertThatIllegalArgumentException().isThrownBy(() -> this.request.deliverAfter(null))
			.withMessageContaining("'delay'");
		assertThatIllegalArgumentException().isThrownBy(() -> this.request.deliverAt(null))
			.withMessageContaining("'time'");
	}

	@Test
	void aDueTimeASortedSetScoreCannotHoldExactlyIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.request.deliverAt(Instant.EPOCH.minusMillis(1)))
			.withMessageContaining("between the epoch and");
		assertThatIllegalArgumentException().isThrownBy(() -> this.request.deliverAt(PublishRequest.MAX_DUE_TIME))
			.withMessageContaining("between the epoch and");
		assertThatIllegalArgumentException().isThrownBy(() -> this.request.deliverAt(Instant.MAX));
		// a delay too long for any instant is capped, not an overflow
		assertThat(this.request.deliverAfter(Duration.ofSeconds(Long.MAX_VALUE)).getDueTime(NOW))
			.isEqualTo(PublishRequest.MAX_DUE_TIME);
	}

	@Test
	void theDefaultPublishRefusesWhatItCannotDoInsteadOfIgnoringIt() {
		StreamPublisher plain = (stream, payload, headers) -> "1-0";
		assertThat(plain.publish(this.request)).isEqualTo(new PublishResult("reminders", "1-0", false));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> plain.publish(this.request.deliverAfter(Duration.ofSeconds(1))))
			.withMessageContaining("does not deliver later");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> plain.publish(this.request.idempotencyKey("k")))
			.withMessageContaining("does not publish idempotently");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> plain.publish(this.request.partitionKey("k")))
			.withMessageContaining("does not route by partition key");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> plain.cancel("0123456789abcdef0123456789abcdef@reminders"))
			.withMessageContaining("does not deliver later");
	}

}
