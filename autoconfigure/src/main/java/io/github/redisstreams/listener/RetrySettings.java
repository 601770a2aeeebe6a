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

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.retry.ListenerRetryPolicy;

/**
 * The retry settings of a listener, from which its {@link ListenerRetryPolicy} is built.
 * <p>
 * Immutable and thread-safe.
 *
 * @param maxRetries how many times a failed message is retried
 * @param delay the delay before the first retry
 * @param multiplier the factor of each further delay
 * @param maxDelay the longest delay; a value below {@code delay} is raised to it
 * @param jitter the random variation of each delay
 * @param notRetryable the exception types whose messages are not retried
 */
record RetrySettings(long maxRetries, Duration delay, double multiplier, Duration maxDelay, Duration jitter,
		List<Class<? extends Throwable>> notRetryable) {

	/**
	 * Return a copy with the given values replaced.
	 * @return a copy with each value that is not {@code null} replaced
	 */
	RetrySettings with(@Nullable Long maxRetries, @Nullable Duration delay, @Nullable Double multiplier,
			@Nullable Duration maxDelay, @Nullable Duration jitter) {
		return new RetrySettings((maxRetries != null) ? maxRetries : this.maxRetries,
				(delay != null) ? delay : this.delay, (multiplier != null) ? multiplier : this.multiplier,
				(maxDelay != null) ? maxDelay : this.maxDelay, (jitter != null) ? jitter : this.jitter,
				this.notRetryable);
	}

	/**
	 * Return a copy with the given exception types added to the not retryable ones.
	 * @param types the exception types, each added once
	 * @return a copy with the types added
	 */
	RetrySettings withNotRetryable(List<Class<? extends Throwable>> types) {
		List<Class<? extends Throwable>> all = new ArrayList<>(this.notRetryable);
		types.stream().filter((type) -> !all.contains(type)).forEach(all::add);
		return new RetrySettings(this.maxRetries, this.delay, this.multiplier, this.maxDelay, this.jitter,
				List.copyOf(all));
	}

	/**
	 * Return the retry policy with these settings, a maximum delay below the first delay
	 * raised to it.
	 * @return the retry policy
	 * @throws IllegalArgumentException if a value is out of range
	 */
	ListenerRetryPolicy toPolicy() {
		try {
			Duration effectiveMaxDelay = (this.maxDelay.compareTo(this.delay) < 0) ? this.delay : this.maxDelay;
			return new ListenerRetryPolicy(this.maxRetries, this.delay, this.multiplier, effectiveMaxDelay, this.jitter,
					this.notRetryable);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("invalid retry settings: " + ex.getMessage(), ex);
		}
	}

}
