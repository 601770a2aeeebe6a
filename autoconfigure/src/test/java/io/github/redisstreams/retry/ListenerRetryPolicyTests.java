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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.redisstreams.deadletter.DeadLetterReason;
import io.github.redisstreams.retry.StreamErrorHandler.Decision;

import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionFailedException;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandlingException;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.annotation.support.MethodArgumentTypeMismatchException;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ListenerRetryPolicy}.
 */
class ListenerRetryPolicyTests {

	private static final Message<String> MESSAGE = MessageBuilder.withPayload("not a number").build();

	@Test
	void retriesWithExponentialBackOffCappedAtMaxDelayThenExhausts() {
		ListenerRetryPolicy policy = policy(5, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(5));
		List<Duration> delays = new ArrayList<>();
		for (long deliveryCount = 1; deliveryCount <= 5; deliveryCount++) {
			Decision decision = policy.decide(new IllegalStateException("boom"), deliveryCount);
			assertThat(decision.isRetry()).as("decision after delivery %d", deliveryCount).isTrue();
			assertThat(decision.reason()).as("reason after delivery %d", deliveryCount).isNull();
			delays.add(decision.retryDelay());
		}
		assertThat(delays).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
				Duration.ofSeconds(5), Duration.ofSeconds(5));
		assertExhausted(policy.decide(new IllegalStateException("boom"), 6));
	}

	@Test
	void retriesWithFractionalMultiplier() {
		ListenerRetryPolicy policy = policy(4, Duration.ofMillis(100), 1.5, Duration.ofMinutes(1));
		assertThat(retryDelays(policy, 4)).containsExactly(Duration.ofMillis(100), Duration.ofMillis(150),
				Duration.ofMillis(225), Duration.ofMillis(337));
		assertExhausted(policy.decide(new IllegalStateException("boom"), 5));
	}

	@Test
	void retriesWithFixedDelayWhenMultiplierIsOne() {
		ListenerRetryPolicy policy = policy(3, Duration.ofMillis(250), 1.0, Duration.ofMillis(250));
		assertThat(retryDelays(policy, 3)).containsOnly(Duration.ofMillis(250)).hasSize(3);
	}

	@Test
	void everyDeliveryAfterTheLastRetryIsExhausted() {
		ListenerRetryPolicy policy = policy(2, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1));
		assertThat(policy.decide(new IllegalStateException("boom"), 2).isRetry()).isTrue();
		assertExhausted(policy.decide(new IllegalStateException("boom"), 3));
		assertExhausted(policy.decide(new IllegalStateException("boom"), 4));
		assertExhausted(policy.decide(new IllegalStateException("boom"), 100));
	}

	@Test
	void backOffMatchesTheRetryDelayAndIsNullWithoutRetryLeft() {
		ListenerRetryPolicy policy = policy(3, Duration.ofMillis(200), 3.0, Duration.ofSeconds(1));
		assertThat(policy.backOff(1)).isEqualTo(Duration.ofMillis(200));
		assertThat(policy.backOff(2)).isEqualTo(Duration.ofMillis(600));
		assertThat(policy.backOff(3)).isEqualTo(Duration.ofSeconds(1));
		assertThat(policy.backOff(4)).isNull();
		assertThat(policy.decide(new IllegalStateException("boom"), 2).retryDelay()).isEqualTo(policy.backOff(2));
	}

	@Test
	void zeroDelayIsStillARetry() {
		ListenerRetryPolicy policy = policy(2, Duration.ZERO, 1.0, Duration.ZERO);
		Decision decision = policy.decide(new IllegalStateException("boom"), 1);
		assertThat(decision.isRetry()).isTrue();
		assertThat(decision.retryDelay()).isEqualTo(Duration.ZERO);
		assertThat(decision.reason()).isNull();
		assertThat(policy.decide(new IllegalStateException("boom"), 2).retryDelay()).isEqualTo(Duration.ZERO);
		assertExhausted(policy.decide(new IllegalStateException("boom"), 3));
	}

	@Test
	void zeroMaxRetriesDeadLettersOnFirstFailure() {
		ListenerRetryPolicy policy = policy(0, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1));
		assertExhausted(policy.decide(new IllegalStateException("boom"), 1));
		assertThat(policy.backOff(1)).isNull();
	}

	@Test
	void accessorsReturnTheConfiguration() {
		ListenerRetryPolicy policy = policy(7, Duration.ofMillis(300), 2.0, Duration.ofMinutes(1));
		assertThat(policy.getMaxRetries()).isEqualTo(7);
		assertThat(policy.getDelay()).isEqualTo(Duration.ofMillis(300));
	}

	@Test
	void messageConversionExceptionIsConversionFailed() {
		assertDeadLettered(new MessageConversionException("bad json"), DeadLetterReason.CONVERSION_FAILED);
	}

	@Test
	void methodArgumentResolutionExceptionsAreConversionFailed() {
		assertDeadLettered(new MethodArgumentTypeMismatchException(MESSAGE, parameter(), "not an int"),
				DeadLetterReason.CONVERSION_FAILED);
		assertDeadLettered(new MethodArgumentResolutionException(MESSAGE, parameter(), "unresolvable"),
				DeadLetterReason.CONVERSION_FAILED);
	}

	@Test
	void conversionFailedExceptionIsConversionFailed() {
		assertDeadLettered(
				new ConversionFailedException(TypeDescriptor.valueOf(String.class),
						TypeDescriptor.valueOf(Integer.class), "x", new NumberFormatException("x")),
				DeadLetterReason.CONVERSION_FAILED);
	}

	@Test
	void wrappedConversionFailuresAreConversionFailed() {
		assertDeadLettered(
				new MessageHandlingException(MESSAGE, "listener failed", new MessageConversionException("bad json")),
				DeadLetterReason.CONVERSION_FAILED);
		assertDeadLettered(
				new IllegalStateException("outer",
						new RuntimeException("middle",
								new MethodArgumentTypeMismatchException(MESSAGE, parameter(), "not an int"))),
				DeadLetterReason.CONVERSION_FAILED);
		assertDeadLettered(
				new RuntimeException(new ConversionFailedException(TypeDescriptor.valueOf(String.class),
						TypeDescriptor.valueOf(Integer.class), "x", new NumberFormatException("x"))),
				DeadLetterReason.CONVERSION_FAILED);
	}

	@Test
	void conversionFailureWrappedInNotRetryableExceptionIsConversionFailed() {
		assertDeadLettered(new NonRetryableException("give up", new MessageConversionException("bad json")),
				DeadLetterReason.CONVERSION_FAILED);
	}

	@Test
	void conversionFailureIsDeadLetteredEvenOnTheLastDelivery() {
		ListenerRetryPolicy policy = policy(2, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1));
		assertThat(policy.decide(new MessageConversionException("bad json"), 3).reason())
			.isEqualTo(DeadLetterReason.CONVERSION_FAILED);
	}

	@Test
	void nonRetryableExceptionIsNotRetryable() {
		assertDeadLettered(new NonRetryableException("never"), DeadLetterReason.NOT_RETRYABLE);
	}

	@Test
	void subclassOfNonRetryableExceptionIsNotRetryable() {
		assertDeadLettered(new PoisonMessageException(), DeadLetterReason.NOT_RETRYABLE);
	}

	@Test
	void nonRetryableExceptionAsCauseIsNotRetryable() {
		assertDeadLettered(new IllegalStateException("outer", new NonRetryableException("never")),
				DeadLetterReason.NOT_RETRYABLE);
		assertDeadLettered(
				new MessageHandlingException(MESSAGE, "listener failed",
						new RuntimeException("middle", new NonRetryableException("never"))),
				DeadLetterReason.NOT_RETRYABLE);
	}

	@Test
	void configuredNotRetryableTypesAreNotRetryable() {
		ListenerRetryPolicy policy = policy(3, List.of(IllegalArgumentException.class, IOException.class));
		assertThat(policy.decide(new IllegalArgumentException("bad"), 1).reason())
			.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
		assertThat(policy.decide(new UncheckedIOException(new IOException("disk")), 1).reason())
			.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
		assertThat(policy.decide(new NonRetryableException("never"), 1).reason())
			.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
		assertThat(policy.decide(new IllegalStateException("other"), 1).isRetry()).isTrue();
	}

	@Test
	void subclassOfConfiguredNotRetryableTypeIsNotRetryable() {
		ListenerRetryPolicy policy = policy(3, List.of(IllegalArgumentException.class));
		assertThat(policy.decide(new NumberFormatException("x"), 1).reason()).isEqualTo(DeadLetterReason.NOT_RETRYABLE);
	}

	@Test
	void configuredNotRetryableTypeAsCauseIsNotRetryable() {
		ListenerRetryPolicy policy = policy(3, List.of(IllegalArgumentException.class));
		assertThat(policy.decide(new IllegalStateException("outer", new NumberFormatException("x")), 1).reason())
			.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
	}

	@Test
	void notRetryableTakesPrecedenceOverExhaustedRetries() {
		ListenerRetryPolicy policy = policy(1, List.of(IllegalArgumentException.class));
		assertThat(policy.decide(new IllegalArgumentException("bad"), 2).reason())
			.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
		assertThat(policy.decide(new NonRetryableException("never"), 2).reason())
			.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
	}

	@Test
	void otherExceptionsAreRetried() {
		ListenerRetryPolicy policy = policy(3, List.of(IllegalArgumentException.class));
		assertThat(policy.decide(new IllegalStateException("boom"), 1).isRetry()).isTrue();
		assertThat(policy.decide(new RuntimeException("outer", new IOException("io")), 1).isRetry()).isTrue();
		assertThat(policy.decide(new Exception("checked"), 1).isRetry()).isTrue();
		assertThat(policy.decide(new StackOverflowError(), 1).isRetry()).isTrue();
	}

	@Test
	void withNotRetryableAddsTypes() {
		ListenerRetryPolicy policy = policy(3, List.of(IllegalArgumentException.class));
		ListenerRetryPolicy extended = policy.withNotRetryable(List.of(UnsupportedOperationException.class));
		assertThat(extended.decide(new UnsupportedOperationException(), 1).reason())
			.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
		assertThat(extended.decide(new IllegalArgumentException(), 1).reason())
			.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
		assertThat(extended.decide(new NonRetryableException("never"), 1).reason())
			.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
		assertThat(extended.decide(new IllegalStateException(), 1).isRetry()).isTrue();
	}

	@Test
	void withNotRetryableLeavesTheOriginalPolicyUnchanged() {
		ListenerRetryPolicy policy = policy(3, List.of());
		policy.withNotRetryable(List.of(UnsupportedOperationException.class));
		assertThat(policy.decide(new UnsupportedOperationException(), 1).isRetry()).isTrue();
	}

	@Test
	void withNotRetryableKeepsTheBackOff() {
		ListenerRetryPolicy policy = policy(3, Duration.ofMillis(100), 3.0, Duration.ofMillis(500));
		ListenerRetryPolicy extended = policy.withNotRetryable(List.of(ConcurrentModificationException.class));
		assertThat(extended.getMaxRetries()).isEqualTo(3);
		assertThat(extended.getDelay()).isEqualTo(Duration.ofMillis(100));
		assertThat(retryDelays(extended, 3)).containsExactly(Duration.ofMillis(100), Duration.ofMillis(300),
				Duration.ofMillis(500));
		assertExhausted(extended.decide(new IllegalStateException("boom"), 4));
	}

	@Test
	void constructorRejectsNegativeMaxRetries() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ListenerRetryPolicy(-1, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1),
					Duration.ZERO, List.of()))
			.withMessageContaining("'maxRetries' must not be negative");
	}

	@Test
	void constructorRejectsNegativeDelay() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ListenerRetryPolicy(3, Duration.ofMillis(-1), 2.0, Duration.ofMinutes(1),
					Duration.ZERO, List.of()))
			.withMessageContaining("'delay' must not be negative");
	}

	@Test
	void constructorRejectsNegativeJitter() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ListenerRetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1),
					Duration.ofMillis(-1), List.of()))
			.withMessageContaining("'jitter' must not be negative");
	}

	@Test
	void constructorRejectsMultiplierBelowOne() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ListenerRetryPolicy(3, Duration.ofSeconds(1), 0.5, Duration.ofMinutes(1),
					Duration.ZERO, List.of()))
			.withMessageContaining("'multiplier' must be at least 1");
	}

	@Test
	void constructorRejectsMaxDelayShorterThanDelay() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ListenerRetryPolicy(3, Duration.ofSeconds(2), 2.0, Duration.ofSeconds(1),
					Duration.ZERO, List.of()))
			.withMessageContaining("'maxDelay' must not be shorter than 'delay'");
	}

	@Test
	void jitterKeepsDelaysWithinDelayPlusOrMinusJitter() {
		Duration delay = Duration.ofMillis(1000);
		Duration jitter = Duration.ofMillis(200);
		ListenerRetryPolicy policy = new ListenerRetryPolicy(3, delay, 1.0, Duration.ofMinutes(1), jitter, List.of());
		Set<Duration> seen = new HashSet<>();
		for (int i = 0; i < 100; i++) {
			for (long deliveryCount = 1; deliveryCount <= 3; deliveryCount++) {
				Duration retryDelay = policy.decide(new IllegalStateException("boom"), deliveryCount).retryDelay();
				assertThat(retryDelay).isBetween(delay.minus(jitter), delay.plus(jitter));
				seen.add(retryDelay);
			}
		}
		assertThat(seen).as("jittered delays").hasSizeGreaterThan(1);
		assertExhausted(policy.decide(new IllegalStateException("boom"), 4));
	}

	@Test
	void jitterOfFirstRetryStaysWithinDelayPlusOrMinusJitter() {
		Duration delay = Duration.ofMillis(500);
		Duration jitter = Duration.ofMillis(100);
		ListenerRetryPolicy policy = new ListenerRetryPolicy(3, delay, 2.0, Duration.ofMinutes(1), jitter, List.of());
		for (int i = 0; i < 100; i++) {
			assertThat(policy.backOff(1)).isBetween(delay.minus(jitter), delay.plus(jitter));
		}
	}

	@Test
	void jitteredDelaysNeverExceedMaxDelay() {
		Duration maxDelay = Duration.ofMillis(1500);
		ListenerRetryPolicy policy = new ListenerRetryPolicy(5, Duration.ofSeconds(1), 2.0, maxDelay,
				Duration.ofMillis(500), List.of());
		for (int i = 0; i < 100; i++) {
			for (long deliveryCount = 1; deliveryCount <= 5; deliveryCount++) {
				assertThat(policy.backOff(deliveryCount)).isLessThanOrEqualTo(maxDelay);
			}
		}
	}

	private static ListenerRetryPolicy policy(long maxRetries, Duration delay, double multiplier, Duration maxDelay) {
		return new ListenerRetryPolicy(maxRetries, delay, multiplier, maxDelay, Duration.ZERO, List.of());
	}

	private static ListenerRetryPolicy policy(long maxRetries, List<Class<? extends Throwable>> notRetryable) {
		return new ListenerRetryPolicy(maxRetries, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), Duration.ZERO,
				notRetryable);
	}

	private static List<Duration> retryDelays(ListenerRetryPolicy policy, int retries) {
		List<Duration> delays = new ArrayList<>();
		for (long deliveryCount = 1; deliveryCount <= retries; deliveryCount++) {
			Decision decision = policy.decide(new IllegalStateException("boom"), deliveryCount);
			assertThat(decision.isRetry()).as("decision after delivery %d", deliveryCount).isTrue();
			delays.add(decision.retryDelay());
		}
		return delays;
	}

	private static void assertDeadLettered(Throwable failure, DeadLetterReason reason) {
		ListenerRetryPolicy policy = policy(3, List.of());
		Decision decision = policy.decide(failure, 1);
		assertThat(decision.isRetry()).as("retry of %s", failure).isFalse();
		assertThat(decision.retryDelay()).isNull();
		assertThat(decision.reason()).as("reason for %s", failure).isEqualTo(reason);
	}

	private static void assertExhausted(Decision decision) {
		assertThat(decision.isRetry()).isFalse();
		assertThat(decision.retryDelay()).isNull();
		assertThat(decision.reason()).isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);
	}

	private static MethodParameter parameter() {
		return new MethodParameter(ReflectionUtils.findMethod(Listener.class, "onQuantity", int.class), 0);
	}

	static class Listener {

		void onQuantity(int quantity) {
		}

	}

	static class PoisonMessageException extends NonRetryableException {

		PoisonMessageException() {
			super("poison");
		}

	}

	@Test
	@Timeout(value = 5, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void cyclicCauseChainIsDecided() {
		RuntimeException first = new RuntimeException("first");
		RuntimeException second = new RuntimeException("second", first);
		first.initCause(second);
		ListenerRetryPolicy policy = new ListenerRetryPolicy(3, Duration.ofSeconds(1), 2, Duration.ofMinutes(1),
				Duration.ZERO, List.of(IllegalArgumentException.class));
		assertThat(policy.decide(second, 1).isRetry()).isTrue();
	}

	@Test
	@Timeout(value = 5, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void everyCauseOfAnyChainShapeIsExaminedOnce() {
		// tails of 0 to 6 exceptions before cycles of 1 to 7, the matching type at each
		// position: found wherever it is, and the walk ends
		for (int tail = 0; tail <= 6; tail++) {
			for (int cycle = 1; cycle <= 7; cycle++) {
				int length = tail + cycle;
				for (int match = -1; match < length; match++) {
					List<Throwable> chain = new ArrayList<>();
					for (int i = 0; i < length; i++) {
						chain.add((i == match) ? new IllegalArgumentException("match") : new RuntimeException("" + i));
					}
					for (int i = 0; i + 1 < length; i++) {
						chain.get(i).initCause(chain.get(i + 1));
					}
					if (cycle > 1) {
						chain.get(length - 1).initCause(chain.get(tail));
					}
					assertThat(ListenerRetryPolicy.anyInChain(chain.get(0), List.of(IllegalArgumentException.class)))
						.as("tail %d, cycle %d, match at %d", tail, cycle, match)
						.isEqualTo(match >= 0);
				}
			}
		}
	}

}
