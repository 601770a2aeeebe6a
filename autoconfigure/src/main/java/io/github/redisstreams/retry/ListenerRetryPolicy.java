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

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.deadletter.DeadLetterReason;
import io.github.redisstreams.retry.StreamErrorHandler.Decision;

import org.springframework.core.convert.ConversionException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;
import org.springframework.util.Assert;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Decides what happens to a message whose listener failed: retry it after a back-off, or
 * dead-letter it. The attempt number is Redis's delivery counter, so retries survive the
 * restart of every instance. The back-off comes from Spring Framework's
 * {@link RetryPolicy}; the cause chain is searched for not-retryable types (safely, also
 * when causes form a cycle).
 * <ul>
 * <li>conversion failures ({@link MessageConversionException},
 * {@link MethodArgumentResolutionException}, {@link ConversionException}) are
 * dead-lettered at once as {@code conversion-failed};</li>
 * <li>{@link NonRetryableException} and the configured not-retryable exception types,
 * anywhere in the cause chain, are dead-lettered at once as {@code not-retryable};</li>
 * <li>after {@code maxRetries} retries, that is on failure of delivery
 * {@code maxRetries + 1}, the message is dead-lettered as {@code retries-exhausted}.</li>
 * </ul>
 * Delays have millisecond precision. Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ListenerRetryPolicy {

	private static final List<Class<? extends Throwable>> CONVERSION_FAILURES = List
		.of(MessageConversionException.class, MethodArgumentResolutionException.class, ConversionException.class);

	private final long maxRetries;

	private final Duration delay;

	private final double multiplier;

	private final Duration maxDelay;

	private final Duration jitter;

	private final Set<Class<? extends Throwable>> notRetryable;

	private final List<Class<? extends Throwable>> excluded;

	private final RetryPolicy retryPolicy;

	/**
	 * Create a policy.
	 * @param maxRetries how many times a failed message is retried, not negative
	 * @param delay the delay before the first retry, not negative
	 * @param multiplier the factor applied to the delay for each further retry, at least
	 * 1
	 * @param maxDelay the maximum delay, not shorter than {@code delay}
	 * @param jitter the random amount added to or removed from each delay, not negative
	 * @param notRetryable exception types that are dead-lettered at once
	 * @throws IllegalArgumentException if a value is out of range
	 */
	public ListenerRetryPolicy(long maxRetries, Duration delay, double multiplier, Duration maxDelay, Duration jitter,
			List<Class<? extends Throwable>> notRetryable) {
		Assert.isTrue(maxRetries >= 0, "'maxRetries' must not be negative");
		Assert.isTrue(!delay.isNegative(), "'delay' must not be negative");
		Assert.isTrue(multiplier >= 1, "'multiplier' must be at least 1");
		Assert.isTrue(maxDelay.compareTo(delay) >= 0, "'maxDelay' must not be shorter than 'delay'");
		Assert.isTrue(!jitter.isNegative(), "'jitter' must not be negative");
		this.maxRetries = maxRetries;
		this.delay = delay;
		this.multiplier = multiplier;
		this.maxDelay = maxDelay;
		this.jitter = jitter;
		this.notRetryable = new LinkedHashSet<>(notRetryable);
		Set<Class<? extends Throwable>> excluded = new LinkedHashSet<>(this.notRetryable);
		excluded.add(NonRetryableException.class);
		this.excluded = List.copyOf(excluded);
		this.retryPolicy = RetryPolicy.builder()
			.maxRetries(maxRetries)
			.delay(delay)
			.multiplier(multiplier)
			.maxDelay(maxDelay.isZero() ? Duration.ofMillis(1) : maxDelay)
			.jitter(jitter)
			.excludes(excluded)
			.build();
	}

	/**
	 * Return a copy of this policy with more not-retryable exception types.
	 * @param types the additional types
	 * @return the new policy; this one is unchanged
	 */
	public ListenerRetryPolicy withNotRetryable(List<Class<? extends Throwable>> types) {
		List<Class<? extends Throwable>> all = new ArrayList<>(this.notRetryable);
		all.addAll(types);
		return new ListenerRetryPolicy(this.maxRetries, this.delay, this.multiplier, this.maxDelay, this.jitter, all);
	}

	/**
	 * Decide what to do after a failed delivery.
	 * @param failure what the listener threw
	 * @param deliveryCount the delivery that failed, starting at 1
	 * @return the decision
	 */
	public Decision decide(Throwable failure, long deliveryCount) {
		if (anyInChain(failure, CONVERSION_FAILURES)) {
			return Decision.deadLetter(DeadLetterReason.CONVERSION_FAILED);
		}
		if (anyInChain(failure, this.excluded)) {
			return Decision.deadLetter(DeadLetterReason.NOT_RETRYABLE);
		}
		Duration backOff = backOff(deliveryCount);
		return (backOff != null) ? Decision.retryAfter(backOff)
				: Decision.deadLetter(DeadLetterReason.RETRIES_EXHAUSTED);
	}

	/**
	 * Return the delay before the delivery that follows the given failed one: the delay,
	 * multiplied by the multiplier for each earlier failure and capped at the maximum
	 * delay, then varied by the jitter scaled by the same factor, never beyond the
	 * maximum delay (Spring's {@code ExponentialBackOff}).
	 * @param deliveryCount the delivery that failed, starting at 1
	 * @return the delay, with millisecond precision, or {@code null} when no retry is
	 * left ({@code deliveryCount > maxRetries})
	 */
	public @Nullable Duration backOff(long deliveryCount) {
		if (deliveryCount > this.maxRetries) {
			return null;
		}
		BackOff backOff = this.retryPolicy.getBackOff();
		BackOffExecution execution = backOff.start();
		long delay = 0;
		for (long i = 0; i < Math.max(deliveryCount, 1); i++) {
			delay = execution.nextBackOff();
			if (delay == BackOffExecution.STOP) {
				return null;
			}
		}
		return Duration.ofMillis(delay);
	}

	/**
	 * Return the configured delay before the first retry.
	 * @return the delay
	 */
	public Duration getDelay() {
		return this.delay;
	}

	/**
	 * Return how many times a failed message is retried.
	 * @return the maximum number of retries
	 */
	public long getMaxRetries() {
		return this.maxRetries;
	}

	/**
	 * Return whether the failure or one of its causes is one of the types; safe with
	 * cyclic cause chains.
	 */
	static boolean anyInChain(Throwable failure, List<Class<? extends Throwable>> types) {
		// every cause once, without allocating: a second cursor at half speed meets the
		// first only in a cycle, by which time the first has visited all of it
		@Nullable Throwable slow = failure;
		int step = 0;
		for (Throwable current = failure; current != null; current = current.getCause()) {
			for (int i = 0; i < types.size(); i++) {
				if (types.get(i).isInstance(current)) {
					return true;
				}
			}
			if ((++step & 1) == 0 && slow != null) {
				slow = slow.getCause();
			}
			if (step > 1 && current.getCause() == slow) {
				return false;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return "ListenerRetryPolicy[maxRetries=" + this.maxRetries + ", delay=" + this.delay + ", multiplier="
				+ this.multiplier + ", maxDelay=" + this.maxDelay + ", jitter=" + this.jitter + ", notRetryable="
				+ this.notRetryable + "]";
	}

}
