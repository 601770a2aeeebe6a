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

package io.github.redisstreams.retry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import io.github.redisstreams.deadletter.DeadLetterReason;
import io.github.redisstreams.retry.StreamErrorHandler.Action;
import io.github.redisstreams.retry.StreamErrorHandler.Decision;
import io.github.redisstreams.support.StreamEntry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link StreamErrorHandler}, its {@link Decision} and {@link FailedDelivery}.
 */
class StreamErrorHandlerDecisionTests {

	private static final ListenerRetryPolicy POLICY = new ListenerRetryPolicy(2, Duration.ofMillis(100), 2,
			Duration.ofSeconds(1), Duration.ZERO, List.of());

	@Test
	void decisionsCarryOnlyTheirParts() {
		assertThat(Decision.retryAfter(Duration.ofSeconds(1))).satisfies((decision) -> {
			assertThat(decision.action()).isEqualTo(Action.RETRY);
			assertThat(decision.isRetry()).isTrue();
			assertThat(decision.retryDelay()).isEqualTo(Duration.ofSeconds(1));
			assertThat(decision.reason()).isNull();
		});
		assertThat(Decision.deadLetter(DeadLetterReason.NOT_RETRYABLE)).satisfies((decision) -> {
			assertThat(decision.action()).isEqualTo(Action.DEAD_LETTER);
			assertThat(decision.isRetry()).isFalse();
			assertThat(decision.retryDelay()).isNull();
			assertThat(decision.reason()).isEqualTo(DeadLetterReason.NOT_RETRYABLE);
		});
		assertThat(Decision.leavePending()).satisfies((decision) -> {
			assertThat(decision.action()).isEqualTo(Action.LEAVE_PENDING);
			assertThat(decision.retryDelay()).isNull();
			assertThat(decision.reason()).isNull();
		});
	}

	@Test
	void inconsistentOrOutOfRangeDecisionsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> Decision.retryAfter(Duration.ofMillis(-1)))
			.withMessageContaining("'retryDelay' must not be negative");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Decision.retryAfter(Decision.MAX_RETRY_DELAY.plusMillis(1)))
			.withMessageContaining("must not be longer than");
		assertThat(Decision.retryAfter(Decision.MAX_RETRY_DELAY).retryDelay()).isEqualTo(Decision.MAX_RETRY_DELAY);
		assertThatIllegalArgumentException().isThrownBy(() -> Decision.retryAfter(null));
		assertThatIllegalArgumentException().isThrownBy(() -> Decision.deadLetter(null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Decision(Action.RETRY, Duration.ZERO, DeadLetterReason.NOT_RETRYABLE));
		assertThatIllegalArgumentException().isThrownBy(() -> new Decision(Action.LEAVE_PENDING, Duration.ZERO, null));
		assertThatIllegalArgumentException().isThrownBy(() -> new Decision(null, null, null));
	}

	@Test
	void defaultHandlerAppliesTheListenersRetryPolicy() {
		assertThat(StreamErrorHandler.DEFAULT.handle(failure(new IllegalStateException("boom"), 1)))
			.isEqualTo(Decision.retryAfter(Duration.ofMillis(100)));
		assertThat(StreamErrorHandler.DEFAULT.handle(failure(new IllegalStateException("boom"), 3)))
			.isEqualTo(Decision.deadLetter(DeadLetterReason.RETRIES_EXHAUSTED));
		assertThat(StreamErrorHandler.DEFAULT.handle(failure(new NonRetryableException("no"), 1)))
			.isEqualTo(Decision.deadLetter(DeadLetterReason.NOT_RETRYABLE));
	}

	@Test
	void hasCauseSearchesTheWholeChainAndSurvivesCycles() {
		IllegalStateException outer = new IllegalStateException("outer", new RuntimeException(new TimeoutException()));
		assertThat(failure(outer, 1).hasCause(TimeoutException.class)).isTrue();
		assertThat(failure(outer, 1).hasCause(IllegalStateException.class)).isTrue();
		assertThat(failure(outer, 1).hasCause(UnsupportedOperationException.class)).isFalse();
		RuntimeException first = new RuntimeException("first");
		RuntimeException second = new RuntimeException("second", first);
		first.initCause(second);
		assertThat(failure(first, 1).hasCause(TimeoutException.class)).isFalse();
	}

	private static FailedDelivery failure(Throwable exception, long deliveryCount) {
		return new FailedDelivery("listener", "group",
				new StreamEntry("1-0", "orders", Map.of("payload", "{}".getBytes(StandardCharsets.UTF_8))), exception,
				deliveryCount, POLICY);
	}

}
