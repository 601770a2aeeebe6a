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

package io.github.redisstreams.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;

import io.github.redisstreams.deadletter.DeadLetterReason;
import io.github.redisstreams.retry.ListenerRetryPolicy;
import io.github.redisstreams.retry.ListenerRetryPolicy.Decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link RetrySettings}.
 */
class RetrySettingsTests {

	private static final RetrySettings DEFAULTS = new RetrySettings(3L, Duration.ofSeconds(1), 2.0,
			Duration.ofMinutes(1), Duration.ZERO, List.of());

	@Test
	void resolveWithOnlyDefaultsUsesTheDefaults() {
		ListenerRetryPolicy policy = RetrySettings.resolve(DEFAULTS);
		assertThat(policy.getMaxRetries()).isEqualTo(3);
		assertThat(policy.getDelay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(retryDelays(policy)).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
				Duration.ofSeconds(4));
	}

	@Test
	void sourcesThatSetNothingChangeNothing() {
		ListenerRetryPolicy policy = RetrySettings.resolve(RetrySettings.NONE, RetrySettings.NONE, DEFAULTS);
		assertThat(policy.getMaxRetries()).isEqualTo(3);
		assertThat(retryDelays(policy)).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
				Duration.ofSeconds(4));
	}

	@Test
	void eachValueComesFromTheFirstSourceThatSetsIt() {
		RetrySettings override = new RetrySettings(4L, null, null, Duration.ofMillis(700), null, List.of());
		RetrySettings annotation = new RetrySettings(9L, Duration.ofMillis(100), 3.0, Duration.ofSeconds(10), null,
				List.of());
		ListenerRetryPolicy policy = RetrySettings.resolve(override, annotation, DEFAULTS);
		assertThat(policy.getMaxRetries()).isEqualTo(4);
		assertThat(policy.getDelay()).isEqualTo(Duration.ofMillis(100));
		assertThat(retryDelays(policy)).containsExactly(Duration.ofMillis(100), Duration.ofMillis(300),
				Duration.ofMillis(700), Duration.ofMillis(700));
		assertThat(policy.decide(new IllegalStateException("boom"), 5).reason())
			.isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);
	}

	@Test
	void zeroValuesOfAHigherSourceWinOverTheDefaults() {
		RetrySettings override = new RetrySettings(0L, null, null, null, null, List.of());
		ListenerRetryPolicy policy = RetrySettings.resolve(override, DEFAULTS);
		assertThat(policy.getMaxRetries()).isZero();
		assertThat(policy.decide(new IllegalStateException("boom"), 1).reason())
			.isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);
	}

	@Test
	void jitterComesFromTheFirstSourceThatSetsIt() {
		RetrySettings jittered = new RetrySettings(1L, Duration.ofSeconds(1), 1.0, Duration.ofMinutes(1),
				Duration.ofMillis(500), List.of());
		RetrySettings noJitter = new RetrySettings(null, null, null, null, Duration.ZERO, List.of());
		ListenerRetryPolicy policy = RetrySettings.resolve(noJitter, jittered);
		for (int i = 0; i < 50; i++) {
			assertThat(policy.backOff(1)).isEqualTo(Duration.ofSeconds(1));
		}
	}

	@Test
	void notRetryableTypesOfAllSourcesApply() {
		RetrySettings override = new RetrySettings(null, null, null, null, null, List.of(NoSuchElementException.class));
		RetrySettings annotation = new RetrySettings(null, null, null, null, null,
				List.of(UnsupportedOperationException.class));
		RetrySettings defaults = new RetrySettings(3L, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), Duration.ZERO,
				List.of(IllegalArgumentException.class));
		ListenerRetryPolicy policy = RetrySettings.resolve(override, annotation, defaults);
		assertThat(policy.decide(new NoSuchElementException(), 1).reason()).isEqualTo(DeadLetterReason.NOT_RETRYABLE);
		assertThat(policy.decide(new UnsupportedOperationException(), 1).reason())
			.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
		assertThat(policy.decide(new IllegalArgumentException(), 1).reason()).isEqualTo(DeadLetterReason.NOT_RETRYABLE);
		assertThat(policy.decide(new IllegalStateException(), 1).isRetry()).isTrue();
	}

	@Test
	void sameNotRetryableTypeInSeveralSourcesIsAccepted() {
		RetrySettings annotation = new RetrySettings(null, null, null, null, null,
				List.of(IllegalArgumentException.class));
		RetrySettings defaults = new RetrySettings(3L, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), Duration.ZERO,
				List.of(IllegalArgumentException.class));
		ListenerRetryPolicy policy = RetrySettings.resolve(annotation, defaults);
		assertThat(policy.decide(new IllegalArgumentException(), 1).reason()).isEqualTo(DeadLetterReason.NOT_RETRYABLE);
	}

	@Test
	void maxDelayShorterThanTheDelayOfAHigherSourceIsRaisedToTheDelay() {
		RetrySettings annotation = new RetrySettings(null, Duration.ofMinutes(2), null, null, null, List.of());
		ListenerRetryPolicy policy = RetrySettings.resolve(annotation, DEFAULTS);
		assertThat(policy.getDelay()).isEqualTo(Duration.ofMinutes(2));
		assertThat(retryDelays(policy)).containsExactly(Duration.ofMinutes(2), Duration.ofMinutes(2),
				Duration.ofMinutes(2));
	}

	@Test
	void maxDelayShorterThanTheDelayOfTheSameSourceIsRaisedToTheDelay() {
		RetrySettings override = new RetrySettings(null, Duration.ofSeconds(5), null, Duration.ofSeconds(1), null,
				List.of());
		ListenerRetryPolicy policy = RetrySettings.resolve(override, DEFAULTS);
		assertThat(retryDelays(policy)).containsOnly(Duration.ofSeconds(5)).hasSize(3);
	}

	@Test
	void incompleteSettingsAreRejected() {
		assertThatIllegalStateException().isThrownBy(() -> RetrySettings.resolve(RetrySettings.NONE))
			.withMessage("Incomplete retry settings");
		RetrySettings withoutJitter = new RetrySettings(3L, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), null,
				List.of());
		assertThatIllegalStateException().isThrownBy(() -> RetrySettings.resolve(RetrySettings.NONE, withoutJitter))
			.withMessage("Incomplete retry settings");
	}

	@Test
	void invalidResolvedValuesAreRejectedByThePolicy() {
		RetrySettings negativeRetries = new RetrySettings(-1L, null, null, null, null, List.of());
		assertThatIllegalArgumentException().isThrownBy(() -> RetrySettings.resolve(negativeRetries, DEFAULTS))
			.withMessageContaining("'maxRetries'");
		RetrySettings lowMultiplier = new RetrySettings(null, null, 0.5, null, null, List.of());
		assertThatIllegalArgumentException().isThrownBy(() -> RetrySettings.resolve(lowMultiplier, DEFAULTS))
			.withMessageContaining("'multiplier'");
	}

	@Test
	void nullNotRetryableListBecomesEmpty() {
		RetrySettings settings = new RetrySettings(null, null, null, null, null, null);
		assertThat(settings.notRetryable()).isEmpty();
		assertThat(RetrySettings.NONE.notRetryable()).isEmpty();
	}

	@Test
	void notRetryableListIsCopied() {
		List<Class<? extends Throwable>> types = new ArrayList<>();
		types.add(IllegalArgumentException.class);
		RetrySettings settings = new RetrySettings(null, null, null, null, null, types);
		types.add(UnsupportedOperationException.class);
		assertThat(settings.notRetryable()).containsExactly(IllegalArgumentException.class);
	}

	private static List<Duration> retryDelays(ListenerRetryPolicy policy) {
		List<Duration> delays = new ArrayList<>();
		for (long deliveryCount = 1; deliveryCount <= policy.getMaxRetries(); deliveryCount++) {
			Decision decision = policy.decide(new IllegalStateException("boom"), deliveryCount);
			assertThat(decision.isRetry()).as("decision after delivery %d", deliveryCount).isTrue();
			delays.add(decision.retryDelay());
		}
		return delays;
	}

}
