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

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.deadletter.DeadLetterReason;

import org.springframework.util.Assert;

/**
 * Decides what happens to a delivery whose listener failed: retry it after a delay,
 * dead-letter it with a reason, or leave it pending. Declare a bean of this type to
 * replace the default, {@link #DEFAULT}, which applies the listener's
 * {@link ListenerRetryPolicy} (the {@code redis.streams.retry.*} properties and the
 * {@code @RedisListener} retry attributes). <pre class="code">
 * &#064;Bean
 * StreamErrorHandler streamErrorHandler() {
 *     return (failure) -&gt; failure.hasCause(TimeoutException.class)
 *             ? StreamErrorHandler.Decision.retryAfter(Duration.ofSeconds(5))
 *             : StreamErrorHandler.Decision.deadLetter(DeadLetterReason.NOT_RETRYABLE);
 * }
 * </pre>
 * <p>
 * One bean serves every listener. It is called once per failed delivery, on the consumer
 * thread that ran the listener (entries the reclaimer takes over are handed to a
 * consumer), so with several consumers it is called concurrently and must be thread-safe;
 * it must not block, and should not throw: whatever it throws (an {@code Error} too, such
 * as a {@code StackOverflowError}), or a {@code null} decision, is logged and the
 * delivery is left pending, to be reclaimed after
 * {@code redis.streams.reclaim.min-idle-time} and dead-lettered once past the
 * {@link #deliveryLimit delivery limit}; the consumer goes on. The attempt number is
 * Redis's delivery counter ({@code XPENDING}), so it survives restarts.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface StreamErrorHandler {

	/**
	 * The default: the listener's retry policy decides (conversion failures and
	 * not-retryable types are dead-lettered at once, others are retried with back-off
	 * until {@code max-retries} is reached).
	 */
	StreamErrorHandler DEFAULT = (failure) -> failure.retryPolicy()
		.decide(failure.exception(), failure.deliveryCount());

	/**
	 * Decide what happens to a failed delivery.
	 * @param failure the failed delivery
	 * @return the decision, never {@code null}
	 */
	Decision handle(FailedDelivery failure);

	/**
	 * Return the highest delivery count for which the listener is invoked. An entry
	 * delivered with a higher count (Redis counts every delivery, also those that ended
	 * with the process dying before any decision) is dead-lettered as
	 * {@link DeadLetterReason#DELIVERY_LIMIT_EXCEEDED} without invoking the listener, so
	 * that a message that crashes the process cannot crash it forever. Default:
	 * {@code max-retries + 1} of the listener's retry policy. A handler that retries
	 * beyond {@code max-retries} must raise it ({@link Long#MAX_VALUE} for no limit).
	 * Asked once per listener, when its container starts.
	 * @param retryPolicy the listener's retry policy
	 * @return the delivery limit, at least 1
	 */
	default long deliveryLimit(ListenerRetryPolicy retryPolicy) {
		return retryPolicy.getMaxRetries() + 1;
	}

	/**
	 * What happens to a failed delivery. Immutable.
	 *
	 * @param action what to do
	 * @param retryDelay the delay before the next delivery, set only for
	 * {@link Action#RETRY}
	 * @param reason why the entry is dead-lettered, set only for
	 * {@link Action#DEAD_LETTER}
	 */
	record Decision(Action action, @Nullable Duration retryDelay, @Nullable DeadLetterReason reason) {

		/**
		 * The longest retry delay a decision may ask for.
		 */
		public static final Duration MAX_RETRY_DELAY = Duration.ofDays(100);

		/**
		 * Check that the parts fit the action.
		 * @throws IllegalArgumentException if {@code action} is {@code null}, if
		 * {@code retryDelay} is set for another action than {@link Action#RETRY} or
		 * missing for it, negative or longer than {@link #MAX_RETRY_DELAY}, or if
		 * {@code reason} is set for another action than {@link Action#DEAD_LETTER} or
		 * missing for it
		 */
		public Decision {
			Assert.notNull(action, "'action' must not be null");
			Assert.isTrue((action == Action.RETRY) == (retryDelay != null),
					"'retryDelay' is required for RETRY and only for it");
			Assert.isTrue(retryDelay == null || !retryDelay.isNegative(), "'retryDelay' must not be negative");
			Assert.isTrue(retryDelay == null || retryDelay.compareTo(MAX_RETRY_DELAY) <= 0,
					() -> "'retryDelay' must not be longer than " + MAX_RETRY_DELAY);
			Assert.isTrue((action == Action.DEAD_LETTER) == (reason != null),
					"'reason' is required for DEAD_LETTER and only for it");
		}

		/**
		 * Retry the entry: it is parked in the group's retry schedule and delivered
		 * again, to any consumer of the group, after the delay.
		 * @param delay the delay, from 0 to {@link #MAX_RETRY_DELAY} (100 days), with
		 * millisecond precision, measured by the Redis server's clock
		 * @return the decision
		 * @throws IllegalArgumentException if the delay is {@code null}, negative or too
		 * long
		 */
		public static Decision retryAfter(Duration delay) {
			return new Decision(Action.RETRY, delay, null);
		}

		/**
		 * Dead-letter the entry: publish it with the {@code DeadLetterPublisher}, then
		 * acknowledge it.
		 * @param reason the reason written as {@code x-reason}
		 * @return the decision
		 * @throws IllegalArgumentException if the reason is {@code null}
		 */
		public static Decision deadLetter(DeadLetterReason reason) {
			return new Decision(Action.DEAD_LETTER, null, reason);
		}

		/**
		 * Leave the entry pending and unscheduled: the reclaimer delivers it again once
		 * it has been idle for {@code redis.streams.reclaim.min-idle-time}, with the next
		 * delivery count. A consumer that reconnects re-reads its own pending entries
		 * first, so after a reconnection the entry can come back sooner, with the same
		 * delivery count.
		 * @return the decision
		 */
		public static Decision leavePending() {
			return new Decision(Action.LEAVE_PENDING, null, null);
		}

		/**
		 * Return whether the message is retried.
		 * @return {@code true} for {@link Action#RETRY}
		 */
		public boolean isRetry() {
			return this.action == Action.RETRY;
		}

	}

	/**
	 * The kinds of decision.
	 */
	enum Action {

		/**
		 * Deliver the entry again after a delay.
		 */
		RETRY,

		/**
		 * Publish the entry to the dead-letter destination and acknowledge it.
		 */
		DEAD_LETTER,

		/**
		 * Leave the entry pending until the reclaimer takes it over.
		 */
		LEAVE_PENDING

	}

}
